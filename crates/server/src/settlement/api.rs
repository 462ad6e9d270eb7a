//! A reception's settlement through the API: its expense lines (with receipts), budget
//! against actual, and the moves submit, approve and return, each taking the version read.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use jiedai_app::receptions;
use jiedai_app::settlement::{self, ReceiptMeta, SettlementView, StoredExpense};
use jiedai_domain::settlement::{ExpenseCategory, ExpenseInput, Overrun, SettlementAction, SettlementState};
use jiedai_domain::{Code, ExpenseId, ReceptionId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Cx;
use crate::error::{AppError, AppResult};
use crate::extract::{ApiJson, Id, IdAnd, Query};
use crate::render::{Problem, json};
use crate::state::AppState;

/// A receipt of an expense, without its bytes.
#[derive(Serialize, ToSchema)]
pub struct ReceiptInfo {
    /// Id (download it at `/api/v1/receipts/{id}`).
    pub id: i32,
    /// File name.
    pub name: String,
    /// Content type, from the file's own bytes.
    pub content_type: String,
    /// Size in bytes.
    pub size: i64,
}

impl From<&ReceiptMeta> for ReceiptInfo {
    fn from(m: &ReceiptMeta) -> Self {
        ReceiptInfo { id: m.id.get(), name: m.name.clone(), content_type: m.content_type.clone(), size: m.size }
    }
}

/// An expense line.
#[derive(Serialize, ToSchema)]
pub struct ExpenseResponse {
    /// Id.
    pub id: i32,
    /// Its reception.
    pub reception_id: i32,
    /// What it paid for.
    pub category: ExpenseCategory,
    /// How much, in fen (negative only for an adjusting line).
    pub amount_fen: i64,
    /// The day it was paid.
    pub date: NaiveDate,
    /// Who paid: `"company"` or the user id of the person to reimburse.
    pub paid_by: jiedai_domain::settlement::PaidBy,
    /// Who was paid.
    pub vendor: String,
    /// A note.
    pub note: String,
    /// A correction written after approval.
    pub adjusting: bool,
    /// Why (adjusting lines).
    pub reason: String,
    /// The item-list line it settles, if any.
    pub item_line_id: Option<i32>,
    /// Its receipts.
    pub receipts: Vec<ReceiptInfo>,
    /// The version to send back with a change.
    pub version: i32,
    /// When it was written.
    pub created_at: DateTime<Utc>,
}

pub(crate) fn expense(e: &StoredExpense) -> ExpenseResponse {
    let x = &e.expense;
    ExpenseResponse {
        id: e.id.get(),
        reception_id: e.reception_id.get(),
        category: x.category,
        amount_fen: x.amount.get(),
        date: x.date,
        paid_by: x.paid_by,
        vendor: x.vendor.clone(),
        note: x.note.clone(),
        adjusting: x.adjusting,
        reason: x.reason.clone(),
        item_line_id: x.item_line_id.map(|l| l.get()),
        receipts: e.receipts.iter().map(ReceiptInfo::from).collect(),
        version: e.version,
        created_at: e.created_at,
    }
}

/// A reception's expense lines.
#[derive(Serialize, ToSchema)]
pub struct ExpenseList {
    /// In the order written.
    pub expenses: Vec<ExpenseResponse>,
    /// Their sum, in fen.
    pub total_fen: i64,
    /// The settlement's version.
    pub version: i32,
}

/// By how much an actual is over its budget or standard.
#[derive(Serialize, ToSchema)]
pub struct OverrunInfo {
    /// The amount over, in fen.
    pub amount_fen: i64,
    /// The share over, in basis points (1 = 0.01 %); null when the budget is zero.
    pub share_basis_points: Option<i64>,
    /// The share over as a percentage with two decimals (`12.50`); null when the budget is zero.
    pub percent: Option<String>,
}

fn overrun(o: Option<Overrun>) -> Option<OverrunInfo> {
    o.map(|o| OverrunInfo { amount_fen: o.amount.get(), share_basis_points: o.share_bp, percent: o.percent() })
}

/// One category of budget against actual.
#[derive(Serialize, ToSchema)]
pub struct CategoryLine {
    /// The category.
    pub category: ExpenseCategory,
    /// Its budget on the request form (hotel, lunch, dinner, entertainment), if given.
    pub budget_fen: Option<i64>,
    /// What was spent, adjusting lines included.
    pub actual_fen: i64,
    /// Over its budget by, if it is.
    pub overrun: Option<OverrunInfo>,
}

/// A reception's settlement: budget against actual, and where it stands.
#[derive(Serialize, ToSchema)]
pub struct SettlementResponse {
    /// The reception.
    pub reception_id: i32,
    /// `open`, `submitted`, `approved` or `returned`.
    pub state: SettlementState,
    /// Send it back with submit, approve and return (409 when stale).
    pub version: i32,
    /// Every line added up, in fen.
    pub total_fen: i64,
    /// The adjusting lines' part of the total.
    pub adjustments_fen: i64,
    /// The reception's budget, if the form gave one.
    pub budget_fen: Option<i64>,
    /// The total over the budget by.
    pub overrun: Option<OverrunInfo>,
    /// Guests counted (the principal guest, companions, support staff).
    pub headcount: u32,
    /// The total per guest, rounded to the fen; null when no guest is counted.
    pub per_person_fen: Option<i64>,
    /// The tier's standard per person on the visit's first day, if the tier is known.
    pub standard_per_person_fen: Option<i64>,
    /// The cost per person over the standard by.
    pub per_person_overrun: Option<OverrunInfo>,
    /// What reusable material that came back to stock is worth (returned × unit cost).
    pub saving_fen: i64,
    /// Every category, in the statement's order.
    pub by_category: Vec<CategoryLine>,
    /// Finance's comment on the last decision.
    pub comment: String,
    /// Who submitted it last (user id).
    pub submitted_by: Option<i32>,
    /// When.
    pub submitted_at: Option<DateTime<Utc>>,
    /// Who approved or returned it last (user id).
    pub decided_by: Option<i32>,
    /// When.
    pub decided_at: Option<DateTime<Utc>>,
    /// When it was approved.
    pub approved_at: Option<DateTime<Utc>>,
}

pub(crate) fn settlement_response(v: &SettlementView) -> SettlementResponse {
    let s = &v.summary;
    let st = &v.settlement;
    SettlementResponse {
        reception_id: v.reception.id.get(),
        state: st.state,
        version: st.version,
        total_fen: s.total.get(),
        adjustments_fen: s.adjustments.get(),
        budget_fen: s.budget.map(|b| b.get()),
        overrun: overrun(s.overrun),
        headcount: s.headcount,
        per_person_fen: s.per_person.map(|p| p.get()),
        standard_per_person_fen: s.standard_per_person.map(|p| p.get()),
        per_person_overrun: overrun(s.per_person_overrun),
        saving_fen: s.saving.get(),
        by_category: s
            .by_category
            .iter()
            .map(|r| CategoryLine {
                category: r.category,
                budget_fen: r.budget.map(|b| b.get()),
                actual_fen: r.actual.get(),
                overrun: overrun(r.overrun),
            })
            .collect(),
        comment: st.comment.clone(),
        submitted_by: st.submitted.map(|(u, _)| u.get()),
        submitted_at: st.submitted.map(|(_, at)| at),
        decided_by: st.decided.map(|(u, _)| u.get()),
        decided_at: st.decided.map(|(_, at)| at),
        approved_at: st.approved_at,
    }
}

/// A reception's expense lines.
#[utoipa::path(get, path = "/api/v1/receptions/{id}/expenses", tag = "settlement",
    params(("id" = i32, Path, description = "Reception id", example = 1)),
    responses((status = 200, body = ExpenseList), (status = 404, body = Problem)))]
