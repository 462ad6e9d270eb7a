//! Password checks, counted per key (an account, a client address) for throttling. Kept in
//! the database so that several instances share one count, and taken *before* the password
//! is checked, atomically: a burst of attempts sent at once never gets more checks than the
//! limit allows (each attempt is a row; a successful one is taken back).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QuerySelect, Set};

use crate::engine::lock_in;
use crate::entity::login_failure;
use crate::{Store, StoreError};

/// Key of the PostgreSQL advisory lock that serialises the taking of attempts.
const THROTTLE_LOCK: i64 = 0x6a69_6564_6169_0002;

/// An attempt that was let through: its rows, to take back if it succeeds.
#[derive(Debug, Clone)]
pub struct Attempt(Vec<i32>);

impl Store {
    /// Takes one attempt under each `(key, limit)` when every key has fewer than its limit
    /// since `since`; otherwise takes nothing and answers when the oldest attempt of a full
    /// key leaves the window (`Err(free_at)`). One transaction, serialised with every other
    /// instance (SQLite's write lock, a PostgreSQL advisory lock).
    pub async fn take_attempt(
        &self,
        keys: &[(String, u32)],
        since: DateTime<Utc>,
    ) -> Result<Result<Attempt, DateTime<Utc>>, StoreError> {
        let w = self.write().await?;
        lock_in(&w.txn, THROTTLE_LOCK).await?;
        for (key, limit) in keys {
            let (count, oldest): (i64, Option<DateTime<Utc>>) = login_failure::Entity::find()
                .select_only()
                .column_as(Expr::col(login_failure::Column::Id).count(), "n")
                .column_as(Expr::col(login_failure::Column::At).min(), "oldest")
                .filter(login_failure::Column::Key.eq(key.as_str()))
                .filter(login_failure::Column::At.gte(since))
                .into_tuple()
                .one(&w.txn)
                .await?
                .unwrap_or((0, None));
            if count >= i64::from(*limit) {
                return Ok(Err(oldest.unwrap_or(since)));
            }
        }
        let now = Utc::now();
        let mut ids = Vec::with_capacity(keys.len());
        for (key, _) in keys {
            let row = login_failure::ActiveModel { key: Set(key.clone()), at: Set(now), ..Default::default() }
                .insert(&w.txn)
                .await?;
            ids.push(row.id);
        }
        w.commit().await?;
        Ok(Ok(Attempt(ids)))
    }

    /// Takes back a successful attempt, forgets the failures under `clear` (the account,
    /// after a successful sign-in) and every attempt older than `older_than`.
    pub async fn succeeded(
        &self,
        attempt: Attempt,
        clear: Option<&str>,
        older_than: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let w = self.write().await?;
        login_failure::Entity::delete_many().filter(login_failure::Column::Id.is_in(attempt.0)).exec(&w.txn).await?;
        if let Some(key) = clear {
            login_failure::Entity::delete_many().filter(login_failure::Column::Key.eq(key)).exec(&w.txn).await?;
        }
        login_failure::Entity::delete_many().filter(login_failure::Column::At.lt(older_than)).exec(&w.txn).await?;
        w.commit().await
    }
}
