//! Departments (administrators).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use jiedai_app::accounts::{self, DepartmentInput};
use jiedai_domain::DepartmentId;

use super::types::{DepartmentList, DepartmentRequest, DepartmentResponse};
use crate::auth::Cx;
use crate::error::AppResult;
use crate::extract::{ApiJson, Id};
use crate::render::{Problem, json};
use crate::state::AppState;

fn input(b: DepartmentRequest) -> DepartmentInput {
    DepartmentInput { name: b.name, head_user_id: b.head_user_id.map(|h| h.to_string()), version: b.version }
}

/// Lists departments.
#[utoipa::path(get, path = "/api/v1/departments", tag = "departments",
    responses((status = 200, body = DepartmentList)))]
pub async fn list_departments(State(s): State<AppState>) -> AppResult<Response> {
    let items = accounts::list_departments(&s.app).await?.into_iter().map(DepartmentResponse::from).collect();
    Ok(json(StatusCode::OK, DepartmentList { items, next: None }))
}

/// Creates a department.
#[utoipa::path(post, path = "/api/v1/departments", tag = "departments", request_body = DepartmentRequest,
    responses((status = 201, body = DepartmentResponse),
        (status = 409, description = "The name is taken (`name_taken`), or a request with the same `Idempotency-Key` is still running", body = Problem),
        (status = 422, description = "The name is invalid, or `head_user_id` names no user", body = Problem)))]
pub async fn create_department(
    State(s): State<AppState>,
    cx: Cx,
    ApiJson(b): ApiJson<DepartmentRequest>,
) -> AppResult<Response> {
    let d = accounts::create_department(&s.app, &input(b), &cx.actor()).await?;
    Ok(json(StatusCode::CREATED, DepartmentResponse::from(d)))
}

/// One department.
#[utoipa::path(get, path = "/api/v1/departments/{id}", tag = "departments",
    params(("id" = i32, Path, description = "Department id", example = 1)),
    responses((status = 200, body = DepartmentResponse), (status = 404, body = Problem)))]
pub async fn get_department(State(s): State<AppState>, Id(id): Id<DepartmentId>) -> AppResult<Response> {
    Ok(json(StatusCode::OK, DepartmentResponse::from(accounts::get_department(&s.app, id).await?)))
}

/// Renames a department or changes its head.
#[utoipa::path(put, path = "/api/v1/departments/{id}", tag = "departments",
    params(("id" = i32, Path, description = "Department id", example = 1)), request_body = DepartmentRequest,
    responses((status = 200, body = DepartmentResponse),
        (status = 409, description = "Changed since read (`stale_version`), or the name is taken (`name_taken`)", body = Problem),
        (status = 422, description = "The name is invalid, `head_user_id` names no user, or `version` is missing", body = Problem)))]
pub async fn update_department(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<DepartmentId>,
    ApiJson(b): ApiJson<DepartmentRequest>,
) -> AppResult<Response> {
    let d = accounts::update_department(&s.app, id, &input(b), &cx.actor()).await?;
    Ok(json(StatusCode::OK, DepartmentResponse::from(d)))
}
