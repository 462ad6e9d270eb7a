//! Changing receptions: a new draft, saving a draft's content, and each action of the
//! workflow (submit, approve, return, reject, take on, cancel) with the comment it needs.

use chrono::Utc;
use jiedai_domain::notify::EventKey;
use jiedai_domain::reception::{
    Action, Check, ReceptionForm, Viewer, late_working_days, may_cancel_on, may_open_day_on, proposal_deadline,
};
use jiedai_domain::{Actor, Code, DepartmentId, FieldError, FieldErrors, ReceptionId};
use jiedai_store::{ReceptionChange, StoreError, StoredReception};

use super::view::visible;
use crate::{App, Error, Result, accounts};

/// Longest comment on a transition.
pub const MAX_COMMENT: usize = 500;

fn check(form: &ReceptionForm, today: chrono::NaiveDate, p: &jiedai_domain::procedure::Procedure) -> Result<()> {
    let errs = form.check(Check::Draft, today, p).errors;
    if errs.is_empty() { Ok(()) } else { Err(Error::Validation(errs)) }
}

/// The departments the viewer may file a request for, by name: their own and those they
/// head, or every department for General Management and administrators.
pub async fn departments_for(app: &App, viewer: &Viewer) -> Result<Vec<(DepartmentId, String)>> {
    let names = accounts::department_names(app).await?;
    let mut v: Vec<(DepartmentId, String)> = names.iter().filter(|(d, _)| viewer.may_file_for(*d)).cloned().collect();
    v.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(v)
}

/// Creates a draft for the viewer's department (or, for General Management and
/// administrators, the department named).
pub async fn create(
    app: &App,
    viewer: &Viewer,
    mut form: ReceptionForm,
    department_id: Option<DepartmentId>,
    actor: &Actor,
) -> Result<StoredReception> {
    let department = match department_id {
        Some(d) if viewer.may_file_for(d) => d,
        Some(_) => return Err(Error::field("department_id", "unknown_reference")),
        None => viewer.department_id.ok_or_else(|| Error::field("department_id", "no_department"))?,
    };
    form.normalize();
    let current = app.current_procedure().await?;
    check(&form, app.today(), &current.procedure)?;
    app.store()
        .create_reception(department, viewer.user_id, &form, None, current.version, app.today(), actor)
        .await
        .map_err(|e| match e {
            StoreError::InvalidReference("department_id") => Error::field("department_id", "unknown_reference"),
            e => e.into(),
        })
}

/// Saves the content of a request read at `version`.
pub async fn update(
    app: &App,
    viewer: &Viewer,
    id: ReceptionId,
    version: i32,
    mut form: ReceptionForm,
    late_reason: Option<&str>,
    actor: &Actor,
) -> Result<StoredReception> {
    let (r, standing) = visible(app, viewer, id).await?;
    if !standing.may_edit(r.state) {
        return Err(if r.version != version { Error::StaleVersion } else { Error::Forbidden });
    }
    form.normalize();
    let p = app.procedure(r.procedure_version).await?;
    let mut errs = form.check(Check::Draft, app.today(), &p).errors;
    let late_reason = late_reason_of(late_reason, &mut errs);
    if !errs.is_empty() {
        return Err(Error::Validation(errs));
    }
    if form == r.form && r.version == version && late_reason.as_ref().is_none_or(|l| *l == r.late_reason) {
        return Ok(r);
    }
    let change = ReceptionChange { form: Some(form), late_reason, ..Default::default() };
    Ok(app.store().change_reception(id, version, Some(r.state), change, "update", actor).await?)
}

/// One move of a reception: the action, the version read (when given, a newer one answers
/// "stale"), the comment, and for a late submission the reason.
#[derive(Debug, Clone, Copy)]
pub struct Step<'a> {
    /// The action.
    pub action: Action,
    /// The version the caller read, if it says.
    pub version: Option<i32>,
    /// The comment (required to return, reject, cancel).
    pub comment: &'a str,
    /// Why a late request comes late (kept; required on a late submission unless kept
    /// already).
    pub late_reason: Option<&'a str>,
}

impl<'a> Step<'a> {
    /// An action at a version with a comment.
    pub fn new(action: Action, version: Option<i32>, comment: &'a str) -> Self {
        Step { action, version, comment, late_reason: None }
    }
}

/// Longest reason for a late request.
pub const MAX_LATE_REASON: usize = 500;

