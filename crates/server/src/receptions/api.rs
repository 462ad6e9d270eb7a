//! Receptions: the request, its states, its timeline.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use jiedai_app::receptions::{self, HistoryEntry, ReceptionRow, ReceptionView, Step, Viewer};

pub use super::api_history::{AttachmentInfo, ChangeItem, HistoryItem};
use jiedai_domain::reception::{Action, ReceptionForm, StageStatus, TimelineEntry};
use jiedai_domain::{Code, DepartmentId, ReceptionId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::query::ReceptionQuery;
use crate::auth::Cx;
use crate::error::{AppError, AppResult};
use crate::extract::{ApiJson, Id, IdAnd, Query};
use crate::i18n::Tr;
use crate::render::{Problem, ProblemField, json};
use crate::state::AppState;

/// One stage on a reception's timeline.
#[derive(Serialize, ToSchema)]
pub struct TimelineItem {
    /// Stage key (`proposal`, `assignment`…).
    pub stage: String,
    /// Its day, YYYY-MM-DD (for the on-site stage of a visit of several days, its first).
    pub due: NaiveDate,
    /// Its last day: the visit's last day for the on-site stage, else `due`.
    pub until: NaiveDate,
    /// Finished.
    pub done: bool,
    /// `done`, `overdue`, `next`, `upcoming` or `stopped`.
    pub status: StageStatus,
}

impl From<&TimelineEntry> for TimelineItem {
    fn from(t: &TimelineEntry) -> Self {
        Self { stage: t.stage.clone(), due: t.due, until: t.until, done: t.done, status: t.status }
    }
}

/// A reception: its state and bookkeeping, its timeline, and every field of the form.
/// Send it back to `PUT` with the `version` it was read at.
#[derive(Serialize, ToSchema)]
pub struct ReceptionResponse {
    /// Id.
    pub id: i32,
    /// Human code, e.g. `JD-2026-0042`.
    pub code: String,
    /// draft, submitted, returned, rejected, approved, planning, cancelled.
    pub state: String,
    /// Requesting department.
    pub department_id: i32,
    /// Its name.
    pub department: String,
    /// Who made the request.
    pub requester_id: i32,
    /// Their name.
    pub requester: String,
    /// Version; send it back when changing.
    pub version: i32,
    /// Submitted after the proposal deadline.
    pub late: bool,
    /// By how many working days.
    pub late_working_days: i32,
    /// Guests: principal, companions, support staff.
    pub headcount: u32,
    /// Tier standard × headcount, in fen.
    pub recommended_budget_fen: Option<i64>,
    /// The procedure version it is planned under.
    pub procedure_version: i32,
    /// When it was submitted.
    pub submitted_at: Option<DateTime<Utc>>,
    /// Comment of the last return, rejection or cancellation.
    pub state_note: String,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
    /// The stages with their working-day dates.
    pub timeline: Vec<TimelineItem>,
    /// Years of the timeline the calendar has no statutory plan for (weekends only).
    pub uncovered_years: Vec<i32>,
    /// Unusual values that were accepted (an unusual plate, a budget over the standard).
    pub warnings: Vec<ProblemField>,
    /// What the caller may do now: submit, withdraw, approve, return, reject, take-on,
    /// cancel.
    pub actions: Vec<String>,
    /// The proposal deadline (T-5 working days before the first visit day, under the
    /// procedure in force); null while the dates are not written.
    pub proposal_deadline: Option<NaiveDate>,
    /// Submitted today, the request would be late: submitting it then needs a
    /// `late_reason`.
    pub late_if_submitted_today: bool,
    /// Why the request comes after its proposal deadline (shown to the approver).
    pub late_reason: String,
    /// Who approved it (once approved).
    pub approver: Option<String>,
    /// Files attached to the request.
    pub attachments: Vec<AttachmentInfo>,
    /// Every change and action, newest first (the latest 100).
    pub history: Vec<HistoryItem>,
    /// Every field of the application form.
    #[serde(flatten)]
    pub form: ReceptionForm,
}

/// A reception in a list.
#[derive(Serialize, ToSchema)]
pub struct ReceptionSummary {
    /// Id.
    pub id: i32,
    /// Human code.
    pub code: String,
    /// State.
    pub state: String,
    /// Requesting department.
    pub department_id: i32,
    /// First visit day.
    pub visit_start: NaiveDate,
    /// Last visit day.
    pub visit_end: NaiveDate,
    /// 来宾单位.
    pub guest_organization: String,
    /// 来宾姓名.
    pub guest_name: String,
    /// 来访目的.
    pub purpose: String,
    /// Tier key.
    pub tier: Option<String>,
    /// Guests.
    pub headcount: u32,
    /// Budget in fen.
    pub budget_fen: Option<i64>,
    /// Late request.
    pub late: bool,
    /// Working days late.
    pub late_working_days: i32,
    /// Version.
    pub version: i32,
    /// Stages with their days.
    pub timeline: Vec<TimelineItem>,
    /// True when a stored value of the reception could not be read: the fields it affects
    /// hold placeholders; an administrator should look at it.
    pub damaged: bool,
}

/// A page of receptions.
#[derive(Serialize, ToSchema)]
pub struct ReceptionList {
    /// The receptions.
    pub items: Vec<ReceptionSummary>,
    /// Cursor of the next page (pass as `cursor`), or null on the last page.
    pub next: Option<String>,
    /// Cursor of the previous page (pass as `cursor`), or null on the first page.
    pub prev: Option<String>,
    /// How many receptions match the view and filters, on all pages.
    pub total: u64,
}

fn warnings(tr: Tr, v: &ReceptionView) -> Vec<ProblemField> {
    v.warnings
        .0
        .iter()
        .map(|w| ProblemField {
            field: w.field.clone(),
            code: w.code.to_owned(),
            message: tr.field_error(w),
            line: None,
        })
        .collect()
}

/// The JSON of a reception as the viewer may see it, with its history.
pub fn response_with_history(tr: Tr, v: ReceptionView, history: Vec<HistoryEntry>) -> ReceptionResponse {
    let mut r = response(tr, v);
    r.history = history.into_iter().map(HistoryItem::from).collect();
    r
}

/// The JSON of a reception as the viewer may see it (its history left empty: see
/// [`response_with_history`]).
pub fn response(tr: Tr, v: ReceptionView) -> ReceptionResponse {
    let form = if v.standing.sees_personal_data() { v.r.form.clone() } else { v.r.form.without_personal_data() };
    ReceptionResponse {
        id: v.r.id.get(),
        code: v.r.code.clone(),
        state: v.r.state.as_str().to_owned(),
        department_id: v.r.department_id.get(),
        department: v.department.clone(),
        requester_id: v.r.requester_id.get(),
        requester: v.requester.clone(),
        version: v.r.version,
        late: v.r.late,
        late_working_days: v.r.late_working_days,
        headcount: v.r.form.headcount(),
        recommended_budget_fen: v.recommended_budget.map(|f| f.get()),
        procedure_version: v.r.procedure_version,
        submitted_at: v.r.submitted_at,
        state_note: v.r.state_note.clone(),
        created_at: v.r.created_at,
        updated_at: v.r.updated_at,
        timeline: v.timeline.iter().map(TimelineItem::from).collect(),
        uncovered_years: v.uncovered_years.clone(),
        warnings: warnings(tr, &v),
        actions: v.actions.iter().map(|a| a.as_str().to_owned()).collect(),
        proposal_deadline: v.proposal_deadline,
        late_if_submitted_today: v.late_if_submitted_today,
        late_reason: v.r.late_reason.clone(),
        approver: v.approver.clone(),
        attachments: v.attachments.iter().map(AttachmentInfo::from).collect(),
        history: Vec::new(),
        form,
    }
}

pub(super) async fn viewer(s: &AppState, cx: &Cx) -> AppResult<Viewer> {
    Ok(receptions::viewer_of(&s.app, cx.user()?).await?)
}

async fn summary(s: &AppState, r: ReceptionRow) -> AppResult<ReceptionSummary> {
    let p = s.app.procedure(r.procedure_version).await?;
    let cal = s.app.calendar().await?;
    let tl = jiedai_domain::reception::timeline(&cal, &p, r.visit_start, r.visit_end, r.state, s.app.today());
    Ok(ReceptionSummary {
        id: r.id.get(),
        code: r.code,
        state: r.state.as_str().to_owned(),
        department_id: r.department_id.get(),
        visit_start: r.visit_start,
        visit_end: r.visit_end,
        headcount: r.headcount.max(0) as u32,
        guest_organization: r.guest_organization,
        guest_name: r.guest_name,
        purpose: r.purpose,
        tier: r.tier.map(|t| t.as_str().to_owned()),
        budget_fen: r.budget.map(|b| b.get()),
        late: r.late,
        late_working_days: r.late_working_days,
        version: r.version,
        timeline: tl.iter().map(TimelineItem::from).collect(),
        damaged: r.damaged,
    })
}

/// Lists the receptions the caller may see, filtered, sorted and keyset-paged.
#[utoipa::path(get, path = "/api/v1/receptions", tag = "receptions", params(ReceptionQuery),
    responses((status = 200, body = ReceptionList),
        (status = 400, description = "A malformed query or a `cursor` that does not parse (`bad_cursor`)", body = Problem),
        (status = 422, description = "A filter value that is not one of those listed, a page size out of range, or a `to` before `from` (`end_before_start`); every problem at once, each naming its parameter", body = Problem)))]
