//! Tasks General Management adds by hand, moves in the list and removes.

use jiedai_domain::reception::Viewer;
use jiedai_domain::{Actor, FieldError, ReceptionId, TaskId, UserId};
use jiedai_store::NewTask;

use super::{MAX_NOTE, TaskView, check_holder, clashes, get, plans, timing, under_way, view};
use crate::{App, Error, Result, receptions};

/// A task General Management adds by hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskDraft {
    /// Phase.
    pub phase: jiedai_domain::procedure::Phase,
    /// The group's key (`driver`, `guest`… or a team's).
    pub group: String,
    /// Work item (written once, in the language it was typed; both languages show it).
    pub title: String,
    /// Duties.
    pub duties: String,
    /// Due day.
    pub due: chrono::NaiveDate,
    /// Due time.
    pub due_time: Option<chrono::NaiveTime>,
    /// 责任人.
    pub responsible_id: Option<UserId>,
    /// 辅助人.
    pub assistant_id: Option<UserId>,
}

/// Longest work item.
pub const MAX_TITLE: usize = 200;

/// Adds a task to a reception in planning (General Management and administrators): its
/// work item, group and people checked, every problem at once.
pub async fn add(app: &App, viewer: &Viewer, id: ReceptionId, d: TaskDraft, actor: &Actor) -> Result<TaskView> {
    if !plans(viewer) {
        return Err(Error::Forbidden);
    }
    let v = receptions::get(app, viewer, id).await?;
    let v_r = v.r.clone();
    if !v.r.state.is_under_way() {
        return Err(Error::Conflict { code: "invalid_transition", field: "state" });
    }
    let mut errs =
        jiedai_domain::tasks::Assignment { responsible: d.responsible_id, assistant: d.assistant_id }.check();
    let title = d.title.trim();
    if title.is_empty() {
        errs.push(FieldError::new("title", "required"));
    } else if title.chars().count() > MAX_TITLE {
        errs.push(FieldError::with_limit("title", "too_long", MAX_TITLE));
    }
    if d.duties.chars().count() > MAX_NOTE {
        errs.push(FieldError::with_limit("duties", "too_long", MAX_NOTE));
    }
    let teams = app.store().teams().await?;
    if !teams.iter().any(|t| t.key == d.group) {
        errs.push(FieldError::new("group", "unknown_reference"));
    }
    for (field, person) in [("responsible_id", d.responsible_id), ("assistant_id", d.assistant_id)] {
        let Some(person) = person else { continue };
        check_holder(app, &teams, field, person, &mut errs).await?;
    }
    if !errs.is_empty() {
        return Err(Error::Validation(errs));
    }
    let planned = jiedai_domain::tasks::PlannedTask {
        phase: d.phase,
        group: jiedai_domain::procedure::Group::Process,
        title_zh: title.to_owned(),
        title_en: title.to_owned(),
        duties_zh: d.duties.trim().to_owned(),
        duties_en: d.duties.trim().to_owned(),
        due: d.due,
        due_time: d.due_time,
    };
    let new = NewTask { planned, group: d.group, responsible_id: d.responsible_id, assistant_id: d.assistant_id };
    let t = app.store().add_task(id, &new, actor).await?;
    let mut v = view(app, t);
    v.warnings = clashes(app, &v.task).await?;
    v.warnings.0.extend(timing(&v.task, &v_r).0);
    Ok(v)
}

/// Moves a task read at `version` to place `to` (0-based) in its reception's list (General
/// Management and administrators, while the reception is carried out).
pub async fn reorder(
    app: &App,
    viewer: &Viewer,
    id: TaskId,
    version: i32,
    to: usize,
    actor: &Actor,
) -> Result<TaskView> {
    let t = get(app, viewer, id).await?.task;
    if !plans(viewer) {
        return Err(Error::Forbidden);
    }
    if t.version != version {
        return Err(Error::StaleVersion);
    }
    under_way(app, t.reception_id).await?;
    Ok(view(app, app.store().move_task(id, version, to, actor).await?))
}

/// Removes a task read at `version` (General Management and administrators).
pub async fn remove(app: &App, viewer: &Viewer, id: TaskId, version: i32, actor: &Actor) -> Result<()> {
    if !plans(viewer) {
        // Those who cannot see it are not told it exists.
        get(app, viewer, id).await?;
        return Err(Error::Forbidden);
    }
    app.store().get_task(id).await?;
    Ok(app.store().delete_task(id, version, actor).await?)
}
