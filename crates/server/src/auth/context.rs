//! The request context: resolved once per request by the [`resolve`] middleware and
//! read by handlers through the [`Cx`] extractor.

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, OnceLock};

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use jiedai_app::{accounts, secrets};
use jiedai_domain::{Actor, Language, Permission, User};

use crate::cookies::{CSRF_COOKIE, FLASH_COOKIE, LANG_COOKIE, SESSION_COOKIE, cookie, set_cookie};
use crate::error::{AppError, AppResult};
use crate::i18n::Tr;
use crate::state::AppState;

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
    /// What this request's CSRF token is bound to: `s:` and the session's stored hash when
    /// signed in by cookie, else `a:` and the anonymous visitor's cookie, if one came.
    csrf_binding: Option<String>,
    /// The token expected of (and rendered into) this request's forms.
    csrf_token: OnceLock<String>,
    /// A new anonymous cookie value, made the first time a page needs a token and none came
    /// (then set as a cookie with the response).
    csrf_made: OnceLock<String>,
    /// Signs bindings into tokens (the application's shared key).
    csrf_signer: Option<jiedai_app::App>,
    /// Client address (the peer, or what a trusted proxy says).
    pub ip: Option<IpAddr>,
    /// The request's URI.
    pub uri: Uri,
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
    /// The company's name, shown in the header and on print views (from the settings).
    pub company: Arc<str>,
    /// The signed-in person's unread notifications (for the bell of pages; 0 on the API).
    pub unread: u64,
}

impl RequestContext {
    /// A context for rendering outside a request (tests).
    pub fn anonymous(lang: Language, uri: Uri) -> RequestContext {
        RequestContext {
            user: None,
            via: Via::Anonymous,
            lang,
            csrf_binding: Some(format!("a:{}", "c".repeat(64))),
            csrf_token: OnceLock::new(),
            csrf_made: OnceLock::new(),
            csrf_signer: None,
            ip: None,
            uri,
            session_expired: false,
            invalid_token: false,
            flash: None,
            secure_cookies: false,
            tz: chrono_tz::Asia::Shanghai,
            company: Arc::from("Jiedai"),
            unread: 0,
        }
    }

    /// The CSRF token forms must echo: a signature of what the request is bound to (its
    /// session, or an anonymous cookie — a new one, set with the response, when none came).
    /// A value planted in a cookie never passes, and one session's token fails in another.
    pub fn csrf(&self) -> &str {
        self.csrf_token.get_or_init(|| {
            let binding = match &self.csrf_binding {
                Some(b) => b.clone(),
                None => format!("a:{}", self.csrf_made.get_or_init(secrets::random_hex)),
            };
            match &self.csrf_signer {
                Some(app) => app.csrf_token(&binding),
                // Rendering outside a request (tests): unsigned, never accepted by a check.
                None => secrets::sha256_hex(&binding),
            }
        })
    }

    /// True when nothing the request carries can be bound to (no session, no anonymous
    /// cookie), so no form of it can be trusted.
    pub fn csrf_new(&self) -> bool {
        self.csrf_binding.is_none() || self.csrf_signer.is_none()
    }

    /// Path of the request, with its query.
    pub fn path_and_query(&self) -> &str {
        self.uri.path_and_query().map(|p| p.as_str()).unwrap_or_else(|| self.uri.path())
    }
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

    /// The client address as written in the audit log.
    pub fn ip_text(&self) -> Option<String> {
        self.ip.map(|ip| ip.to_string())
    }

