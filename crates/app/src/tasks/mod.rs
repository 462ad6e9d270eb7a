//! The task division of a reception: generated when it is taken on (from the task template
//! of the procedure version it was planned under, each group's lead suggested as
//! responsible), read with the reception, and moved forward by the people who hold a task
//! or by General Management.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use jiedai_domain::reception::Viewer;
use jiedai_domain::tasks::{TaskAction, TaskStatus, is_overdue, plan_tasks};
use jiedai_domain::{Actor, Code, FieldError, FieldErrors, ReceptionId, Role, TaskId, UserId};
use jiedai_store::{NewTask, StoredReception, TaskChange};
pub use jiedai_store::{StoredTask, StoredTeam};

use crate::{App, Error, Result, receptions};

mod added;
mod board;
pub mod day;
mod teams;

pub use added::{MAX_TITLE, TaskDraft, add, remove, reorder};
pub use board::{BoardRow, MAX_BOARD, board};
pub use jiedai_store::BoardReception;
pub use teams::{MAX_MEMBERS, save_team, teams};

/// Longest reason for waiving a task.
pub const MAX_REASON: usize = 500;

/// The tasks taking a reception on writes: the template's tasks its form asks for, due on
/// the working-day calendar, each group's lead as the suggested responsible.
pub(crate) async fn generate(app: &App, r: &StoredReception) -> Result<Vec<NewTask>> {
    let cal = app.calendar().await?;
    let procedure = app.procedure(r.procedure_version).await?;
    let leads: HashMap<String, UserId> =
        app.store().teams().await?.into_iter().filter_map(|t| Some((t.key, t.lead?))).collect();
    Ok(plan_tasks(&cal, &procedure, &r.form)
        .into_iter()
        .map(|planned| {
            let group = planned.group.as_str().to_owned();
            NewTask { responsible_id: leads.get(&group).copied(), assistant_id: None, group, planned }
        })
        .collect())
}

/// A task as people see it: stored, overdue or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskView {
    /// The task.
    pub task: StoredTask,
    /// Past its moment and not finished or waived.
    pub overdue: bool,
    /// What a change should make one look again at (its responsible has another on-site
    /// task at the same time: `on_site_clash`, with the other task named).
    pub warnings: FieldErrors,
}

pub(crate) fn now_local(app: &App) -> NaiveDateTime {
    chrono::Utc::now().with_timezone(&app.config().timezone).naive_local()
}

pub(super) fn view(app: &App, task: StoredTask) -> TaskView {
    let overdue = is_overdue(task.status, task.due, task.due_time, now_local(app));
    TaskView { task, overdue, warnings: FieldErrors::new() }
}

/// A reception's tasks, for those who may see the reception.
pub async fn of_reception(app: &App, viewer: &Viewer, id: ReceptionId) -> Result<Vec<TaskView>> {
    receptions::get(app, viewer, id).await?;
    Ok(app.store().tasks_of_reception(id).await?.into_iter().map(|t| view(app, t)).collect())
}

/// The tasks of a reception the viewer was shown already (its view proves they may see it).
pub async fn of_viewed(app: &App, v: &receptions::ReceptionView) -> Result<Vec<TaskView>> {
    Ok(app.store().tasks_of_reception(v.r.id).await?.into_iter().map(|t| view(app, t)).collect())
}

/// A task a person holds, with what names its reception.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldTask {
    /// The task.
    pub view: TaskView,
    /// Its reception's code.
    pub code: String,
    /// Its reception's guest organisation.
    pub organization: String,
    /// Its reception was cancelled: the task is withdrawn (shown for a week after its due
    /// day so that the person sees it, never overdue, no longer to be done).
    pub withdrawn: bool,
}

/// How long a withdrawn task stays on its holder's list after its due day.
const WITHDRAWN_SHOWN_DAYS: i64 = 7;

/// The tasks a person holds, by due day: those of receptions under way, and those withdrawn
/// by a cancellation lately.
pub async fn mine(app: &App, user: UserId) -> Result<Vec<HeldTask>> {
    let today = app.today();
    Ok(app
        .held_tasks(user)
        .await?
        .iter()
        .cloned()
        .filter_map(|p| {
            let withdrawn = p.state == jiedai_domain::reception::State::Cancelled;
            if withdrawn && (p.task.due - today).num_days() < -WITHDRAWN_SHOWN_DAYS {
                return None;
            }
            let mut v = view(app, p.task);
            v.overdue &= !withdrawn;
            Some(HeldTask { view: v, code: p.code, organization: p.organization, withdrawn })
        })
        .collect())
}

