//! Rendering shared by every page: the page chrome (navigation by role, language
//! switcher, flash message), HTML error pages and problem+json documents.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use jiedai_domain::{Permission, User};
use serde::Serialize;

use crate::assets;
use crate::auth::Cx;
use crate::error::{AppError, ErrorInfo};
use crate::i18n::Tr;

/// One navigation entry.
pub struct NavItem {
    /// Target.
    pub href: &'static str,
    /// Locale key of the label.
    pub label: &'static str,
    /// True on the current section.
    pub active: bool,
}

/// What every page shows around its content.
pub struct Chrome {
    /// Translator.
    pub tr: Tr,
    /// `lang` attribute of the page.
    pub lang: &'static str,
    /// The signed-in user's name and username.
    pub user: Option<(String, String)>,
    /// CSRF token for forms.
    pub csrf: String,
    /// Navigation for the user's roles.
    pub nav: Vec<NavItem>,
    /// A one-time message: (kind, text).
    pub flash: Option<(&'static str, String)>,
    /// Where the language switcher returns to.
    pub here: String,
    /// Cache-busting version of the assets.
    pub asset_v: &'static str,
    /// The company's name (`[company] name`).
    pub company: std::sync::Arc<str>,
    /// Today in the company's time zone (a date of another year is written with its year).
    pub today: chrono::NaiveDate,
    /// Unread notifications (the bell), when signed in.
    pub unread: Option<u64>,
}

/// The navigation table: entry, and the permission that shows it.
const NAV: &[(&str, &str, Permission)] = &[
    ("/", "nav.home", Permission::SignedIn),
    ("/receptions", "nav.receptions", Permission::SignedIn),
    ("/tasks", "nav.tasks", Permission::SignedIn),
    ("/board", "nav.board", Permission::ManageTeams),
    ("/lost-found", "nav.lost_found", Permission::ManageResources),
    ("/actions", "nav.actions", Permission::SignedIn),
    ("/resources/schedule", "nav.schedule", Permission::SignedIn),
    ("/resources", "nav.resources", Permission::ManageResources),
    ("/stock", "nav.stock", Permission::ManageResources),
    ("/reports", "nav.reports", Permission::ViewReports),
    ("/settlements", "nav.settlements", Permission::Settle),
    ("/admin/users", "nav.users", Permission::ManageUsers),
    ("/admin/departments", "nav.departments", Permission::ManageDepartments),
    ("/admin/teams", "nav.teams", Permission::ManageTeams),
    ("/procedure", "nav.procedure", Permission::SignedIn),
    ("/calendar", "nav.calendar", Permission::SignedIn),
    ("/admin/audit", "nav.audit", Permission::ViewAudit),
    ("/admin/channels", "nav.channels", Permission::ManageChannels),
    ("/account", "nav.account", Permission::SignedIn),
];

impl Chrome {
    /// The chrome for this request.
    pub fn new(cx: &Cx) -> Chrome {
        let tr = cx.tr();
        let path = cx.uri.path();
        let under = |href: &str| if href == "/" { path == "/" } else { path.starts_with(href) };
        // The longest entry the page is under is the current one (`/resources/schedule`,
        // not `/resources` as well).
        let current = NAV.iter().map(|(href, _, _)| *href).filter(|h| under(h)).max_by_key(|h| h.len());
        let nav = NAV
            .iter()
            .filter(|(_, _, p)| cx.user.is_some() && cx.allows(*p))
            .map(|(href, label, _)| NavItem { href, label, active: current == Some(*href) })
            .collect();
        let flash = cx.flash.as_deref().map(|key| {
            let kind = if key.starts_with("flash.error_") { "error" } else { "success" };
            (kind, tr.t(key).to_owned())
        });
        Chrome {
            tr,
            lang: cx.lang.tag(),
            user: cx.user.as_ref().map(|u: &User| (u.display_name.clone(), u.username.clone())),
            csrf: cx.csrf().to_owned(),
            nav,
            flash,
            here: cx.path_and_query().to_owned(),
            asset_v: assets::version(),
            company: cx.company.clone(),
            today: chrono::Utc::now().with_timezone(&cx.tz).date_naive(),
            unread: cx.user.as_ref().map(|_| cx.unread),
        }
    }

