//! The request context: resolved once per request by the [`resolve`] middleware and
//! read by handlers through the [`Cx`] extractor.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::header;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Duration, Utc};
use jiedai_domain::{Actor, Language, Permission, User};

use crate::app::AppState;
use crate::auth::token::{random_hex, sha256_hex};
use crate::cookies::{CSRF_COOKIE, FLASH_COOKIE, LANG_COOKIE, SESSION_COOKIE, cookie, set_cookie};
use crate::error::{AppError, AppResult};
use crate::i18n::Tr;

/// How the requester proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// Not signed in.
    Anonymous,
    /// A browser session; the stored hash of its id.
    Session(String),
    /// An API bearer token.
    Token,
}

/// What is known about the requester.
#[derive(Debug)]
pub struct RequestContext {
    /// The signed-in, active user.
    pub user: Option<User>,
    /// How they signed in.
    pub via: Via,
    /// Interface language.
    pub lang: Language,
    /// The CSRF token forms must echo.
    pub csrf: String,
    /// True when the CSRF cookie is new with this response.
    pub csrf_new: bool,
    /// Client address.
    pub ip: Option<String>,
    /// Path of the request, with its query.
    pub path_and_query: String,
    /// A session cookie came, but its session is over.
    pub session_expired: bool,
    /// A bearer token came, but it is unknown, revoked or its user disabled.
    pub invalid_token: bool,
    /// A flash message key from the previous response.
    pub flash: Option<String>,
    /// Whether cookies set in answer are marked `Secure` (from the settings).
    pub secure_cookies: bool,
    /// The company's time zone, for dates (from the settings).
    pub tz: chrono_tz::Tz,
}

/// The extractor for [`RequestContext`].
#[derive(Clone, Debug)]
pub struct Cx(pub Arc<RequestContext>);

impl std::ops::Deref for Cx {
    type Target = RequestContext;
    fn deref(&self) -> &RequestContext {
        &self.0
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Cx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Cx>()
            .cloned()
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("request context missing")))
    }
}

impl Cx {
    /// The signed-in user, or 401.
    pub fn user(&self) -> AppResult<&User> {
        self.0.user.as_ref().ok_or(AppError::Unauthorized)
    }

    /// The translator of the request's language.
    pub fn tr(&self) -> Tr {
        Tr::new(self.lang)
    }

    /// The audit actor of this request.
    pub fn actor(&self) -> Actor {
        match &self.user {
            Some(u) => Actor { user_id: Some(u.id), label: u.username.clone(), ip: self.ip.clone() },
            None => Actor { user_id: None, label: "anonymous".into(), ip: self.ip.clone() },
        }
    }

    /// True when the requester holds the permission.
    pub fn allows(&self, p: Permission) -> bool {
        p.allows(self.user.as_ref().map(|u| u.roles))
    }

    /// 401 when not signed in, 403 when signed in without the permission.
    pub fn require(&self, p: Permission) -> AppResult<()> {
        if self.allows(p) {
            Ok(())
        } else if self.user.is_none() {
            Err(AppError::Unauthorized)
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// The stored hash of this request's session, if it came with one.
    pub fn session_hash(&self) -> Option<&str> {
        match &self.via {
            Via::Session(h) => Some(h),
            _ => None,
        }
    }
}

/// Paths that work before the first user exists.
fn open_before_setup(path: &str) -> bool {
    path == "/setup"
        || path.starts_with("/assets/")
        || path.starts_with("/api/")
        || matches!(path, "/healthz" | "/readyz" | "/metrics" | "/language" | "/favicon.ico")
}

/// How long a session may sit unused before its expiry is pushed forward again.
const TOUCH_AFTER: Duration = Duration::minutes(5);

/// Resolves the context, runs the request, then finishes the response's cookies.
/// (Error markers are rendered by `render::errors`, the next layer in.)
pub async fn resolve(State(app): State<AppState>, mut req: Request, next: Next) -> Response {
    let headers = req.headers();
    let ip = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string());
    let path = req.uri().path().to_owned();
    let path_and_query = req.uri().path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_else(|| path.clone());

    let mut user = None;
    let mut via = Via::Anonymous;
    let mut invalid_token = false;
    let mut session_expired = false;
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim);
    if let Some(secret) = bearer {
        match app.store.token_user(&sha256_hex(secret)).await {
            Ok(Some(u)) => {
                user = Some(u);
                via = Via::Token;
            }
            Ok(None) => invalid_token = true,
            Err(e) => return unavailable(e),
        }
    } else if let Some(sid) = cookie(headers, SESSION_COOKIE) {
        let h = sha256_hex(sid);
        match app.store.session_user(&h).await {
            Ok(Some((u, last_seen))) => {
                if Utc::now() - last_seen > TOUCH_AFTER {
                    let ttl = Duration::hours(app.settings.session_hours);
                    if let Err(e) = app.store.touch_session(&h, ttl).await {
                        tracing::warn!(error = %e, "could not extend session");
                    }
                }
                user = Some(u);
                via = Via::Session(h);
            }
            Ok(None) => session_expired = true,
            Err(e) => return unavailable(e),
        }
    }

