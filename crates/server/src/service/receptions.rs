//! Receptions: creating and editing requests, moving them through their states, and
//! reading them as the viewer may see them. Pages and the API both come here, so the
//! rules (who may, what is checked, the late flag, the timeline) hold for both.

use std::sync::Arc;

use chrono::{NaiveDate, Utc};
use jiedai_domain::procedure::Procedure;
use jiedai_domain::reception::{
    Action, Check, ReceptionForm, Standing, State, TimelineEntry, late_working_days, may_cancel_on, timeline,
};
use jiedai_domain::{Actor, FieldError, FieldErrors, Role, RoleSet, User};
use jiedai_store::{Cursor, ReceptionChange, ReceptionFilter, ReceptionRow, Scope, Sort, StoreError, StoredReception};

use crate::app::App;
use crate::error::{AppError, AppResult};
use crate::service::procedure;

/// Longest comment on a transition.
pub const MAX_COMMENT: usize = 500;

/// Who is looking, with what the visibility rules need.
#[derive(Debug, Clone)]
pub struct Viewer {
    /// The user.
    pub user_id: i32,
    /// Their roles.
    pub roles: RoleSet,
    /// Their department.
    pub department_id: Option<i32>,
    /// Departments they head.
    pub heads: Vec<i32>,
}

impl Viewer {
    /// The viewer for a signed-in user.
    pub async fn of(app: &App, user: &User) -> AppResult<Viewer> {
        Ok(Viewer {
            user_id: user.id,
            roles: user.roles,
            department_id: user.department_id,
            heads: app.store.departments_headed_by(user.id).await?,
        })
    }

    /// How the viewer stands towards a reception.
    pub fn standing(&self, r: &StoredReception) -> Standing {
        Standing {
            roles: self.roles,
            is_requester: r.requester_id == self.user_id,
            in_department: self.department_id == Some(r.department_id),
            heads_department: self.heads.contains(&r.department_id),
        }
    }

    /// Which receptions the viewer may list.
    pub fn scope(&self) -> Scope {
        let probe = Standing { roles: self.roles, ..Standing::default() };
        if probe.sees_all() {
            return Scope::All;
        }
        let mut departments = self.heads.clone();
        if let Some(d) = self.department_id
            && (self.roles.contains(Role::Requester) || self.roles.contains(Role::Approver))
        {
            departments.push(d);
        }
        Scope::Limited { departments, requester: self.user_id }
    }

    /// Departments whose requests the viewer approves.
    pub fn approves_for(&self) -> Vec<i32> {
        let mut d = self.heads.clone();
        if let Some(own) = self.department_id
            && self.roles.contains(Role::Approver)
            && !d.contains(&own)
        {
            d.push(own);
        }
        d
    }
}

/// A reception as a viewer sees it.
pub struct ReceptionView {
    /// The stored reception.
    pub r: StoredReception,
    /// The viewer's standing.
    pub standing: Standing,
    /// The stages with their days.
    pub timeline: Vec<TimelineEntry>,
    /// The procedure version it is planned under.
    pub procedure: Arc<Procedure>,
    /// The recommended budget (standard × headcount), when a tier is chosen.
    pub recommended_budget_fen: Option<i64>,
    /// Unusual values that were accepted.
    pub warnings: FieldErrors,
    /// Years of the timeline whose statutory plan is not in the calendar.
    pub uncovered_years: Vec<i32>,
    /// Actions the viewer may take now.
    pub actions: Vec<Action>,
    /// The requesting department's name.
    pub department: String,
    /// The requester's name.
    pub requester: String,
}

impl ReceptionView {
    /// True when the viewer may change the request's content.
    pub fn editable(&self) -> bool {
        self.standing.may_edit(self.r.state)
    }
}

/// The view of a stored reception for a viewer (who may see it).
pub async fn view_of(app: &App, viewer: &Viewer, r: StoredReception) -> AppResult<ReceptionView> {
    let standing = viewer.standing(&r);
    let procedure = app.procedure(r.procedure_version).await?;
    let cal = app.calendar().await?;
    let today = app.today();
    let timeline = timeline(&cal, &procedure, r.visit_start, r.visit_end, r.state, today);
    let mut uncovered_years: Vec<i32> =
        timeline.iter().map(|t| chrono::Datelike::year(&t.due)).filter(|y| !cal.covers_year(*y)).collect();
    uncovered_years.dedup();
    let warnings = r.form.check(Check::Draft, today, &procedure).warnings;
    let actions = Action::ALL
        .into_iter()
        .filter(|a| standing.may(*a, r.state))
        .filter(|a| *a != Action::Cancel || may_cancel_on(r.visit_start, today))
        .collect();
    let department = app
        .store
        .department_names()
        .await?
        .into_iter()
        .find(|(id, _)| *id == r.department_id)
        .map(|(_, name)| name)
        .unwrap_or_default();
    let requester = app.store.get_user(r.requester_id).await?.display_name;
    Ok(ReceptionView {
        department,
        requester,
        recommended_budget_fen: r.form.recommended_budget_fen(&procedure),
        r,
        standing,
        timeline,
        procedure,
        warnings,
        uncovered_years,
        actions,
    })
}