    /// The audit actor of this request.
    pub fn actor(&self) -> Actor {
        match &self.user {
            Some(u) => Actor { user_id: Some(u.id), label: u.username.clone(), ip: self.ip_text() },
            None => Actor { user_id: None, label: "anonymous".into(), ip: self.ip_text() },
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

/// Resolves the context, runs the request, renders an error marker into the page or problem
/// document the requester reads (`render::render_errors`), then finishes the cookies.
pub async fn resolve(State(s): State<AppState>, mut req: Request, next: Next) -> Response {
    let headers = req.headers();
    let secure = s.secure_cookies();
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let ip = super::client_ip::client_ip(peer, headers, &s.settings.proxy.trusted);

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
        match accounts::by_token(&s.app, secret).await {
            Ok(Some(u)) => {
                user = Some(u);
                via = Via::Token;
            }
            Ok(None) => invalid_token = true,
            Err(e) => return unavailable(e),
        }
    } else if let Some(sid) = cookie(headers, SESSION_COOKIE, secure) {
        match accounts::by_session(&s.app, sid).await {
            Ok(Some(r)) => {
                user = Some(r.user);
                via = Via::Session(r.session_hash);
            }
            Ok(None) => session_expired = true,
            Err(e) => return unavailable(e),
        }
    }

    let lang = match &user {
        Some(u) => u.language,
        None => cookie(headers, LANG_COOKIE, secure)
            .and_then(Language::parse)
            .or_else(|| {
                headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).map(Language::from_accept_language)
            })
            .unwrap_or_default(),
    };
    let csrf_binding = match &via {
        Via::Session(hash) => Some(format!("s:{hash}")),
        _ => cookie(headers, CSRF_COOKIE, secure)
            .filter(|c| c.len() == 64 && c.bytes().all(|b| b.is_ascii_hexdigit()))
            .map(|c| format!("a:{c}")),
    };
    let flash = cookie(headers, FLASH_COOKIE, secure)
        .filter(|f| f.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_'))
        .map(str::to_owned);

    let uri = req.uri().clone();
    let is_api = uri.path().starts_with("/api/");
    let open = open_before_setup(uri.path());
    // The bell's count, on pages only (kept per person until a notification is written or read).
    let unread = match (&user, &via) {
        (Some(u), Via::Session(_)) if !is_api => jiedai_app::notify::unread_count(&s.app, u.id).await.unwrap_or(0),
        _ => 0,
    };
    let cx = Cx(Arc::new(RequestContext {
        user,
        via,
        lang,
        csrf_binding,
        csrf_token: OnceLock::new(),
        csrf_made: OnceLock::new(),
        csrf_signer: Some(s.app.clone()),
        ip,
        uri,
        session_expired,
        invalid_token,
        flash,
        secure_cookies: secure,
        tz: s.tz(),
        company: s.company.clone(),
        unread,
    }));

    let res = if !open && !s.app.has_users().await {
        Redirect::to("/setup").into_response()
    } else {
        req.extensions_mut().insert(cx.clone());
        crate::render::render_errors(&cx, is_api, next.run(req).await)
    };
    finish(&cx, is_api, res)
}

/// The database failed before anyone was identified: answered 503 (an outage) or 500, in
/// the one format by the envelope (`layers::Reader`), which needs no database.
fn unavailable(e: jiedai_app::Error) -> Response {
    tracing::error!(error = %e, "cannot identify the requester");
    match AppError::from(e) {
        AppError::Internal(_) => axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        other => other.status().into_response(),
    }
}

fn finish(cx: &Cx, is_api: bool, mut res: Response) -> Response {
    let secure = cx.secure_cookies;
    let h = res.headers_mut();
    if let (false, Some(made)) = (is_api, cx.csrf_made.get()) {
        h.append(header::SET_COOKIE, set_cookie(CSRF_COOKIE, made, None, secure));
    }
    if cx.session_expired {
        h.append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, "", Some(0), secure));
    }
    if cx.flash.is_some() && !res.status().is_redirection() {
        let sets_flash = res
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .any(|v| v.to_str().is_ok_and(|s| crate::cookies::sets(s, FLASH_COOKIE)));
        if !sets_flash {
            res.headers_mut().append(header::SET_COOKIE, set_cookie(FLASH_COOKIE, "", Some(0), secure));
        }
    }
    res
}

/// True when the browser says the request comes from another site: `Sec-Fetch-Site` is
/// `cross-site` or `same-site` (a sibling subdomain), or `Origin` names another host (or is
/// `null`, as from a sandboxed frame or a data: page). Requests without either header (old
/// browsers, scripts) fall back to the CSRF token alone.
pub fn cross_site(headers: &axum::http::HeaderMap) -> bool {
    let site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()).unwrap_or("");
    if site.eq_ignore_ascii_case("cross-site") || site.eq_ignore_ascii_case("same-site") {
        return true;
    }
    let Some(origin) = headers.get(header::ORIGIN) else { return false };
    let Ok(origin) = origin.to_str() else { return true };
    let authority = origin.split_once("://").map(|(_, rest)| rest.trim_end_matches('/'));
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    match (authority, host) {
        (Some(a), Some(h)) => !a.eq_ignore_ascii_case(h),
        _ => true,
    }
}

/// The permissions a route needs (to read, to change), checked before its handler (by
/// `layers::RouteGuard`). API requests that came with a session cookie must also carry the
/// CSRF token in `X-CSRF-Token` when they change something.
pub fn permit(read: Permission, write: Permission, req: &Request) -> Result<(), AppError> {
    let Some(cx) = req.extensions().get::<Cx>() else {
        return Err(AppError::Internal(anyhow::anyhow!("request context missing")));
    };
    if cx.invalid_token {
        return Err(AppError::Unauthorized);
    }
    let unsafe_method = !matches!(*req.method(), axum::http::Method::GET | axum::http::Method::HEAD);
    // A browser says where a request comes from; a change asked for by another site is
    // refused whatever it carries (bearer tokens are never sent by a browser on its own).
    if unsafe_method && cx.via != Via::Token && cross_site(req.headers()) {
        return Err(AppError::Csrf);
    }
    cx.require(if unsafe_method { write } else { read })?;
    if unsafe_method && req.uri().path().starts_with("/api/") && cx.session_hash().is_some() {
        let sent = req.headers().get("x-csrf-token").and_then(|v| v.to_str().ok()).unwrap_or("");
        if cx.csrf_new() || !secrets::constant_time_eq(sent, cx.csrf()) {
            return Err(AppError::Csrf);
        }
    }
    Ok(())
}
