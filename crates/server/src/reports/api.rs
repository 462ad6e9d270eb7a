//! `GET /api/v1/reports/summary`: the report's figures as JSON, for scripts and dashboards.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use jiedai_domain::reports::Summary;

use super::page::{ReportQuery, summary_of};
use crate::auth::Cx;
use crate::error::AppResult;
use crate::extract::Query;
use crate::render::{Problem, json};
use crate::state::AppState;

/// The figures of the reports for a period (receptions whose visit begins in it) and one
/// department or all: receptions by state, tier and department; spending of settled
/// receptions against budgets and the tiers' standards with the largest over-runs;
/// satisfaction per item and by month; late requests by department; tasks finished on time;
/// material reused; improvement actions still open. Money in fen, shares in basis points
/// (1 % = 100), scores in hundredths.
#[utoipa::path(get, path = "/api/v1/reports/summary", tag = "reports", params(ReportQuery),
    responses((status = 200, body = Summary),
        (status = 400, description = "A malformed day or department", body = Problem),
        (status = 403, description = "Not General Management, finance or an administrator", body = Problem),
        (status = 422, description = "`to` before `from`, or a period over ten years", body = Problem)))]
pub async fn summary(State(s): State<AppState>, cx: Cx, Query(q): Query<ReportQuery>) -> AppResult<Response> {
    let sum = summary_of(&s, &cx, &q).await?;
    Ok(json(StatusCode::OK, sum))
}
