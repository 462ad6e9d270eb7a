//! Bookings through the API: a reception's, booking a room or car (409 naming the clashing
//! receptions unless overridden with a reason), cancelling one, and availability.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use jiedai_app::receptions;
use jiedai_app::resources::{self, BookingView, StoredBooking};
use jiedai_domain::resources::{BookingInput, BookingWarning, Clash, Purpose, ResourceKind};
use jiedai_domain::{BookingId, ReceptionId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Cx;
use crate::error::AppResult;
use crate::extract::{ApiJson, Id, Query};
use crate::render::{Problem, json};
use crate::state::AppState;

/// A booking of a room or car.
#[derive(Serialize, ToSchema)]
pub struct BookingResponse {
    /// Id.
    pub id: i32,
    /// Its reception.
    pub reception_id: i32,
    /// Its reception's code.
    pub reception_code: String,
    /// `room` or `vehicle`.
    pub resource_kind: ResourceKind,
    /// The room's or car's id.
    pub resource_id: i32,
    /// The room's name, or the car's model and plate.
    pub resource_name: String,
    /// From.
    pub starts_at: DateTime<Utc>,
    /// Until.
    pub ends_at: DateTime<Utc>,
    /// The driver (cars).
    pub driver_id: Option<i32>,
    /// `meeting`, `pickup`, `standby` or `other`.
    pub purpose: Purpose,
    /// Note.
    pub note: String,
    /// Why it was booked over a clash (empty when it clashed with nothing).
    pub override_reason: String,
    /// What deserves a second look: `outside_visit`, `room_too_small`, `too_few_seats`.
    pub warnings: Vec<BookingWarning>,
    /// What it clashes with now (booked over a clash).
    pub conflicts: Vec<Clash>,
}

/// A reception's bookings.
#[derive(Serialize, ToSchema)]
pub struct BookingList {
    /// By start.
    pub items: Vec<BookingResponse>,
}

pub(crate) fn booking(v: BookingView) -> BookingResponse {
    let b = v.booking;
    BookingResponse {
        id: b.id.get(),
        reception_id: b.reception_id.get(),
        reception_code: b.reception_code,
        resource_kind: b.kind,
        resource_id: b.resource_id,
        resource_name: v.resource_name,
        starts_at: b.span.start,
        ends_at: b.span.end,
        driver_id: b.driver_id.map(|d| d.get()),
        purpose: b.purpose,
        note: b.note,
        override_reason: b.override_reason,
        warnings: v.warnings,
        conflicts: v.clashes,
    }
}

/// A reception's bookings of rooms and cars, with their warnings and what they clash with.
#[utoipa::path(get, path = "/api/v1/receptions/{id}/bookings", tag = "resources",
    params(("id" = i32, Path, description = "Reception id", example = 1)),
    responses((status = 200, body = BookingList), (status = 404, body = Problem)))]
pub async fn reception_bookings(State(s): State<AppState>, cx: Cx, Id(id): Id<ReceptionId>) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let items = resources::bookings_of(&s.app, &viewer, id).await?.into_iter().map(booking).collect();
    Ok(json(StatusCode::OK, BookingList { items }))
}

/// Books a room or car for a reception under way (General Management). A booking that
/// overlaps another reception's booking of the same room, car or driver is refused with
/// 409 `booking_clash` and `conflicts` naming them, unless `override_reason` is given
/// (recorded). A car without a driver takes its default driver.
#[utoipa::path(post, path = "/api/v1/receptions/{id}/bookings", tag = "resources",
    params(("id" = i32, Path, description = "Reception id", example = 1)),
    request_body = BookingInput,
    responses((status = 201, body = BookingResponse),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "`booking_clash` (with `conflicts`: the other receptions and their times), or the reception is not under way (`not_under_way`)", body = Problem),
        (status = 422, description = "Every problem at once: ends before it starts, longer than 62 days, an unknown or disabled room or car, a driver who is not active", body = Problem)))]
pub async fn create_booking(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ReceptionId>,
    ApiJson(b): ApiJson<BookingInput>,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let v = resources::book(&s.app, &viewer, id, &b, &cx.actor()).await?;
    Ok(json(StatusCode::CREATED, booking(v)))
}

