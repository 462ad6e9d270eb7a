//! The in-app messages: a person's list (newest first, a page at a time), the unread count,
//! marking read.

use chrono::{DateTime, Utc};
use jiedai_domain::UserId;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use super::outbox::{StoredEvent, of as event_of};
use crate::entity::{event, notification};
use crate::{Store, StoreError, Topic};

/// One in-app message, with its event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredNotification {
    /// Id.
    pub id: i64,
    /// Whose.
    pub user_id: UserId,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it was read.
    pub read_at: Option<DateTime<Utc>>,
    /// What happened.
    pub event: StoredEvent,
}

impl Store {
    /// A person's messages, newest first, those before the id `before` (a page), with their
    /// events; only unread ones when `unread_only`.
    pub async fn notifications_of(
        &self,
        user: UserId,
        before: Option<i64>,
        limit: u64,
        unread_only: bool,
    ) -> Result<Vec<StoredNotification>, StoreError> {
        let mut q = notification::Entity::find()
            .filter(notification::Column::UserId.eq(user.get()))
            .order_by_desc(notification::Column::Id)
            .limit(limit);
        if let Some(b) = before {
            q = q.filter(notification::Column::Id.lt(b));
        }
        if unread_only {
            q = q.filter(notification::Column::ReadAt.is_null());
        }
        let rows = q.all(self.conn()).await?;
        let ids: Vec<i64> = rows.iter().map(|n| n.event_id).collect();
        let events: std::collections::HashMap<i64, StoredEvent> = if ids.is_empty() {
            Default::default()
        } else {
            event::Entity::find()
                .filter(event::Column::Id.is_in(ids))
                .all(self.conn())
                .await?
                .into_iter()
                .map(|e| (e.id, event_of(e)))
                .collect()
        };
        Ok(rows
            .into_iter()
            .filter_map(|n| {
                Some(StoredNotification {
                    id: n.id,
                    user_id: UserId(n.user_id),
                    created_at: n.created_at,
                    read_at: n.read_at,
                    event: events.get(&n.event_id)?.clone(),
                })
            })
            .collect())
    }

    /// How many of a person's messages are unread.
    pub async fn unread_count(&self, user: UserId) -> Result<u64, StoreError> {
        Ok(notification::Entity::find()
            .filter(notification::Column::UserId.eq(user.get()))
            .filter(notification::Column::ReadAt.is_null())
            .count(self.conn())
            .await?)
    }

    /// Marks one of a person's messages read (again: no change). [`StoreError::NotFound`]
    /// when it is not theirs.
    pub async fn mark_read(&self, user: UserId, id: i64) -> Result<(), StoreError> {
        let mut w = self.write().await?;
        let n = notification::Entity::find_by_id(id)
            .filter(notification::Column::UserId.eq(user.get()))
            .one(&w.txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        if n.read_at.is_none() {
            w.touch(Topic::Notifications).await?;
            notification::Entity::update_many()
                .col_expr(notification::Column::ReadAt, Expr::value(Utc::now()))
                .filter(notification::Column::Id.eq(id))
                .exec(&w.txn)
                .await?;
        }
        w.commit().await?;
        Ok(())
    }

    /// Marks every message of a person read; how many were unread.
    pub async fn mark_all_read(&self, user: UserId) -> Result<u64, StoreError> {
        let mut w = self.write().await?;
        w.touch(Topic::Notifications).await?;
        let res = notification::Entity::update_many()
            .col_expr(notification::Column::ReadAt, Expr::value(Utc::now()))
            .filter(notification::Column::UserId.eq(user.get()))
            .filter(notification::Column::ReadAt.is_null())
            .exec(&w.txn)
            .await?;
        w.commit().await?;
        Ok(res.rows_affected)
    }
}
