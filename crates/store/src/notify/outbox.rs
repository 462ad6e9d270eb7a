//! The outbox: events waiting to be fanned out, leased so that two instances do not both
//! work out the same event's recipients, and fanned out once: the in-app messages, the
//! deliveries and the event's `fanned_at` are written in one transaction that only the
//! first instance to get there commits.

use chrono::{DateTime, Duration, Utc};
use jiedai_domain::notify::{DeliveryStatus, EventKey};
use jiedai_domain::{Code, ReceptionId, TaskId, UserId};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::sea_query::{LockBehavior, LockType};
use sea_orm::{ColumnTrait, Condition, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};

use super::{NewEvent, Target};
use crate::entity::{delivery, event, notification};
use crate::{Store, StoreError, Topic};

/// An event as the outbox holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    /// Id.
    pub id: i64,
    /// What happened (`None` for a key this build does not know).
    pub key: Option<EventKey>,
    /// The reception it is about.
    pub reception_id: Option<ReceptionId>,
    /// The task it is about.
    pub task_id: Option<TaskId>,
    /// Who caused it.
    pub actor: Option<UserId>,
    /// Its data (JSON text).
    pub data: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

pub(super) fn of(m: event::Model) -> StoredEvent {
    StoredEvent {
        id: m.id,
        key: EventKey::parse(&m.event),
        reception_id: m.reception_id.map(ReceptionId),
        task_id: m.task_id.map(TaskId),
        actor: m.actor_user_id.map(UserId),
        data: m.data,
        created_at: m.created_at,
    }
}

/// Who an event goes to, worked out by the application.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fan {
    /// Each person who gets the in-app message.
    pub people: Vec<UserId>,
    /// Each e-mail and channel delivery.
    pub targets: Vec<Target>,
    /// People left out on purpose, with why (a recipient disabled after the event): kept as
    /// skipped deliveries, so that it shows; a guest's link without a mail server likewise.
    pub skipped: Vec<(Target, String)>,
}

impl Store {
    /// Writes a reminder unless one with its `dedupe` key exists; true when written.
    pub async fn emit_once(&self, e: &NewEvent) -> Result<bool, StoreError> {
        let w = self.write().await?;
        let res = event::Entity::insert(super::row(e))
            .on_conflict(OnConflict::column(event::Column::Dedupe).do_nothing().to_owned())
            .exec_without_returning(&w.txn)
            .await?;
        w.commit().await?;
        Ok(res > 0)
    }

    /// Which of these reminder keys were made already.
    pub async fn existing_dedupes(&self, keys: &[String]) -> Result<std::collections::HashSet<String>, StoreError> {
        let mut out = std::collections::HashSet::new();
        for chunk in keys.chunks(500) {
            let rows: Vec<Option<String>> = event::Entity::find()
                .select_only()
                .column(event::Column::Dedupe)
                .filter(event::Column::Dedupe.is_in(chunk.iter().cloned()))
                .into_tuple()
                .all(self.conn())
                .await?;
            out.extend(rows.into_iter().flatten());
        }
        Ok(out)
    }

    /// Leases up to `limit` events not yet fanned out (and not leased by another instance)
    /// for `lease`; on PostgreSQL rows another instance is leasing are skipped, not waited for.
    pub async fn lease_events(&self, limit: u64, lease: Duration) -> Result<Vec<StoredEvent>, StoreError> {
        let now = Utc::now();
        let waiting = || {
            event::Entity::find()
                .select_only()
                .column(event::Column::Id)
                .filter(event::Column::FannedAt.is_null())
                .filter(
                    Condition::any().add(event::Column::LeaseUntil.is_null()).add(event::Column::LeaseUntil.lt(now)),
                )
                .order_by_asc(event::Column::Id)
        };
        // Idle, the worker only reads: the write lock (all of SQLite's) is taken for work only.
        let any: Option<i64> = waiting().limit(1).into_tuple().one(self.conn()).await?;
        if any.is_none() {
            return Ok(Vec::new());
        }
        let w = self.write().await?;
        let mut q = waiting().limit(limit);
        if self.backend() == DatabaseBackend::Postgres {
            q = q.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
        }
        let ids: Vec<i64> = q.into_tuple().all(&w.txn).await?;
        if ids.is_empty() {
            w.commit().await?;
            return Ok(Vec::new());
        }
        event::Entity::update_many()
            .col_expr(event::Column::LeaseUntil, Expr::value(now + lease))
            .filter(event::Column::Id.is_in(ids.clone()))
            .exec(&w.txn)
            .await?;
        let rows = event::Entity::find()
            .filter(event::Column::Id.is_in(ids))
            .order_by_asc(event::Column::Id)
            .all(&w.txn)
            .await?;
        w.commit().await?;
        Ok(rows.into_iter().map(of).collect())
    }

