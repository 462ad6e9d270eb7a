//! What the pages of rooms, cars and stock share: numbers as people type them, people to
//! choose from, and what a save came to (saved, problems by field, changed meanwhile).

use std::collections::HashMap;

use axum::http::StatusCode;
use jiedai_domain::{FieldError, FieldErrors, UserId};

use crate::error::AppResult;
use crate::forms::FormErrors;
use crate::i18n::Tr;
use crate::state::AppState;

/// A whole number 0 or above as typed: blank is 0 (the domain says what must not be); what
/// is not one is a problem on its field, said precisely.
pub(super) fn count(errs: &mut FieldErrors, field: &str, raw: &str) -> i64 {
    let s = raw.trim();
    if s.is_empty() {
        return 0;
    }
    let problem = match s.parse::<i64>() {
        Ok(n) if n >= 0 => return n,
        Ok(_) => FieldError::new(field, "negative_number"),
        Err(_) if s.chars().all(|c| c.is_ascii_digit()) => FieldError::new(field, "number_too_large"),
        Err(_) if s.parse::<f64>().is_ok_and(f64::is_finite) => FieldError::new(field, "not_whole_number"),
        Err(_) => FieldError::new(field, "invalid_number"),
    };
    errs.push(problem);
    0
}

/// A number of seats or places as typed (one too large for the domain stays too large).
pub(super) fn seats(errs: &mut FieldErrors, field: &str, raw: &str) -> u32 {
    u32::try_from(count(errs, field, raw)).unwrap_or(u32::MAX)
}

/// What a save came to.
pub(super) enum Outcome {
    /// Saved.
    Saved,
    /// Problems by field: 422, or 409 for something taken or in use.
    Problems(FormErrors, StatusCode),
    /// Someone changed it since the form was read (409).
    Stale,
}

/// The outcome of a save. When the form's own numbers had problems (`typed`), nothing was
/// saved: `checked` (the input's own check) adds the problems of the other fields, so that
/// every one shows at once.
pub(super) fn outcome<T>(
    tr: Tr,
    typed: FieldErrors,
    checked: Result<(), FieldErrors>,
    saved: Option<jiedai_app::Result<T>>,
) -> AppResult<Outcome> {
    let result = match saved {
        Some(r) if typed.is_empty() => r.map(drop),
        _ => {
            let mut all = typed;
            let others = checked.err().unwrap_or_default();
            for e in others.0 {
                if all.get(&e.field).is_none() {
                    all.push(e);
                }
            }
            Err(jiedai_app::Error::Validation(all))
        }
    };
    match result {
        Ok(()) => Ok(Outcome::Saved),
        Err(jiedai_app::Error::StaleVersion) => Ok(Outcome::Stale),
        Err(e) => {
            let status = match e {
                jiedai_app::Error::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
                _ => StatusCode::CONFLICT,
            };
            Ok(Outcome::Problems(FormErrors::from_failure(tr, e)?, status))
        }
    }
}

/// Everyone's name by id, and the active people to choose from (see [`crate::forms::people`]).
pub(super) async fn people(s: &AppState) -> AppResult<(HashMap<UserId, String>, Vec<(String, String)>)> {
    crate::forms::people(s, &[]).await
}