/// A stored reception and the viewer's standing, if the viewer may see it (else "not
/// found": its existence is not told).
async fn visible(app: &App, viewer: &Viewer, id: i32) -> AppResult<(StoredReception, Standing)> {
    let r = app.store.get_reception(id).await?;
    let standing = viewer.standing(&r);
    if !standing.may_view() {
        return Err(AppError::NotFound);
    }
    Ok((r, standing))
}

/// One reception, if the viewer may see it.
pub async fn get(app: &App, viewer: &Viewer, id: i32) -> AppResult<ReceptionView> {
    let (r, _) = visible(app, viewer, id).await?;
    view_of(app, viewer, r).await
}

fn check(form: &ReceptionForm, mode: Check, today: NaiveDate, p: &Procedure) -> AppResult<()> {
    let errs = form.check(mode, today, p).errors;
    if errs.is_empty() { Ok(()) } else { Err(AppError::Validation(errs)) }
}

/// Creates a draft for the viewer's department (or, for General Management and
/// administrators, the department named).
pub async fn create(
    app: &App,
    viewer: &Viewer,
    mut form: ReceptionForm,
    department_id: Option<i32>,
    actor: &Actor,
) -> AppResult<StoredReception> {
    let probe = Standing { roles: viewer.roles, ..Standing::default() };
    let department = match department_id {
        Some(d) if probe.sees_all() || viewer.department_id == Some(d) || viewer.heads.contains(&d) => Some(d),
        Some(_) => return Err(AppError::field(FieldError::new("department_id", "unknown_reference"))),
        None => viewer.department_id,
    };
    let department = department.ok_or_else(|| AppError::field(FieldError::new("department_id", "no_department")))?;
    form.normalize();
    let current = procedure::current(&app.store).await?;
    check(&form, Check::Draft, app.today(), &current.procedure)?;
    let r = app
        .store
        .create_reception(department, viewer.user_id, &form, current.version, app.today(), actor)
        .await
        .map_err(|e| match e {
            StoreError::InvalidReference("department_id") => {
                AppError::field(FieldError::new("department_id", "unknown_reference"))
            }
            e => e.into(),
        })?;
    Ok(r)
}

/// Saves the content of a request read at `version`.
pub async fn update(
    app: &App,
    viewer: &Viewer,
    id: i32,
    version: i32,
    mut form: ReceptionForm,
    actor: &Actor,
) -> AppResult<StoredReception> {
    let (r, standing) = visible(app, viewer, id).await?;
    if !standing.may_edit(r.state) {
        return Err(if r.version != version { AppError::StaleVersion } else { AppError::Forbidden });
    }
    form.normalize();
    let p = app.procedure(r.procedure_version).await?;
    check(&form, Check::Draft, app.today(), &p)?;
    if form == r.form && r.version == version {
        return Ok(r);
    }
    let change = ReceptionChange { form: Some(form), ..Default::default() };
    Ok(app.store.change_reception(id, version, Some(r.state), change, "update", actor).await?)
}