    /// Fans an event out: its in-app messages and deliveries, and the event marked done, in
    /// one transaction. False (nothing written) when another instance fanned it out first.
    pub async fn fan_out(&self, event_id: i64, fan: &Fan) -> Result<bool, StoreError> {
        let mut w = self.write().await?;
        let now = Utc::now();
        let claimed = event::Entity::update_many()
            .col_expr(event::Column::FannedAt, Expr::value(now))
            .col_expr(event::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
            .filter(event::Column::Id.eq(event_id))
            .filter(event::Column::FannedAt.is_null())
            .exec(&w.txn)
            .await?;
        if claimed.rows_affected != 1 {
            w.commit().await?;
            return Ok(false);
        }
        if !fan.people.is_empty() {
            w.touch(Topic::Notifications).await?;
            let rows = fan.people.iter().map(|u| notification::ActiveModel {
                user_id: Set(u.get()),
                event_id: Set(event_id),
                created_at: Set(now),
                read_at: Set(None),
                ..Default::default()
            });
            notification::Entity::insert_many(rows)
                .on_conflict(
                    OnConflict::columns([notification::Column::EventId, notification::Column::UserId])
                        .do_nothing()
                        .to_owned(),
                )
                .exec_without_returning(&w.txn)
                .await?;
        }
        let deliveries = fan
            .targets
            .iter()
            .map(|t| (*t, DeliveryStatus::Pending, String::new()))
            .chain(fan.skipped.iter().map(|(t, why)| (*t, DeliveryStatus::Skipped, why.clone())));
        let rows: Vec<delivery::ActiveModel> = deliveries
            .map(|(t, status, error)| delivery::ActiveModel {
                event_id: Set(event_id),
                target: Set(t.key()),
                user_id: Set(match t {
                    Target::Email(u) => Some(u.get()),
                    Target::Channel(_) | Target::Guest(_) => None,
                }),
                channel_id: Set(match t {
                    Target::Channel(c) => Some(c.get()),
                    Target::Email(_) | Target::Guest(_) => None,
                }),
                status: Set(status.as_str().to_owned()),
                attempts: Set(0),
                next_at: Set(now),
                lease_until: Set(None),
                last_error: Set(error),
                created_at: Set(now),
                updated_at: Set(now),
                sent_at: Set(None),
                digest_of: Set(None),
                ..Default::default()
            })
            .collect();
        if !rows.is_empty() {
            delivery::Entity::insert_many(rows)
                .on_conflict(
                    OnConflict::columns([delivery::Column::EventId, delivery::Column::Target]).do_nothing().to_owned(),
                )
                .exec_without_returning(&w.txn)
                .await?;
        }
        w.commit().await?;
        Ok(true)
    }

    /// One event.
    pub async fn get_event(&self, id: i64) -> Result<StoredEvent, StoreError> {
        event::Entity::find_by_id(id).one(self.conn()).await?.map(of).ok_or(StoreError::NotFound)
    }

    /// Events by id (those that exist).
    pub async fn events_by_id(&self, ids: Vec<i64>) -> Result<Vec<StoredEvent>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(event::Entity::find()
            .filter(event::Column::Id.is_in(ids))
            .all(self.conn())
            .await?
            .into_iter()
            .map(of)
            .collect())
    }
}
