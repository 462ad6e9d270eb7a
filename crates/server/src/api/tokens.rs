//! API tokens: each person manages their own; administrators see and revoke all.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use jiedai_domain::{Permission, Role};
use serde::Deserialize;

use super::types::{CreateTokenRequest, CreatedToken, TokenList, TokenResponse};
use super::{ApiJson, Id, Query, json};
use crate::app::AppState;
use crate::auth::Cx;
use crate::error::{AppError, AppResult};
use crate::render::Problem;
use crate::service::accounts;

/// Filters of the token list.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct TokenListQueryParams {
    /// `true`: everyone's tokens (administrators only).
    #[serde(default)]
    pub all: bool,
}

/// Lists one's tokens (or everyone's, for administrators with `all=true`).
#[utoipa::path(get, path = "/api/v1/tokens", tag = "tokens", params(TokenListQueryParams),
    responses((status = 200, body = TokenList), (status = 401, body = Problem)))]
pub async fn list_tokens(
    State(app): State<AppState>,
    cx: Cx,
    Query(q): Query<TokenListQueryParams>,
) -> AppResult<Response> {
    let user = cx.user()?;
    let scope = if q.all {
        cx.require(Permission::ManageUsers)?;
        None
    } else {
        Some(user.id)
    };
    let items = app.store.list_tokens(scope).await?.into_iter().map(TokenResponse::from).collect();
    Ok(json(StatusCode::OK, TokenList { items, next: None }))
}

/// Creates a token for oneself; the secret is in this answer only.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "tokens", request_body = CreateTokenRequest,
    responses((status = 201, body = CreatedToken), (status = 422, body = Problem)))]
pub async fn create_token(
    State(app): State<AppState>,
    cx: Cx,
    ApiJson(b): ApiJson<CreateTokenRequest>,
) -> AppResult<Response> {
    let user = cx.user()?;
    let (t, secret) = accounts::create_token(&app.store, user.id, &b.name, &cx.actor()).await?;
    Ok(json(StatusCode::CREATED, CreatedToken { token: t.into(), secret }))
}

/// Revokes a token: one's own, or any for administrators.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "tokens", params(("id" = i32, Path, description = "Token id")),
    responses((status = 200, body = TokenResponse), (status = 404, body = Problem)))]
pub async fn revoke_token(State(app): State<AppState>, cx: Cx, Id(id): Id) -> AppResult<Response> {
    let user = cx.user()?;
    let t = app.store.get_token(id).await?;
    if t.user_id != user.id && !user.roles.contains(Role::Admin) {
        // Someone else's token does not exist, as far as this requester knows.
        return Err(AppError::NotFound);
    }
    let t = app.store.revoke_token(id, &cx.actor()).await?;
    Ok(json(StatusCode::OK, TokenResponse::from(t)))
}
