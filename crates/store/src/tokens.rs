//! API bearer tokens: only a SHA-256 of the secret is stored.

use chrono::{DateTime, Duration, Utc};
use jiedai_domain::{Actor, ApiToken, User};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Serialize;

use crate::audit::record;
use crate::entity::{api_token, user};
use crate::users::hydrate;
use crate::{Store, StoreError};

#[derive(Serialize, Clone, Copy)]
struct TokenSnapshot<'a> {
    user_id: i32,
    name: &'a str,
    prefix: &'a str,
    revoked: bool,
}

fn to_token(m: api_token::Model, username: String) -> ApiToken {
    ApiToken {
        id: m.id,
        user_id: m.user_id,
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
        user_id: i32,
        name: String,
        token_hash: String,
        prefix: String,
        actor: &Actor,
    ) -> Result<ApiToken, StoreError> {
        let w = self.write().await?;
        let owner = user::Entity::find_by_id(user_id).one(&w.txn).await?.ok_or(StoreError::NotFound)?;
        let m = api_token::ActiveModel {
            user_id: Set(user_id),
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
    pub async fn list_tokens(&self, user_id: Option<i32>) -> Result<Vec<ApiToken>, StoreError> {
        let mut q = api_token::Entity::find();
        if let Some(u) = user_id {
            q = q.filter(api_token::Column::UserId.eq(u));
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
    pub async fn get_token(&self, id: i32) -> Result<ApiToken, StoreError> {
        let m = api_token::Entity::find_by_id(id).one(self.conn()).await?.ok_or(StoreError::NotFound)?;
        let owner = user::Entity::find_by_id(m.user_id).one(self.conn()).await?;
        Ok(to_token(m, owner.map(|u| u.username).unwrap_or_default()))
    }

    /// Revokes a token (idempotent), audited.
    pub async fn revoke_token(&self, id: i32, actor: &Actor) -> Result<ApiToken, StoreError> {
        let w = self.write().await?;
        let m = api_token::Entity::find_by_id(id).one(&w.txn).await?.ok_or(StoreError::NotFound)?;
        if m.revoked_at.is_none() {
            api_token::Entity::update_many()
                .col_expr(api_token::Column::RevokedAt, Expr::value(Utc::now()))
                .filter(api_token::Column::Id.eq(id))
                .exec(&w.txn)
                .await?;
            let b = TokenSnapshot { user_id: m.user_id, name: &m.name, prefix: &m.prefix, revoked: false };
            let a = TokenSnapshot { revoked: true, ..b };
            record(&w.txn, actor, "token", Some(id.to_string()), "revoke", Some(&b), Some(&a)).await?;
        }
        w.commit().await?;
        self.get_token(id).await
    }

    /// The active user behind a live token; notes its use (to the minute). Answers
    /// from the short-lived cache when it can (see `auth_cache`).
    pub async fn token_user(&self, token_hash: &str) -> Result<Option<User>, StoreError> {
        let key = format!("t:{token_hash}");
        if let Some(e) = self.auth_cache.get(&key) {
            return Ok(Some(e.user));
        }
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
        let user = hydrate(self.conn(), vec![u]).await?.remove(0);
        self.auth_cache.put(key, crate::auth_cache::Entry { user: user.clone(), last_seen: None });
        Ok(Some(user))
    }
}