/// Moves a reception read at `version` by an action, with the comment it needs.
pub async fn act(
    app: &App,
    viewer: &Viewer,
    id: i32,
    version: i32,
    action: Action,
    comment: &str,
    actor: &Actor,
) -> AppResult<StoredReception> {
    let (r, standing) = visible(app, viewer, id).await?;
    if r.version != version {
        return Err(AppError::StaleVersion);
    }
    let Some(next) = action.next(r.state) else {
        return Err(AppError::Conflict { code: "invalid_transition", field: "state" });
    };
    if !standing.may(action, r.state) {
        return Err(AppError::Forbidden);
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
        return Err(AppError::Validation(errs));
    }
    let mut change = ReceptionChange {
        state: Some(next),
        state_note: Some(if action.needs_comment() { comment.to_owned() } else { String::new() }),
        ..Default::default()
    };
    match action {
        Action::Submit => {
            // Submitted under the procedure in force: its deadline decides lateness.
            let current = procedure::current(&app.store).await?;
            check(&r.form, Check::Submit, today, &current.procedure)?;
            let cal = app.calendar().await?;
            let late = late_working_days(&cal, &current.procedure, r.visit_start, today);
            change.late = Some((late > 0, late as i32));
            change.submitted_at = Some(Utc::now());
            change.procedure_version = Some(current.version);
        }
        Action::Approve => change.approver_id = Some(viewer.user_id),
        Action::TakeOn => change.coordinator_id = Some(viewer.user_id),
        _ => {}
    }
    Ok(app.store.change_reception(id, version, Some(r.state), change, action.as_str(), actor).await?)
}

/// The list views of the dashboard and the list page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListView {
    /// Everything the viewer may see.
    #[default]
    All,
    /// Requested by the viewer.
    Mine,
    /// Submitted to the viewer for approval.
    ToApprove,
    /// Approved, waiting for General Management.
    ToTakeOn,
}

impl ListView {
    /// Parses the `view` parameter.
    pub fn parse(s: &str) -> Option<ListView> {
        match s {
            "" | "all" => Some(ListView::All),
            "mine" => Some(ListView::Mine),
            "approve" => Some(ListView::ToApprove),
            "take-on" => Some(ListView::ToTakeOn),
            _ => None,
        }
    }

    /// The identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            ListView::All => "all",
            ListView::Mine => "mine",
            ListView::ToApprove => "approve",
            ListView::ToTakeOn => "take-on",
        }
    }
}

/// Narrows a filter to a list view. `None` when the view is empty for this viewer.
pub fn apply_view(viewer: &Viewer, view: ListView, mut f: ReceptionFilter) -> Option<ReceptionFilter> {
    match view {
        ListView::All => {}
        ListView::Mine => f.requester_id = Some(viewer.user_id),
        ListView::ToApprove => {
            let deps = viewer.approves_for();
            if deps.is_empty() && !viewer.roles.contains(Role::Admin) {
                return None;
            }
            f.states = vec![State::Submitted];
            if !viewer.roles.contains(Role::Admin) {
                f.departments = Some(deps);
            }
        }
        ListView::ToTakeOn => {
            if !viewer.roles.contains(Role::Coordinator) && !viewer.roles.contains(Role::Admin) {
                return None;
            }
            f.states = vec![State::Approved];
        }
    }
    Some(f)
}

/// A page of the list and the cursor of the next page.
pub async fn list(
    app: &App,
    viewer: &Viewer,
    view: ListView,
    filter: ReceptionFilter,
    sort: Sort,
    cursor: Option<Cursor>,
    limit: u64,
) -> AppResult<(Vec<ReceptionRow>, Option<Cursor>)> {
    let Some(filter) = apply_view(viewer, view, filter) else {
        return Ok((Vec::new(), None));
    };
    let limit = limit.clamp(1, 200);
    let mut rows = app.store.list_receptions(&viewer.scope(), &filter, sort, cursor, limit + 1).await?;
    let next = if rows.len() as u64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| Cursor { visit: r.visit_start, id: r.id })
    } else {
        None
    };
    Ok((rows, next))
}

/// The list's filters as URLs and the API write them; all optional.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReceptionQuery {
    /// `all` (default), `mine`, `approve` (waiting for my approval), `take-on`.
    pub view: Option<String>,
    /// States, comma-separated: draft, submitted, returned, rejected, approved, planning, cancelled.
    pub state: Option<String>,
    /// Visits ending on or after this day (YYYY-MM-DD).
    pub from: Option<String>,
    /// Visits starting on or before this day (YYYY-MM-DD).
    pub to: Option<String>,
    /// Requesting department id.
    pub department: Option<String>,
    /// Tier: high_end, business, simple.
    pub tier: Option<String>,
    /// `true`: late requests only; `false`: on time only.
    pub late: Option<String>,
    /// Code, guest organisation or principal guest's name.
    pub q: Option<String>,
    /// `visit` (earliest first, default), `-visit` (latest first), `newest`.
    pub sort: Option<String>,
    /// Where the previous page ended (its `next`).
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    pub limit: Option<u64>,
}

/// A parsed list query.
pub struct ListRequest {
    /// The view.
    pub view: ListView,
    /// The filter.
    pub filter: ReceptionFilter,
    /// The order.
    pub sort: Sort,
    /// After this.
    pub cursor: Option<Cursor>,
    /// Page size.
    pub limit: u64,
}

