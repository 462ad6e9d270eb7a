//! The tasks of receptions (the task division, Attachment 2): written with the take-on that
//! generates them, read per reception and per person, changed one at a time with a version
//! check and an audit record.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use jiedai_domain::procedure::Phase;
use jiedai_domain::reception::State;
use jiedai_domain::tasks::{PlannedTask, TaskStatus};
use jiedai_domain::{Actor, Code, ReceptionId, TaskId, UserId};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::{Map, Value};

mod agenda;
mod board;
mod teams;

pub use agenda::StoredAgenda;
pub use board::BoardReception;

pub use teams::StoredTeam;

use crate::audit::record;
use crate::entity::{reception, task};
use crate::{Store, StoreError};

/// A stored task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredTask {
    /// Id.
    pub id: TaskId,
    /// Its reception.
    pub reception_id: ReceptionId,
    /// Its place in the reception's list.
    pub position: i32,
    /// Phase.
    pub phase: Phase,
    /// The group's key (`driver`, `guest`… or a team added later).
    pub group: String,
    /// Work item, in Chinese.
    pub title_zh: String,
    /// Work item, in English.
    pub title_en: String,
    /// Duties, in Chinese.
    pub duties_zh: String,
    /// Duties, in English.
    pub duties_en: String,
    /// Due day.
    pub due: NaiveDate,
    /// Due time.
    pub due_time: Option<NaiveTime>,
    /// 责任人.
    pub responsible_id: Option<UserId>,
    /// 辅助人.
    pub assistant_id: Option<UserId>,
    /// Status.
    pub status: TaskStatus,
    /// Note.
    pub note: String,
    /// Why it was waived.
    pub waive_reason: String,
    /// Optimistic-locking version.
    pub version: i32,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// A task a person holds, with what names its reception and where that stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonTask {
    /// The task.
    pub task: StoredTask,
    /// Its reception's code.
    pub code: String,
    /// Its reception's guest organisation.
    pub organization: String,
    /// Its reception's state (under way, or cancelled: the task is withdrawn).
    pub state: State,
}

/// A task to write: as planned, with the suggested responsible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTask {
    /// As the template and the form make it.
    pub planned: PlannedTask,
    /// The group's key.
    pub group: String,
    /// The responsible (at take-on: the group's lead, suggested).
    pub responsible_id: Option<UserId>,
    /// The assistant.
    pub assistant_id: Option<UserId>,
}

/// A new task's row, to do, at `position` in its reception's list.
fn new_row(reception_id: ReceptionId, position: i32, t: &NewTask, now: DateTime<Utc>) -> task::ActiveModel {
    let p = &t.planned;
    task::ActiveModel {
        reception_id: Set(reception_id.get()),
        position: Set(position),
        phase: Set(p.phase.as_str().to_owned()),
        group_key: Set(t.group.clone()),
        title_zh: Set(p.title_zh.clone()),
        title_en: Set(p.title_en.clone()),
        duties_zh: Set(p.duties_zh.clone()),
        duties_en: Set(p.duties_en.clone()),
        due: Set(p.due),
        due_time: Set(p.due_time),
        responsible_id: Set(t.responsible_id.map(UserId::get)),
        assistant_id: Set(t.assistant_id.map(UserId::get)),
        status: Set(TaskStatus::Todo.as_str().to_owned()),
        note: Set(String::new()),
        waive_reason: Set(String::new()),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

/// A change of one task; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskChange {
    /// New status.
    pub status: Option<TaskStatus>,
    /// New responsible (`Some(None)` takes them off).
    pub responsible_id: Option<Option<UserId>>,
    /// New assistant.
    pub assistant_id: Option<Option<UserId>>,
    /// New note.
    pub note: Option<String>,
    /// Why it is waived (with the status `waived`).
    pub waive_reason: Option<String>,
    /// New due day.
    pub due: Option<NaiveDate>,
    /// New due time.
    pub due_time: Option<Option<NaiveTime>>,
    /// The day the task is finished on (company time), kept when the status becomes
    /// `done` (today in UTC when not given) and cleared when it becomes anything else.
    pub done_on: Option<NaiveDate>,
}

fn of(m: task::Model) -> StoredTask {
    StoredTask {
        id: TaskId(m.id),
        reception_id: ReceptionId(m.reception_id),
        position: m.position,
        phase: Phase::parse(&m.phase).unwrap_or(Phase::Before),
        group: m.group_key,
        title_zh: m.title_zh,
        title_en: m.title_en,
        duties_zh: m.duties_zh,
        duties_en: m.duties_en,
        due: m.due,
        due_time: m.due_time,
        responsible_id: m.responsible_id.map(UserId),
        assistant_id: m.assistant_id.map(UserId),
        status: TaskStatus::parse(&m.status).unwrap_or(TaskStatus::Todo),
        note: m.note,
        waive_reason: m.waive_reason,
        version: m.version,
        updated_at: m.updated_at,
    }
}

/// The audit document of a task: what people read in the log.
fn snapshot(t: &StoredTask) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("title".into(), t.title_zh.clone().into());
    m.insert("status".into(), t.status.as_str().into());
    m.insert("responsible_id".into(), t.responsible_id.map(UserId::get).into());
    m.insert("assistant_id".into(), t.assistant_id.map(UserId::get).into());
    m.insert("due".into(), t.due.to_string().into());
    m.insert("due_time".into(), t.due_time.map(|t| t.format("%H:%M").to_string()).into());
    m.insert("note".into(), t.note.clone().into());
    m.insert("waive_reason".into(), t.waive_reason.clone().into());
    m
}

