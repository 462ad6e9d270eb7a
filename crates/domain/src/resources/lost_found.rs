//! Lost property: what a guest left behind, where and when it was found, by whom, where it
//! is kept; then to whom it went back, when and how.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{MAX_NAME, MAX_NOTES, text};
use crate::field::{FieldError, FieldErrors};
use crate::ids::UserId;

/// How lost property went back.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ReturnMeans {
    /// Given back in person.
    #[default]
    HandedOver,
    /// Sent by courier (with a tracking number).
    Courier,
    /// Passed on to someone else to keep or return (the host department, reception desk):
    /// a note says to whom.
    PassedOn,
}

/// Something found after the guests left.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FoundInput {
    /// What it is.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
    pub what: String,
    /// Where it was found.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
    pub found_where: String,
    /// When (RFC 3339; now when left out).
    pub found_at: Option<DateTime<Utc>>,
    /// Who found it (a user id; the person recording it when left out).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i32>))]
    pub found_by: Option<UserId>,
    /// Where it is kept meanwhile.
    #[cfg_attr(feature = "openapi", schema(max_length = 64))]
    pub kept_at: String,
    /// Notes.
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub notes: String,
}

impl FoundInput {
    /// Trimmed and checked, every problem at once; when it was found may not be later than
    /// `now`.
    pub fn check(&self, now: DateTime<Utc>) -> Result<FoundInput, FieldErrors> {
        let mut errs = FieldErrors::new();
        let f = FoundInput {
            what: text(&mut errs, "what", &self.what, true, MAX_NAME),
            found_where: text(&mut errs, "found_where", &self.found_where, true, MAX_NAME),
            found_at: Some(self.found_at.unwrap_or(now)),
            found_by: self.found_by,
            kept_at: text(&mut errs, "kept_at", &self.kept_at, false, MAX_NAME),
            notes: text(&mut errs, "notes", &self.notes, false, MAX_NOTES),
        };
        if f.found_at.is_some_and(|t| t > now + chrono::Duration::minutes(5)) {
            errs.push(FieldError::new("found_at", "in_future"));
        }
        errs.into_result().map(|()| f)
    }
}

/// How a found thing went back.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReturnInput {
    /// To whom.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
    pub returned_to: String,
    /// When (RFC 3339; now when left out).
    pub returned_at: Option<DateTime<Utc>>,
    /// `handed_over`, `courier` or `passed_on`.
    pub means: ReturnMeans,
    /// The courier's tracking number (needed for `courier`).
    #[cfg_attr(feature = "openapi", schema(max_length = 64))]
    pub tracking: String,
    /// A note (needed for `passed_on`: to whom and why).
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub note: String,
}

impl ReturnInput {
    /// Trimmed and checked, every problem at once.
    pub fn check(&self, now: DateTime<Utc>) -> Result<ReturnInput, FieldErrors> {
        let mut errs = FieldErrors::new();
        let r = ReturnInput {
            returned_to: text(&mut errs, "returned_to", &self.returned_to, true, MAX_NAME),
            returned_at: Some(self.returned_at.unwrap_or(now)),
            means: self.means,
            tracking: text(&mut errs, "tracking", &self.tracking, self.means == ReturnMeans::Courier, MAX_NAME),
            note: text(&mut errs, "note", &self.note, self.means == ReturnMeans::PassedOn, MAX_NOTES),
        };
        if r.returned_at.is_some_and(|t| t > now + chrono::Duration::minutes(5)) {
            errs.push(FieldError::new("returned_at", "in_future"));
        }
        errs.into_result().map(|()| r)
    }
}
