//! The review meeting of a reception (总结例会): its minutes, written whole with a version
//! check and an audit record. Improvement actions and the lessons applied on later
//! receptions are in [`actions`].

use chrono::{DateTime, Utc};
use jiedai_domain::review::{GroupReport, MinutesInput};
use jiedai_domain::{Actor, ReceptionId, UserId};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;

mod actions;

pub use actions::{ActionQuery, StoredAction, StoredApplication};

use crate::audit::record;
use crate::entity::{reception, review_minutes};
use crate::{Store, StoreError};

/// A reception's recorded minutes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMinutes {
    /// Its reception.
    pub reception_id: ReceptionId,
    /// What they say (`held_at` always set).
    pub minutes: MinutesInput,
    /// Who recorded them last.
    pub recorded_by: Option<UserId>,
    /// Optimistic-locking version.
    pub version: i32,
    /// Last saved.
    pub updated_at: DateTime<Utc>,
}

fn of(m: review_minutes::Model) -> StoredMinutes {
    // A damaged document reads as empty rather than failing the page.
    let reports: Vec<GroupReport> = serde_json::from_str(&m.reports).unwrap_or_default();
    StoredMinutes {
        reception_id: ReceptionId(m.reception_id),
        minutes: MinutesInput {
            held_at: Some(m.held_at),
            attendee_ids: serde_json::from_str(&m.attendee_ids).unwrap_or_default(),
            other_attendees: serde_json::from_str(&m.other_attendees).unwrap_or_default(),
            reports,
            decisions: m.decisions,
        },
        recorded_by: m.recorded_by.map(UserId),
        version: m.version,
        updated_at: m.updated_at,
    }
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Setup(format!("minutes: {e}")))
}

impl Store {
    /// A reception's minutes, if recorded.
    pub async fn minutes(&self, id: ReceptionId) -> Result<Option<StoredMinutes>, StoreError> {
        Ok(review_minutes::Entity::find_by_id(id.get()).one(self.conn()).await?.map(of))
    }

    /// Records a reception's minutes read at `version` (0: none recorded yet; checked by the
    /// caller), audited (`record` the first time, `update` after);
    /// [`StoreError::StaleVersion`] when someone saved them meanwhile.
    pub async fn save_minutes(
        &self,
        id: ReceptionId,
        version: i32,
        m: &MinutesInput,
        actor: &Actor,
    ) -> Result<StoredMinutes, StoreError> {
        let w = self.write().await?;
        let c = &w.txn;
        if reception::Entity::find_by_id(id.get()).one(c).await?.is_none() {
            return Err(StoreError::NotFound);
        }
        let before = review_minutes::Entity::find_by_id(id.get()).one(c).await?.map(of);
        if before.as_ref().map_or(0, |b| b.version) != version {
            return Err(StoreError::StaleVersion);
        }
        let now = Utc::now();
        let held_at = m.held_at.unwrap_or(now);
        let (ids, others, reports) = (to_json(&m.attendee_ids)?, to_json(&m.other_attendees)?, to_json(&m.reports)?);
        if before.is_none() {
            review_minutes::ActiveModel {
                reception_id: Set(id.get()),
                held_at: Set(held_at),
                attendee_ids: Set(ids),
                other_attendees: Set(others),
                reports: Set(reports),
                decisions: Set(m.decisions.clone()),
                recorded_by: Set(actor.user_id.map(UserId::get)),
                version: Set(1),
                updated_at: Set(now),
            }
            .insert(c)
            .await
            .map_err(|e| if crate::error::is_unique_violation(&e) { StoreError::StaleVersion } else { e.into() })?;
        } else {
            let res = review_minutes::Entity::update_many()
                .col_expr(review_minutes::Column::HeldAt, Expr::value(held_at))
                .col_expr(review_minutes::Column::AttendeeIds, Expr::value(ids))
                .col_expr(review_minutes::Column::OtherAttendees, Expr::value(others))
                .col_expr(review_minutes::Column::Reports, Expr::value(reports))
                .col_expr(review_minutes::Column::Decisions, Expr::value(m.decisions.clone()))
                .col_expr(review_minutes::Column::RecordedBy, Expr::value(actor.user_id.map(UserId::get)))
                .col_expr(review_minutes::Column::Version, Expr::value(version + 1))
                .col_expr(review_minutes::Column::UpdatedAt, Expr::value(now))
                .filter(review_minutes::Column::ReceptionId.eq(id.get()))
                .filter(review_minutes::Column::Version.eq(version))
                .exec(c)
                .await?;
            if res.rows_affected != 1 {
                return Err(StoreError::StaleVersion);
            }
        }
        let doc = |m: &MinutesInput| json!({ "reception_id": id.get(), "minutes": m });
        let entity_id = Some(id.to_string());
        match &before {
            None => record(c, actor, "review", entity_id, "record", None::<&()>, Some(&doc(m))).await?,
            Some(b) => record(c, actor, "review", entity_id, "update", Some(&doc(&b.minutes)), Some(&doc(m))).await?,
        }
        w.commit().await?;
        let mut saved = m.clone();
        saved.held_at = Some(held_at);
        Ok(StoredMinutes {
            reception_id: id,
            minutes: saved,
            recorded_by: actor.user_id,
            version: version + 1,
            updated_at: now,
        })
    }
}
