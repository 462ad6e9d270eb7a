//! The signed-in user's own account.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use jiedai_domain::{FieldError, Language};

use jiedai_app::accounts;

use super::types::{ChangePasswordRequest, UpdateMeRequest, UserResponse};
use crate::auth::Cx;
use crate::error::{AppError, AppResult};
use crate::extract::ApiJson;
use crate::render::{Problem, json};
use crate::state::AppState;

/// Who am I.
#[utoipa::path(get, path = "/api/v1/me", tag = "account",
    responses((status = 200, body = UserResponse)))]
pub async fn get_me(cx: Cx) -> AppResult<Response> {
    Ok(json(StatusCode::OK, UserResponse::from(cx.user()?.clone())))
}

/// Changes one's preferred language.
#[utoipa::path(patch, path = "/api/v1/me", tag = "account", request_body = UpdateMeRequest,
    responses((status = 200, body = UserResponse), (status = 422, description = "Not a language the service speaks", body = Problem)))]
pub async fn update_me(
    State(s): State<AppState>,
    cx: Cx,
    ApiJson(body): ApiJson<UpdateMeRequest>,
) -> AppResult<Response> {
    let user = cx.user()?;
    let lang = Language::parse(&body.language)
        .ok_or_else(|| AppError::field(FieldError::new("language", "unknown_language")))?;
    let u = accounts::set_language(&s.app, user.id, lang, &cx.actor()).await?;
    Ok(json(StatusCode::OK, UserResponse::from(u)))
}

/// Changes one's password; other sessions end.
#[utoipa::path(post, path = "/api/v1/me/password", tag = "account", request_body = ChangePasswordRequest,
    responses((status = 204, description = "Changed"),
        (status = 422, description = "The current password is wrong, or the new one too short, too long, only spaces, \
            too easy to guess (`weak_password`) or containing the username, name or e-mail (`password_contains_name`)", body = Problem),
        (status = 429, description = "Too many wrong current passwords for this account or address in the throttling window \
            (as for a sign-in); `Retry-After` says when to try again", body = Problem)))]
pub async fn change_my_password(
    State(s): State<AppState>,
    cx: Cx,
    ApiJson(body): ApiJson<ChangePasswordRequest>,
) -> AppResult<StatusCode> {
    let user = cx.user()?;
    accounts::change_password(
        &s.app,
        user.id,
        Some(&body.current_password),
        &body.new_password,
        cx.session_hash(),
        &cx.actor(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