impl ReceptionQuery {
    /// Parses the query; every bad value names its parameter.
    pub fn parse(&self) -> AppResult<ListRequest> {
        let mut errs = FieldErrors::new();
        let text = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        let mut day = |field: &str, s: &Option<String>| match text(s) {
            None => None,
            Some(v) => match NaiveDate::parse_from_str(&v, "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    errs.push(FieldError::new(field, "invalid_date"));
                    None
                }
            },
        };
        let from = day("from", &self.from);
        let until = day("to", &self.to);
        let view = ListView::parse(text(&self.view).as_deref().unwrap_or("")).unwrap_or_else(|| {
            errs.push(FieldError::new("view", "unknown_reference"));
            ListView::All
        });
        let mut states = Vec::new();
        for s in text(&self.state).unwrap_or_default().split(',').map(str::trim).filter(|s| !s.is_empty()) {
            match State::parse(s) {
                Some(st) => states.push(st),
                None => errs.push(FieldError::on_line("state", "unknown_state", None, s.to_owned())),
            }
        }
        let department_id = match text(&self.department) {
            None => None,
            Some(d) => match d.parse::<i32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    errs.push(FieldError::new("department", "unknown_reference"));
                    None
                }
            },
        };
        let tier = text(&self.tier);
        if let Some(t) = &tier
            && !jiedai_domain::procedure::TIER_KEYS.contains(&t.as_str())
        {
            errs.push(FieldError::on_line("tier", "unknown_tier", None, t.clone()));
        }
        let late = match text(&self.late).as_deref() {
            None => None,
            Some("true" | "1" | "yes" | "on") => Some(true),
            Some("false" | "0" | "no") => Some(false),
            Some(_) => {
                errs.push(FieldError::new("late", "invalid_boolean"));
                None
            }
        };
        let sort = match text(&self.sort).as_deref() {
            None | Some("visit") => Sort::VisitAsc,
            Some("-visit") => Sort::VisitDesc,
            Some("newest") => Sort::Newest,
            Some(_) => {
                errs.push(FieldError::new("sort", "unknown_reference"));
                Sort::VisitAsc
            }
        };
        if !errs.is_empty() {
            return Err(AppError::Validation(errs));
        }
        let cursor = text(&self.cursor).map(|c| parse_cursor(&c)).transpose()?;
        Ok(ListRequest {
            view,
            filter: ReceptionFilter {
                states,
                from,
                until,
                department_id,
                tier,
                late,
                q: text(&self.q).map(|q| q.chars().take(100).collect()),
                requester_id: None,
                departments: None,
            },
            sort,
            cursor,
            limit: self.limit.unwrap_or(50).clamp(1, 200),
        })
    }
}

/// A cursor as written in URLs: `2026-10-09.42`.
pub fn cursor_to_string(c: Cursor) -> String {
    format!("{}.{}", c.visit, c.id)
}

/// Reads a cursor from a URL; a malformed one is a bad request.
pub fn parse_cursor(s: &str) -> AppResult<Cursor> {
    let bad = || AppError::BadRequest { code: "bad_cursor", detail: None };
    let (d, id) = s.rsplit_once('.').ok_or_else(bad)?;
    Ok(Cursor {
        visit: NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| bad())?,
        id: id.parse().map_err(|_| bad())?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let c = Cursor { visit: NaiveDate::from_ymd_opt(2026, 10, 9).unwrap(), id: 42 };
        assert_eq!(parse_cursor(&cursor_to_string(c)).unwrap(), c);
        assert!(parse_cursor("yesterday").is_err());
    }

    #[test]
    fn a_requester_lists_their_department_and_an_approver_the_ones_they_head() {
        let v = Viewer {
            user_id: 7,
            roles: [Role::Requester].into_iter().collect(),
            department_id: Some(3),
            heads: vec![],
        };
        assert_eq!(v.scope(), Scope::Limited { departments: vec![3], requester: 7 });
        assert!(apply_view(&v, ListView::ToApprove, ReceptionFilter::default()).is_none());
        let head = Viewer { roles: [Role::Approver].into_iter().collect(), heads: vec![5], ..v.clone() };
        assert_eq!(head.approves_for(), vec![5, 3]);
        let gm = Viewer { roles: [Role::Coordinator].into_iter().collect(), ..v };
        assert_eq!(gm.scope(), Scope::All);
    }
}
