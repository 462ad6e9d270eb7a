//! Lessons to apply: the open improvement actions of earlier receptions, shown on a later
//! reception's planning page, where General Management marks each one applied there.

use jiedai_domain::reception::Viewer;
use jiedai_domain::review::{applied_note, may_apply};
use jiedai_domain::{Actor, ImprovementActionId, ReceptionId};
use jiedai_store::StoredApplication;

use super::actions::{ActionView, conflict, view};
use super::writes;
use crate::{App, Error, Result, receptions};

/// An earlier reception's action as a lesson for this one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lesson {
    /// The action.
    pub action: ActionView,
    /// Marked applied on this reception: by whom, when, with what note.
    pub applied: Option<StoredApplication>,
    /// The viewer may mark it applied now (General Management, not applied yet, this
    /// reception under way).
    pub may_apply: bool,
}

/// The lessons for a reception, for whoever may see it: the open actions of receptions that
/// visited no later than it, and those marked applied on it; not yet applied first.
pub async fn lessons(app: &App, viewer: &Viewer, id: ReceptionId) -> Result<Vec<Lesson>> {
    let (r, _) = receptions::visible(app, viewer, id).await?;
    let (actions, applied) = app.store().lessons_for(id, r.visit_start).await?;
    let mut out: Vec<Lesson> = actions
        .into_iter()
        .map(|a| {
            let applied = applied.iter().find(|p| p.action_id == a.id).cloned();
            let may = writes(viewer) && applied.is_none() && may_apply(a.reception_id, id, r.state).is_ok();
            Lesson { action: view(app, viewer, a), applied, may_apply: may }
        })
        .collect();
    out.sort_by_key(|l| l.applied.is_some());
    Ok(out)
}

/// Marks an earlier reception's action applied on this reception (General Management and
/// administrators, while this one is under way), once.
pub async fn apply_lesson(
    app: &App,
    viewer: &Viewer,
    id: ReceptionId,
    action: ImprovementActionId,
    note: &str,
    actor: &Actor,
) -> Result<StoredApplication> {
    let (r, _) = receptions::visible(app, viewer, id).await?;
    if !writes(viewer) {
        return Err(Error::Forbidden);
    }
    let a = app.store().action(action).await?;
    match may_apply(a.reception_id, id, r.state) {
        Ok(()) => {}
        Err("lesson_own_reception") => {
            return Err(Error::Conflict { code: "lesson_own_reception", field: "action_id" });
        }
        Err(_) => return Err(Error::Conflict { code: "reception_not_under_way", field: "state" }),
    }
    let note = applied_note(note)?;
    app.store().apply_lesson(action, id, &note, actor).await.map_err(conflict)
}
