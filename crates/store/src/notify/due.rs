//! What the reminders look at: open tasks by due day, receptions by first visit day.

use chrono::NaiveDate;
use jiedai_domain::{ReceptionId, TaskId};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::entity::{reception, task};
use crate::{Store, StoreError};

/// States whose tasks are still to be done.
const UNDER_WAY: [&str; 3] = ["planning", "on_site", "closing"];

impl Store {
    /// Tasks not done nor waived, on receptions under way, due from `from` (or any day) to
    /// `to`: (task, reception, due day).
    pub async fn open_tasks_due(
        &self,
        from: Option<NaiveDate>,
        to: NaiveDate,
    ) -> Result<Vec<(TaskId, ReceptionId, NaiveDate)>, StoreError> {
        let under_way: Vec<i32> = reception::Entity::find()
            .select_only()
            .column(reception::Column::Id)
            .filter(reception::Column::State.is_in(UNDER_WAY))
            .into_tuple()
            .all(self.conn())
            .await?;
        let mut out = Vec::new();
        for chunk in under_way.chunks(500) {
            let mut q = task::Entity::find()
                .select_only()
                .columns([task::Column::Id, task::Column::ReceptionId, task::Column::Due])
                .filter(task::Column::ReceptionId.is_in(chunk.to_vec()))
                .filter(task::Column::Status.is_not_in(["done", "waived"]))
                .filter(task::Column::Due.lte(to));
            if let Some(f) = from {
                q = q.filter(task::Column::Due.gte(f));
            }
            let rows: Vec<(i32, i32, NaiveDate)> = q.into_tuple().all(self.conn()).await?;
            out.extend(rows.into_iter().map(|(t, r, d)| (TaskId(t), ReceptionId(r), d)));
        }
        Ok(out)
    }

    /// Receptions in these states whose first visit day is from `from` to `to`: (reception,
    /// first visit day).
    pub async fn receptions_starting(
        &self,
        states: &[&str],
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(ReceptionId, NaiveDate)>, StoreError> {
        let rows: Vec<(i32, NaiveDate)> = reception::Entity::find()
            .select_only()
            .columns([reception::Column::Id, reception::Column::VisitStart])
            .filter(reception::Column::State.is_in(states.iter().copied()))
            .filter(reception::Column::VisitStart.gte(from))
            .filter(reception::Column::VisitStart.lte(to))
            .into_tuple()
            .all(self.conn())
            .await?;
        Ok(rows.into_iter().map(|(r, d)| (ReceptionId(r), d)).collect())
    }
}
