//! A person's in-app messages: the list with what each is about, the unread count (kept
//! until a message is written or read), marking read.

use chrono::{DateTime, Utc};
use jiedai_domain::notify::EventKey;
use jiedai_domain::{ReceptionId, UserId};
use jiedai_store::{Subject, TaskSubject};

use crate::{App, Error, Result};

/// One message, as the bell's list shows it.
#[derive(Debug, Clone)]
pub struct Item {
    /// Id.
    pub id: i64,
    /// What happened.
    pub key: EventKey,
    /// The reception it is about.
    pub reception_id: Option<ReceptionId>,
    /// The reception, as messages name it (if it still exists).
    pub subject: Option<Subject>,
    /// The task, as messages name it (if it still exists).
    pub task: Option<TaskSubject>,
    /// What the event carried (a comment…), as JSON.
    pub data: serde_json::Value,
    /// Who caused it (display name).
    pub actor: Option<String>,
    /// Read or not.
    pub read: bool,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// A person's messages, newest first: a page of `limit` before the id `before`.
pub async fn notifications(
    app: &App,
    user: UserId,
    before: Option<i64>,
    limit: u64,
    unread_only: bool,
) -> Result<Vec<Item>> {
    let store = app.store();
    let rows = store.notifications_of(user, before, limit, unread_only).await?;
    let receptions: Vec<ReceptionId> = rows.iter().filter_map(|n| n.event.reception_id).collect();
    let tasks: Vec<_> = rows.iter().filter_map(|n| n.event.task_id).collect();
    let subjects = store.subjects(&receptions).await?;
    let task_subjects = store.task_subjects(&tasks).await?;
    let mut out = Vec::with_capacity(rows.len());
    for n in rows {
        let Some(key) = n.event.key else { continue };
        let actor = match n.event.actor {
            Some(a) => crate::accounts::display_name(app, a).await.ok(),
            None => None,
        };
        out.push(Item {
            id: n.id,
            key,
            reception_id: n.event.reception_id,
            subject: n.event.reception_id.and_then(|r| subjects.get(&r).cloned()),
            task: n.event.task_id.and_then(|t| task_subjects.get(&t).cloned()),
            data: serde_json::from_str(&n.event.data).unwrap_or_default(),
            actor,
            read: n.read_at.is_some(),
            created_at: n.created_at,
        });
    }
    Ok(out)
}

/// How many of a person's messages are unread (kept until one is written or read).
pub async fn unread_count(app: &App, user: UserId) -> Result<u64> {
    let generation = app.store().generation(jiedai_store::Topic::Notifications);
    if let Some(n) = app.unread().get(generation, &user) {
        return Ok(*n);
    }
    let n = app.store().unread_count(user).await?;
    app.unread().put(generation, user, std::sync::Arc::new(n));
    Ok(n)
}

/// Marks one of a person's messages read (404 when it is not theirs).
pub async fn mark_read(app: &App, user: UserId, id: i64) -> Result<()> {
    app.store().mark_read(user, id).await.map_err(|e| match e {
        jiedai_store::StoreError::NotFound => Error::NotFound,
        e => e.into(),
    })
}

/// Marks all of a person's messages read; how many were unread.
pub async fn mark_all_read(app: &App, user: UserId) -> Result<u64> {
    Ok(app.store().mark_all_read(user).await?)
}