/// Writes a reception's generated tasks, in order (inside the caller's transaction).
pub(crate) async fn insert_tasks<C: ConnectionTrait>(
    c: &C,
    reception_id: ReceptionId,
    tasks: &[NewTask],
    now: DateTime<Utc>,
    actor: &Actor,
    announce: bool,
) -> Result<(), StoreError> {
    for (i, t) in tasks.iter().enumerate() {
        let m = new_row(reception_id, i32::try_from(i).unwrap_or(i32::MAX), t, now).insert(c).await?;
        if let Some(e) = assignment(None, &of(m), actor).filter(|_| announce) {
            crate::notify::emit(c, &e).await?;
        }
    }
    Ok(())
}

/// The `task.assigned` event of a task written, when its responsible or assistant is new
/// (`before`: the task as it was), with whom it was taken from (`taken_off`).
fn assignment(before: Option<&StoredTask>, after: &StoredTask, actor: &Actor) -> Option<crate::NewEvent> {
    let was = |f: fn(&StoredTask) -> Option<UserId>| before.and_then(f);
    let (r0, a0) = (was(|t| t.responsible_id), was(|t| t.assistant_id));
    if (r0, a0) == (after.responsible_id, after.assistant_id) {
        return None;
    }
    let now = [after.responsible_id, after.assistant_id];
    let taken_off: Vec<i32> =
        [r0, a0].into_iter().flatten().filter(|u| !now.contains(&Some(*u))).map(UserId::get).collect();
    let added = now.iter().flatten().any(|u| ![r0, a0].contains(&Some(*u)));
    (added || !taken_off.is_empty()).then(|| crate::NewEvent {
        key: jiedai_domain::notify::EventKey::TaskAssigned,
        reception_id: Some(after.reception_id),
        task_id: Some(after.id),
        actor: actor.user_id,
        data: serde_json::json!({ "taken_off": taken_off }),
        dedupe: None,
    })
}

impl Store {
    /// A reception's tasks, in their order.
    pub async fn tasks_of_reception(&self, id: ReceptionId) -> Result<Vec<StoredTask>, StoreError> {
        Ok(task::Entity::find()
            .filter(task::Column::ReceptionId.eq(id.get()))
            .order_by_asc(task::Column::Position)
            .order_by_asc(task::Column::Id)
            .all(self.conn())
            .await?
            .into_iter()
            .map(of)
            .collect())
    }

    /// Every task a person holds (responsible or assistant) on receptions under way and on
    /// cancelled ones (whose tasks are withdrawn, for the person to see), by due day, each with
    /// its reception's code, guest organisation and state.
    pub async fn tasks_of_person(&self, user: UserId) -> Result<Vec<PersonTask>, StoreError> {
        let tasks: Vec<StoredTask> = task::Entity::find()
            .filter(
                Condition::any()
                    .add(task::Column::ResponsibleId.eq(user.get()))
                    .add(task::Column::AssistantId.eq(user.get())),
            )
            .order_by_asc(task::Column::Due)
            .order_by_asc(task::Column::DueTime)
            .order_by_asc(task::Column::Id)
            .all(self.conn())
            .await?
            .into_iter()
            .map(of)
            .collect();
        let mut ids: Vec<i32> = tasks.iter().map(|t| t.reception_id.get()).collect();
        ids.sort_unstable();
        ids.dedup();
        use sea_orm::QuerySelect;
        let receptions: std::collections::HashMap<i32, (String, String, String)> = reception::Entity::find()
            .select_only()
            .columns([
                reception::Column::Id,
                reception::Column::Code,
                reception::Column::State,
                reception::Column::GuestOrganization,
            ])
            .filter(reception::Column::Id.is_in(ids))
            .into_tuple::<(i32, String, String, String)>()
            .all(self.conn())
            .await?
            .into_iter()
            .map(|(id, code, state, organization)| (id, (code, state, organization)))
            .collect();
        Ok(tasks
            .into_iter()
            .filter_map(|t| {
                let (code, state, organization) = receptions.get(&t.reception_id.get())?;
                let state = State::parse(state)?;
                (state.is_under_way() || state == State::Cancelled).then(|| PersonTask {
                    task: t,
                    code: code.clone(),
                    organization: organization.clone(),
                    state,
                })
            })
            .collect())
    }