pub async fn list_receptions(
    State(s): State<AppState>,
    cx: Cx,
    Query(q): Query<ReceptionQuery>,
) -> AppResult<Response> {
    let req = q.parse()?;
    let viewer = viewer(&s, &cx).await?;
    let page = receptions::page(&s.app, &viewer, &req).await?;
    let mut items = Vec::with_capacity(page.rows.len());
    for r in page.rows {
        items.push(summary(&s, r).await?);
    }
    Ok(json(
        StatusCode::OK,
        ReceptionList {
            items,
            next: page.next.map(receptions::cursor_to_string),
            prev: page.prev.map(receptions::cursor_to_string),
            total: page.total,
        },
    ))
}

/// A new request: any fields of the form (a draft may be incomplete, but needs its
/// `visit_start`), and for General Management the `department_id` it is for.
#[derive(Deserialize, ToSchema)]
pub struct CreateReceptionRequest {
    /// The requesting department (default: the caller's; another only for General
    /// Management).
    #[serde(default)]
    pub department_id: Option<i32>,
    /// The form's fields.
    #[serde(flatten)]
    pub form: ReceptionForm,
}

/// Creates a draft request.
#[utoipa::path(post, path = "/api/v1/receptions", tag = "receptions", request_body = CreateReceptionRequest,
    responses((status = 201, body = ReceptionResponse),
        (status = 422, description = "The draft is not well-formed (a field, or a rule between fields such as the visit's dates), the caller has no department, or `department_id` is not one the caller may request for", body = Problem)))]
