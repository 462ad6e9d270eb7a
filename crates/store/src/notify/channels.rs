//! Channels (group robots and webhooks), kept by administrators with a version check and an
//! audit record (never with the secret), and each person's e-mail preferences.

use chrono::{DateTime, Utc};
use jiedai_domain::notify::{ChannelKind, EventKey};
use jiedai_domain::{Actor, ChannelId, Code, DepartmentId, UserId};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;

use super::{department_of, kind_of};
use crate::audit::record;
use crate::entity::{channel, notification_preference};
use crate::{Store, StoreError};

/// A channel as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredChannel {
    /// Id.
    pub id: ChannelId,
    /// Its kind.
    pub kind: ChannelKind,
    /// Name.
    pub name: String,
    /// The robot's full address.
    pub url: String,
    /// The signing secret (empty: unsigned). Never answered back.
    pub secret: String,
    /// The events it wants.
    pub events: Vec<EventKey>,
    /// Only events of this department's receptions, when set.
    pub department_id: Option<DepartmentId>,
    /// Whether it is used.
    pub active: bool,
    /// Version.
    pub version: i32,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

fn of(m: channel::Model) -> StoredChannel {
    let events: Vec<String> = serde_json::from_str(&m.events).unwrap_or_default();
    StoredChannel {
        id: ChannelId(m.id),
        kind: kind_of(&m.kind),
        name: m.name,
        url: m.url,
        secret: m.secret,
        events: events.iter().filter_map(|e| EventKey::parse(e)).collect(),
        department_id: department_of(m.department_id),
        active: m.active,
        version: m.version,
        updated_at: m.updated_at,
    }
}

/// A channel's settings to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelWrite {
    /// Kind.
    pub kind: ChannelKind,
    /// Name.
    pub name: String,
    /// Address.
    pub url: String,
    /// Secret; `None` keeps the one stored.
    pub secret: Option<String>,
    /// Events.
    pub events: Vec<EventKey>,
    /// Department, or every one.
    pub department_id: Option<DepartmentId>,
    /// Used or not.
    pub active: bool,
}

/// What the audit log keeps of a channel: everything but the secret (only whether one is set).
fn audit_doc(c: &StoredChannel) -> serde_json::Value {
    json!({
        "kind": c.kind.as_str(),
        "name": c.name,
        "url": c.url,
        "signed": !c.secret.is_empty(),
        "events": c.events.iter().map(|e| e.as_str()).collect::<Vec<_>>(),
        "department_id": c.department_id.map(DepartmentId::get),
        "active": c.active,
    })
}

fn events_text(events: &[EventKey]) -> String {
    serde_json::to_string(&events.iter().map(|e| e.as_str()).collect::<Vec<_>>()).unwrap_or_else(|_| "[]".into())
}

fn reference(e: sea_orm::DbErr) -> StoreError {
    if matches!(e.sql_err(), Some(sea_orm::SqlErr::ForeignKeyConstraintViolation(_))) {
        StoreError::InvalidReference("department_id")
    } else {
        StoreError::Db(e)
    }
}

impl Store {
    /// Every channel, by name.
    pub async fn channels(&self) -> Result<Vec<StoredChannel>, StoreError> {
        let rows = channel::Entity::find()
            .order_by_asc(channel::Column::Name)
            .order_by_asc(channel::Column::Id)
            .all(self.conn())
            .await?;
        Ok(rows.into_iter().map(of).collect())
    }

    /// One channel.
    pub async fn channel(&self, id: ChannelId) -> Result<StoredChannel, StoreError> {
        channel::Entity::find_by_id(id.get()).one(self.conn()).await?.map(of).ok_or(StoreError::NotFound)
    }

    /// Adds a channel, audited.
    pub async fn add_channel(&self, c: &ChannelWrite, actor: &Actor) -> Result<StoredChannel, StoreError> {
        let w = self.write().await?;
        let now = Utc::now();
        let m = channel::ActiveModel {
            kind: Set(c.kind.as_str().to_owned()),
            name: Set(c.name.clone()),
            url: Set(c.url.clone()),
            secret: Set(c.secret.clone().unwrap_or_default()),
            events: Set(events_text(&c.events)),
            department_id: Set(c.department_id.map(DepartmentId::get)),
            active: Set(c.active),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&w.txn)
        .await
        .map_err(reference)?;
        let stored = of(m);
        record(&w.txn, actor, "channel", Some(stored.id.to_string()), "create", None::<&()>, Some(&audit_doc(&stored)))
            .await?;
        w.commit().await?;
        Ok(stored)
    }

