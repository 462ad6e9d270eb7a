//! Signing in and out, first-run set-up, and the language switcher.

use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Duration;
use jiedai_domain::{Actor, Language};
use serde::Deserialize;

use super::FormErrors;
use crate::app::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::token::{random_hex, sha256_hex};
use crate::auth::{Cx, password, throttle};
use crate::cookies::{CSRF_COOKIE, LANG_COOKIE, SESSION_COOKIE, set_cookie};
use crate::error::{AppError, AppResult};
use crate::extract::Query;
use crate::render::{Chrome, page, redirect_with_flash, safe_next};
use crate::service::accounts::{self, UserInput};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    c: Chrome,
    username: String,
    next: String,
    error: Option<String>,
}

/// Query of the sign-in page.
#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
}

/// `GET /login`.
pub async fn login_page(cx: Cx, Query(q): Query<LoginQuery>) -> Response {
    if cx.user.is_some() {
        return Redirect::to(&safe_next(q.next.as_deref())).into_response();
    }
    page(&LoginPage { c: Chrome::new(&cx), username: String::new(), next: safe_next(q.next.as_deref()), error: None })
}

/// The sign-in form.
#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: Option<String>,
}

/// `POST /login`.
pub async fn login_submit(
    State(app): State<AppState>,
    cx: Cx,
    CsrfForm(f): CsrfForm<LoginForm>,
) -> AppResult<Response> {
    let tr = cx.tr();
    let next = safe_next(f.next.as_deref());
    let username = f.username.trim().to_lowercase();
    let again = |status: StatusCode, msg: String| {
        let mut r = page(&LoginPage {
            c: Chrome::new(&cx),
            username: f.username.clone(),
            next: next.clone(),
            error: Some(msg),
        });
        *r.status_mut() = status;
        r
    };
    match throttle::check(&app, &username, cx.ip.as_deref()).await {
        Ok(()) => {}
        Err(AppError::TooManyRequests { retry_after }) => {
            let mut r = again(
                StatusCode::TOO_MANY_REQUESTS,
                tr.t_with("error.retry_after", &[("seconds", &retry_after.to_string())]),
            );
            r.headers_mut().insert(header::RETRY_AFTER, retry_after.into());
            return Ok(r);
        }
        Err(other) => return Err(other),
    }
    let found = app.store.find_login(&username).await?;
    let (user, hash) = match found {
        Some((u, h)) => (Some(u), h),
        None => (None, None),
    };
    let ok = password::verify(f.password.clone(), hash).await;
    let failure_actor =
        Actor { user_id: user.as_ref().map(|u| u.id), label: username.chars().take(64).collect(), ip: cx.ip.clone() };
    match user {
        Some(u) if ok && u.active => {
            throttle::succeeded(&app, &username).await?;
            let sid = random_hex();
            let actor = Actor { user_id: Some(u.id), label: u.username.clone(), ip: cx.ip.clone() };
            let ttl = Duration::hours(app.settings.session_hours);
            app.store.create_session(sha256_hex(&sid), u.id, ttl, &actor).await?;
            let secure = app.settings.secure_cookies;
            let mut res = Redirect::to(&next).into_response();
            let h = res.headers_mut();
            h.append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, &sid, Some(ttl.num_seconds()), secure));
            // A new CSRF token with the new session: one planted before sign-in is useless.
            h.append(header::SET_COOKIE, set_cookie(CSRF_COOKIE, &random_hex(), None, secure));
            Ok(res)
        }
        Some(u) if ok && !u.active => {
            app.store.record_event(&failure_actor, "session", Some(u.id.to_string()), "login_disabled", None).await?;
            Ok(again(StatusCode::FORBIDDEN, tr.t("login.disabled").to_owned()))
        }
        _ => {
            throttle::failed(&app, &username, cx.ip.as_deref()).await?;
            app.store.record_event(&failure_actor, "session", None, "login_failed", None).await?;
            Ok(again(StatusCode::UNAUTHORIZED, tr.t("login.failed").to_owned()))
        }
    }
}

/// Nothing but the token.
#[derive(Deserialize)]
pub struct EmptyForm {}

/// `POST /logout`.
pub async fn logout(State(app): State<AppState>, cx: Cx, CsrfForm(_): CsrfForm<EmptyForm>) -> AppResult<Response> {
    if let Some(h) = cx.session_hash() {
        app.store.delete_session(h, &cx.actor()).await?;
    }
    let mut res = redirect_with_flash("/login", "flash.signed_out", app.settings.secure_cookies);
    res.headers_mut().append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, "", Some(0), app.settings.secure_cookies));
    Ok(res)
}

#[derive(Template)]
#[template(path = "setup.html")]
struct SetupPage {
    c: Chrome,
    input: UserInput,
    errs: FormErrors,
}

/// `GET /setup`: only while no user exists.
pub async fn setup_page(State(app): State<AppState>, cx: Cx) -> Response {
    if app.has_users().await {
        return Redirect::to("/login").into_response();
    }
    page(&SetupPage { c: Chrome::new(&cx), input: UserInput::default(), errs: FormErrors::none() })
}

/// `POST /setup`: creates the first administrator and signs them in.
pub async fn setup_submit(
    State(app): State<AppState>,
    cx: Cx,
    CsrfForm(mut input): CsrfForm<UserInput>,
) -> AppResult<Response> {
    if app.has_users().await {
        return Ok(Redirect::to("/login").into_response());
    }
    input.language = cx.lang.tag().into();
    let actor = Actor { user_id: None, label: "setup".into(), ip: cx.ip.clone() };
    match accounts::create_first_admin(&app.store, &input, &actor).await {
        Ok(u) => {
            let sid = random_hex();
            let ttl = Duration::hours(app.settings.session_hours);
            let actor = Actor { user_id: Some(u.id), label: u.username.clone(), ip: cx.ip.clone() };
            app.store.create_session(sha256_hex(&sid), u.id, ttl, &actor).await?;
            let mut res = redirect_with_flash("/", "flash.setup_done", app.settings.secure_cookies);
            res.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(SESSION_COOKIE, &sid, Some(ttl.num_seconds()), app.settings.secure_cookies),
            );
            Ok(res)
        }
        // Someone else finished set-up first.
        Err(AppError::Conflict { code: "conflict", field: "first_user" }) => Ok(Redirect::to("/login").into_response()),
        Err(e) => {
            let errs = FormErrors::from_error(cx.tr(), &e).ok_or(e)?;
            input.password.clear();
            let mut r = page(&SetupPage { c: Chrome::new(&cx), input, errs });
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
    }
}

/// The language switcher's form.
#[derive(Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    lang: String,
    #[serde(default)]
    next: Option<String>,
}

/// `POST /language`: remembers the choice (on the account when signed in).
pub async fn switch_language(
    State(app): State<AppState>,
    cx: Cx,
    CsrfForm(f): CsrfForm<LanguageForm>,
) -> AppResult<Response> {
    let lang = Language::parse(&f.lang).ok_or(AppError::BadRequest { code: "unknown_language", detail: None })?;
    if let Some(u) = &cx.user
        && u.language != lang
    {
        app.store.set_language(u.id, lang, &cx.actor()).await?;
    }
    let mut res = Redirect::to(&safe_next(f.next.as_deref())).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(LANG_COOKIE, lang.tag(), Some(365 * 24 * 3600), app.settings.secure_cookies),
    );
    Ok(res)
}