/// A late reason as given: trimmed, checked for length.
fn late_reason_of(given: Option<&str>, errs: &mut FieldErrors) -> Option<String> {
    let reason = given?.trim();
    if reason.chars().count() > MAX_LATE_REASON {
        errs.push(FieldError::with_limit("late_reason", "too_long", MAX_LATE_REASON));
    }
    Some(reason.to_owned())
}

/// Every problem a submission of `form` would meet today, at once: the procedure's
/// submission check, and the late reason when the request comes after its proposal
/// deadline (`kept`: a reason already saved with the request).
pub async fn submission_problems(
    app: &App,
    form: &ReceptionForm,
    late_reason: Option<&str>,
    kept: &str,
) -> Result<(FieldErrors, Option<(bool, i32)>)> {
    let today = app.today();
    let current = app.current_procedure().await?;
    let mut errs = FieldErrors::new();
    if let Err(f) = form.submitted(today, &current.procedure) {
        errs.0.extend(f.errors.0);
    }
    // Lateness is told with the rest, whenever the first visit day is known.
    let mut late = None;
    if let Some(start) = form.visit_start {
        let cal = app.calendar().await?;
        let days = late_working_days(&cal, &current.procedure, start, today);
        late = Some((days > 0, i32::try_from(days).unwrap_or(i32::MAX)));
        let reason = late_reason.map(str::trim).unwrap_or(kept);
        if days > 0 && reason.trim().is_empty() {
            let mut e = FieldError::new("late_reason", "late_reason_required");
            e.value = Some(proposal_deadline(&cal, &current.procedure, start).to_string());
            errs.push(e);
        }
    }
    Ok((errs, late))
}

/// What stops an action of General Management now, every problem at once: the day opens
/// from the first visit day; a reception closes once every task is done or waived (each
/// open one named). Told on the confirmation page before anyone presses the button.
pub async fn blockers(app: &App, r: &StoredReception, action: Action) -> Result<FieldErrors> {
    let mut errs = FieldErrors::new();
    let today = app.today();
    let id = r.id;
    if let Some(start) = r.form.visit_start.filter(|s| action == Action::OpenDay && !may_open_day_on(*s, today)) {
        let mut e = FieldError::new("state", "open_day_too_early");
        e.value = Some(start.to_string());
        errs.push(e);
    }
    if action == Action::Close {
        let open: Vec<String> = app
            .store()
            .tasks_of_reception(id)
            .await?
            .into_iter()
            .filter(|t| !t.status.is_settled())
            .map(|t| t.title_zh)
            .collect();
        if !open.is_empty() {
            let mut e = FieldError::new("state", "tasks_still_open");
            e.value = Some(open.join("、"));
            errs.push(e);
        }
        // Every item counted back (or written off), every lost thing gone back.
        let uncounted: Vec<String> =
            app.store().item_lines(id).await?.into_iter().filter(|l| l.count.is_none()).map(|l| l.line.name).collect();
        if !uncounted.is_empty() {
            let mut e = FieldError::new("state", "items_not_counted_back");
            e.value = Some(uncounted.join("、"));
            errs.push(e);
        }
        let lost: Vec<String> = app
            .store()
            .lost_found_of(id)
            .await?
            .into_iter()
            .filter(|l| l.returned.is_none())
            .map(|l| l.found.what)
            .collect();
        if !lost.is_empty() {
            let mut e = FieldError::new("state", "lost_found_open");
            e.value = Some(lost.join("、"));
            errs.push(e);
        }
        // The close-out: the settlement approved by finance, the survey answered (or waived)
        // and the review meeting's minutes recorded.
        let (money, survey, review) = tokio::try_join!(
            crate::settlement::close_blocker(app, id),
            crate::survey::close_blocker(app, id),
            crate::review::close_blocker(app, id),
        )?;
        for e in [money, survey, review].into_iter().flatten() {
            errs.push(e);
        }
    }
    Ok(errs)
}

