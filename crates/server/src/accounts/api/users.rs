//! Users (administrators).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use jiedai_app::accounts::{self, UserInput};
use jiedai_domain::UserId;

use super::types::{CreateUserRequest, UpdateUserRequest, UserList, UserResponse};
use crate::auth::Cx;
use crate::error::AppResult;
use crate::extract::{ApiJson, Id, Query};
use crate::render::{Problem, json};
use crate::state::AppState;

/// Filters of the user list.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct UserListQueryParams {
    /// Part of a username or name.
    #[param(pattern = "^[^\\x00]*$")]
    pub q: Option<String>,
}

/// Lists users.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(UserListQueryParams),
    responses((status = 200, body = UserList)))]
pub async fn list_users(State(s): State<AppState>, Query(q): Query<UserListQueryParams>) -> AppResult<Response> {
    let items = accounts::list_users(&s.app, q.q.as_deref()).await?.into_iter().map(UserResponse::from).collect();
    Ok(json(StatusCode::OK, UserList { items, next: None }))
}

/// Creates a user.
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = CreateUserRequest,
    responses((status = 201, body = UserResponse),
        (status = 409, description = "The username is taken (`username_taken`), or a request with the same `Idempotency-Key` is still running", body = Problem),
        (status = 422, description = "A field is invalid, or `department_id` names no department", body = Problem)))]
pub async fn create_user(
    State(s): State<AppState>,
    cx: Cx,
    ApiJson(b): ApiJson<CreateUserRequest>,
) -> AppResult<Response> {
    let input = UserInput {
        username: b.username,
        display_name: b.display_name,
        department_id: b.department_id.map(|d| d.to_string()),
        phone: b.phone.unwrap_or_default(),
        email: b.email.unwrap_or_default(),
        language: b.language.unwrap_or_default(),
        roles: b.roles,
        password: b.password.unwrap_or_default(),
        ..Default::default()
    };
    let u = accounts::create_user(&s.app, &input, false, &cx.actor()).await?;
    Ok(json(StatusCode::CREATED, UserResponse::from(u)))
}

/// One user.
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users", params(("id" = i32, Path, description = "User id", example = 1)),
    responses((status = 200, body = UserResponse), (status = 404, body = Problem)))]
pub async fn get_user(State(s): State<AppState>, Id(id): Id<UserId>) -> AppResult<Response> {
    Ok(json(StatusCode::OK, UserResponse::from(accounts::get_user(&s.app, id).await?)))
}

/// Changes a user's profile, roles and state.
#[utoipa::path(put, path = "/api/v1/users/{id}", tag = "users", params(("id" = i32, Path, description = "User id", example = 1)),
    request_body = UpdateUserRequest,
    responses((status = 200, body = UserResponse),
        (status = 409, description = "Changed since read (`stale_version`)", body = Problem),
        (status = 422, description = "A field is invalid, `department_id` names no department, or one would disable oneself or drop one's own `admin` role", body = Problem)))]
pub async fn update_user(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<UserId>,
    ApiJson(b): ApiJson<UpdateUserRequest>,
) -> AppResult<Response> {
    let input = UserInput {
        display_name: b.display_name,
        department_id: b.department_id.map(|d| d.to_string()),
        phone: b.phone.unwrap_or_default(),
        email: b.email.unwrap_or_default(),
        language: b.language.unwrap_or_default(),
        roles: b.roles,
        active: Some(b.active.to_string()),
        version: Some(b.version),
        ..Default::default()
    };
    let u = accounts::update_user(&s.app, id, &input, &cx.actor()).await?;
    Ok(json(StatusCode::OK, UserResponse::from(u)))
}
