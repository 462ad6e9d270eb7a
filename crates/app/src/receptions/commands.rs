//! Changing receptions: a new draft, saving a draft's content, and each action of the
//! workflow (submit, approve, return, reject, take on, cancel) with the comment it needs.

use chrono::Utc;
use jiedai_domain::reception::{Action, Check, ReceptionForm, Viewer, late_working_days, may_cancel_on};
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
    app.store().create_reception(department, viewer.user_id, &form, current.version, app.today(), actor).await.map_err(
        |e| match e {
            StoreError::InvalidReference("department_id") => Error::field("department_id", "unknown_reference"),
            e => e.into(),
        },
    )
}

/// Saves the content of a request read at `version`.
pub async fn update(
    app: &App,
    viewer: &Viewer,
    id: ReceptionId,
    version: i32,
    mut form: ReceptionForm,
    actor: &Actor,
) -> Result<StoredReception> {
    let (r, standing) = visible(app, viewer, id).await?;
    if !standing.may_edit(r.state) {
        return Err(if r.version != version { Error::StaleVersion } else { Error::Forbidden });
    }
    form.normalize();
    let p = app.procedure(r.procedure_version).await?;
    check(&form, app.today(), &p)?;
    if form == r.form && r.version == version {
        return Ok(r);
    }
    let change = ReceptionChange { form: Some(form), ..Default::default() };
    Ok(app.store().change_reception(id, version, Some(r.state), change, "update", actor).await?)
}

/// Moves a reception read at `version` by an action, with the comment it needs.
pub async fn act(
    app: &App,
    viewer: &Viewer,
    id: ReceptionId,
    version: i32,
    action: Action,
    comment: &str,
    actor: &Actor,
) -> Result<StoredReception> {
    let (r, standing) = visible(app, viewer, id).await?;
    if r.version != version {
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
    if action == Action::Cancel && !may_cancel_on(r.visit_start, today) {
        errs.push(FieldError::new("comment", "cancel_too_late"));
    }
    if !errs.is_empty() {
        return Err(Error::Validation(errs));
    }
    let mut change = ReceptionChange {
        state: Some(next),
        state_note: Some(if action.needs_comment() { comment.to_owned() } else { String::new() }),
        comment: Some(comment.to_owned()),
        ..Default::default()
    };
    match action {
        Action::Submit => {
            // Submitted under the procedure in force: its deadline decides lateness.
            let current = app.current_procedure().await?;
            let submitted = r.form.submitted(today, &current.procedure).map_err(|f| Error::Validation(f.errors))?;
            let cal = app.calendar().await?;
            let late = late_working_days(&cal, &current.procedure, submitted.visit_start, today);
            change.late = Some((late > 0, i32::try_from(late).unwrap_or(i32::MAX)));
            change.submitted_at = Some(Utc::now());
            change.procedure_version = Some(current.version);
        }
        Action::Approve => change.approver_id = Some(viewer.user_id),
        Action::TakeOn => change.coordinator_id = Some(viewer.user_id),
        _ => {}
    }
    Ok(app.store().change_reception(id, version, Some(r.state), change, action.as_str(), actor).await?)
}