    /// A day as the reader reads it (`Wed 9 Dec 2026`, `12月9日 周三`): see [`Tr::date`].
    pub fn date(&self, d: &chrono::NaiveDate) -> String {
        self.tr.date(*d, self.today)
    }

    /// A span of days as the reader reads it: see [`Tr::date_range`].
    pub fn dates(&self, start: &chrono::NaiveDate, end: &chrono::NaiveDate) -> String {
        self.tr.date_range(*start, *end, self.today)
    }

    /// A translated text.
    pub fn t<'a>(&self, key: &'a str) -> &'a str {
        self.tr.t(key)
    }

    /// The form of a count's message for `n`, its placeholders left for a script to fill.
    pub fn plural_form<'a>(&self, key: &'a str, n: i64) -> &'a str {
        self.tr.plural_form(key, n)
    }

    /// True when the page is in this language (for the switcher).
    pub fn is_lang(&self, tag: &str) -> bool {
        self.lang == tag
    }
}

/// JSON with a status (the API's answers).
pub fn json<T: serde::Serialize>(status: StatusCode, v: T) -> Response {
    (status, axum::Json(v)).into_response()
}

/// Renders a template into a response.
pub fn page<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => AppError::Internal(anyhow::anyhow!("template: {e}")).into_response(),
    }
}

/// A redirect (303) that shows a flash message on the next page.
pub fn redirect_with_flash(to: &str, flash_key: &str, secure: bool) -> Response {
    let mut res = Redirect::to(to).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        crate::cookies::set_cookie(crate::cookies::FLASH_COOKIE, flash_key, Some(60), secure),
    );
    res
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    c: Chrome,
    status: u16,
    title: String,
    message: String,
}

/// One field's problem in a problem document.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ProblemField {
    /// The input field.
    pub field: String,
    /// Stable code, e.g. `too_long`.
    pub code: String,
    /// Message in the requester's language.
    pub message: String,
    /// Line of an imported file, if the problem is on one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
}

/// An RFC 9457 problem document.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the problem type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Short summary in the requester's language.
    pub title: String,
    /// HTTP status.
    pub status: u16,
    /// Stable snake_case code.
    pub code: String,
    /// More detail, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Per-field problems (validation).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
    /// What clashes (`booking_clash`, `stock_short`): the other receptions holding the room,
    /// car, driver or stock, with their times.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<jiedai_domain::resources::Clash>,
}

/// The keys of an error's title and of the sentence that explains it.
pub fn error_keys(e: &AppError) -> (&'static str, &'static str) {
    match e {
        AppError::NotFound => ("error.not_found", "error.not_found_detail"),
        AppError::Unauthorized => ("error.unauthorized", "error.unauthorized_detail"),
        AppError::Forbidden => ("error.forbidden", "error.forbidden_detail"),
        AppError::Csrf => ("error.csrf_failed", "error.csrf_failed_detail"),
        AppError::Validation(_) => ("error.validation_failed", "error.validation_failed_detail"),
        AppError::Conflict { .. } | AppError::Clash { .. } => ("error.conflict", "error.conflict_detail"),
        AppError::StaleVersion => ("error.stale_version", "error.stale_version_detail"),
        AppError::TooManyRequests { .. } => ("error.too_many_requests", "error.too_many_requests_detail"),
        AppError::BadRequest { .. } => ("error.bad_request", "error.bad_request_detail"),
        AppError::MethodNotAllowed => ("error.method_not_allowed", "error.method_not_allowed_detail"),
        AppError::PayloadTooLarge => ("error.payload_too_large", "error.payload_too_large_detail"),
        AppError::HeadersTooLarge => ("error.headers_too_large", "error.headers_too_large_detail"),
        AppError::UnsupportedMediaType => ("error.unsupported_media_type", "error.unsupported_media_type_detail"),
        AppError::Unavailable => ("error.unavailable", "error.unavailable_detail"),
        AppError::Internal(_) => ("error.internal", "error.internal_detail"),
    }
}

/// "Try again in N seconds."
pub fn retry_after_text(tr: Tr, seconds: u64) -> String {
    tr.plural("error.retry_after", i64::try_from(seconds).unwrap_or(i64::MAX))
}