    /// True when the person holds a task of the reception (responsible or assistant).
    pub async fn holds_task_in(&self, user: UserId, reception: ReceptionId) -> Result<bool, StoreError> {
        use sea_orm::PaginatorTrait;
        let n = task::Entity::find()
            .filter(task::Column::ReceptionId.eq(reception.get()))
            .filter(
                Condition::any()
                    .add(task::Column::ResponsibleId.eq(user.get()))
                    .add(task::Column::AssistantId.eq(user.get())),
            )
            .count(self.conn())
            .await?;
        Ok(n > 0)
    }

    /// One task.
    pub async fn get_task(&self, id: TaskId) -> Result<StoredTask, StoreError> {
        task::Entity::find_by_id(id.get()).one(self.conn()).await?.map(of).ok_or(StoreError::NotFound)
    }

    /// Changes a task read at `version` ([`StoreError::StaleVersion`] when someone changed it
    /// meanwhile), with its audit record (`action`: `update`, `start`, `done`…).
    pub async fn change_task(
        &self,
        id: TaskId,
        version: i32,
        change: TaskChange,
        action: &str,
        actor: &Actor,
    ) -> Result<StoredTask, StoreError> {
        let mut w = self.write().await?;
        w.touch(crate::Topic::Tasks).await?;
        let c = &w.txn;
        let before = task::Entity::find_by_id(id.get()).one(c).await?.map(of).ok_or(StoreError::NotFound)?;
        if before.version != version {
            return Err(StoreError::StaleVersion);
        }
        let mut q = task::Entity::update_many()
            .col_expr(task::Column::Version, Expr::value(version + 1))
            .col_expr(task::Column::UpdatedAt, Expr::value(Utc::now()));
        if let Some(s) = change.status {
            q = q.col_expr(task::Column::Status, Expr::value(s.as_str()));
            let done_on = (s == TaskStatus::Done).then(|| change.done_on.unwrap_or_else(|| Utc::now().date_naive()));
            q = q.col_expr(task::Column::DoneOn, Expr::value(done_on));
        }
        if let Some(r) = change.responsible_id {
            q = q.col_expr(task::Column::ResponsibleId, Expr::value(r.map(UserId::get)));
        }
        if let Some(a) = change.assistant_id {
            q = q.col_expr(task::Column::AssistantId, Expr::value(a.map(UserId::get)));
        }
        if let Some(n) = change.note {
            q = q.col_expr(task::Column::Note, Expr::value(n));
        }
        if let Some(r) = change.waive_reason {
            q = q.col_expr(task::Column::WaiveReason, Expr::value(r));
        }
        if let Some(d) = change.due {
            q = q.col_expr(task::Column::Due, Expr::value(d));
        }
        if let Some(t) = change.due_time {
            q = q.col_expr(task::Column::DueTime, Expr::value(t));
        }
        let res = q.filter(task::Column::Id.eq(id.get())).filter(task::Column::Version.eq(version)).exec(c).await?;
        if res.rows_affected != 1 {
            return Err(StoreError::StaleVersion);
        }
        let after = task::Entity::find_by_id(id.get()).one(c).await?.map(of).ok_or(StoreError::NotFound)?;
        let (mut b, mut a) = (snapshot(&before), snapshot(&after));
        b.retain(|k, v| a.get(k) != Some(v));
        a.retain(|k, _| b.contains_key(k));
        a.insert("reception_id".into(), before.reception_id.get().into());
        record(c, actor, "task", Some(id.to_string()), action, Some(&b), Some(&a)).await?;
        if let Some(e) = assignment(Some(&before), &after, actor) {
            crate::notify::emit(c, &e).await?;
        }
        w.commit().await?;
        Ok(after)
    }
}

