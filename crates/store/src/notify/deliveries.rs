//! Deliveries: leased in batches by the worker of whichever instance gets there first (on
//! PostgreSQL `FOR UPDATE SKIP LOCKED`, so two instances never lease the same one), then
//! recorded as sent, failed (tried again later) or dead (given up).

use chrono::{DateTime, Duration, Utc};
use jiedai_domain::notify::DeliveryStatus;
use jiedai_domain::{ChannelId, Code, SurveyLinkId, UserId};
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType};
use sea_orm::{ColumnTrait, Condition, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::status_of;
use crate::entity::delivery;
use crate::{Store, StoreError};

/// A delivery as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDelivery {
    /// Id.
    pub id: i64,
    /// Its event.
    pub event_id: i64,
    /// The person whose e-mail it goes to.
    pub user_id: Option<UserId>,
    /// The channel it goes to.
    pub channel_id: Option<ChannelId>,
    /// The guest's survey link whose address it goes to.
    pub survey_link_id: Option<SurveyLinkId>,
    /// Where it stands.
    pub status: DeliveryStatus,
    /// Tries so far (a leased one counts).
    pub attempts: i32,
    /// When it is tried (again).
    pub next_at: DateTime<Utc>,
    /// What went wrong the last time.
    pub last_error: String,
    /// When it was made, or retried by hand: a day of tries is counted from here.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// When the receiver took it.
    pub sent_at: Option<DateTime<Utc>>,
    /// It went out in a robot's digest, the message of the delivery of this id.
    pub digest_of: Option<i64>,
}

fn of(m: delivery::Model) -> StoredDelivery {
    StoredDelivery {
        id: m.id,
        event_id: m.event_id,
        user_id: m.user_id.map(UserId),
        channel_id: m.channel_id.map(ChannelId),
        survey_link_id: super::Target::guest_of(&m.target),
        status: status_of(&m.status),
        attempts: m.attempts,
        next_at: m.next_at,
        last_error: m.last_error,
        created_at: m.created_at,
        updated_at: m.updated_at,
        sent_at: m.sent_at,
        digest_of: m.digest_of,
    }
}

/// How a try went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The receiver took it.
    Sent,
    /// It failed: tried again at `retry_at`, or (`None`) given up, a dead letter.
    Failed {
        /// What went wrong.
        error: String,
        /// The next try.
        retry_at: Option<DateTime<Utc>>,
    },
    /// Not sent on purpose (a recipient disabled since), with why.
    Skipped(String),
    /// Not tried now (a robot's minute is used up): tried at this moment, the try not counted.
    Later(DateTime<Utc>),
    /// Taken by the receiver in the digest that the delivery of this id carried.
    SentIn(i64),
}

/// Deliveries per status, of one channel (`None`: e-mail).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeliveryCounts {
    /// The channel, or e-mail.
    pub channel_id: Option<ChannelId>,
    /// (status, count).
    pub by_status: Vec<(DeliveryStatus, u64)>,
}