pub async fn list_expenses(State(s): State<AppState>, cx: Cx, Id(id): Id<ReceptionId>) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let v = settlement::settlement(&s.app, &viewer, id).await?;
    let list = ExpenseList {
        expenses: v.expenses.iter().map(expense).collect(),
        total_fen: v.summary.total.get(),
        version: v.settlement.version,
    };
    Ok(json(StatusCode::OK, list))
}

/// A new expense line.
#[derive(Deserialize, ToSchema)]
pub struct ExpenseCreate {
    /// An adjusting line: a correction of an approved settlement, either sign, with a reason.
    #[serde(default)]
    pub adjusting: bool,
    /// Its values.
    #[serde(flatten)]
    pub expense: ExpenseInput,
}

/// Writes an expense line (General Management and administrators): while the reception is
/// taken on and the settlement open or returned; an adjusting line once it is approved.
#[utoipa::path(post, path = "/api/v1/receptions/{id}/expenses", tag = "settlement",
    params(("id" = i32, Path, description = "Reception id", example = 1)),
    request_body = ExpenseCreate,
    responses((status = 201, body = ExpenseResponse),
        (status = 403, description = "Only General Management and administrators write expenses", body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "The reception is not taken on (`reception_not_taken_on`) or was stopped (`reception_stopped`); the settlement is submitted or approved (`settlement_locked`); an adjusting line before approval (`settlement_not_approved`)", body = Problem),
        (status = 422, description = "Every problem at once", body = Problem)))]
pub async fn create_expense(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ReceptionId>,
    ApiJson(b): ApiJson<ExpenseCreate>,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let e = settlement::add_expense(&s.app, &viewer, id, &b.expense, b.adjusting, &cx.actor()).await?;
    Ok(json(StatusCode::CREATED, expense(&e)))
}

