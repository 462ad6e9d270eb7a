//! Idempotency keys: a request that creates something carries a key; the first request
//! with a key claims it, and a repeat — a double click, a retry after a lost answer, sent
//! to any instance — gets the first one's answer instead of creating a second time.
//! Keys belong to the person who sent them and are forgotten after a day.

use chrono::{Duration, Utc};
use jiedai_domain::UserId;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use crate::entity::idempotency_key;
use crate::error::is_unique_violation;
use crate::{Store, StoreError};

/// How long a finished key is remembered.
const KEPT_FOR: Duration = Duration::hours(24);

/// An answer as the first request gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    /// HTTP status.
    pub status: u16,
    /// `Location` header, if any.
    pub location: Option<String>,
    /// `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// The body.
    pub body: String,
}

/// What became of a claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key is this request's: go on, then finish or release it.
    Fresh,
    /// An earlier request with this key is still running.
    Running {
        /// Fingerprint of that request.
        fingerprint: String,
    },
    /// An earlier request with this key was answered.
    Done {
        /// Fingerprint of that request.
        fingerprint: String,
        /// Its answer.
        response: StoredResponse,
    },
}

fn by_key(user: UserId, key: &str) -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(idempotency_key::Column::UserId.eq(user.get()))
        .add(idempotency_key::Column::Key.eq(key))
}

impl Store {
    /// Claims a key for a request with this fingerprint. A claim left running for longer
    /// than `abandoned_after` (its process died) is taken over.
    pub async fn claim_idempotency(
        &self,
        user: UserId,
        key: &str,
        fingerprint: &str,
        abandoned_after: Duration,
    ) -> Result<Claim, StoreError> {
        let now = Utc::now();
        let w = self.write().await?;
        idempotency_key::Entity::delete_many()
            .filter(idempotency_key::Column::ClaimedAt.lt(now - KEPT_FOR))
            .exec(&w.txn)
            .await?;
        let inserted = idempotency_key::ActiveModel {
            user_id: Set(user.get()),
            key: Set(key.to_owned()),
            fingerprint: Set(fingerprint.to_owned()),
            claimed_at: Set(now),
            done_at: Set(None),
            status: Set(None),
            location: Set(None),
            content_type: Set(None),
            body: Set(None),
        }
        .insert(&w.txn)
        .await;
        match inserted {
            Ok(_) => {
                w.commit().await?;
                return Ok(Claim::Fresh);
            }
            Err(e) if is_unique_violation(&e) => drop(w),
            Err(e) => return Err(e.into()),
        }
        let Some(row) = idempotency_key::Entity::find().filter(by_key(user, key)).one(self.conn()).await? else {
            // Forgotten in between: claim it again.
            return Box::pin(self.claim_idempotency(user, key, fingerprint, abandoned_after)).await;
        };
        if let (Some(status), Some(_)) = (row.status, row.done_at) {
            let response = StoredResponse {
                status: u16::try_from(status).unwrap_or(500),
                location: row.location,
                content_type: row.content_type,
                body: row.body.unwrap_or_default(),
            };
            return Ok(Claim::Done { fingerprint: row.fingerprint, response });
        }
        if row.claimed_at < now - abandoned_after {
            let taken = idempotency_key::Entity::update_many()
                .col_expr(idempotency_key::Column::ClaimedAt, Expr::value(now))
                .col_expr(idempotency_key::Column::Fingerprint, Expr::value(fingerprint))
                .filter(by_key(user, key))
                .filter(idempotency_key::Column::ClaimedAt.eq(row.claimed_at))
                .filter(idempotency_key::Column::DoneAt.is_null())
                .exec(self.conn())
                .await?;
            if taken.rows_affected == 1 {
                return Ok(Claim::Fresh);
            }
        }
        Ok(Claim::Running { fingerprint: row.fingerprint })
    }

    /// Records the answer of a claimed key.
    pub async fn finish_idempotency(
        &self,
        user: UserId,
        key: &str,
        response: &StoredResponse,
    ) -> Result<(), StoreError> {
        let w = self.write().await?;
        idempotency_key::Entity::update_many()
            .col_expr(idempotency_key::Column::DoneAt, Expr::value(Utc::now()))
            .col_expr(idempotency_key::Column::Status, Expr::value(i32::from(response.status)))
            .col_expr(idempotency_key::Column::Location, Expr::value(response.location.clone()))
            .col_expr(idempotency_key::Column::ContentType, Expr::value(response.content_type.clone()))
            .col_expr(idempotency_key::Column::Body, Expr::value(response.body.clone()))
            .filter(by_key(user, key))
            .exec(&w.txn)
            .await?;
        w.commit().await
    }

    /// Gives a claimed key up (the request failed and created nothing), so it may be sent again.
    pub async fn release_idempotency(&self, user: UserId, key: &str) -> Result<(), StoreError> {
        let w = self.write().await?;
        idempotency_key::Entity::delete_many()
            .filter(by_key(user, key))
            .filter(idempotency_key::Column::DoneAt.is_null())
            .exec(&w.txn)
            .await?;
        w.commit().await
    }
}
