//! Signing in and out, first-run set-up, and the language switcher.

use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use jiedai_app::accounts::{self, SignIn, SignedIn, UserInput};
use jiedai_app::secrets::random_hex;
use jiedai_domain::{Actor, Language};
use serde::Deserialize;

use crate::auth::Cx;
use crate::auth::csrf::CsrfForm;
use crate::cookies::{CSRF_COOKIE, LANG_COOKIE, SESSION_COOKIE, set_cookie};
use crate::error::{AppError, AppResult};
use crate::extract::Query;
use crate::forms::FormErrors;
use crate::render::{Chrome, page, redirect_with_flash, retry_after_text, safe_next};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "accounts/login.html")]
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

/// The response of a new session: to `next`, with the session cookie and a new CSRF
/// token (one planted before sign-in is useless after it).
fn session_response(s: &AppState, next: Response, signed: &SignedIn) -> Response {
    let mut res = next;
    let secure = s.secure_cookies();
    let h = res.headers_mut();
    h.append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, &signed.session_secret, Some(signed.ttl.num_seconds()), secure),
    );
    h.append(header::SET_COOKIE, set_cookie(CSRF_COOKIE, &random_hex(), None, secure));
    res
}

/// `POST /login`.
pub async fn login_submit(State(s): State<AppState>, cx: Cx, CsrfForm(f): CsrfForm<LoginForm>) -> AppResult<Response> {
    let tr = cx.tr();
    let next = safe_next(f.next.as_deref());
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
    let ip = cx.ip_text();
    match accounts::sign_in(&s.app, &f.username, &f.password, ip.as_deref()).await {
        Ok(SignIn::SignedIn(signed)) => Ok(session_response(&s, Redirect::to(&next).into_response(), &signed)),
        Ok(SignIn::Refused) => Ok(again(StatusCode::UNAUTHORIZED, tr.t("login.failed").to_owned())),
        Err(jiedai_app::Error::TooManyRequests { retry_after }) => {
            let mut r = again(StatusCode::TOO_MANY_REQUESTS, retry_after_text(tr, retry_after));
            r.headers_mut().insert(header::RETRY_AFTER, retry_after.into());
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}

/// Nothing but the token.
#[derive(Deserialize)]
pub struct EmptyForm {}

/// `POST /logout`.
pub async fn logout(State(s): State<AppState>, cx: Cx, CsrfForm(_): CsrfForm<EmptyForm>) -> AppResult<Response> {
    if let Some(h) = cx.session_hash() {
        accounts::sign_out(&s.app, h, &cx.actor()).await?;
    }
    let mut res = redirect_with_flash("/login", "flash.signed_out", s.secure_cookies());
    res.headers_mut().append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, "", Some(0), s.secure_cookies()));
    Ok(res)
}

#[derive(Template)]
#[template(path = "accounts/setup.html")]
struct SetupPage {
    c: Chrome,
    input: UserInput,
    errs: FormErrors,
}

/// `GET /setup`: only while no user exists.
pub async fn setup_page(State(s): State<AppState>, cx: Cx) -> Response {
    if s.app.has_users().await {
        return Redirect::to("/login").into_response();
    }
    page(&SetupPage { c: Chrome::new(&cx), input: UserInput::default(), errs: FormErrors::none() })
}

/// `POST /setup`: creates the first administrator and signs them in.
pub async fn setup_submit(
    State(s): State<AppState>,
    cx: Cx,
    CsrfForm(mut input): CsrfForm<UserInput>,
) -> AppResult<Response> {
    if s.app.has_users().await {
        return Ok(Redirect::to("/login").into_response());
    }
    input.language = cx.lang.tag().into();
    let actor = Actor { user_id: None, label: "setup".into(), ip: cx.ip_text() };
    match accounts::create_first_admin(&s.app, &input, &actor).await.map_err(AppError::from) {
        Ok(u) => {
            let signed = accounts::start_session(&s.app, u, cx.ip_text().as_deref()).await?;
            let res = redirect_with_flash("/", "flash.setup_done", s.secure_cookies());
            Ok(session_response(&s, res, &signed))
        }
        // Someone else finished set-up first.
        Err(AppError::Conflict { code: "conflict", field: "first_user" }) => Ok(Redirect::to("/login").into_response()),
        Err(e) => {
            let errs = FormErrors::from_failure(cx.tr(), e)?;
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
    State(s): State<AppState>,
    cx: Cx,
    CsrfForm(f): CsrfForm<LanguageForm>,
) -> AppResult<Response> {
    let lang = Language::parse(&f.lang).ok_or(AppError::BadRequest { code: "unknown_language", detail: None })?;
    if let Some(u) = &cx.user
        && u.language != lang
    {
        accounts::set_language(&s.app, u.id, lang, &cx.actor()).await?;
    }
    let mut res = Redirect::to(&safe_next(f.next.as_deref())).into_response();
    res.headers_mut()
        .append(header::SET_COOKIE, set_cookie(LANG_COOKIE, lang.tag(), Some(365 * 24 * 3600), s.secure_cookies()));
    Ok(res)
}