/// An expense line as sent back to change it.
#[derive(Deserialize, ToSchema)]
pub struct ExpenseUpdate {
    /// The line's version read (409 when stale); unchecked when left out.
    #[serde(default)]
    pub version: Option<i32>,
    /// Its new values.
    #[serde(flatten)]
    pub expense: ExpenseInput,
}

/// The version read, if the caller wants it checked.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OptionalVersion {
    /// The line's version read (409 when stale); unchecked when left out.
    #[serde(default, deserialize_with = "crate::extract::empty_as_none")]
    pub version: Option<i32>,
}

/// One expense line.
#[utoipa::path(get, path = "/api/v1/expenses/{id}", tag = "settlement",
    params(("id" = i32, Path, description = "Expense id", example = 1)),
    responses((status = 200, body = ExpenseResponse), (status = 404, body = Problem)))]
pub async fn get_expense(State(s): State<AppState>, cx: Cx, Id(id): Id<ExpenseId>) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let e = settlement::expense(&s.app, &viewer, id).await?;
    Ok(json(StatusCode::OK, expense(&e)))
}

/// Changes an expense line while the settlement is open or returned (an approved one is
/// locked: write an adjusting line instead).
#[utoipa::path(put, path = "/api/v1/expenses/{id}", tag = "settlement",
    params(("id" = i32, Path, description = "Expense id", example = 1)),
    request_body = ExpenseUpdate,
    responses((status = 200, body = ExpenseResponse),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Changed since read, or the settlement is locked (`settlement_locked`)", body = Problem),
        (status = 422, description = "Every problem at once", body = Problem)))]
pub async fn put_expense(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ExpenseId>,
    ApiJson(b): ApiJson<ExpenseUpdate>,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let e = settlement::update_expense(&s.app, &viewer, id, b.version, &b.expense, &cx.actor()).await?;
    Ok(json(StatusCode::OK, expense(&e)))
}

/// Removes an expense line and its receipts while the settlement is open or returned.
#[utoipa::path(delete, path = "/api/v1/expenses/{id}", tag = "settlement",
    params(("id" = i32, Path, description = "Expense id", example = 1), OptionalVersion),
    responses((status = 204, description = "Removed"),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Changed since read, or the settlement is locked (`settlement_locked`)", body = Problem)))]
pub async fn delete_expense(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ExpenseId>,
    Query(q): Query<OptionalVersion>,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    settlement::delete_expense(&s.app, &viewer, id, q.version, &cx.actor()).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// A reception's settlement: budget against actual (by category, the whole, per person
/// against the tier's standard), the saving of material back in stock, and its state.
#[utoipa::path(get, path = "/api/v1/receptions/{id}/settlement", tag = "settlement",
    params(("id" = i32, Path, description = "Reception id", example = 1)),
    responses((status = 200, body = SettlementResponse), (status = 404, body = Problem)))]
pub async fn get_settlement(State(s): State<AppState>, cx: Cx, Id(id): Id<ReceptionId>) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let v = settlement::settlement(&s.app, &viewer, id).await?;
    Ok(json(StatusCode::OK, settlement_response(&v)))
}

/// A move of a settlement.
#[derive(Deserialize, ToSchema)]
pub struct SettlementMove {
    /// The settlement's version read (409 when it changed since).
    pub version: i32,
    /// Finance's comment: required to return, optional otherwise.
    #[serde(default)]
    #[schema(max_length = 500)]
    pub comment: String,
}

/// Submits (General Management), approves or returns (finance; a comment required to
/// return) a settlement read at `version`. Approved, it is locked.
#[utoipa::path(post, path = "/api/v1/receptions/{id}/settlement/{action}", tag = "settlement",
    params(("id" = i32, Path, description = "Reception id", example = 1),
        ("action" = inline(SettlementAction), Path, description = "`submit`, `approve` or `return`; another is not found")),
    request_body = SettlementMove,
    responses((status = 200, body = SettlementResponse),
        (status = 403, description = "Submit: General Management; approve and return: finance", body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Changed since read (`stale_version`), or the move does not apply now (`settlement_state`, `reception_not_taken_on`, `reception_stopped`); approving a settlement one submitted oneself (`approve_own_settlement`)", body = Problem),
        (status = 422, description = "No comment to return", body = Problem)))]
pub async fn act_on_settlement(
    State(s): State<AppState>,
    cx: Cx,
    IdAnd(id, action): IdAnd<ReceptionId>,
    ApiJson(b): ApiJson<SettlementMove>,
) -> AppResult<Response> {
    let action = SettlementAction::parse(&action).ok_or(AppError::NotFound)?;
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    settlement::act(&s.app, &viewer, id, action, b.version, &b.comment, &cx.actor()).await?;
    let v = settlement::settlement(&s.app, &viewer, id).await?;
    Ok(json(StatusCode::OK, settlement_response(&v)))
}
