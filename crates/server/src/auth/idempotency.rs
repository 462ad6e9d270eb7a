//! Idempotent creation: on routes that create something, a request may carry a key — the
//! API's `Idempotency-Key` header, a form's hidden `idempotency_key` field. The first
//! request with a key runs; its successful answer is kept in the database, and a repeat
//! with the same key and the same content, sent to any instance, gets that answer and
//! creates nothing (`Idempotent-Replayed: true`). A repeat with other content is refused
//! (422); one that arrives while the first runs waits for it. A first request that made
//! nothing (an error; a form shown again) keeps nothing, so the key may be sent again. See
//! `jiedai_app::idempotency`.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use jiedai_app::idempotency::{self, Begin, StoredResponse};
use jiedai_app::secrets;
use jiedai_domain::FieldError;

use crate::auth::Cx;
use crate::error::AppError;
use crate::state::AppState;

/// The header the API takes.
pub const HEADER: &str = "idempotency-key";
/// The hidden field of forms.
pub const FIELD: &str = "idempotency_key";
/// Answers bigger than this are not kept (they are not answers to a creation).
const MAX_KEPT: usize = 256 * 1024;

/// What a handler may put on its response to keep another body for replays than the one
/// sent (a new token's secret is shown once and never stored).
#[derive(Clone)]
pub struct ReplayBody(pub String);

/// The key of a form body, if it has one.
fn form_key(body: &[u8]) -> Option<String> {
    form_urlencoded_pairs(body).find(|(k, _)| k == FIELD).map(|(_, v)| v).filter(|v| !v.is_empty())
}

fn form_urlencoded_pairs(body: &[u8]) -> impl Iterator<Item = (String, String)> + '_ {
    serde_html_form::from_bytes::<Vec<(String, String)>>(body).unwrap_or_default().into_iter()
}

/// True when reading a body failed because it is over the body limit.
fn too_large(e: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if err.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = err.source();
    }
    false
}

/// Middleware of the routes that create something (POST only).
pub async fn idempotent(State(s): State<AppState>, cx: Cx, req: Request, next: Next) -> Response {
    let Some(user) = cx.user.as_ref().map(|u| u.id) else {
        return next.run(req).await;
    };
    if req.method() != Method::POST {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    // A key that is not text cannot be kept: refused, never run as if no key came.
    let header_key = match parts.headers.get(HEADER).map(|v| v.to_str()) {
        None => None,
        Some(Ok(k)) => Some(k.to_owned()),
        Some(Err(_)) => {
            return AppError::field(FieldError::new("idempotency_key", "invalid_idempotency_key")).into_response();
        }
    };
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        // The body limit inside (`route::MAX_BODY_BYTES`) cut it off: too large, like elsewhere.
        Err(e) if too_large(&e) => return AppError::PayloadTooLarge.into_response(),
        Err(_) => return AppError::BadRequest { code: "bad_body", detail: None }.into_response(),
    };
    let is_form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
    let key = header_key.or_else(|| if is_form { form_key(&bytes) } else { None });
    let Some(key) = key else {
        return next.run(Request::from_parts(parts, Body::from(bytes))).await;
    };
    let fingerprint = secrets::fingerprint(&[parts.method.as_str().as_bytes(), parts.uri.path().as_bytes(), &bytes]);
    match idempotency::begin(&s.app, user, &key, &fingerprint).await {
        Ok(Begin::Proceed) => {}
        Ok(Begin::Replay(stored)) => return replay(stored),
        Err(e) => return AppError::from(e).into_response(),
    }
    let is_api = parts.uri.path().starts_with("/api/");
    let res = next.run(Request::from_parts(parts, Body::from(bytes))).await;
    // What a creation answers: on the API any success; a form redirects to what it made (a
    // form shown again — with messages, or more rows — made nothing).
    let status = res.status();
    let kept = status.is_redirection() || (is_api && status.is_success());
    if !kept {
        if let Err(e) = idempotency::release(&s.app, user, &key).await {
            tracing::warn!(error = %e, "could not release an idempotency key");
        }
        return res;
    }
    let (parts, body) = res.into_parts();
    let bytes: Bytes = axum::body::to_bytes(body, MAX_KEPT).await.unwrap_or_default();
    let replay_body = parts.extensions.get::<ReplayBody>().map(|r| r.0.clone());
    let stored = StoredResponse {
        status: parts.status.as_u16(),
        location: parts.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).map(str::to_owned),
        content_type: parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned),
        body: replay_body.unwrap_or_else(|| String::from_utf8_lossy(&bytes).into_owned()),
    };
    if let Err(e) = idempotency::finish(&s.app, user, &key, &stored).await {
        tracing::warn!(error = %e, "could not keep an idempotent answer");
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The kept answer, again.
fn replay(stored: StoredResponse) -> Response {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    let mut res = (status, stored.body).into_response();
    let h = res.headers_mut();
    if let Some(l) = stored.location.and_then(|l| HeaderValue::from_str(&l).ok()) {
        h.insert(header::LOCATION, l);
    }
    match stored.content_type.and_then(|c| HeaderValue::from_str(&c).ok()) {
        Some(c) => {
            h.insert(header::CONTENT_TYPE, c);
        }
        None => {
            h.remove(header::CONTENT_TYPE);
        }
    }
    h.insert("idempotent-replayed", HeaderValue::from_static("true"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_key_is_read_from_its_hidden_field() {
        assert_eq!(form_key(b"csrf=x&idempotency_key=abc&a=1").as_deref(), Some("abc"));
        assert_eq!(form_key(b"csrf=x&idempotency_key=&a=1"), None);
        assert_eq!(form_key(b"csrf=x"), None);
    }
}
