//! What a use case can fail with. Pages and the API turn these into answers (a page with
//! messages by field, a problem document); the command line into a sentence.

use jiedai_domain::{FieldError, FieldErrors};
use jiedai_store::StoreError;

/// A failed use case.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No such thing, or not one the person may see.
    #[error("not found")]
    NotFound,
    /// The person may not do this.
    #[error("forbidden")]
    Forbidden,
    /// Input is invalid; one entry per field, every problem at once.
    #[error("validation")]
    Validation(FieldErrors),
    /// Something unique is taken, or the action does not apply in this state; `code` is
    /// stable, `field` names the input.
    #[error("conflict {code}")]
    Conflict {
        /// Stable code, e.g. `username_taken`.
        code: &'static str,
        /// The field concerned.
        field: &'static str,
    },
    /// What was asked for is held by other receptions: a 409 naming them.
    #[error("clash {code}")]
    Clash {
        /// Stable code (`booking_clash`, `stock_short`).
        code: &'static str,
        /// The other receptions.
        clashes: Vec<jiedai_domain::resources::Clash>,
    },
    /// Someone else changed the thing since it was read.
    #[error("stale version")]
    StaleVersion,
    /// Too many attempts; again after this many seconds.
    #[error("too many requests")]
    TooManyRequests {
        /// Seconds until a retry may succeed.
        retry_after: u64,
    },
    /// The database cannot be reached just now; try again shortly.
    #[error("unavailable: {0:#}")]
    Unavailable(anyhow::Error),
    /// Anything else: logged, never shown.
    #[error("internal: {0:#}")]
    Internal(anyhow::Error),
}

impl Error {
    /// A validation error on one field.
    pub fn field(field: &str, code: &'static str) -> Error {
        Error::Validation(FieldError::new(field, code).into())
    }
}

impl From<FieldError> for Error {
    fn from(e: FieldError) -> Self {
        Error::Validation(e.into())
    }
}

impl From<FieldErrors> for Error {
    fn from(e: FieldErrors) -> Self {
        Error::Validation(e)
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Error::NotFound,
            StoreError::StaleVersion => Error::StaleVersion,
            StoreError::Conflict("username") => Error::Conflict { code: "username_taken", field: "username" },
            StoreError::Conflict("name") => Error::Conflict { code: "name_taken", field: "name" },
            StoreError::Conflict("date") => Error::Conflict { code: "date_taken", field: "date" },
            StoreError::Conflict("plate") => Error::Conflict { code: "plate_taken", field: "plate" },
            StoreError::Conflict("counted_out") => Error::Conflict { code: "counted_out", field: "quantity" },
            StoreError::Conflict("not_on_hand") => Error::Conflict { code: "not_on_hand", field: "stock_item_id" },
            StoreError::Conflict("stock_inactive") => {
                Error::Conflict { code: "stock_inactive", field: "stock_item_id" }
            }
            StoreError::Conflict("stock_in_use") => Error::Conflict { code: "stock_in_use", field: "id" },
            StoreError::Conflict("already_counted_back") => {
                Error::Conflict { code: "already_counted_back", field: "returned" }
            }
            StoreError::Conflict("not_counted_out") => Error::Conflict { code: "not_counted_out", field: "returned" },
            StoreError::Conflict("already_counted_out") => {
                Error::Conflict { code: "already_counted_out", field: "write_off" }
            }
            StoreError::Conflict("already_returned") => {
                Error::Conflict { code: "already_returned", field: "returned_to" }
            }
            StoreError::Conflict(f) => Error::Conflict { code: "conflict", field: f },
            StoreError::Clash { code, clashes } => Error::Clash { code, clashes },
            StoreError::InvalidReference(f) => Error::Validation(FieldError::new(f, "unknown_reference").into()),
            other if other.is_unavailable() => Error::Unavailable(other.into()),
            other => Error::Internal(other.into()),
        }
    }
}

impl From<anyhow::Error> for Error {
    fn from(e: anyhow::Error) -> Self {
        Error::Internal(e)
    }
}

/// A use case's result.
pub type Result<T, E = Error> = std::result::Result<T, E>;