impl Store {
    /// Leases up to `limit` deliveries that are due (pending or failed, next try passed, not
    /// leased): each counts a try and is held for `lease`. A delivery whose instance died
    /// while holding it is leased again once its lease has passed.
    pub async fn lease_deliveries(&self, limit: u64, lease: Duration) -> Result<Vec<StoredDelivery>, StoreError> {
        let now = Utc::now();
        let due = || {
            delivery::Entity::find()
                .select_only()
                .column(delivery::Column::Id)
                .filter(
                    delivery::Column::Status.is_in([DeliveryStatus::Pending.as_str(), DeliveryStatus::Failed.as_str()]),
                )
                .filter(delivery::Column::NextAt.lte(now))
                .filter(
                    Condition::any()
                        .add(delivery::Column::LeaseUntil.is_null())
                        .add(delivery::Column::LeaseUntil.lt(now)),
                )
                .order_by_asc(delivery::Column::NextAt)
                .order_by_asc(delivery::Column::Id)
        };
        // Idle, the worker only reads: the write lock is taken for work only.
        let any: Option<i64> = due().limit(1).into_tuple().one(self.conn()).await?;
        if any.is_none() {
            return Ok(Vec::new());
        }
        let w = self.write().await?;
        let mut q = due().limit(limit);
        if self.backend() == DatabaseBackend::Postgres {
            q = q.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
        }
        let ids: Vec<i64> = q.into_tuple().all(&w.txn).await?;
        if ids.is_empty() {
            w.commit().await?;
            return Ok(Vec::new());
        }
        delivery::Entity::update_many()
            .col_expr(delivery::Column::LeaseUntil, Expr::value(now + lease))
            .col_expr(delivery::Column::Attempts, Expr::col(delivery::Column::Attempts).add(1))
            .col_expr(delivery::Column::UpdatedAt, Expr::value(now))
            .filter(delivery::Column::Id.is_in(ids.clone()))
            .exec(&w.txn)
            .await?;
        let rows = delivery::Entity::find()
            .filter(delivery::Column::Id.is_in(ids))
            .order_by_asc(delivery::Column::Id)
            .all(&w.txn)
            .await?;
        w.commit().await?;
        Ok(rows.into_iter().map(of).collect())
    }