/// Builds the problem document of an error, in the requester's language.
pub fn problem(tr: Tr, e: &AppError) -> Problem {
    let errors = match e {
        AppError::Validation(errs) => errs
            .0
            .iter()
            .map(|f| ProblemField {
                field: f.field.clone(),
                code: f.code.to_owned(),
                message: tr.field_error(f),
                line: f.line,
            })
            .collect(),
        AppError::Conflict { code, field } => vec![ProblemField {
            field: (*field).to_owned(),
            code: (*code).to_owned(),
            message: tr.field_code(code),
            line: None,
        }],
        AppError::Clash { code, .. } => vec![ProblemField {
            field: if *code == "stock_short" { "stock_item_id" } else { "resource_id" }.to_owned(),
            code: (*code).to_owned(),
            message: tr.field_code(code),
            line: None,
        }],
        _ => Vec::new(),
    };
    let conflicts = match e {
        AppError::Clash { clashes, .. } => clashes.clone(),
        _ => Vec::new(),
    };
    let detail = match e {
        AppError::BadRequest { detail: Some(d), .. } => Some(d.clone()),
        AppError::TooManyRequests { retry_after } => Some(retry_after_text(tr, *retry_after)),
        _ => None,
    };
    Problem {
        kind: format!("/api/problems#{}", e.code()),
        title: tr.t(error_keys(e).0).to_owned(),
        status: e.status().as_u16(),
        code: e.code().to_owned(),
        detail,
        errors,
        conflicts,
    }
}

/// True when an answer already carries a body of ours (a page or a JSON document).
pub fn rendered(res: &Response) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("text/html") || ct.starts_with("application/") && ct.contains("json"))
}

/// Turns an error marker into the response the requester reads: problem+json on the
/// API, an HTML page (or the sign-in page for 401) elsewhere.
pub fn render_errors(cx: &Cx, is_api: bool, res: Response) -> Response {
    let err = match res.extensions().get::<ErrorInfo>() {
        Some(ErrorInfo(e)) => e.clone(),
        // The router's own answer to a known path with an unknown method.
        None if res.status() == StatusCode::METHOD_NOT_ALLOWED => {
            let allow = res.headers().get(header::ALLOW).cloned();
            let mut out = render_errors(cx, is_api, AppError::MethodNotAllowed.into_response());
            if let Some(a) = allow {
                out.headers_mut().insert(header::ALLOW, a);
            }
            return out;
        }
        // Any other error answered outside the handlers (an extractor's rejection, the
        // body limit, the router): rendered like a handler's, never as plain text.
        None if (res.status().is_client_error() || res.status().is_server_error()) && !rendered(&res) => {
            return render_errors(cx, is_api, AppError::from_status(res.status()).into_response());
        }
        None => return res,
    };
    let status = res.status();
    let retry = res.headers().get(header::RETRY_AFTER).cloned();
    let tr = cx.tr();
    let mut out = if is_api {
        let body = serde_json::to_vec(&problem(tr, &err)).unwrap_or_default();
        let mut r = (status, body).into_response();
        r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if matches!(*err, AppError::Unauthorized) {
            r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        r
    } else if matches!(*err, AppError::Unauthorized) {
        let next = urlencode(cx.path_and_query());
        let to = format!("/login?next={next}");
        if cx.session_expired {
            redirect_with_flash(&to, "flash.error_session_expired", cx.secure_cookies)
        } else {
            Redirect::to(&to).into_response()
        }
    } else {
        let (title, detail) = error_keys(&err);
        let title = tr.t(title).to_owned();
        let message = match &*err {
            AppError::TooManyRequests { retry_after } => retry_after_text(tr, *retry_after),
            AppError::Validation(errs) => errs.0.iter().map(|f| tr.field_error(f)).collect::<Vec<_>>().join(" "),
            _ => tr.t(detail).to_owned(),
        };
        let p = ErrorPage { c: Chrome::new(cx), status: status.as_u16(), title, message };
        let mut r = page(&p);
        *r.status_mut() = if status.is_success() { StatusCode::INTERNAL_SERVER_ERROR } else { status };
        r
    };
    if let Some(v) = retry {
        out.headers_mut().insert(header::RETRY_AFTER, v);
    }
    out
}

/// "Last changed … by …" for a record, from its newest audit entry.
pub async fn last_change(
    s: &crate::state::AppState,
    cx: &Cx,
    entity: &str,
    id: impl ToString,
) -> crate::error::AppResult<Option<String>> {
    let tr = cx.tr();
    Ok(jiedai_app::audit::last_change(&s.app, entity, id)
        .await?
        .map(|e| tr.t_with("common.last_changed_by", &[("at", &tr.datetime(e.at, s.tz())), ("who", &e.actor_label)])))
}

/// Percent-encodes a path for a query value.
pub fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("x", s)]).map(|e| e[2..].to_owned()).unwrap_or_default()
}

