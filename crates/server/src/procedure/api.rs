//! The reception procedure: the version in force and older versions.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use jiedai_app::{ProcedureVersion, procedure};
use jiedai_domain::procedure::Procedure;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Cx;
use crate::error::{AppError, AppResult};
use crate::extract::ApiJson;
use crate::render::{Problem, json};
use crate::state::AppState;

/// A version of the procedure: `version`, `stages` (each with `key` and
/// `offset_working_days`), `tiers` (each with `key` and `standard_per_person_fen`),
/// `tasks`, `items`, `survey`.
#[derive(Serialize, ToSchema)]
pub struct ProcedureResponse {
    /// Version number.
    pub version: i32,
    /// What changed.
    pub note: String,
    /// When the version was made.
    pub created_at: DateTime<Utc>,
    /// Who made it.
    pub created_by: String,
    /// The procedure itself.
    #[serde(flatten)]
    pub procedure: Procedure,
}

impl From<ProcedureVersion> for ProcedureResponse {
    fn from(v: ProcedureVersion) -> Self {
        Self {
            version: v.version,
            note: v.note,
            created_at: v.created_at,
            created_by: v.created_by,
            procedure: v.procedure,
        }
    }
}

/// The procedure in force.
#[utoipa::path(get, path = "/api/v1/procedure", tag = "procedure",
    responses((status = 200, description = "The version in force", body = ProcedureResponse)))]
pub async fn get_procedure(State(s): State<AppState>) -> AppResult<Response> {
    Ok(json(StatusCode::OK, ProcedureResponse::from(procedure::current(&s.app).await?.as_ref().clone())))
}

/// One version of the procedure, current or older.
#[utoipa::path(get, path = "/api/v1/procedure/versions/{version}", tag = "procedure",
    params(("version" = i32, Path, description = "Version number", example = 1)),
    responses((status = 200, description = "The version", body = ProcedureResponse), (status = 404, body = Problem)))]
pub async fn get_version(State(s): State<AppState>, Path(version): Path<String>) -> AppResult<Response> {
    let n: i32 = version.parse().map_err(|_| AppError::NotFound)?;
    procedure::current(&s.app).await?;
    Ok(json(StatusCode::OK, ProcedureResponse::from(procedure::version(&s.app, n).await?)))
}

/// A new version: the whole procedure, and the version it was based on.
#[derive(Deserialize, ToSchema)]
pub struct ReplaceProcedureRequest {
    /// The version read; a stale one answers 409.
    pub based_on: i32,
    /// What changed (trimmed; the first 200 characters are kept; empty: `api`).
    #[serde(default)]
    pub note: String,
    /// The procedure (stages, tiers, tasks, items, survey), as `GET` answers it.
    #[serde(flatten)]
    pub procedure: Procedure,
}

/// Makes a new version of the procedure (administrators), checked as a whole.
#[utoipa::path(put, path = "/api/v1/procedure", tag = "procedure",
    request_body = ReplaceProcedureRequest,
    responses((status = 200, description = "The version in force after the change", body = ProcedureResponse),
        (status = 409, description = "Another version was made since `based_on` (`stale_version`)", body = Problem),
        (status = 422, description = "The procedure is not consistent; `errors` names each problem", body = Problem)))]
pub async fn replace_procedure(
    State(s): State<AppState>,
    cx: Cx,
    ApiJson(b): ApiJson<ReplaceProcedureRequest>,
) -> AppResult<Response> {
    let note = if b.note.trim().is_empty() { "api".to_owned() } else { b.note.trim().chars().take(200).collect() };
    let v = procedure::replace(&s.app, b.procedure, b.based_on, &note, &cx.actor()).await?;
    Ok(json(StatusCode::OK, ProcedureResponse::from(procedure::version(&s.app, v).await?)))
}