pub async fn create_reception(
    State(s): State<AppState>,
    cx: Cx,
    ApiJson(b): ApiJson<CreateReceptionRequest>,
) -> AppResult<Response> {
    let viewer = viewer(&s, &cx).await?;
    let r = receptions::create(&s.app, &viewer, b.form, b.department_id.map(DepartmentId), &cx.actor()).await?;
    let v = receptions::view_of(&s.app, &viewer, r).await?;
    Ok(json(StatusCode::CREATED, response(cx.tr(), v)))
}

/// One reception, with its timeline and what the caller may do.
#[utoipa::path(get, path = "/api/v1/receptions/{id}", tag = "receptions",
    params(("id" = i32, Path, description = "Reception id", example = 1)),
    responses((status = 200, body = ReceptionResponse), (status = 404, body = Problem)))]
pub async fn get_reception(State(s): State<AppState>, cx: Cx, Id(id): Id<ReceptionId>) -> AppResult<Response> {
    let viewer = viewer(&s, &cx).await?;
    let (v, history) = receptions::get_with_history(&s.app, &viewer, id).await?;
    Ok(json(StatusCode::OK, response_with_history(cx.tr(), v, history)))
}

/// The representation `GET` answers, with the `version` it was read at.
#[derive(Deserialize, ToSchema)]
pub struct UpdateReceptionRequest {
    /// The version read; a stale one answers 409.
    pub version: i32,
    /// Why the request comes after its proposal deadline (at most 500 characters); kept
    /// unchanged when left out.
    #[serde(default)]
    #[schema(pattern = "^[^\\x00]*$")]
    pub late_reason: Option<String>,
    /// The form's fields.
    #[serde(flatten)]
    pub form: ReceptionForm,
}

