//! A reception's agenda (议程), written whole with a version check and an audit record; and
//! people's private calendar feeds, found by the hash of their secret.

use chrono::{DateTime, Utc};
use jiedai_domain::agenda::AgendaItem;
use jiedai_domain::{Actor, ReceptionId, UserId};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use crate::audit::record;
use crate::entity::{agenda, calendar_feed, reception};
use crate::{Store, StoreError};

/// A stored agenda.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAgenda {
    /// Its items, in the order of the day.
    pub items: Vec<AgendaItem>,
    /// Optimistic-locking version (0 while none was saved).
    pub version: i32,
    /// Last saved.
    pub updated_at: Option<DateTime<Utc>>,
}

fn of(m: agenda::Model) -> StoredAgenda {
    StoredAgenda {
        // A damaged document reads as no items rather than failing the day's page.
        items: serde_json::from_str(&m.items).unwrap_or_default(),
        version: m.version,
        updated_at: Some(m.updated_at),
    }
}

impl Store {
    /// A reception's saved agenda, if one was saved.
    pub async fn agenda(&self, id: ReceptionId) -> Result<Option<StoredAgenda>, StoreError> {
        Ok(agenda::Entity::find_by_id(id.get()).one(self.conn()).await?.map(of))
    }

    /// The saved agendas of several receptions.
    pub async fn agendas_of(&self, ids: &[ReceptionId]) -> Result<Vec<(ReceptionId, StoredAgenda)>, StoreError> {
        Ok(agenda::Entity::find()
            .filter(agenda::Column::ReceptionId.is_in(ids.iter().map(|i| i.get())))
            .all(self.conn())
            .await?
            .into_iter()
            .map(|m| (ReceptionId(m.reception_id), of(m)))
            .collect())
    }

    /// Saves a reception's agenda read at `version` (0: none saved yet), audited;
    /// [`StoreError::StaleVersion`] when someone saved it meanwhile.
    pub async fn save_agenda(
        &self,
        id: ReceptionId,
        version: i32,
        items: &[AgendaItem],
        actor: &Actor,
    ) -> Result<StoredAgenda, StoreError> {
        let w = self.write().await?;
        let c = &w.txn;
        if reception::Entity::find_by_id(id.get()).one(c).await?.is_none() {
            return Err(StoreError::NotFound);
        }
        let before = agenda::Entity::find_by_id(id.get()).one(c).await?.map(of);
        if before.as_ref().map_or(0, |b| b.version) != version {
            return Err(StoreError::StaleVersion);
        }
        let json = serde_json::to_string(items).map_err(|e| StoreError::Setup(format!("agenda: {e}")))?;
        let now = Utc::now();
        if before.is_none() {
            agenda::ActiveModel {
                reception_id: Set(id.get()),
                items: Set(json),
                version: Set(1),
                updated_at: Set(now),
            }
            .insert(c)
            .await?;
        } else {
            let res = agenda::Entity::update_many()
                .col_expr(agenda::Column::Items, Expr::value(json))
                .col_expr(agenda::Column::Version, Expr::value(version + 1))
                .col_expr(agenda::Column::UpdatedAt, Expr::value(now))
                .filter(agenda::Column::ReceptionId.eq(id.get()))
                .filter(agenda::Column::Version.eq(version))
                .exec(c)
                .await?;
            if res.rows_affected != 1 {
                return Err(StoreError::StaleVersion);
            }
        }
        let doc = |items: &[AgendaItem]| serde_json::json!({ "reception_id": id.get(), "items": items.len() });
        let b = before.as_ref().map(|b| doc(&b.items));
        record(c, actor, "agenda", Some(id.to_string()), "update", b.as_ref(), Some(&doc(items))).await?;
        w.commit().await?;
        Ok(StoredAgenda { items: items.to_vec(), version: version + 1, updated_at: Some(now) })
    }

    /// The receptions under way (planning, on site, closing) a person coordinates.
    pub async fn receptions_coordinated_by(&self, user: UserId) -> Result<Vec<ReceptionId>, StoreError> {
        use jiedai_domain::Code;
        use jiedai_domain::reception::State;
        use sea_orm::QuerySelect;
        let states = [State::Planning, State::OnSite, State::Closing].map(|s| s.as_str());
        let ids: Vec<i32> = reception::Entity::find()
            .select_only()
            .column(reception::Column::Id)
            .filter(reception::Column::CoordinatorId.eq(user.get()))
            .filter(reception::Column::State.is_in(states))
            .into_tuple()
            .all(self.conn())
            .await?;
        Ok(ids.into_iter().map(ReceptionId).collect())
    }

    /// The first `limit` receptions in a state, by id (for benchmark data).
    pub async fn reception_ids_in(
        &self,
        state: jiedai_domain::reception::State,
        limit: u64,
    ) -> Result<Vec<ReceptionId>, StoreError> {
        use jiedai_domain::Code;
        use sea_orm::{QueryOrder, QuerySelect};
        let ids: Vec<i32> = reception::Entity::find()
            .select_only()
            .column(reception::Column::Id)
            .filter(reception::Column::State.eq(state.as_str()))
            .order_by_asc(reception::Column::Id)
            .limit(limit)
            .into_tuple()
            .all(self.conn())
            .await?;
        Ok(ids.into_iter().map(ReceptionId).collect())
    }

    /// Sets a person's calendar feed secret (by its hash), replacing the one before: the old
    /// URL stops at once. Audited.
    pub async fn set_calendar_feed(&self, user: UserId, secret_hash: &str, actor: &Actor) -> Result<(), StoreError> {
        let w = self.write().await?;
        let c = &w.txn;
        calendar_feed::Entity::insert(calendar_feed::ActiveModel {
            user_id: Set(user.get()),
            secret_hash: Set(secret_hash.to_owned()),
            created_at: Set(Utc::now()),
        })
        .on_conflict(
            OnConflict::column(calendar_feed::Column::UserId)
                .update_columns([calendar_feed::Column::SecretHash, calendar_feed::Column::CreatedAt])
                .to_owned(),
        )
        .exec(c)
        .await?;
        let after = serde_json::json!({ "user_id": user.get() });
        record(c, actor, "calendar_feed", Some(user.to_string()), "renew", None::<&()>, Some(&after)).await?;
        w.commit().await?;
        Ok(())
    }

    /// Whose calendar feed a secret's hash opens, if any.
    pub async fn calendar_feed_owner(&self, secret_hash: &str) -> Result<Option<UserId>, StoreError> {
        Ok(calendar_feed::Entity::find()
            .filter(calendar_feed::Column::SecretHash.eq(secret_hash))
            .one(self.conn())
            .await?
            .map(|m| UserId(m.user_id)))
    }
}