/// A `next` target that stays on this site: a path, never `//host` or a scheme.
pub fn safe_next(next: Option<&str>) -> String {
    next.and_then(same_origin_path).unwrap_or_else(|| "/".to_owned())
}

/// A redirect target that can only stay on this site: a path starting with one `/`, with no
/// control characters, spaces or backslashes (browsers drop tabs and newlines and read `\`
/// as `/`, so `/%09/evil.example` would become `//evil.example`), checked again after
/// percent-decoding; characters beyond ASCII are percent-encoded so the value is always a
/// valid header.
fn same_origin_path(raw: &str) -> Option<String> {
    fn plain(s: &str) -> bool {
        let b = s.as_bytes();
        b.first() == Some(&b'/')
            && !matches!(b.get(1), Some(b'/' | b'\\'))
            && !s.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    }
    if raw.len() > 2048 || !plain(raw) {
        return None;
    }
    let decoded = percent_decode(raw);
    if !plain(&decoded) {
        return None;
    }
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    Some(out)
}

/// Percent-decoding (lossy), for checking what a browser would make of a target.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%'
            && let (Some(h), Some(l)) = (b.get(i + 1).and_then(|c| hex(*c)), b.get(i + 2).and_then(|c| hex(*c)))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::RequestContext;
    use jiedai_domain::Language;

    fn cx(lang: Language) -> Cx {
        Cx(std::sync::Arc::new(RequestContext::anonymous(lang, "/x".parse().unwrap())))
    }

    async fn body(res: Response) -> String {
        let bytes = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    #[tokio::test]
    async fn internal_errors_render_a_localized_500_without_internal_text() {
        let secret = "connection refused at 10.0.0.5:5432";
        for (lang, title) in [(Language::ZhCn, "系统出错"), (Language::En, "Something went wrong")] {
            let page = render_errors(&cx(lang), false, AppError::Internal(anyhow::anyhow!(secret)).into_response());
            assert_eq!(page.status(), 500);
            let html = body(page).await;
            assert!(html.contains(title) && !html.contains(secret), "{html}");
            let api = render_errors(&cx(lang), true, AppError::Internal(anyhow::anyhow!(secret)).into_response());
            assert_eq!(api.headers()["content-type"], "application/problem+json");
            let json = body(api).await;
            assert!(json.contains("\"code\":\"internal\"") && !json.contains(secret), "{json}");
        }
    }

    #[test]
    fn next_targets_never_leave_the_site() {
        assert_eq!(safe_next(Some("/admin/users?x=1")), "/admin/users?x=1");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil")), "/");
        for evil in [
            "/\tevil.example",
            "/%09/evil.example",
            "/\t/evil.example",
            "/%0d%0aSet-Cookie:x=1",
            "/\r\nLocation: //x",
            "/\0",
            "/%00",
            "/%2F/evil.example",
            "/%5Cevil.example",
            "/ /evil",
            "javascript:alert(1)",
            "",
            "evil",
            "/\\/evil",
            "/%2f%2fevil",
        ] {
            assert_eq!(safe_next(Some(evil)), "/", "{evil:?}");
        }
        assert_eq!(safe_next(Some("/receptions?q=%E5%8D%8E")), "/receptions?q=%E5%8D%8E");
        assert_eq!(safe_next(Some("/receptions?q=华")), "/receptions?q=%E5%8D%8E", "a valid header value");
        assert_eq!(safe_next(None), "/");
    }
}