impl Store {
    /// Adds a task at the end of a reception's list, audited.
    pub async fn add_task(
        &self,
        reception_id: ReceptionId,
        t: &NewTask,
        actor: &Actor,
    ) -> Result<StoredTask, StoreError> {
        use sea_orm::{PaginatorTrait, QuerySelect};
        let mut w = self.write().await?;
        w.touch(crate::Topic::Tasks).await?;
        let c = &w.txn;
        if reception::Entity::find_by_id(reception_id.get()).one(c).await?.is_none() {
            return Err(StoreError::NotFound);
        }
        let count = task::Entity::find().filter(task::Column::ReceptionId.eq(reception_id.get())).count(c).await?;
        if count >= 500 {
            return Err(StoreError::Conflict("too_many_tasks"));
        }
        let last: Option<Option<i32>> = task::Entity::find()
            .select_only()
            .column_as(task::Column::Position.max(), "m")
            .filter(task::Column::ReceptionId.eq(reception_id.get()))
            .into_tuple()
            .one(c)
            .await?;
        let position = last.flatten().map_or(0, |p| p + 1);
        let now = Utc::now();
        let m = new_row(reception_id, position, t, now).insert(c).await?;
        let stored = of(m);
        let mut after = snapshot(&stored);
        after.insert("reception_id".into(), reception_id.get().into());
        record(c, actor, "task", Some(stored.id.to_string()), "create", None::<&()>, Some(&after)).await?;
        if let Some(e) = assignment(None, &stored, actor) {
            crate::notify::emit(c, &e).await?;
        }
        w.commit().await?;
        Ok(stored)
    }

    /// Moves a task read at `version` to place `to` (0-based, clamped) in its reception's
    /// list, the others closing up around it; audited with the place before and after.
    pub async fn move_task(
        &self,
        id: TaskId,
        version: i32,
        to: usize,
        actor: &Actor,
    ) -> Result<StoredTask, StoreError> {
        let mut w = self.write().await?;
        w.touch(crate::Topic::Tasks).await?;
        let c = &w.txn;
        let before = task::Entity::find_by_id(id.get()).one(c).await?.map(of).ok_or(StoreError::NotFound)?;
        if before.version != version {
            return Err(StoreError::StaleVersion);
        }
        let mut order: Vec<(i32, i32)> = task::Entity::find()
            .filter(task::Column::ReceptionId.eq(before.reception_id.get()))
            .order_by_asc(task::Column::Position)
            .order_by_asc(task::Column::Id)
            .all(c)
            .await?
            .into_iter()
            .map(|m| (m.id, m.position))
            .collect();
        let from = order.iter().position(|(i, _)| *i == id.get()).ok_or(StoreError::NotFound)?;
        let was = from;
        let moved = order.remove(from);
        let to = to.min(order.len());
        order.insert(to, moved);
        for (place, (tid, position)) in order.iter().enumerate() {
            let place = i32::try_from(place).unwrap_or(i32::MAX);
            if *position == place && *tid != id.get() {
                continue;
            }
            let mut q = task::Entity::update_many().col_expr(task::Column::Position, Expr::value(place));
            if *tid == id.get() {
                q = q
                    .col_expr(task::Column::Version, Expr::value(version + 1))
                    .col_expr(task::Column::UpdatedAt, Expr::value(Utc::now()))
                    .filter(task::Column::Version.eq(version));
            }
            let res = q.filter(task::Column::Id.eq(*tid)).exec(c).await?;
            if *tid == id.get() && res.rows_affected != 1 {
                return Err(StoreError::StaleVersion);
            }
        }
        let after = task::Entity::find_by_id(id.get()).one(c).await?.map(of).ok_or(StoreError::NotFound)?;
        let mut b = Map::new();
        b.insert("position".into(), (was + 1).into());
        let mut a = Map::new();
        a.insert("position".into(), (to + 1).into());
        a.insert("reception_id".into(), before.reception_id.get().into());
        record(c, actor, "task", Some(id.to_string()), "move", Some(&b), Some(&a)).await?;
        w.commit().await?;
        Ok(after)
    }

    /// Removes a task read at `version`, audited.
    pub async fn delete_task(&self, id: TaskId, version: i32, actor: &Actor) -> Result<(), StoreError> {
        let mut w = self.write().await?;
        w.touch(crate::Topic::Tasks).await?;
        let c = &w.txn;
        let before = task::Entity::find_by_id(id.get()).one(c).await?.map(of).ok_or(StoreError::NotFound)?;
        if before.version != version {
            return Err(StoreError::StaleVersion);
        }
        let res = task::Entity::delete_many()
            .filter(task::Column::Id.eq(id.get()))
            .filter(task::Column::Version.eq(version))
            .exec(c)
            .await?;
        if res.rows_affected != 1 {
            return Err(StoreError::StaleVersion);
        }
        let mut b = snapshot(&before);
        b.insert("reception_id".into(), before.reception_id.get().into());
        record(c, actor, "task", Some(id.to_string()), "delete", Some(&b), None::<&()>).await?;
        w.commit().await?;
        Ok(())
    }
}
