//! The audit log (administrators).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::types::{AuditList, AuditResponse};
use super::{Query, json};
use crate::app::AppState;
use crate::error::AppResult;
use crate::render::Problem;
use crate::service::audit::{AuditQueryParams, to_filter};

/// Lists audit entries, newest first, keyset-paged.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQueryParams),
    responses((status = 200, body = AuditList), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn list_audit(State(app): State<AppState>, Query(q): Query<AuditQueryParams>) -> AppResult<Response> {
    let f = to_filter(&q, app.settings.timezone)?;
    let limit = q.limit.unwrap_or(50).clamp(1, 200);
    let rows = app.store.list_audit(&f, limit + 1).await?;
    let more = rows.len() as u64 > limit;
    let items: Vec<AuditResponse> = rows.into_iter().take(limit as usize).map(AuditResponse::from).collect();
    let next = if more { items.last().map(|a| a.id.to_string()) } else { None };
    Ok(json(StatusCode::OK, AuditList { items, next }))
}
