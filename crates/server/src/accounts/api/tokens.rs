//! API tokens: each person manages their own; administrators see and revoke all.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use jiedai_app::accounts::{self, Reach};
use jiedai_domain::{Permission, TokenId};
use serde::Deserialize;

use super::types::{CreateTokenRequest, CreatedToken, TokenList, TokenResponse};
use crate::auth::Cx;
use crate::auth::idempotency::ReplayBody;
use crate::error::AppResult;
use crate::extract::{ApiJson, Id, Query};
use crate::render::{Problem, json};
use crate::state::AppState;

/// Filters of the token list.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct TokenListQueryParams {
    /// `true`: everyone's tokens (administrators only).
    #[serde(default, deserialize_with = "crate::extract::empty_as_none")]
    pub all: Option<bool>,
}

/// Lists one's tokens (or everyone's, for administrators with `all=true`).
#[utoipa::path(get, path = "/api/v1/tokens", tag = "tokens", params(TokenListQueryParams),
    responses((status = 200, body = TokenList),
        (status = 403, description = "`all=true` without the right to manage users", body = Problem)))]
pub async fn list_tokens(
    State(s): State<AppState>,
    cx: Cx,
    Query(q): Query<TokenListQueryParams>,
) -> AppResult<Response> {
    let user = cx.user()?;
    let scope = if q.all.unwrap_or(false) {
        cx.require(Permission::ManageUsers)?;
        None
    } else {
        Some(user.id)
    };
    let items = accounts::list_tokens(&s.app, scope).await?.into_iter().map(TokenResponse::from).collect();
    Ok(json(StatusCode::OK, TokenList { items, next: None }))
}

/// Creates a token for oneself; the secret is in this answer only (a repeat with the same
/// `Idempotency-Key` answers the token without its secret).
#[utoipa::path(post, path = "/api/v1/tokens", tag = "tokens", request_body = CreateTokenRequest,
    responses((status = 201, body = CreatedToken), (status = 422, description = "The label is too long or holds control characters", body = Problem)))]
pub async fn create_token(
    State(s): State<AppState>,
    cx: Cx,
    ApiJson(b): ApiJson<CreateTokenRequest>,
) -> AppResult<Response> {
    let user = cx.user()?;
    let (t, secret) = accounts::create_token(&s.app, user.id, &b.name, &cx.actor()).await?;
    let token = TokenResponse::from(t);
    let replay = serde_json::json!({ "token": &token, "secret": null }).to_string();
    let mut res = json(StatusCode::CREATED, CreatedToken { token, secret: Some(secret) });
    res.extensions_mut().insert(ReplayBody(replay));
    Ok(res)
}

/// Revokes a token: one's own, or any for administrators.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "tokens", params(("id" = i32, Path, description = "Token id", example = 1)),
    responses((status = 200, body = TokenResponse),
        (status = 404, description = "No such token among those the caller may revoke", body = Problem)))]
pub async fn revoke_token(State(s): State<AppState>, cx: Cx, Id(id): Id<TokenId>) -> AppResult<Response> {
    let t = accounts::revoke_token(&s.app, id, Reach::OwnOrAdministered(cx.user()?), &cx.actor()).await?;
    Ok(json(StatusCode::OK, TokenResponse::from(t)))
}