    let lang = match &user {
        Some(u) => u.language,
        None => cookie(headers, LANG_COOKIE)
            .and_then(Language::parse)
            .or_else(|| {
                headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).map(Language::from_accept_language)
            })
            .unwrap_or_default(),
    };
    let (csrf, csrf_new) = match cookie(headers, CSRF_COOKIE).filter(|c| c.len() == 64) {
        Some(c) => (c.to_owned(), false),
        None => (random_hex(), true),
    };
    let flash = cookie(headers, FLASH_COOKIE)
        .filter(|f| f.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_'))
        .map(str::to_owned);

    let is_api = path.starts_with("/api/");
    let cx = Cx(Arc::new(RequestContext {
        user,
        via,
        lang,
        csrf,
        csrf_new,
        ip,
        path_and_query,
        session_expired,
        invalid_token,
        flash,
        secure_cookies: app.settings.secure_cookies,
        tz: app.settings.timezone,
    }));

    let res = if !open_before_setup(&path) && !app.has_users().await {
        Redirect::to("/setup").into_response()
    } else {
        req.extensions_mut().insert(cx.clone());
        next.run(req).await
    };
    finish(&cx, is_api, res)
}

/// The database failed before anyone was identified: no page can be rendered for them.
fn unavailable(e: jiedai_store::StoreError) -> Response {
    tracing::error!(error = %e, "cannot identify the requester");
    (axum::http::StatusCode::SERVICE_UNAVAILABLE, "service unavailable, please retry").into_response()
}

fn finish(cx: &Cx, is_api: bool, mut res: Response) -> Response {
    let secure = cx.secure_cookies;
    let h = res.headers_mut();
    if !is_api && cx.csrf_new {
        h.append(header::SET_COOKIE, set_cookie(CSRF_COOKIE, &cx.csrf, None, secure));
    }
    if cx.session_expired {
        h.append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, "", Some(0), secure));
    }
    let sets_flash =
        h.get_all(header::SET_COOKIE).iter().any(|v| v.to_str().is_ok_and(|s| s.starts_with(FLASH_COOKIE)));
    if cx.flash.is_some() && !sets_flash && !res.status().is_redirection() {
        res.headers_mut().append(header::SET_COOKIE, set_cookie(FLASH_COOKIE, "", Some(0), secure));
    }
    res
}

/// The permissions a route needs (to read, to change), checked before its handler. API
/// requests that came with a session cookie must also carry the CSRF token in
/// `X-CSRF-Token` when they change something.
pub async fn enforce(
    State((read, write)): State<(Permission, Permission)>,
    cx: Cx,
    req: Request,
    next: Next,
) -> Response {
    if cx.invalid_token {
        return AppError::Unauthorized.into_response();
    }
    let unsafe_method = !matches!(*req.method(), axum::http::Method::GET | axum::http::Method::HEAD);
    if let Err(e) = cx.require(if unsafe_method { write } else { read }) {
        return e.into_response();
    }
    if unsafe_method && req.uri().path().starts_with("/api/") && cx.session_hash().is_some() {
        let sent = req.headers().get("x-csrf-token").and_then(|v| v.to_str().ok()).unwrap_or("");
        if !crate::auth::token::constant_time_eq(sent, &cx.csrf) {
            return AppError::Csrf.into_response();
        }
    }
    next.run(req).await
}
