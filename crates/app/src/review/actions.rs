//! Improvement actions: decided at a reception's review by General Management and
//! administrators, each with its owner (told when given one) and due day; listed across
//! receptions on `/actions`; marked done with a note by their owner or General Management.

use jiedai_domain::reception::Viewer;
use jiedai_domain::review::{ActionFilter, ActionInput, done_note, is_overdue, may_record};
use jiedai_domain::{Actor, FieldError, FieldErrors, ImprovementActionId, ReceptionId, UserId};
use jiedai_store::{ActionQuery, StoreError, StoredAction};

use super::writes;
use crate::{App, Error, Result, receptions};

/// An action as people see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionView {
    /// The action.
    pub action: StoredAction,
    /// Not done and due before today.
    pub overdue: bool,
    /// The viewer may edit it (General Management, while it is open).
    pub may_edit: bool,
    /// The viewer may mark it done (its owner or General Management, while it is open).
    pub may_finish: bool,
}

pub(super) fn view(app: &App, viewer: &Viewer, a: StoredAction) -> ActionView {
    let open = a.state == jiedai_domain::review::ActionState::Open;
    let overdue = is_overdue(a.state, a.action.due_on, app.today());
    let may_edit = open && writes(viewer);
    let may_finish = open && (may_edit || a.action.owner_id == viewer.user_id);
    ActionView { action: a, overdue, may_edit, may_finish }
}

pub(super) fn conflict(e: StoreError) -> Error {
    match e {
        StoreError::Conflict("action_done") => Error::Conflict { code: "action_done", field: "state" },
        StoreError::Conflict("lesson_applied") => Error::Conflict { code: "lesson_applied", field: "action_id" },
        other => other.into(),
    }
}

/// Actions in a state, of an owner, of a reception: General Management and administrators
/// see every one; anyone else only their own (a reception's, when they may see it).
pub async fn actions(
    app: &App,
    viewer: &Viewer,
    state: Option<ActionFilter>,
    owner: Option<UserId>,
    reception: Option<ReceptionId>,
) -> Result<Vec<ActionView>> {
    let owner = if writes(viewer) { owner } else { Some(viewer.user_id) };
    if let Some(r) = reception
        && !writes(viewer)
    {
        receptions::visible(app, viewer, r).await?;
    }
    let q = ActionQuery { state, owner, reception, today: app.today() };
    Ok(app.store().actions(&q).await?.into_iter().map(|a| view(app, viewer, a)).collect())
}

/// A reception's actions for whoever may see the reception (its review page).
pub async fn of_reception(app: &App, viewer: &Viewer, id: ReceptionId) -> Result<Vec<ActionView>> {
    receptions::visible(app, viewer, id).await?;
    let q = ActionQuery { state: None, owner: None, reception: Some(id), today: app.today() };
    Ok(app.store().actions(&q).await?.into_iter().map(|a| view(app, viewer, a)).collect())
}

/// One action, for General Management, its owner, or whoever may see its reception.
pub async fn action(app: &App, viewer: &Viewer, id: ImprovementActionId) -> Result<ActionView> {
    let a = app.store().action(id).await?;
    if !writes(viewer) && a.action.owner_id != viewer.user_id {
        receptions::visible(app, viewer, a.reception_id).await?;
    }
    Ok(view(app, viewer, a))
}

/// The action checked: every problem at once; its owner an active person, unless it is the
/// `saved` one (disabled since, kept by an edit of something else).
async fn checked(app: &App, input: &ActionInput, saved: Option<UserId>) -> Result<jiedai_domain::review::Action> {
    let (a, mut errs) = match input.check() {
        Ok(a) => (Some(a), FieldErrors::new()),
        Err(e) => (None, e),
    };
    if let Some(owner) = input.owner_id
        && Some(owner) != saved
        && !crate::tasks::is_active(app, owner).await?
    {
        errs.push(FieldError::new("owner_id", "person_not_active"));
    }
    match (a, errs.is_empty()) {
        (Some(a), true) => Ok(a),
        _ => Err(Error::Validation(errs)),
    }
}

/// Adds an action from a reception's review (General Management and administrators, once the
/// reception's day has begun and while it is not closed): every problem at once; its owner
/// is told.
pub async fn create_action(
    app: &App,
    viewer: &Viewer,
    reception: ReceptionId,
    input: &ActionInput,
    actor: &Actor,
) -> Result<ActionView> {
    let (r, _) = receptions::visible(app, viewer, reception).await?;
    if !writes(viewer) {
        return Err(Error::Forbidden);
    }
    if let Err(code) = may_record(r.state) {
        return Err(super::not_now(code));
    }
    let a = checked(app, input, None).await?;
    let stored = app.store().create_action(reception, &a, actor).await?;
    Ok(view(app, viewer, stored))
}

/// Changes an open action read at `version` (General Management and administrators): a new
/// owner is told.
pub async fn update_action(
    app: &App,
    viewer: &Viewer,
    id: ImprovementActionId,
    version: i32,
    input: &ActionInput,
    actor: &Actor,
) -> Result<ActionView> {
    let saved = action(app, viewer, id).await?.action.action.owner_id;
    if !writes(viewer) {
        return Err(Error::Forbidden);
    }
    let a = checked(app, input, Some(saved)).await?;
    let stored = app.store().update_action(id, version, &a, actor).await.map_err(conflict)?;
    Ok(view(app, viewer, stored))
}

/// Marks an open action read at `version` done, with its note (required): its owner, General
/// Management or an administrator.
pub async fn mark_done(
    app: &App,
    viewer: &Viewer,
    id: ImprovementActionId,
    version: i32,
    note: &str,
    actor: &Actor,
) -> Result<ActionView> {
    let a = action(app, viewer, id).await?;
    if !writes(viewer) && a.action.action.owner_id != viewer.user_id {
        return Err(Error::Forbidden);
    }
    let note = done_note(note)?;
    let stored = app.store().mark_action_done(id, version, &note, actor).await.map_err(conflict)?;
    Ok(view(app, viewer, stored))
}

/// Adds an action for the demonstration data (no permission or state check); its owner is
/// told as usual.
pub async fn demo_action(
    app: &App,
    reception: ReceptionId,
    input: &ActionInput,
    actor: &Actor,
) -> Result<StoredAction> {
    let a = checked(app, input, None).await?;
    Ok(app.store().create_action(reception, &a, actor).await?)
}

/// Marks an action done for the demonstration data (no permission check), with its note.
pub async fn demo_done(app: &App, id: ImprovementActionId, note: &str, actor: &Actor) -> Result<StoredAction> {
    let note = done_note(note)?;
    let version = app.store().action(id).await?.version;
    app.store().mark_action_done(id, version, &note, actor).await.map_err(conflict)
}
