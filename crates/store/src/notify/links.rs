//! The approve and return links of an approver's mail: one person, one reception at one
//! version, used once, until they expire. Found by the SHA-256 of their secret.

use chrono::{DateTime, Utc};
use jiedai_domain::{ReceptionId, UserId};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use crate::entity::action_link;
use crate::{Store, StoreError};

/// A link as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredLink {
    /// Whom it was sent to.
    pub user_id: UserId,
    /// The reception.
    pub reception_id: ReceptionId,
    /// `approve` or `return`.
    pub action: String,
    /// The reception's version when it was sent.
    pub version: i32,
    /// Until when it works.
    pub expires_at: DateTime<Utc>,
    /// When it was used.
    pub used_at: Option<DateTime<Utc>>,
}

impl Store {
    /// Keeps a link (its secret's hash).
    pub async fn add_action_link(&self, token_hash: &str, link: &StoredLink) -> Result<(), StoreError> {
        let w = self.write().await?;
        action_link::ActiveModel {
            token_hash: Set(token_hash.to_owned()),
            user_id: Set(link.user_id.get()),
            reception_id: Set(link.reception_id.get()),
            action: Set(link.action.clone()),
            version: Set(link.version),
            expires_at: Set(link.expires_at),
            used_at: Set(None),
            created_at: Set(Utc::now()),
        }
        .insert(&w.txn)
        .await?;
        w.commit().await?;
        Ok(())
    }

    /// The link of a secret's hash.
    pub async fn action_link(&self, token_hash: &str) -> Result<Option<StoredLink>, StoreError> {
        Ok(action_link::Entity::find_by_id(token_hash.to_owned()).one(self.conn()).await?.map(|m| StoredLink {
            user_id: UserId(m.user_id),
            reception_id: ReceptionId(m.reception_id),
            action: m.action,
            version: m.version,
            expires_at: m.expires_at,
            used_at: m.used_at,
        }))
    }

    /// Marks a link used; false when it was used already (by another tab, another instance).
    pub async fn use_action_link(&self, token_hash: &str) -> Result<bool, StoreError> {
        let w = self.write().await?;
        let res = action_link::Entity::update_many()
            .col_expr(action_link::Column::UsedAt, Expr::value(Utc::now()))
            .filter(action_link::Column::TokenHash.eq(token_hash))
            .filter(action_link::Column::UsedAt.is_null())
            .exec(&w.txn)
            .await?;
        w.commit().await?;
        Ok(res.rows_affected == 1)
    }
}
