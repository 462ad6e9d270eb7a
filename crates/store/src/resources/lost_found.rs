//! Lost property of receptions: recorded when found, closed when it went back.

use chrono::{DateTime, Utc};
use jiedai_domain::resources::{FoundInput, ReturnInput, ReturnMeans};
use jiedai_domain::{Actor, Code, LostFoundId, ReceptionId, UserId};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;

use super::bookings::receptions_by_id;
use crate::audit::record;
use crate::entity::lost_found;
use crate::{Store, StoreError};

/// Something a guest left behind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredLostFound {
    /// Id.
    pub id: LostFoundId,
    /// Its reception.
    pub reception_id: ReceptionId,
    /// Its reception's code.
    pub reception_code: String,
    /// Its reception's guest organisation.
    pub organization: String,
    /// What, where, when, by whom it was found and where it is kept.
    pub found: FoundInput,
    /// How it went back, once it did.
    pub returned: Option<ReturnInput>,
    /// Optimistic-locking version.
    pub version: i32,
    /// Recorded at.
    pub created_at: DateTime<Utc>,
}

async fn stored<C: sea_orm::ConnectionTrait>(
    c: &C,
    rows: Vec<lost_found::Model>,
) -> Result<Vec<StoredLostFound>, StoreError> {
    let receptions = receptions_by_id(c, rows.iter().map(|r| r.reception_id)).await?;
    Ok(rows
        .into_iter()
        .map(|m| {
            let r = receptions.get(&m.reception_id);
            StoredLostFound {
                id: LostFoundId(m.id),
                reception_id: ReceptionId(m.reception_id),
                reception_code: r.map(|r| r.code.clone()).unwrap_or_default(),
                organization: r.map(|r| r.guest_organization.clone()).unwrap_or_default(),
                returned: m.returned_at.map(|at| ReturnInput {
                    returned_to: m.returned_to.clone().unwrap_or_default(),
                    returned_at: Some(at),
                    means: m.means.as_deref().and_then(ReturnMeans::parse).unwrap_or_default(),
                    tracking: m.tracking.clone(),
                    note: m.return_note.clone(),
                }),
                found: FoundInput {
                    what: m.what,
                    found_where: m.found_where,
                    found_at: Some(m.found_at),
                    found_by: m.found_by.map(UserId),
                    kept_at: m.kept_at,
                    notes: m.notes,
                },
                version: m.version,
                created_at: m.created_at,
            }
        })
        .collect())
}

impl Store {
    /// A reception's lost property, as found.
    pub async fn lost_found_of(&self, reception: ReceptionId) -> Result<Vec<StoredLostFound>, StoreError> {
        let rows = lost_found::Entity::find()
            .filter(lost_found::Column::ReceptionId.eq(reception.get()))
            .order_by_asc(lost_found::Column::FoundAt)
            .order_by_asc(lost_found::Column::Id)
            .all(self.conn())
            .await?;
        stored(self.conn(), rows).await
    }

    /// Lost property not yet gone back (every reception), oldest first; with `returned`,
    /// also the last 100 that went back.
    pub async fn lost_found_open(&self, returned: bool) -> Result<Vec<StoredLostFound>, StoreError> {
        use sea_orm::QuerySelect;
        let mut rows = lost_found::Entity::find()
            .filter(lost_found::Column::ReturnedAt.is_null())
            .order_by_asc(lost_found::Column::FoundAt)
            .all(self.conn())
            .await?;
        if returned {
            rows.extend(
                lost_found::Entity::find()
                    .filter(lost_found::Column::ReturnedAt.is_not_null())
                    .order_by_desc(lost_found::Column::ReturnedAt)
                    .limit(100)
                    .all(self.conn())
                    .await?,
            );
        }
        stored(self.conn(), rows).await
    }

    /// One item.
    pub async fn lost_found(&self, id: LostFoundId) -> Result<StoredLostFound, StoreError> {
        let row = lost_found::Entity::find_by_id(id.get()).one(self.conn()).await?.ok_or(StoreError::NotFound)?;
        stored(self.conn(), vec![row]).await?.pop().ok_or(StoreError::NotFound)
    }

    /// Records something found (checked by the caller), audited.
    pub async fn add_lost_found(
        &self,
        reception: ReceptionId,
        f: &FoundInput,
        actor: &Actor,
    ) -> Result<StoredLostFound, StoreError> {
        let w = self.write().await?;
        let now = Utc::now();
        let m = lost_found::ActiveModel {
            reception_id: Set(reception.get()),
            what: Set(f.what.clone()),
            found_where: Set(f.found_where.clone()),
            found_at: Set(f.found_at.unwrap_or(now)),
            found_by: Set(f.found_by.map(UserId::get)),
            kept_at: Set(f.kept_at.clone()),
            notes: Set(f.notes.clone()),
            tracking: Set(String::new()),
            return_note: Set(String::new()),
            version: Set(1),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&w.txn)
        .await?;
        let doc = json!({ "reception_id": reception.get(), "found": f });
        record(&w.txn, actor, "lost_found", Some(m.id.to_string()), "create", None::<&()>, Some(&doc)).await?;
        w.commit().await?;
        self.lost_found(LostFoundId(m.id)).await
    }

    /// Records how an item went back (once: `already_returned`), audited.
    pub async fn return_lost_found(
        &self,
        id: LostFoundId,
        r: &ReturnInput,
        actor: &Actor,
    ) -> Result<StoredLostFound, StoreError> {
        let w = self.write().await?;
        let before = lost_found::Entity::find_by_id(id.get()).one(&w.txn).await?.ok_or(StoreError::NotFound)?;
        if before.returned_at.is_some() {
            return Err(StoreError::Conflict("already_returned"));
        }
        let mut m: lost_found::ActiveModel = before.clone().into();
        m.returned_to = Set(Some(r.returned_to.clone()));
        m.returned_at = Set(Some(r.returned_at.unwrap_or_else(Utc::now)));
        m.means = Set(Some(r.means.as_str().to_owned()));
        m.tracking = Set(r.tracking.clone());
        m.return_note = Set(r.note.clone());
        m.version = Set(before.version + 1);
        m.update(&w.txn).await?;
        record(&w.txn, actor, "lost_found", Some(id.to_string()), "return", None::<&()>, Some(&json!(r))).await?;
        w.commit().await?;
        self.lost_found(id).await
    }
}
