//! Notifications: the outbox of events (written in the transaction of the change that caused
//! them), their fan-out into in-app messages and deliveries (once, whichever instance does
//! it), the deliveries' leases and outcomes, the channels and each person's preferences.

use chrono::Utc;
use jiedai_domain::notify::{ChannelKind, DeliveryStatus, EventKey};
use jiedai_domain::{ChannelId, Code, DepartmentId, ReceptionId, SurveyLinkId, TaskId, UserId};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

mod channels;
mod deliveries;
mod due;
mod inbox;
mod links;
mod outbox;
mod subjects;

pub use channels::{ChannelWrite, StoredChannel};
pub use deliveries::{DeliveryCounts, Outcome, StoredDelivery};
pub use inbox::StoredNotification;
pub use links::StoredLink;
pub use outbox::{Fan, StoredEvent};
pub use subjects::{Subject, TaskSubject};

use crate::StoreError;
use crate::entity::event;

/// An event to write into the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    /// What happened.
    pub key: EventKey,
    /// The reception it is about.
    pub reception_id: Option<ReceptionId>,
    /// The task it is about.
    pub task_id: Option<TaskId>,
    /// Who caused it (none for reminders).
    pub actor: Option<UserId>,
    /// What the message needs besides (a comment, who was taken off a task…), as JSON.
    pub data: serde_json::Value,
    /// For reminders: (event, subject, date), so it is made once.
    pub dedupe: Option<String>,
}

impl NewEvent {
    /// An event about a reception, caused by `actor`.
    pub fn reception(key: EventKey, id: ReceptionId, actor: Option<UserId>, data: serde_json::Value) -> NewEvent {
        NewEvent { key, reception_id: Some(id), task_id: None, actor, data, dedupe: None }
    }
}

/// An event's row, made now.
pub(crate) fn row(e: &NewEvent) -> event::ActiveModel {
    event::ActiveModel {
        event: Set(e.key.as_str().to_owned()),
        reception_id: Set(e.reception_id.map(ReceptionId::get)),
        task_id: Set(e.task_id.map(TaskId::get)),
        actor_user_id: Set(e.actor.map(UserId::get)),
        data: Set(e.data.to_string()),
        dedupe: Set(e.dedupe.clone()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
}

/// Writes an event on the given connection (the change's transaction).
pub(crate) async fn emit<C: ConnectionTrait>(c: &C, e: &NewEvent) -> Result<(), StoreError> {
    row(e).insert(c).await?;
    Ok(())
}

/// Where a delivery goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// A person's e-mail.
    Email(UserId),
    /// A group robot or webhook.
    Channel(ChannelId),
    /// The address a guest's survey link was made for (kept with the link).
    Guest(SurveyLinkId),
}

impl Target {
    pub(crate) fn key(self) -> String {
        match self {
            Target::Email(u) => format!("u:{}", u.get()),
            Target::Channel(c) => format!("c:{}", c.get()),
            Target::Guest(l) => format!("s:{}", l.get()),
        }
    }

    /// The survey link a delivery's target names (`s:{id}`), if it names one.
    pub(crate) fn guest_of(key: &str) -> Option<SurveyLinkId> {
        key.strip_prefix("s:").and_then(|id| id.parse().ok()).map(SurveyLinkId)
    }
}

fn status_of(s: &str) -> DeliveryStatus {
    DeliveryStatus::parse(s).unwrap_or(DeliveryStatus::Pending)
}

fn kind_of(s: &str) -> ChannelKind {
    ChannelKind::parse(s).unwrap_or(ChannelKind::Webhook)
}

fn department_of(id: Option<i32>) -> Option<DepartmentId> {
    id.map(DepartmentId)
}
