//! Browser sessions: a random cookie value whose SHA-256 is the row key.

use chrono::{DateTime, Duration, Utc};
use jiedai_domain::{Actor, User, UserId};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use super::hydrate;
use crate::audit::record;
use crate::entity::{session, user};
use crate::{Store, StoreError, Topic};

impl Store {
    /// Starts a session for a user, audited as a sign-in.
    pub async fn create_session(
        &self,
        id_hash: String,
        user_id: UserId,
        ttl: Duration,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let w = self.write().await?;
        let now = Utc::now();
        session::ActiveModel {
            id_hash: Set(id_hash),
            user_id: Set(user_id.get()),
            created_at: Set(now),
            expires_at: Set(now + ttl),
            last_seen_at: Set(now),
        }
        .insert(&w.txn)
        .await?;
        // Housekeeping: expired sessions go when someone signs in.
        session::Entity::delete_many().filter(session::Column::ExpiresAt.lt(now)).exec(&w.txn).await?;
        record(&w.txn, actor, "session", Some(user_id.to_string()), "login", None::<&()>, None::<&()>).await?;
        w.commit().await
    }

    /// The active user behind a live session, when the session was last extended and when
    /// it ends.
    pub async fn session_user(
        &self,
        id_hash: &str,
    ) -> Result<Option<(User, DateTime<Utc>, DateTime<Utc>)>, StoreError> {
        let now = Utc::now();
        let Some(s) = session::Entity::find_by_id(id_hash.to_owned()).one(self.conn()).await? else {
            return Ok(None);
        };
        if s.expires_at <= now {
            return Ok(None);
        }
        let Some(u) = user::Entity::find_by_id(s.user_id).one(self.conn()).await? else {
            return Ok(None);
        };
        if !u.active {
            return Ok(None);
        }
        let u = hydrate(self.conn(), vec![u]).await?.remove(0);
        Ok(Some((u, s.last_seen_at, s.expires_at)))
    }

    /// Slides a session's expiry forward (called at most every few minutes per session).
    pub async fn touch_session(&self, id_hash: &str, ttl: Duration) -> Result<(), StoreError> {
        let w = self.write().await?;
        let now = Utc::now();
        session::Entity::update_many()
            .col_expr(session::Column::LastSeenAt, Expr::value(now))
            .col_expr(session::Column::ExpiresAt, Expr::value(now + ttl))
            .filter(session::Column::IdHash.eq(id_hash))
            .exec(&w.txn)
            .await?;
        w.commit().await
    }

    /// Ends a session (sign-out), audited.
    pub async fn delete_session(&self, id_hash: &str, actor: &Actor) -> Result<(), StoreError> {
        let mut w = self.write().await?;
        w.touch(Topic::Auth).await?;
        let res = session::Entity::delete_by_id(id_hash.to_owned()).exec(&w.txn).await?;
        if res.rows_affected > 0 {
            let id = actor.user_id.map(|i| i.to_string());
            record(&w.txn, actor, "session", id, "logout", None::<&()>, None::<&()>).await?;
        }
        w.commit().await
    }
}