/// General Management and administrators plan every reception's tasks.
pub(crate) fn plans(viewer: &Viewer) -> bool {
    viewer.roles.contains(Role::Coordinator) || viewer.roles.contains(Role::Admin)
}

/// One task, for those who hold it or plan it (others: not found).
pub async fn get(app: &App, viewer: &Viewer, id: TaskId) -> Result<TaskView> {
    let t = app.store().get_task(id).await?;
    let holds = t.responsible_id == Some(viewer.user_id) || t.assistant_id == Some(viewer.user_id);
    if !holds && !plans(viewer) {
        // Those who see the reception see its tasks too.
        receptions::get(app, viewer, t.reception_id).await?;
    }
    Ok(view(app, t))
}

/// Moves a task forward (start, done), back (reopen) or waives it (with a reason): its
/// responsible, its assistant, or General Management. Read at `version` when given (a
/// newer one answers [`Error::StaleVersion`]); an action that no longer applies (someone
/// finished it first) answers a conflict.
pub async fn act(
    app: &App,
    viewer: &Viewer,
    id: TaskId,
    action: TaskAction,
    version: Option<i32>,
    reason: &str,
    actor: &Actor,
) -> Result<TaskView> {
    let t = get(app, viewer, id).await?.task;
    let holds = t.responsible_id == Some(viewer.user_id) || t.assistant_id == Some(viewer.user_id);
    if !holds && !plans(viewer) {
        return Err(Error::Forbidden);
    }
    if version.is_some_and(|v| v != t.version) {
        return Err(Error::StaleVersion);
    }
    let Some(next) = action.next(t.status) else {
        return Err(Error::Conflict { code: "invalid_transition", field: "status" });
    };
    under_way(app, t.reception_id).await?;
    let reason = reason.trim();
    let mut errs = FieldErrors::new();
    if action == TaskAction::Waive && reason.is_empty() {
        errs.push(FieldError::new("reason", "required"));
    } else if reason.chars().count() > MAX_REASON {
        errs.push(FieldError::with_limit("reason", "too_long", MAX_REASON));
    }
    if !errs.is_empty() {
        return Err(Error::Validation(errs));
    }
    let change = TaskChange {
        status: Some(next),
        waive_reason: Some(if next == TaskStatus::Waived { reason.to_owned() } else { String::new() }),
        done_on: Some(app.today()),
        ..Default::default()
    };
    let after = app.store().change_task(id, t.version, change, action.as_str(), actor).await?;
    Ok(view(app, after))
}

/// Tasks change only while their reception is carried out (planning, on site, closing):
/// a cancelled reception's tasks are withdrawn, a closed one's are final.
pub(crate) async fn under_way(app: &App, reception: ReceptionId) -> Result<StoredReception> {
    let r = app.store().get_reception(reception).await?;
    if r.state.is_under_way() {
        Ok(r)
    } else {
        Err(Error::Conflict { code: "reception_not_under_way", field: "state" })
    }
}

