//! What the coordinator's board reads: receptions under way with all their tasks.

use chrono::NaiveDate;
use jiedai_domain::{ReceptionId, UserId};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{StoredTask, of};
use crate::entity::{reception, task};
use crate::{Store, StoreError};

/// A reception as the coordinator's board shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardReception {
    /// Id.
    pub id: ReceptionId,
    /// Code.
    pub code: String,
    /// Guest organisation.
    pub organization: String,
    /// First visit day.
    pub visit_start: NaiveDate,
    /// Last visit day.
    pub visit_end: NaiveDate,
    /// Who took it on.
    pub coordinator_id: Option<UserId>,
    /// Its procedure version.
    pub procedure_version: i32,
    /// Where it stands: planning, on site or closing.
    pub state: jiedai_domain::reception::State,
}

impl Store {
    /// Every reception under way (planning, on site, closing), by first visit day (at most `limit`), with all their
    /// tasks: what the coordinator's board shows. Two queries, whatever the number.
    pub async fn planning_board(
        &self,
        coordinator: Option<UserId>,
        limit: u64,
    ) -> Result<Vec<(BoardReception, Vec<StoredTask>)>, StoreError> {
        use sea_orm::QuerySelect;
        let mut q =
            reception::Entity::find().filter(reception::Column::State.is_in(["planning", "on_site", "closing"]));
        if let Some(c) = coordinator {
            q = q.filter(reception::Column::CoordinatorId.eq(c.get()));
        }
        // Only the columns the board shows: a thousand receptions read as full rows cost
        // several times as much (every value is copied out of the database row by row).
        type Row = (i32, String, String, NaiveDate, NaiveDate, Option<i32>, i32, String);
        let rows: Vec<Row> = q
            .select_only()
            .columns([
                reception::Column::Id,
                reception::Column::Code,
                reception::Column::GuestOrganization,
                reception::Column::VisitStart,
                reception::Column::VisitEnd,
                reception::Column::CoordinatorId,
                reception::Column::ProcedureVersion,
                reception::Column::State,
            ])
            .order_by_asc(reception::Column::VisitStart)
            .order_by_asc(reception::Column::Id)
            .limit(limit)
            .into_tuple()
            .all(self.conn())
            .await?;
        let mut tasks: std::collections::HashMap<i32, Vec<StoredTask>> = std::collections::HashMap::new();
        for chunk in rows.chunks(500) {
            let ids: Vec<i32> = chunk.iter().map(|r| r.0).collect();
            for t in task::Entity::find()
                .filter(task::Column::ReceptionId.is_in(ids))
                .order_by_asc(task::Column::Position)
                .order_by_asc(task::Column::Id)
                .all(self.conn())
                .await?
            {
                tasks.entry(t.reception_id).or_default().push(of(t));
            }
        }
        Ok(rows
            .into_iter()
            .map(|(id, code, organization, visit_start, visit_end, coordinator, procedure_version, state)| {
                let list = tasks.remove(&id).unwrap_or_default();
                let b = BoardReception {
                    id: ReceptionId(id),
                    code,
                    organization,
                    visit_start,
                    visit_end,
                    coordinator_id: coordinator.map(UserId),
                    procedure_version,
                    state: <jiedai_domain::reception::State as jiedai_domain::Code>::parse(&state)
                        .unwrap_or(jiedai_domain::reception::State::Planning),
                };
                (b, list)
            })
            .collect())
    }
}
