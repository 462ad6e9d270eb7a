//! What messages name: the receptions and tasks of events, read for many events at once
//! (only the columns a message shows).

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveTime};
use jiedai_domain::{DepartmentId, ReceptionId, TaskId, UserId};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::entity::{reception, task};
use crate::{Store, StoreError};

/// A reception as a message names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    /// Code (JD-2026-0001).
    pub code: String,
    /// Guest organisation.
    pub organization: String,
    /// First visit day.
    pub visit_start: NaiveDate,
    /// Last visit day.
    pub visit_end: NaiveDate,
    /// Its department.
    pub department_id: DepartmentId,
    /// Its requester.
    pub requester_id: UserId,
    /// Who took it on.
    pub coordinator_id: Option<UserId>,
}

/// A task as a message names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskSubject {
    /// Work item, in Chinese.
    pub title_zh: String,
    /// Work item, in English.
    pub title_en: String,
    /// Due day.
    pub due: NaiveDate,
    /// Due time.
    pub due_time: Option<NaiveTime>,
    /// 责任人.
    pub responsible_id: Option<UserId>,
    /// 辅助人.
    pub assistant_id: Option<UserId>,
}

impl Store {
    /// The receptions of these ids, as messages name them.
    pub async fn subjects(&self, ids: &[ReceptionId]) -> Result<HashMap<ReceptionId, Subject>, StoreError> {
        let mut out = HashMap::new();
        for chunk in ids.chunks(500) {
            type Row = (i32, String, String, NaiveDate, NaiveDate, i32, i32, Option<i32>);
            let rows: Vec<Row> = reception::Entity::find()
                .select_only()
                .columns([
                    reception::Column::Id,
                    reception::Column::Code,
                    reception::Column::GuestOrganization,
                    reception::Column::VisitStart,
                    reception::Column::VisitEnd,
                    reception::Column::DepartmentId,
                    reception::Column::RequesterId,
                    reception::Column::CoordinatorId,
                ])
                .filter(reception::Column::Id.is_in(chunk.iter().map(|i| i.get())))
                .into_tuple()
                .all(self.conn())
                .await?;
            for (id, code, organization, visit_start, visit_end, department, requester, coordinator) in rows {
                out.insert(
                    ReceptionId(id),
                    Subject {
                        code,
                        organization,
                        visit_start,
                        visit_end,
                        department_id: DepartmentId(department),
                        requester_id: UserId(requester),
                        coordinator_id: coordinator.map(UserId),
                    },
                );
            }
        }
        Ok(out)
    }

    /// The tasks of these ids, as messages name them.
    pub async fn task_subjects(&self, ids: &[TaskId]) -> Result<HashMap<TaskId, TaskSubject>, StoreError> {
        let mut out = HashMap::new();
        for chunk in ids.chunks(500) {
            let rows = task::Entity::find()
                .filter(task::Column::Id.is_in(chunk.iter().map(|i| i.get())))
                .all(self.conn())
                .await?;
            for t in rows {
                out.insert(
                    TaskId(t.id),
                    TaskSubject {
                        title_zh: t.title_zh,
                        title_en: t.title_en,
                        due: t.due,
                        due_time: t.due_time,
                        responsible_id: t.responsible_id.map(UserId),
                        assistant_id: t.assistant_id.map(UserId),
                    },
                );
            }
        }
        Ok(out)
    }
}