    /// Records a delivery's outcome; the lease ends.
    pub async fn finish_delivery(&self, id: i64, outcome: Outcome) -> Result<(), StoreError> {
        let w = self.write().await?;
        let now = Utc::now();
        let mut q = delivery::Entity::update_many()
            .col_expr(delivery::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
            .col_expr(delivery::Column::UpdatedAt, Expr::value(now));
        q = match outcome {
            Outcome::Sent => q
                .col_expr(delivery::Column::Status, Expr::value(DeliveryStatus::Sent.as_str()))
                .col_expr(delivery::Column::SentAt, Expr::value(now))
                .col_expr(delivery::Column::LastError, Expr::value("")),
            Outcome::Skipped(why) => q
                .col_expr(delivery::Column::Status, Expr::value(DeliveryStatus::Skipped.as_str()))
                .col_expr(delivery::Column::LastError, Expr::value(why)),
            Outcome::SentIn(first) => q
                .col_expr(delivery::Column::Status, Expr::value(DeliveryStatus::Sent.as_str()))
                .col_expr(delivery::Column::SentAt, Expr::value(now))
                .col_expr(delivery::Column::LastError, Expr::value(""))
                .col_expr(delivery::Column::DigestOf, Expr::value(first)),
            Outcome::Later(at) => q
                .col_expr(delivery::Column::NextAt, Expr::value(at))
                .col_expr(delivery::Column::Attempts, Expr::col(delivery::Column::Attempts).sub(1)),
            Outcome::Failed { error, retry_at } => {
                let status = if retry_at.is_some() { DeliveryStatus::Failed } else { DeliveryStatus::Dead };
                let error: String = error.chars().take(1000).collect();
                q.col_expr(delivery::Column::Status, Expr::value(status.as_str()))
                    .col_expr(delivery::Column::LastError, Expr::value(error))
                    .col_expr(delivery::Column::NextAt, Expr::value(retry_at.unwrap_or(now)))
            }
        };
        q.filter(delivery::Column::Id.eq(id)).exec(&w.txn).await?;
        w.commit().await?;
        Ok(())
    }

    /// Puts a failed or dead delivery back to be tried at once, with a new day of tries.
    /// [`StoreError::NotFound`] when there is none such; [`StoreError::StaleVersion`] when
    /// it is not failed or dead (sent, pending or skipped).
    pub async fn retry_delivery(&self, id: i64, actor: &jiedai_domain::Actor) -> Result<StoredDelivery, StoreError> {
        let w = self.write().await?;
        let now = Utc::now();
        let d = delivery::Entity::find_by_id(id).one(&w.txn).await?.ok_or(StoreError::NotFound)?;
        if !matches!(status_of(&d.status), DeliveryStatus::Failed | DeliveryStatus::Dead) {
            return Err(StoreError::StaleVersion);
        }
        delivery::Entity::update_many()
            .col_expr(delivery::Column::Status, Expr::value(DeliveryStatus::Pending.as_str()))
            .col_expr(delivery::Column::NextAt, Expr::value(now))
            .col_expr(delivery::Column::CreatedAt, Expr::value(now))
            .col_expr(delivery::Column::UpdatedAt, Expr::value(now))
            .col_expr(delivery::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
            .filter(delivery::Column::Id.eq(id))
            .exec(&w.txn)
            .await?;
        let after = delivery::Entity::find_by_id(id).one(&w.txn).await?.ok_or(StoreError::NotFound)?;
        let before = serde_json::json!({"status": d.status, "attempts": d.attempts, "last_error": d.last_error});
        let then = serde_json::json!({"status": after.status, "event_id": after.event_id});
        crate::audit::record(&w.txn, actor, "delivery", Some(id.to_string()), "retry", Some(&before), Some(&then))
            .await?;
        w.commit().await?;
        Ok(of(after))
    }

    /// Deliveries in the given statuses, newest first, before the id `before` (a page).
    pub async fn deliveries(
        &self,
        statuses: &[DeliveryStatus],
        before: Option<i64>,
        limit: u64,
    ) -> Result<Vec<StoredDelivery>, StoreError> {
        let mut q = delivery::Entity::find()
            .filter(delivery::Column::Status.is_in(statuses.iter().map(|s| s.as_str())))
            .order_by_desc(delivery::Column::Id)
            .limit(limit);
        if let Some(b) = before {
            q = q.filter(delivery::Column::Id.lt(b));
        }
        Ok(q.all(self.conn()).await?.into_iter().map(of).collect())
    }

    /// How many messages a channel took since `since` (its robot's rate limit): a digest is one.
    pub async fn sent_to_channel_since(&self, channel: ChannelId, since: DateTime<Utc>) -> Result<u64, StoreError> {
        use sea_orm::PaginatorTrait;
        Ok(delivery::Entity::find()
            .filter(delivery::Column::ChannelId.eq(channel.get()))
            .filter(delivery::Column::Status.eq(DeliveryStatus::Sent.as_str()))
            .filter(delivery::Column::SentAt.gte(since))
            .filter(delivery::Column::DigestOf.is_null())
            .count(self.conn())
            .await?)
    }

    /// The deliveries of these events, by event (a guest's mail: its link's one delivery).
    pub async fn deliveries_of_events(
        &self,
        ids: &[i64],
    ) -> Result<std::collections::HashMap<i64, Vec<StoredDelivery>>, StoreError> {
        let mut out: std::collections::HashMap<i64, Vec<StoredDelivery>> = std::collections::HashMap::new();
        for chunk in ids.chunks(500) {
            let rows = delivery::Entity::find()
                .filter(delivery::Column::EventId.is_in(chunk.iter().copied()))
                .order_by_asc(delivery::Column::Id)
                .all(self.conn())
                .await?;
            for d in rows.into_iter().map(of) {
                out.entry(d.event_id).or_default().push(d);
            }
        }
        Ok(out)
    }

    /// How many deliveries each channel (and e-mail) has in each status.
    pub async fn delivery_counts(&self) -> Result<Vec<DeliveryCounts>, StoreError> {
        let rows: Vec<(Option<i32>, String, i64)> = delivery::Entity::find()
            .select_only()
            .column(delivery::Column::ChannelId)
            .column(delivery::Column::Status)
            .column_as(delivery::Column::Id.count(), "n")
            .group_by(delivery::Column::ChannelId)
            .group_by(delivery::Column::Status)
            .order_by_asc(delivery::Column::ChannelId)
            .into_tuple()
            .all(self.conn())
            .await?;
        let mut out: Vec<DeliveryCounts> = Vec::new();
        for (channel, status, n) in rows {
            let channel_id = channel.map(ChannelId);
            if out.last().is_none_or(|c| c.channel_id != channel_id) {
                out.push(DeliveryCounts { channel_id, by_status: Vec::new() });
            }
            if let Some(last) = out.last_mut() {
                last.by_status.push((status_of(&status), u64::try_from(n).unwrap_or(0)));
            }
        }
        Ok(out)
    }
}
