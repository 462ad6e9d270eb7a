//! The audit log in the API (administrators).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use jiedai_domain::AuditEntry;
use serde::Serialize;
use utoipa::ToSchema;

use super::AuditQueryParams;
use crate::error::AppResult;
use crate::extract::Query;
use crate::render::{Problem, json};
use crate::state::AppState;

/// One audit entry.
#[derive(Serialize, ToSchema)]
pub struct AuditResponse {
    /// Id, increasing with time.
    pub id: i32,
    /// When.
    pub at: DateTime<Utc>,
    /// Acting user id.
    pub actor_user_id: Option<i32>,
    /// Acting username or `cli`, `system`, `anonymous`.
    pub actor: String,
    /// Entity kind.
    pub entity: String,
    /// Entity id.
    pub entity_id: Option<String>,
    /// Action.
    pub action: String,
    /// Entity before (JSON).
    pub before: Option<serde_json::Value>,
    /// Entity after (JSON).
    pub after: Option<serde_json::Value>,
    /// Client address.
    pub ip: Option<String>,
}

impl From<AuditEntry> for AuditResponse {
    fn from(a: AuditEntry) -> Self {
        let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
        Self {
            id: a.id.get(),
            at: a.at,
            actor_user_id: a.actor_user_id.map(|u| u.get()),
            actor: a.actor_label,
            entity: a.entity,
            entity_id: a.entity_id,
            action: a.action,
            before: parse(a.before),
            after: parse(a.after),
            ip: a.ip,
        }
    }
}

/// A page of audit entries.
#[derive(Serialize, ToSchema)]
pub struct AuditList {
    /// Newest first.
    pub items: Vec<AuditResponse>,
    /// Cursor for the next page (`before`), or null at the end.
    pub next: Option<String>,
}

/// Lists audit entries, newest first, keyset-paged.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQueryParams),
    responses((status = 200, body = AuditList), (status = 422, body = Problem)))]
pub async fn list_audit(State(s): State<AppState>, Query(q): Query<AuditQueryParams>) -> AppResult<Response> {
    let f = q.parse()?;
    let limit = q.page_size();
    let rows = jiedai_app::audit::list(&s.app, &f, limit + 1).await?;
    let more = rows.len() as u64 > limit;
    let items: Vec<AuditResponse> = rows.into_iter().take(limit as usize).map(AuditResponse::from).collect();
    let next = if more { items.last().map(|a| a.id.to_string()) } else { None };
    Ok(json(StatusCode::OK, AuditList { items, next }))
}
