//! Users (administrators).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::types::{CreateUserRequest, UpdateUserRequest, UserList, UserResponse};
use super::{ApiJson, Id, Query, json};
use crate::app::AppState;
use crate::auth::Cx;
use crate::error::AppResult;
use crate::render::Problem;
use crate::service::accounts::{self, UserInput};

/// Filters of the user list.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct UserListQueryParams {
    /// Part of a username or name.
    pub q: Option<String>,
}

/// Lists users.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(UserListQueryParams),
    responses((status = 200, body = UserList), (status = 403, body = Problem)))]
pub async fn list_users(State(app): State<AppState>, Query(q): Query<UserListQueryParams>) -> AppResult<Response> {
    let items = app.store.list_users(q.q.as_deref()).await?.into_iter().map(UserResponse::from).collect();
    Ok(json(StatusCode::OK, UserList { items, next: None }))
}

/// Creates a user.
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = CreateUserRequest,
    responses((status = 201, body = UserResponse), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_user(
    State(app): State<AppState>,
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
    let u = accounts::create_user(&app.store, &input, false, &cx.actor()).await?;
    Ok(json(StatusCode::CREATED, UserResponse::from(u)))
}

/// One user.
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users", params(("id" = i32, Path, description = "User id")),
    responses((status = 200, body = UserResponse), (status = 404, body = Problem)))]
pub async fn get_user(State(app): State<AppState>, Id(id): Id) -> AppResult<Response> {
    Ok(json(StatusCode::OK, UserResponse::from(app.store.get_user(id).await?)))
}

/// Changes a user's profile, roles and state.
#[utoipa::path(put, path = "/api/v1/users/{id}", tag = "users", params(("id" = i32, Path, description = "User id")),
    request_body = UpdateUserRequest,
    responses((status = 200, body = UserResponse), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update_user(
    State(app): State<AppState>,
    cx: Cx,
    Id(id): Id,
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
    let u = accounts::update_user(&app.store, id, &input, &cx.actor()).await?;
    Ok(json(StatusCode::OK, UserResponse::from(u)))
}
