//! One's own account: profile, language, password and API tokens.

use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::Response;
use jiedai_app::accounts::Reach;
use jiedai_domain::{Language, TokenId, User, UserId};
use serde::Deserialize;

use super::role_key;
use crate::auth::Cx;
use crate::auth::csrf::CsrfForm;
use crate::cookies::{LANG_COOKIE, set_cookie};
use crate::error::{AppError, AppResult};
use crate::extract::Id;
use crate::forms::FormErrors;
use crate::render::{Chrome, page, redirect_with_flash};
use crate::state::AppState;
use jiedai_app::accounts;

#[derive(Template)]
#[template(path = "accounts/account.html")]
struct AccountPage {
    c: Chrome,
    user: User,
    roles: Vec<&'static str>,
    errs: FormErrors,
}

fn account_page(cx: &Cx, errs: FormErrors) -> AppResult<Response> {
    let user = cx.user()?.clone();
    let roles = user.roles.iter().map(role_key).collect();
    Ok(page(&AccountPage { c: Chrome::new(cx), user, roles, errs }))
}

/// `GET /account`.
pub async fn show_account(cx: Cx) -> AppResult<Response> {
    account_page(&cx, FormErrors::none())
}

/// The password form.
#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

/// `POST /account/password`.
pub async fn change_password(
    State(s): State<AppState>,
    cx: Cx,
    CsrfForm(f): CsrfForm<PasswordForm>,
) -> AppResult<Response> {
    let user = cx.user()?;
    let r = accounts::change_password(
        &s.app,
        user.id,
        Some(&f.current_password),
        &f.new_password,
        cx.session_hash(),
        &cx.actor(),
    )
    .await;
    match r {
        Ok(()) => Ok(redirect_with_flash("/account", "flash.password_changed", s.secure_cookies())),
        Err(e) => {
            let e = AppError::from(e);
            let errs = FormErrors::from_failure(cx.tr(), e)?;
            let mut res = account_page(&cx, errs)?;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
    }
}

/// The language form.
#[derive(Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    language: String,
}

/// `POST /account/language`.
pub async fn change_language(
    State(s): State<AppState>,
    cx: Cx,
    CsrfForm(f): CsrfForm<LanguageForm>,
) -> AppResult<Response> {
    let user = cx.user()?;
    let lang = Language::parse(&f.language).ok_or(AppError::BadRequest { code: "unknown_language", detail: None })?;
    accounts::set_language(&s.app, user.id, lang, &cx.actor()).await?;
    let mut res = redirect_with_flash("/account", "flash.saved", s.secure_cookies());
    res.headers_mut()
        .append(header::SET_COOKIE, set_cookie(LANG_COOKIE, lang.tag(), Some(365 * 24 * 3600), s.secure_cookies()));
    Ok(res)
}

/// A token row, formatted.
pub struct TokenRow {
    pub(super) id: TokenId,
    pub(super) name: String,
    pub(super) prefix: String,
    pub(super) created: String,
    pub(super) last_used: Option<String>,
    pub(super) revoked: bool,
}

/// One user's tokens, formatted for a page.
pub(super) async fn token_rows(s: &AppState, cx: &Cx, user_id: UserId) -> AppResult<Vec<TokenRow>> {
    let tr = cx.tr();
    let tz = s.tz();
    Ok(accounts::list_tokens(&s.app, Some(user_id))
        .await?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            created: tr.datetime(t.created_at, tz),
            last_used: t.last_used_at.map(|at| tr.datetime(at, tz)),
            revoked: t.revoked_at.is_some(),
        })
        .collect())
}

#[derive(Template)]
#[template(path = "accounts/tokens.html")]
struct TokensPage {
    c: Chrome,
    tokens: Vec<TokenRow>,
    new_secret: Option<String>,
    name: String,
    errs: FormErrors,
}

async fn tokens_page(
    s: &AppState,
    cx: &Cx,
    new_secret: Option<String>,
    name: String,
    errs: FormErrors,
) -> AppResult<Response> {
    let user = cx.user()?;
    let tokens = token_rows(s, cx, user.id).await?;
    Ok(page(&TokensPage { c: Chrome::new(cx), tokens, new_secret, name, errs }))
}

/// `GET /account/tokens`.
pub async fn show_tokens(State(s): State<AppState>, cx: Cx) -> AppResult<Response> {
    tokens_page(&s, &cx, None, String::new(), FormErrors::none()).await
}

/// The new-token form.
#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
}

/// `POST /account/tokens`: creates a token and shows its secret once.
pub async fn create_token(State(s): State<AppState>, cx: Cx, CsrfForm(f): CsrfForm<TokenForm>) -> AppResult<Response> {
    let user = cx.user()?;
    match accounts::create_token(&s.app, user.id, &f.name, &cx.actor()).await {
        Ok((_, secret)) => {
            let mut res = tokens_page(&s, &cx, Some(secret), String::new(), FormErrors::none()).await?;
            // The secret must not linger in caches or history.
            res.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
            Ok(res)
        }
        Err(e) => {
            let e = AppError::from(e);
            let errs = FormErrors::from_failure(cx.tr(), e)?;
            tokens_page(&s, &cx, None, f.name, errs).await
        }
    }
}

/// `POST /account/tokens/{id}/revoke`.
pub async fn revoke_token(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<TokenId>,
    CsrfForm(_): CsrfForm<super::signin::EmptyForm>,
) -> AppResult<Response> {
    accounts::revoke_token(&s.app, id, Reach::Own(cx.user()?), &cx.actor()).await?;
    Ok(redirect_with_flash("/account/tokens", "flash.token_revoked", s.secure_cookies()))
}
