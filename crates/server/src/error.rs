//! One error path. Handlers return `AppError`; it becomes a response carrying an
//! [`ErrorInfo`] marker, and one middleware (`render::render_errors`) turns the marker
//! into a localized HTML page or an RFC 9457 `application/problem+json` body, by route.
//! Internal details are logged, never sent.

use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiedai_domain::FieldErrors;

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No such page or entity.
    #[error("not found")]
    NotFound,
    /// Not signed in (or the token is invalid).
    #[error("unauthorized")]
    Unauthorized,
    /// Signed in, but not allowed.
    #[error("forbidden")]
    Forbidden,
    /// The CSRF token is missing or wrong.
    #[error("csrf")]
    Csrf,
    /// Input is invalid; one entry per field.
    #[error("validation")]
    Validation(FieldErrors),
    /// A unique value is taken; `code` is stable, `field` names the input.
    #[error("conflict {code}")]
    Conflict {
        /// Stable code, e.g. `username_taken`.
        code: &'static str,
        /// The field concerned.
        field: &'static str,
    },
    /// What was asked for is held by other receptions (`booking_clash`, `stock_short`).
    #[error("clash {code}")]
    Clash {
        /// Stable code.
        code: &'static str,
        /// The other receptions and their times.
        clashes: Vec<jiedai_domain::resources::Clash>,
    },
    /// Someone else changed the entity first.
    #[error("stale version")]
    StaleVersion,
    /// Too many attempts; try again after this many seconds.
    #[error("too many requests")]
    TooManyRequests {
        /// Seconds until a retry may succeed.
        retry_after: u64,
    },
    /// The request itself is malformed.
    #[error("bad request {code}")]
    BadRequest {
        /// Stable code, e.g. `malformed_json`.
        code: &'static str,
        /// Safe detail (parser message about the client's own input).
        detail: Option<String>,
    },
    /// The route exists, but not with this method.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The body is larger than the server accepts.
    #[error("payload too large")]
    PayloadTooLarge,
    /// The headers are larger than the server accepts.
    #[error("headers too large")]
    HeadersTooLarge,
    /// The body's media type is not one the route reads.
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// The database cannot be reached, or the request took too long: try again shortly.
    #[error("unavailable")]
    Unavailable,
    /// Anything else: logged with the request id, answered as a bare 500.
    #[error("internal: {0:#}")]
    Internal(anyhow::Error),
}

impl AppError {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict { .. } | AppError::Clash { .. } | AppError::StaleVersion => StatusCode::CONFLICT,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::HeadersTooLarge => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound => "not_found",
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden => "forbidden",
            AppError::Csrf => "csrf_failed",
            AppError::Validation(_) => "validation_failed",
            AppError::Conflict { code, .. } | AppError::Clash { code, .. } => code,
            AppError::StaleVersion => "stale_version",
            AppError::TooManyRequests { .. } => "too_many_requests",
            AppError::BadRequest { code, .. } => code,
            AppError::MethodNotAllowed => "method_not_allowed",
            AppError::PayloadTooLarge => "payload_too_large",
            AppError::HeadersTooLarge => "headers_too_large",
            AppError::UnsupportedMediaType => "unsupported_media_type",
            AppError::Unavailable => "unavailable",
            AppError::Internal(_) => "internal",
        }
    }

    /// The error an answer of this status stands for, for answers made outside the handlers
    /// (the router's, an extractor's, a layer's) so that they are rendered like the rest.
    pub fn from_status(status: StatusCode) -> AppError {
        match status {
            StatusCode::NOT_FOUND => AppError::NotFound,
            StatusCode::UNAUTHORIZED => AppError::Unauthorized,
            StatusCode::FORBIDDEN => AppError::Forbidden,
            StatusCode::METHOD_NOT_ALLOWED => AppError::MethodNotAllowed,
            StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge,
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => AppError::HeadersTooLarge,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => AppError::UnsupportedMediaType,
            StatusCode::SERVICE_UNAVAILABLE | StatusCode::GATEWAY_TIMEOUT | StatusCode::REQUEST_TIMEOUT => {
                AppError::Unavailable
            }
            s if s.is_server_error() => AppError::Internal(anyhow::anyhow!("answered {s}")),
            _ => AppError::BadRequest { code: "bad_request", detail: None },
        }
    }

    /// A validation error on one field.
    pub fn field(e: jiedai_domain::FieldError) -> AppError {
        AppError::Validation(e.into())
    }
}

/// The marker a failed handler leaves on its response, for the renderer.
#[derive(Clone, Debug)]
pub struct ErrorInfo(pub Arc<AppError>);

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(e) = &self {
            tracing::error!(error = format!("{e:#}"), "internal error");
        }
        let mut res = self.status().into_response();
        match &self {
            AppError::TooManyRequests { retry_after } => {
                res.headers_mut().insert(axum::http::header::RETRY_AFTER, (*retry_after).into());
            }
            AppError::Unavailable => {
                res.headers_mut().insert(axum::http::header::RETRY_AFTER, 2.into());
            }
            _ => {}
        }
        res.extensions_mut().insert(ErrorInfo(Arc::new(self)));
        res
    }
}

impl From<jiedai_app::Error> for AppError {
    fn from(e: jiedai_app::Error) -> Self {
        use jiedai_app::Error as E;
        match e {
            E::NotFound => AppError::NotFound,
            E::Forbidden => AppError::Forbidden,
            E::Validation(errs) => AppError::Validation(errs),
            E::Conflict { code, field } => AppError::Conflict { code, field },
            E::Clash { code, clashes } => AppError::Clash { code, clashes },
            E::StaleVersion => AppError::StaleVersion,
            E::TooManyRequests { retry_after } => AppError::TooManyRequests { retry_after },
            E::Unavailable(e) => {
                tracing::warn!(error = format!("{e:#}"), "database unavailable");
                AppError::Unavailable
            }
            E::Internal(e) => AppError::Internal(e),
        }
    }
}

impl From<anyhow::Error> for AppError {
    fn from(e: anyhow::Error) -> Self {
        AppError::Internal(e)
    }
}

/// Handler result.
pub type AppResult<T> = Result<T, AppError>;
