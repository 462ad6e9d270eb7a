//! API bearer tokens: only a SHA-256 of the secret is stored.

use chrono::{DateTime, Duration, Utc};
use jiedai_domain::{Actor, ApiToken, TokenId, User, UserId};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Serialize;

use super::hydrate;
use crate::audit::record;
use crate::entity::{api_token, user};
use crate::{Store, StoreError, Topic};

#[derive(Serialize, Clone, Copy)]
struct TokenSnapshot<'a> {
    user_id: UserId,
    name: &'a str,
    prefix: &'a str,
    revoked: bool,
}

fn to_token(m: api_token::Model, username: String) -> ApiToken {
    ApiToken {
        id: TokenId(m.id),
        user_id: UserId(m.user_id),
        username,
        name: m.name,
        prefix: m.prefix,
        created_at: m.created_at,
        last_used_at: m.last_used_at,
        revoked_at: m.revoked_at,
    }
}

/// How stale `last_used_at` may get before a request writes it again: the column
/// is for people ("used 5 minutes ago"), and a write per request would make every
/// API call a write.
const LAST_USED_RESOLUTION: Duration = Duration::seconds(60);

impl Store {
    /// Stores a new token for a user, audited.
    pub async fn create_token(
        &self,
        user_id: UserId,
        name: String,
        token_hash: String,
        prefix: String,
        actor: &Actor,
    ) -> Result<ApiToken, StoreError> {
        let w = self.write().await?;
        let owner = user::Entity::find_by_id(user_id.get()).one(&w.txn).await?.ok_or(StoreError::NotFound)?;
        let m = api_token::ActiveModel {
            user_id: Set(user_id.get()),
            name: Set(name),
            token_hash: Set(token_hash),
            prefix: Set(prefix),
            created_at: Set(Utc::now()),
            last_used_at: Set(None),
            revoked_at: Set(None),
            ..Default::default()
        }
        .insert(&w.txn)
        .await?;
        let snap = TokenSnapshot { user_id, name: &m.name, prefix: &m.prefix, revoked: false };
        record(&w.txn, actor, "token", Some(m.id.to_string()), "create", None::<&()>, Some(&snap)).await?;
        w.commit().await?;
        Ok(to_token(m, owner.username))
    }

    /// Tokens, newest first: one user's, or everyone's when `user_id` is `None`.
    pub async fn list_tokens(&self, user_id: Option<UserId>) -> Result<Vec<ApiToken>, StoreError> {
        let mut q = api_token::Entity::find();
        if let Some(u) = user_id {
            q = q.filter(api_token::Column::UserId.eq(u.get()));
        }
        let rows = q.order_by_desc(api_token::Column::Id).all(self.conn()).await?;
        let mut owners: Vec<i32> = rows.iter().map(|t| t.user_id).collect();
        owners.sort_unstable();
        owners.dedup();
        let users: std::collections::HashMap<i32, String> = if owners.is_empty() {
            Default::default()
        } else {
            user::Entity::find()
                .filter(user::Column::Id.is_in(owners))
                .all(self.conn())
                .await?
                .into_iter()
                .map(|u| (u.id, u.username))
                .collect()
        };
        let name = |id: i32| users.get(&id).cloned().unwrap_or_default();
        Ok(rows
            .into_iter()
            .map(|m| {
                let n = name(m.user_id);
                to_token(m, n)
            })
            .collect())
    }

    /// One token.
    pub async fn get_token(&self, id: TokenId) -> Result<ApiToken, StoreError> {
        let m = api_token::Entity::find_by_id(id.get()).one(self.conn()).await?.ok_or(StoreError::NotFound)?;
        let owner = user::Entity::find_by_id(m.user_id).one(self.conn()).await?;
        Ok(to_token(m, owner.map(|u| u.username).unwrap_or_default()))
    }

    /// Revokes a token (idempotent), audited.
    pub async fn revoke_token(&self, id: TokenId, actor: &Actor) -> Result<ApiToken, StoreError> {
        let mut w = self.write().await?;
        w.touch(Topic::Auth).await?;
        let m = api_token::Entity::find_by_id(id.get()).one(&w.txn).await?.ok_or(StoreError::NotFound)?;
        if m.revoked_at.is_none() {
            api_token::Entity::update_many()
                .col_expr(api_token::Column::RevokedAt, Expr::value(Utc::now()))
                .filter(api_token::Column::Id.eq(id.get()))
                .exec(&w.txn)
                .await?;
            let b = TokenSnapshot { user_id: UserId(m.user_id), name: &m.name, prefix: &m.prefix, revoked: false };
            let a = TokenSnapshot { revoked: true, ..b };
            record(&w.txn, actor, "token", Some(id.to_string()), "revoke", Some(&b), Some(&a)).await?;
        }
        w.commit().await?;
        self.get_token(id).await
    }

    /// The active user behind a live token; notes its use (to the minute).
    pub async fn token_user(&self, token_hash: &str) -> Result<Option<User>, StoreError> {
        let Some(t) =
            api_token::Entity::find().filter(api_token::Column::TokenHash.eq(token_hash)).one(self.conn()).await?
        else {
            return Ok(None);
        };
        if t.revoked_at.is_some() {
            return Ok(None);
        }
        let Some(u) = user::Entity::find_by_id(t.user_id).one(self.conn()).await? else {
            return Ok(None);
        };
        if !u.active {
            return Ok(None);
        }
        let now = Utc::now();
        if t.last_used_at.is_none_or(|at: DateTime<Utc>| now - at > LAST_USED_RESOLUTION) {
            let w = self.write().await?;
            api_token::Entity::update_many()
                .col_expr(api_token::Column::LastUsedAt, Expr::value(now))
                .filter(api_token::Column::Id.eq(t.id))
                .exec(&w.txn)
                .await?;
            w.commit().await?;
        }
        Ok(Some(hydrate(self.conn(), vec![u]).await?.remove(0)))
    }
}