/// True when the person exists and is active.
pub(crate) async fn is_active(app: &App, person: UserId) -> Result<bool> {
    match app.store().get_user(person).await {
        Ok(u) => Ok(u.active),
        Err(jiedai_store::StoreError::NotFound) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// The problems of giving a person a task (as `field`): not active, or in no group.
pub(super) async fn check_holder(
    app: &App,
    teams: &[StoredTeam],
    field: &'static str,
    person: UserId,
    errs: &mut FieldErrors,
) -> Result<()> {
    if !is_active(app, person).await? {
        errs.push(FieldError::new(field, "person_not_active"));
    } else if !teams.iter().any(|g| g.lead == Some(person) || g.members.contains(&person)) {
        errs.push(FieldError::new(field, "not_in_any_group"));
    }
    Ok(())
}

/// What a change of a task may set (the representation a read gave, with its version).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskEdit {
    /// The version read (a newer one answers [`Error::StaleVersion`]).
    pub version: i32,
    /// 责任人.
    pub responsible_id: Option<UserId>,
    /// 辅助人.
    pub assistant_id: Option<UserId>,
    /// Note.
    pub note: String,
    /// Due day.
    pub due: chrono::NaiveDate,
    /// Due time.
    pub due_time: Option<chrono::NaiveTime>,
}

/// Longest note on a task.
pub const MAX_NOTE: usize = 1000;

/// Changes a task: General Management sets who does it and when, and its note; the people
/// who hold it write its note only. A responsible or assistant must be an active member
/// (or lead) of a group, and two different people; every problem is told at once.
pub async fn update(app: &App, viewer: &Viewer, id: TaskId, edit: TaskEdit, actor: &Actor) -> Result<TaskView> {
    let t = get(app, viewer, id).await?.task;
    let holds = t.responsible_id == Some(viewer.user_id) || t.assistant_id == Some(viewer.user_id);
    let planner = plans(viewer);
    if !holds && !planner {
        return Err(Error::Forbidden);
    }
    if edit.version != t.version {
        return Err(Error::StaleVersion);
    }
    let r = under_way(app, t.reception_id).await?;
    let who = jiedai_domain::tasks::Assignment { responsible: edit.responsible_id, assistant: edit.assistant_id };
    let moves = who != jiedai_domain::tasks::Assignment { responsible: t.responsible_id, assistant: t.assistant_id }
        || edit.due != t.due
        || edit.due_time != t.due_time;
    if moves && !planner {
        return Err(Error::Forbidden);
    }
    let mut errs = who.check();
    // The procedure forbids leaving a duty uncovered: taking someone off names who takes over.
    if t.responsible_id.is_some() && edit.responsible_id.is_none() {
        errs.push(FieldError::new("responsible_id", "takeover_required"));
    }
    if edit.note.chars().count() > MAX_NOTE {
        errs.push(FieldError::with_limit("note", "too_long", MAX_NOTE));
    }
    let teams = app.store().teams().await?;
    for (field, person) in [("responsible_id", edit.responsible_id), ("assistant_id", edit.assistant_id)] {
        let Some(person) =
            person.filter(|p| Some(*p) != if field == "responsible_id" { t.responsible_id } else { t.assistant_id })
        else {
            continue;
        };
        check_holder(app, &teams, field, person, &mut errs).await?;
    }
    if !errs.is_empty() {
        return Err(Error::Validation(errs));
    }
    let change = TaskChange {
        responsible_id: Some(edit.responsible_id),
        assistant_id: Some(edit.assistant_id),
        note: Some(edit.note.trim().to_owned()),
        due: Some(edit.due),
        due_time: Some(edit.due_time),
        ..Default::default()
    };
    let after = app.store().change_task(id, t.version, change, "update", actor).await?;
    let mut v = view(app, after);
    v.warnings = clashes(app, &v.task).await?;
    v.warnings.0.extend(timing(&v.task, &r).0);
    Ok(v)
}

/// A task due out of its phase's time: a task before the visit due after its first day, an
/// on-site task outside the visit (`due_out_of_phase`): saved, and said.
pub(super) fn timing(t: &StoredTask, r: &StoredReception) -> FieldErrors {
    use jiedai_domain::procedure::Phase;
    let mut out = FieldErrors::new();
    let late = match t.phase {
        Phase::Before => t.due > r.visit_start,
        Phase::OnSite => t.due < r.visit_start || t.due > r.visit_end.max(r.visit_start),
        Phase::CloseDown => t.due < r.visit_start,
    };
    if late {
        out.push(FieldError::new("due", "due_out_of_phase"));
    }
    out
}

/// The procedure forbids leaving a duty uncovered: a responsible given two on-site tasks at
/// the same time (the same day and time, or the same day when either has no time) is
/// warned about, each other task named by its reception's code and work item.
pub(super) async fn clashes(app: &App, t: &StoredTask) -> Result<FieldErrors> {
    use jiedai_domain::procedure::Phase;
    use jiedai_domain::tasks::{Slot, slots_clash};
    let mut out = FieldErrors::new();
    let Some(person) = t.responsible_id.filter(|_| t.phase == Phase::OnSite && !t.status.is_settled()) else {
        return Ok(out);
    };
    let here = Slot { day: t.due, time: t.due_time };
    for held in app.store().tasks_of_person(person).await?.into_iter().filter(|p| p.state.is_under_way()) {
        let (other, code) = (held.task, held.code);
        let theirs = Slot { day: other.due, time: other.due_time };
        if other.id != t.id
            && other.responsible_id == Some(person)
            && other.phase == Phase::OnSite
            && !other.status.is_settled()
            && slots_clash(here, theirs)
        {
            out.push(FieldError::on_line(
                "responsible_id",
                "on_site_clash",
                None,
                format!("{code} {}", other.title_zh),
            ));
        }
    }
    Ok(out)
}
