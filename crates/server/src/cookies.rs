//! The cookies Jiedai sets, and how it reads and writes them.

use axum::http::{HeaderMap, HeaderValue, header};

/// Cookie holding the session id.
pub const SESSION_COOKIE: &str = "jiedai_session";
/// Cookie holding the CSRF token (double submit: forms echo it).
pub const CSRF_COOKIE: &str = "jiedai_csrf";
/// Cookie holding an anonymous visitor's language choice.
pub const LANG_COOKIE: &str = "jiedai_lang";
/// Cookie holding a one-time message key for the next page.
pub const FLASH_COOKIE: &str = "jiedai_flash";

/// Reads one cookie from the request headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Secure when configured.
pub fn set_cookie(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> HeaderValue {
    let mut s = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        s.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        s.push_str("; Secure");
    }
    HeaderValue::from_str(&s).expect("cookie values are ASCII")
}
