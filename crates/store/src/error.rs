//! The store's errors. Database text never leaves the server: the server logs it
//! and answers a generic 500.

use sea_orm::DbErr;

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The entity does not exist.
    #[error("not found")]
    NotFound,
    /// A unique value is taken (e.g. a username).
    #[error("conflict on {0}")]
    Conflict(&'static str),
    /// What was asked for is held by other receptions (a booking's room, car or driver, or
    /// more stock than is free); `code` is stable (`booking_clash`, `stock_short`).
    #[error("{code}")]
    Clash {
        /// Stable code.
        code: &'static str,
        /// The other receptions.
        clashes: Vec<jiedai_domain::resources::Clash>,
    },
    /// Someone else changed the entity since it was read.
    #[error("stale version")]
    StaleVersion,
    /// A reference points at nothing (e.g. an unknown department).
    #[error("invalid reference in {0}")]
    InvalidReference(&'static str),
    /// Opening the database failed before any query.
    #[error("setup: {0}")]
    Setup(String),
    /// Anything else from the database.
    #[error("database: {0}")]
    Db(#[from] DbErr),
}

impl StoreError {
    /// True when the database could not be reached (no free connection in time, the
    /// connection refused or lost): the request may succeed if tried again shortly.
    pub fn is_unavailable(&self) -> bool {
        use sea_orm::{DbErr, RuntimeErr};
        let sqlx_unreachable = |e: &RuntimeErr| match e {
            RuntimeErr::SqlxError(e) => matches!(
                **e,
                sea_orm::sqlx::Error::Io(_)
                    | sea_orm::sqlx::Error::PoolTimedOut
                    | sea_orm::sqlx::Error::PoolClosed
                    | sea_orm::sqlx::Error::WorkerCrashed
            ),
            _ => false,
        };
        match self {
            StoreError::Db(DbErr::ConnectionAcquire(_)) => true,
            StoreError::Db(DbErr::Conn(e) | DbErr::Exec(e) | DbErr::Query(e)) => sqlx_unreachable(e),
            _ => false,
        }
    }
}

/// True when a database error is a unique-constraint violation.
pub(crate) fn is_unique_violation(e: &DbErr) -> bool {
    matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
}
