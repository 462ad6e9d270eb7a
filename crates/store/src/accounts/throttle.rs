//! Failed sign-ins, counted per account and per address for throttling. Kept in
//! the database so that several instances share one count.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::entity::login_failure;
use crate::{Store, StoreError};

impl Store {
    /// Records one failure under each key.
    pub async fn record_login_failure(&self, keys: &[String]) -> Result<(), StoreError> {
        let w = self.write().await?;
        let now = Utc::now();
        for k in keys {
            login_failure::ActiveModel { key: Set(k.clone()), at: Set(now), ..Default::default() }
                .insert(&w.txn)
                .await?;
        }
        w.commit().await
    }

    /// The failures under a key since an instant: how many, and the oldest.
    pub async fn login_failures_since(
        &self,
        key: &str,
        since: DateTime<Utc>,
    ) -> Result<(usize, Option<DateTime<Utc>>), StoreError> {
        let rows = login_failure::Entity::find()
            .filter(login_failure::Column::Key.eq(key))
            .filter(login_failure::Column::At.gte(since))
            .order_by_asc(login_failure::Column::At)
            .all(self.conn())
            .await?;
        Ok((rows.len(), rows.first().map(|r| r.at)))
    }

    /// Forgets the failures under a key (after a successful sign-in) and every
    /// failure older than `older_than`.
    pub async fn clear_login_failures(&self, key: &str, older_than: DateTime<Utc>) -> Result<(), StoreError> {
        let w = self.write().await?;
        login_failure::Entity::delete_many().filter(login_failure::Column::Key.eq(key)).exec(&w.txn).await?;
        login_failure::Entity::delete_many().filter(login_failure::Column::At.lt(older_than)).exec(&w.txn).await?;
        w.commit().await
    }
}
