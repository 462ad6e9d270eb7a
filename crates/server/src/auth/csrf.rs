//! CSRF protection for forms: every state-changing form carries the token from the
//! `jiedai_csrf` cookie in a hidden `csrf` field, and [`CsrfForm`] refuses a form
//! whose token does not match. A cross-site page can make the browser send the
//! cookie, but it cannot read it to put it in the form.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

use crate::auth::context::Cx;
use crate::error::AppError;
use jiedai_app::secrets::constant_time_eq;

/// A url-encoded form whose CSRF token was checked. Repeated keys (checkboxes)
/// deserialize into `Vec`s.
pub struct CsrfForm<T>(pub T);

#[derive(serde::Deserialize)]
struct Token {
    #[serde(default)]
    csrf: String,
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for CsrfForm<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let cx = req
            .extensions()
            .get::<Cx>()
            .cloned()
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("request context missing")))?;
        let body = Bytes::from_request(req, state)
            .await
            .map_err(|_| AppError::BadRequest { code: "bad_body", detail: None })?;
        let token: Token = serde_html_form::from_bytes(&body)
            .map_err(|_| AppError::BadRequest { code: "malformed_form", detail: None })?;
        check_token(&cx, &token.csrf)?;
        let value = serde_html_form::from_bytes(&body)
            .map_err(|e| AppError::BadRequest { code: "malformed_form", detail: Some(e.to_string()) })?;
        Ok(CsrfForm(value))
    }
}

/// Checks a submitted token against the request's (for forms read another way, such as
/// file uploads).
pub fn check_token(cx: &Cx, submitted: &str) -> Result<(), AppError> {
    if cx.csrf_new() || !constant_time_eq(submitted, cx.csrf()) {
        return Err(AppError::Csrf);
    }
    Ok(())
}