/// Cancels a booking (General Management).
#[utoipa::path(delete, path = "/api/v1/bookings/{id}", tag = "resources",
    params(("id" = i32, Path, description = "Booking id", example = 1)),
    responses((status = 204, description = "Cancelled"), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete_booking(State(s): State<AppState>, cx: Cx, Id(id): Id<BookingId>) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    resources::cancel_booking(&s.app, &viewer, id, &cx.actor()).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// What availability is asked for.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AvailabilityQuery {
    /// `room` or `vehicle`.
    pub kind: ResourceKind,
    /// First day, YYYY-MM-DD (company time zone).
    #[param(value_type = String, format = Date)]
    pub from: NaiveDate,
    /// Last day, YYYY-MM-DD, included; at most 62 days after `from`.
    #[param(value_type = String, format = Date)]
    pub to: NaiveDate,
}

/// A booking as availability shows it.
#[derive(Serialize, ToSchema)]
pub struct BusySlot {
    /// Booking id.
    pub id: i32,
    /// Its reception.
    pub reception_id: i32,
    /// Its reception's code.
    pub reception_code: String,
    /// From.
    pub starts_at: DateTime<Utc>,
    /// Until.
    pub ends_at: DateTime<Utc>,
    /// The driver (cars).
    pub driver_id: Option<i32>,
    /// What for.
    pub purpose: Purpose,
}

/// A free slot.
#[derive(Serialize, ToSchema)]
pub struct FreeSlot {
    /// From.
    pub starts_at: DateTime<Utc>,
    /// Until.
    pub ends_at: DateTime<Utc>,
}

/// A room or car with its bookings and free slots.
#[derive(Serialize, ToSchema)]
pub struct ResourceAvailability {
    /// The room's or car's id.
    pub resource_id: i32,
    /// Its name (a car: model and plate).
    pub name: String,
    /// Seats.
    pub seats: u32,
    /// Bookable.
    pub active: bool,
    /// Its bookings overlapping the range (of receptions not refused or cancelled).
    pub bookings: Vec<BusySlot>,
    /// The free parts of the range.
    pub free: Vec<FreeSlot>,
}

/// Availability over a range.
#[derive(Serialize, ToSchema)]
pub struct AvailabilityResponse {
    /// `room` or `vehicle`.
    pub kind: ResourceKind,
    /// The range's first instant.
    pub from: DateTime<Utc>,
    /// The instant after its last day.
    pub to: DateTime<Utc>,
    /// Each room or car.
    pub items: Vec<ResourceAvailability>,
}

fn busy(b: StoredBooking) -> BusySlot {
    BusySlot {
        id: b.id.get(),
        reception_id: b.reception_id.get(),
        reception_code: b.reception_code,
        starts_at: b.span.start,
        ends_at: b.span.end,
        driver_id: b.driver_id.map(|d| d.get()),
        purpose: b.purpose,
    }
}

/// Every room or car with its bookings and free slots over a range of days.
#[utoipa::path(get, path = "/api/v1/availability", tag = "resources", params(AvailabilityQuery),
    responses((status = 200, body = AvailabilityResponse),
        (status = 400, description = "A malformed kind or day", body = Problem),
        (status = 422, description = "`to` before `from`, or more than 62 days", body = Problem)))]
pub async fn availability(
    State(s): State<AppState>,
    _cx: Cx,
    Query(q): Query<AvailabilityQuery>,
) -> AppResult<Response> {
    let a = resources::availability(&s.app, q.kind, q.from, q.to).await?;
    let items = a
        .rows
        .into_iter()
        .map(|r| ResourceAvailability {
            resource_id: r.id,
            name: r.name,
            seats: r.seats,
            active: r.active,
            bookings: r.bookings.into_iter().map(busy).collect(),
            free: r.free.into_iter().map(|f| FreeSlot { starts_at: f.start, ends_at: f.end }).collect(),
        })
        .collect();
    Ok(json(StatusCode::OK, AvailabilityResponse { kind: q.kind, from: a.range.start, to: a.range.end, items }))
}