    /// Changes a channel read at `version`, audited.
    pub async fn update_channel(
        &self,
        id: ChannelId,
        version: i32,
        c: &ChannelWrite,
        actor: &Actor,
    ) -> Result<StoredChannel, StoreError> {
        let w = self.write().await?;
        let before = channel::Entity::find_by_id(id.get()).one(&w.txn).await?.map(of).ok_or(StoreError::NotFound)?;
        if before.version != version {
            return Err(StoreError::StaleVersion);
        }
        let mut q = channel::Entity::update_many()
            .col_expr(channel::Column::Kind, Expr::value(c.kind.as_str()))
            .col_expr(channel::Column::Name, Expr::value(c.name.clone()))
            .col_expr(channel::Column::Url, Expr::value(c.url.clone()))
            .col_expr(channel::Column::Events, Expr::value(events_text(&c.events)))
            .col_expr(channel::Column::DepartmentId, Expr::value(c.department_id.map(DepartmentId::get)))
            .col_expr(channel::Column::Active, Expr::value(c.active))
            .col_expr(channel::Column::Version, Expr::value(version + 1))
            .col_expr(channel::Column::UpdatedAt, Expr::value(Utc::now()));
        if let Some(secret) = &c.secret {
            q = q.col_expr(channel::Column::Secret, Expr::value(secret.clone()));
        }
        let res = q
            .filter(channel::Column::Id.eq(id.get()))
            .filter(channel::Column::Version.eq(version))
            .exec(&w.txn)
            .await
            .map_err(reference)?;
        if res.rows_affected != 1 {
            return Err(StoreError::StaleVersion);
        }
        let after = channel::Entity::find_by_id(id.get()).one(&w.txn).await?.map(of).ok_or(StoreError::NotFound)?;
        record(
            &w.txn,
            actor,
            "channel",
            Some(id.to_string()),
            "update",
            Some(&audit_doc(&before)),
            Some(&audit_doc(&after)),
        )
        .await?;
        w.commit().await?;
        Ok(after)
    }

    /// Removes a channel read at `version`, audited; its deliveries stay (with their channel
    /// id) as a record, and pending ones are not sent.
    pub async fn remove_channel(&self, id: ChannelId, version: i32, actor: &Actor) -> Result<(), StoreError> {
        let w = self.write().await?;
        let before = channel::Entity::find_by_id(id.get()).one(&w.txn).await?.map(of).ok_or(StoreError::NotFound)?;
        if before.version != version {
            return Err(StoreError::StaleVersion);
        }
        channel::Entity::delete_by_id(id.get()).exec(&w.txn).await?;
        record(&w.txn, actor, "channel", Some(id.to_string()), "delete", Some(&audit_doc(&before)), None::<&()>)
            .await?;
        w.commit().await?;
        Ok(())
    }

    /// The events a person does not want by e-mail (every other is wanted).
    pub async fn email_opt_outs(&self, user: UserId) -> Result<Vec<EventKey>, StoreError> {
        let rows = notification_preference::Entity::find()
            .filter(notification_preference::Column::UserId.eq(user.get()))
            .filter(notification_preference::Column::Email.eq(false))
            .all(self.conn())
            .await?;
        Ok(rows.iter().filter_map(|r| EventKey::parse(&r.event)).collect())
    }

    /// Sets whether a person wants e-mail for each event given, audited.
    pub async fn set_email_preferences(
        &self,
        user: UserId,
        choices: &[(EventKey, bool)],
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let w = self.write().await?;
        for (event, email) in choices {
            notification_preference::Entity::insert(notification_preference::ActiveModel {
                user_id: Set(user.get()),
                event: Set(event.as_str().to_owned()),
                email: Set(*email),
            })
            .on_conflict(
                OnConflict::columns([notification_preference::Column::UserId, notification_preference::Column::Event])
                    .update_column(notification_preference::Column::Email)
                    .to_owned(),
            )
            .exec_without_returning(&w.txn)
            .await?;
        }
        let after: serde_json::Map<String, serde_json::Value> =
            choices.iter().map(|(e, on)| (e.as_str().to_owned(), (*on).into())).collect();
        record(&w.txn, actor, "notification_preferences", Some(user.to_string()), "update", None::<&()>, Some(&after))
            .await?;
        w.commit().await?;
        Ok(())
    }
}
