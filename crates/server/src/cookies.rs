//! The cookies Jiedai sets, and how it reads and writes them.

use axum::http::{HeaderMap, HeaderValue, header};

/// Cookie holding the session id.
pub const SESSION_COOKIE: &str = "jiedai_session";
/// Cookie holding the random value that an anonymous visitor's CSRF token is bound to
/// (the token itself is a signature of it: see `auth::csrf`).
pub const CSRF_COOKIE: &str = "jiedai_csrf";
/// Cookie holding an anonymous visitor's language choice.
pub const LANG_COOKIE: &str = "jiedai_lang";
/// Cookie holding a one-time message key for the next page.
pub const FLASH_COOKIE: &str = "jiedai_flash";

/// The prefix of every cookie when served over https: the browser then accepts the cookie
/// only from this exact host, over https, for the whole site — a sibling subdomain or a
/// man in the middle on plain http cannot plant or overwrite it.
const HOST_PREFIX: &str = "__Host-";

/// Reads one cookie from the request headers (by its name with the `__Host-` prefix when
/// cookies are secure).
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str, secure: bool) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| if secure { k.strip_prefix(HOST_PREFIX) == Some(name) } else { *k == name })
        .map(|(_, v)| v)
}

/// True when a `Set-Cookie` value sets the cookie `name`.
pub fn sets(set_cookie: &str, name: &str) -> bool {
    set_cookie.strip_prefix(HOST_PREFIX).unwrap_or(set_cookie).strip_prefix(name).is_some_and(|r| r.starts_with('='))
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Path=/; Secure and `__Host-` prefixed when
/// configured.
pub fn set_cookie(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> HeaderValue {
    let prefix = if secure { HOST_PREFIX } else { "" };
    let mut s = format!("{prefix}{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        s.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        s.push_str("; Secure");
    }
    HeaderValue::from_str(&s).expect("cookie values are ASCII")
}