/// Saves a draft or returned request (its requester, or an administrator).
#[utoipa::path(put, path = "/api/v1/receptions/{id}", tag = "receptions",
    params(("id" = i32, Path, description = "Reception id", example = 1)), request_body = UpdateReceptionRequest,
    responses((status = 200, body = ReceptionResponse),
        (status = 403, description = "Not editable by the caller in its present state", body = Problem),
        (status = 409, description = "Changed since read (`stale_version`)", body = Problem),
        (status = 422, description = "The draft is not well-formed (a field, or a rule between fields)", body = Problem)))]
pub async fn update_reception(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ReceptionId>,
    ApiJson(b): ApiJson<UpdateReceptionRequest>,
) -> AppResult<Response> {
    let viewer = viewer(&s, &cx).await?;
    let r = receptions::update(&s.app, &viewer, id, b.version, b.form, b.late_reason.as_deref(), &cx.actor()).await?;
    let v = receptions::view_of(&s.app, &viewer, r).await?;
    Ok(json(StatusCode::OK, response(cx.tr(), v)))
}

/// A transition: the comment (required to return, reject or cancel; kept in the
/// reception's history, line breaks included, on every action), optionally the version
/// read, and for a late submission its reason.
#[derive(Deserialize, ToSchema)]
pub struct ActionRequest {
    /// The version read; when given, a stale one answers 409.
    #[serde(default)]
    pub version: Option<i32>,
    /// Why a late request comes late: required to submit after the proposal deadline
    /// (`late_if_submitted_today`) unless saved with the request already; at most 500
    /// characters.
    #[serde(default)]
    #[schema(pattern = "^[^\\x00]*$")]
    pub late_reason: Option<String>,
    /// Comment or reason: required (not only spaces) to return, reject or cancel; taken on
    /// every action and kept in the history; at most 500 characters, trimmed.
    #[serde(default)]
    #[schema(
        pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*(?:[^\\x00\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000](?:[^\\x00]{0,498}[^\\x00\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000])?)?[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$"
    )]
    pub comment: String,
}

/// Moves a reception: `submit`, `withdraw` (a submitted request nobody acted on, back to
/// draft, by its requester), `approve`, `return`, `reject`, `take-on` or `cancel`.
#[utoipa::path(post, path = "/api/v1/receptions/{id}/{action}", tag = "receptions",
    params(("id" = i32, Path, description = "Reception id", example = 1),
        ("action" = inline(Action), Path, description = "submit, withdraw, approve, return, reject, take-on or cancel; another is not found")),
    request_body = ActionRequest,
    responses((status = 200, body = ReceptionResponse),
        (status = 403, description = "The caller may not take this action on this reception", body = Problem),
        (status = 409, description = "Changed since read, or the action does not apply in this state", body = Problem),
        (status = 422, description = "A comment missing (return, reject, cancel) or too long, a cancellation too late, a submission the procedure finds incomplete, or a late submission without its `late_reason` (every problem at once)", body = Problem)))]
pub async fn act_on_reception(
    State(s): State<AppState>,
    cx: Cx,
    IdAnd(id, action): IdAnd<ReceptionId>,
    ApiJson(b): ApiJson<ActionRequest>,
) -> AppResult<Response> {
    let action = Action::parse(&action).ok_or(AppError::NotFound)?;
    let viewer = viewer(&s, &cx).await?;
    let step = Step { action, version: b.version, comment: &b.comment, late_reason: b.late_reason.as_deref() };
    let r = receptions::act(&s.app, &viewer, id, step, &cx.actor()).await?;
    let (v, history) = receptions::get_with_history(&s.app, &viewer, r.id).await?;
    Ok(json(StatusCode::OK, response_with_history(cx.tr(), v, history)))
}
