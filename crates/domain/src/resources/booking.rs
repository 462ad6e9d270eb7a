//! Bookings of rooms and cars: a time range, what it holds, and when two clash. Two
//! bookings clash when their ranges overlap (an end is exclusive: one meeting may end at
//! 10:00 and the next begin at 10:00) and they hold the same room, the same car or the
//! same driver. A clash is refused unless the coordinator gives a reason.

use chrono::{DateTime, Duration, NaiveDate, Timelike, Utc};
use serde::{Deserialize, Serialize};

use super::{MAX_NOTES, Purpose, ResourceKind, text};
use crate::field::{FieldError, FieldErrors};
use crate::ids::UserId;

/// The longest booking, in days (a visit lasts at most 60).
pub const MAX_BOOKING_DAYS: i64 = 62;
/// Longest reason for booking over a clash.
pub const MAX_OVERRIDE_REASON: usize = 500;

/// A time range, its end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    /// First instant.
    pub start: DateTime<Utc>,
    /// First instant after it.
    pub end: DateTime<Utc>,
}

impl Span {
    /// The range from `start` to `end`.
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> Span {
        Span { start, end }
    }

    /// The days `from` to `to` (both included), each beginning at `midnight(day)` (the
    /// company's time zone is the caller's).
    pub fn of_days(from: NaiveDate, to: NaiveDate, midnight: impl Fn(NaiveDate) -> DateTime<Utc>) -> Span {
        let to = to.max(from);
        Span { start: midnight(from), end: midnight(to.succ_opt().unwrap_or(to)) }
    }

    /// The two share an instant.
    pub fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// `other` lies wholly inside.
    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// A booking as asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingInput {
    /// `room` or `vehicle`.
    pub resource_kind: ResourceKind,
    /// The room's or car's id.
    pub resource_id: i32,
    /// From (RFC 3339).
    pub starts_at: DateTime<Utc>,
    /// Until (RFC 3339), after `starts_at`.
    pub ends_at: DateTime<Utc>,
    /// The driver (a user id; cars only: the car's default driver when left out).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i32>))]
    pub driver_id: Option<UserId>,
    /// What it is for.
    #[serde(default)]
    pub purpose: Purpose,
    /// A note (where to pick up, how many people…).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub note: String,
    /// Why it is booked although it clashes with another booking (only then).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub override_reason: String,
}

/// Something about a booking worth a second look, though not refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantArray)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum BookingWarning {
    /// It begins before the visit's first day or ends after its last.
    OutsideVisit,
    /// The room has fewer seats than the reception has people.
    RoomTooSmall,
    /// The car has fewer seats than the guests.
    TooFewSeats,
}

/// Checks a booking's own values, every problem at once: it ends after it starts, lasts at
/// most [`MAX_BOOKING_DAYS`], a driver only for a car; the texts trimmed. Whether the room,
/// car or driver exists, is active and is free is looked up by the caller.
pub fn check_booking(input: &BookingInput) -> Result<BookingInput, FieldErrors> {
    let mut errs = FieldErrors::new();
    let mut b = input.clone();
    // Kept to the second.
    b.starts_at = b.starts_at.with_nanosecond(0).unwrap_or(b.starts_at);
    b.ends_at = b.ends_at.with_nanosecond(0).unwrap_or(b.ends_at);
    b.note = text(&mut errs, "note", &input.note, false, MAX_NOTES);
    b.override_reason = text(&mut errs, "override_reason", &input.override_reason, false, MAX_OVERRIDE_REASON);
    if b.ends_at <= b.starts_at {
        errs.push(FieldError::new("ends_at", "ends_before_start"));
    } else if b.ends_at - b.starts_at > Duration::days(MAX_BOOKING_DAYS) {
        errs.push(FieldError::with_limit("ends_at", "booking_too_long", MAX_BOOKING_DAYS as usize));
    }
    if b.resource_kind == ResourceKind::Room && b.driver_id.is_some() {
        errs.push(FieldError::new("driver_id", "driver_for_room"));
    }
    errs.into_result().map(|()| b)
}

/// The warnings of a booking of `span` for a visit over `visit`, in a room or car with
/// `seats` for a reception of `people`.
pub fn warnings(kind: ResourceKind, span: Span, visit: Span, seats: u32, people: u32) -> Vec<BookingWarning> {
    let mut w = Vec::new();
    if !visit.contains(span) {
        w.push(BookingWarning::OutsideVisit);
    }
    if seats < people {
        w.push(match kind {
            ResourceKind::Room => BookingWarning::RoomTooSmall,
            ResourceKind::Vehicle => BookingWarning::TooFewSeats,
        });
    }
    w
}

/// The free parts of `range` between the `busy` spans (in any order, overlapping or not),
/// in order.
pub fn free_slots(range: Span, busy: &[Span]) -> Vec<Span> {
    let mut busy: Vec<Span> = busy.iter().copied().filter(|b| b.overlaps(range)).collect();
    busy.sort();
    let mut free = Vec::new();
    let mut at = range.start;
    for b in busy {
        if b.start > at {
            free.push(Span::new(at, b.start.min(range.end)));
        }
        at = at.max(b.end);
        if at >= range.end {
            break;
        }
    }
    if at < range.end {
        free.push(Span::new(at, range.end));
    }
    free
}