/// Moves a reception by an action, with the comment it needs.
pub async fn act(
    app: &App,
    viewer: &Viewer,
    id: ReceptionId,
    step: Step<'_>,
    actor: &Actor,
) -> Result<StoredReception> {
    let Step { action, version, comment, late_reason } = step;
    let (r, standing) = visible(app, viewer, id).await?;
    if version.is_some_and(|v| v != r.version) {
        return Err(Error::StaleVersion);
    }
    let Some(next) = action.next(r.state) else {
        return Err(Error::Conflict { code: "invalid_transition", field: "state" });
    };
    if !standing.may(action, r.state) {
        return Err(Error::Forbidden);
    }
    let comment = comment.trim();
    let mut errs = FieldErrors::new();
    if action.needs_comment() && comment.is_empty() {
        errs.push(FieldError::new("comment", "required"));
    } else if comment.chars().count() > MAX_COMMENT {
        errs.push(FieldError::with_limit("comment", "too_long", MAX_COMMENT));
    }
    let today = app.today();
    if action == Action::Cancel && r.form.visit_start.is_some_and(|start| !may_cancel_on(start, today)) {
        errs.push(FieldError::new("comment", "cancel_too_late"));
    }
    errs.0.extend(blockers(app, &r, action).await?.0);
    let mut change = ReceptionChange {
        state: Some(next),
        state_note: Some(if action.needs_comment() { comment.to_owned() } else { String::new() }),
        comment: Some(comment.to_owned()),
        ..Default::default()
    };
    match action {
        Action::Submit => {
            // Submitted under the procedure in force: its deadline decides lateness.
            change.late_reason = late_reason_of(late_reason, &mut errs);
            let (problems, late) = submission_problems(app, &r.form, late_reason, &r.late_reason).await?;
            errs.0.extend(problems.0);
            change.late = late;
            change.submitted_at = Some(Utc::now());
            change.procedure_version = Some(app.current_procedure().await?.version);
        }
        Action::Approve => change.approver_id = Some(viewer.user_id),
        Action::TakeOn => {
            change.coordinator_id = Some(viewer.user_id);
            // The task division of the reception's procedure version, written with it.
            change.tasks = crate::tasks::generate(app, &r).await?;
            // The item list and the bookings the form asks for, proposed with it.
            change.items = crate::resources::generate_items(app, &r).await?;
            change.bookings = crate::resources::proposals(app, &r).await?;
        }
        _ => {}
    }
    if action.is_decision() {
        change.on_behalf_of = standing.acting_for();
    }
    if let Some(key) = EventKey::of_action(action) {
        let data = serde_json::json!({ "comment": comment });
        change.events.push(jiedai_store::NewEvent::reception(key, id, Some(viewer.user_id), data));
    }
    if !errs.is_empty() {
        return Err(Error::Validation(errs));
    }
    Ok(app.store().change_reception(id, r.version, Some(r.state), change, action.as_str(), actor).await?)
}

/// A new draft from a past request (for a returning guest): the same guests and
/// arrangements, in the department of the original when the viewer may file for it (else
/// their own). With `dates`, the visit is on those days and the times of the original
/// (arrival, departure, pickup) move with it; without, the dates and times are left empty
/// to be filled in.
pub async fn copy(
    app: &App,
    viewer: &Viewer,
    id: ReceptionId,
    dates: Option<(chrono::NaiveDate, Option<chrono::NaiveDate>)>,
    actor: &Actor,
) -> Result<StoredReception> {
    let (r, _) = visible(app, viewer, id).await?;
    if !jiedai_domain::Permission::RequestReception.allows(Some(viewer.roles)) {
        return Err(Error::Forbidden);
    }
    let department = if viewer.may_file_for(r.department_id) {
        r.department_id
    } else {
        viewer.department_id.ok_or_else(|| Error::field("department_id", "no_department"))?
    };
    let mut form = r.form.clone();
    let shift = |t: Option<chrono::NaiveDateTime>, by: Option<chrono::Duration>| t.zip(by).map(|(t, by)| t + by);
    match dates {
        Some((start, end)) => {
            let by = r.form.visit_start.map(|old| start - old);
            let length = r.form.visit_start.zip(r.form.visit_end).map(|(a, b)| b - a);
            form.visit_start = Some(start);
            form.visit_end = Some(end.or_else(|| length.map(|l| start + l)).unwrap_or(start));
            form.arrival_at = shift(form.arrival_at, by);
            form.departure_at = shift(form.departure_at, by);
            form.pickup_car.at = shift(form.pickup_car.at, by);
        }
        None => {
            form.visit_start = None;
            form.visit_end = None;
            form.arrival_at = None;
            form.departure_at = None;
            form.pickup_car.at = None;
        }
    }
    form.normalize();
    let current = app.current_procedure().await?;
    let today = app.today();
    let mut errs = form.check(Check::Draft, today, &current.procedure).errors;
    if dates.is_none() {
        // The dates are to be filled in: only they may be missing.
        errs.0.retain(|e| e.field != "visit_start" && e.field != "visit_end");
    }
    if !errs.is_empty() {
        return Err(Error::Validation(errs));
    }
    let placeholder = Some((today, today));
    Ok(app
        .store()
        .create_reception(department, viewer.user_id, &form, placeholder, current.version, today, actor)
        .await?)
}
