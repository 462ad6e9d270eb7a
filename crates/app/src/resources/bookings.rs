//! Bookings of rooms and cars for receptions under way, with what they clash with and what
//! deserves a second look; availability over a range; the bookings a take-on proposes.

use chrono::{Duration, NaiveDate};
use jiedai_domain::reception::{State, Viewer};
use jiedai_domain::resources::{
    BookingInput, BookingWarning, Clash, Purpose, ResourceKind, Span, check_booking, free_slots, warnings,
};
use jiedai_domain::{Actor, BookingId, FieldError, FieldErrors, ReceptionId};
use jiedai_store::{NewBooking, StoredReception};

use super::{StoredBooking, midnight, must_manage};
use crate::{App, Error, Result, receptions};

/// The longest range availability is asked for, in days.
pub const MAX_AVAILABILITY_DAYS: i64 = 62;

/// A booking as a reception's page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingView {
    /// The booking.
    pub booking: StoredBooking,
    /// The room's or car's name (model and plate).
    pub resource_name: String,
    /// What deserves a second look.
    pub warnings: Vec<BookingWarning>,
    /// What it clashes with now (booked over a clash, or other bookings made over it).
    pub clashes: Vec<Clash>,
}

/// A room or car with its bookings in a range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceRow {
    /// Room or car.
    pub kind: ResourceKind,
    /// Its id.
    pub id: i32,
    /// Its name (a car: model and plate).
    pub name: String,
    /// Seats.
    pub seats: u32,
    /// Bookable.
    pub active: bool,
    /// Its bookings overlapping the range.
    pub bookings: Vec<StoredBooking>,
    /// The free parts of the range.
    pub free: Vec<Span>,
}

/// Rooms or cars over a range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Availability {
    /// The range.
    pub range: Span,
    /// Each room or car.
    pub rows: Vec<ResourceRow>,
}

/// A room or car as bookings need it.
struct Known {
    kind: ResourceKind,
    id: i32,
    /// Its name (a car: model and plate).
    name: String,
    seats: u32,
    active: bool,
    /// A car's default driver.
    driver: Option<jiedai_domain::UserId>,
}

/// Every room or car of `kind` (both when `None`), read once for a whole answer.
async fn known(app: &App, kind: Option<ResourceKind>) -> Result<Vec<Known>> {
    let mut out = Vec::new();
    if kind != Some(ResourceKind::Vehicle) {
        out.extend(app.store().rooms().await?.into_iter().map(|r| Known {
            kind: ResourceKind::Room,
            id: r.id.get(),
            name: r.room.name,
            seats: r.room.capacity,
            active: r.room.active,
            driver: None,
        }));
    }
    if kind != Some(ResourceKind::Room) {
        out.extend(app.store().vehicles().await?.into_iter().map(|v| Known {
            kind: ResourceKind::Vehicle,
            id: v.id.get(),
            name: format!("{} {}", v.vehicle.model, v.vehicle.plate),
            seats: v.vehicle.seats,
            active: v.vehicle.active,
            driver: v.vehicle.default_driver_id,
        }));
    }
    Ok(out)
}

fn find(all: &[Known], kind: ResourceKind, id: i32) -> Option<&Known> {
    all.iter().find(|k| k.kind == kind && k.id == id)
}

/// Everyone a reception brings: the room holds them all; a car carries the guests.
fn people(r: &StoredReception, kind: ResourceKind) -> u32 {
    match kind {
        ResourceKind::Room => r.form.headcount(),
        ResourceKind::Vehicle => 1 + r.form.companion_count.max(r.form.companions.len() as u32),
    }
}

fn visit_span(app: &App, r: &StoredReception) -> Span {
    Span::of_days(r.visit_start, r.visit_end, |d| midnight(app, d))
}

fn view(app: &App, all: &[Known], r: &StoredReception, b: StoredBooking, clashes: Vec<Clash>) -> BookingView {
    let (name, seats) = find(all, b.kind, b.resource_id).map_or((String::new(), 0), |k| (k.name.clone(), k.seats));
    let warnings = warnings(b.kind, b.span, visit_span(app, r), seats, people(r, b.kind));
    BookingView { booking: b, resource_name: name, warnings, clashes }
}

/// A reception's bookings with their warnings and clashes, for whoever may see it.
pub async fn bookings_of(app: &App, viewer: &Viewer, id: ReceptionId) -> Result<Vec<BookingView>> {
    let (r, _) = receptions::visible(app, viewer, id).await?;
    let mut clashes = app.store().booking_clashes(id).await?;
    let all = known(app, None).await?;
    let mut out = Vec::new();
    for b in app.store().bookings_of(id).await? {
        let found = clashes.iter().position(|(i, _)| *i == b.id).map(|i| clashes.swap_remove(i).1).unwrap_or_default();
        out.push(view(app, &all, &r, b, found));
    }
    Ok(out)
}

fn under_way(r: &StoredReception) -> Result<()> {
    if r.state.is_under_way() { Ok(()) } else { Err(Error::Conflict { code: "not_under_way", field: "state" }) }
}

/// Books a room or car for a reception under way (General Management): every problem at
/// once (times, an unknown or disabled room or car, a driver who is not active); a clash
/// with another reception is refused with the clashes unless an override reason is given.
/// A car without a driver takes its default driver.
pub async fn book(
    app: &App,
    viewer: &Viewer,
    id: ReceptionId,
    input: &BookingInput,
    actor: &Actor,
) -> Result<BookingView> {
    must_manage(viewer)?;
    let (r, _) = receptions::visible(app, viewer, id).await?;
    under_way(&r)?;
    let (mut b, mut errs) = match check_booking(input) {
        Ok(b) => (b, FieldErrors::new()),
        Err(e) => (input.clone(), e),
    };
    let all = known(app, Some(b.resource_kind)).await?;
    match find(&all, b.resource_kind, b.resource_id) {
        None => errs.push(FieldError::new("resource_id", "unknown_reference")),
        Some(k) if !k.active => errs.push(FieldError::new("resource_id", "resource_inactive")),
        // A car without a driver takes its default driver.
        Some(k) => b.driver_id = b.driver_id.or(k.driver),
    }
    super::check_person(app, "driver_id", b.driver_id, &mut errs).await?;
    if !errs.is_empty() {
        return Err(Error::Validation(errs));
    }
    let stored = app.store().create_booking(id, &b, actor).await?;
    Ok(view(app, &all, &r, stored, Vec::new()))
}

/// Cancels a booking (General Management) of a reception the viewer may see.
pub async fn cancel_booking(app: &App, viewer: &Viewer, id: BookingId, actor: &Actor) -> Result<StoredBooking> {
    must_manage(viewer)?;
    let b = app.store().booking(id).await?;
    receptions::visible(app, viewer, b.reception_id).await?;
    Ok(app.store().delete_booking(id, actor).await?)
}

/// Every room or car with its bookings (of receptions not refused or cancelled) and its
/// free slots from `from` to `to` (local days, both included, at most
/// [`MAX_AVAILABILITY_DAYS`]).
pub async fn availability(app: &App, kind: ResourceKind, from: NaiveDate, to: NaiveDate) -> Result<Availability> {
    let mut errs = FieldErrors::new();
    if to < from {
        errs.push(FieldError::new("to", "ends_before_start"));
    } else if (to - from).num_days() >= MAX_AVAILABILITY_DAYS {
        errs.push(FieldError::with_limit("to", "range_too_long", MAX_AVAILABILITY_DAYS as usize));
    }
    if !errs.is_empty() {
        return Err(Error::Validation(errs));
    }
    let range = Span::of_days(from, to, |d| midnight(app, d));
    let bookings = app.store().bookings_between(kind, range).await?;
    let resources = known(app, Some(kind)).await?;
    let rows = resources
        .into_iter()
        .map(|k| {
            let mine: Vec<StoredBooking> = bookings.iter().filter(|b| b.resource_id == k.id).cloned().collect();
            let busy: Vec<Span> = mine.iter().map(|b| b.span).collect();
            let free = free_slots(range, &busy);
            ResourceRow { kind, id: k.id, name: k.name, seats: k.seats, active: k.active, free, bookings: mine }
        })
        .collect();
    Ok(Availability { range, rows })
}

/// The bookings taking a reception on proposes from its form, each on the first free room
/// or car that fits: the meeting room it names (else the smallest free room holding
/// everyone) on its first day 09:00–18:00; the pickup car (seats for the guests, with its
/// default driver) from half an hour before the pickup for two and a half hours; and a
/// standby car from 08:00 on the first day to 20:00 on the last.
pub async fn proposals(app: &App, r: &StoredReception) -> Result<Vec<NewBooking>> {
    let mut out: Vec<NewBooking> = Vec::new();
    if !matches!(r.state, State::Approved) {
        return Ok(out);
    }
    let at = |d: NaiveDate, h: i64| midnight(app, d) + Duration::hours(h);
    let f = &r.form;
    if f.meeting_room.wanted {
        let span = Span::new(at(r.visit_start, 9), at(r.visit_start, 18));
        let wanted = f.meeting_room.room.trim();
        let mut rooms: Vec<_> = app.store().rooms().await?.into_iter().filter(|x| x.room.active).collect();
        rooms
            .sort_by_key(|x| (x.room.name != wanted, x.room.capacity < people(r, ResourceKind::Room), x.room.capacity));
        let busy = app.store().bookings_between(ResourceKind::Room, span).await?;
        if let Some(room) = rooms.iter().find(|x| !busy.iter().any(|b| b.resource_id == x.id.get())) {
            out.push(proposal(ResourceKind::Room, room.id.get(), None, span, Purpose::Meeting));
        }
    }
    if f.pickup_car.wanted {
        let guests = people(r, ResourceKind::Vehicle);
        let mut cars: Vec<_> = app.store().vehicles().await?.into_iter().filter(|v| v.vehicle.active).collect();
        cars.sort_by_key(|v| (v.vehicle.seats < guests, v.vehicle.seats));
        let pickup = f.pickup_car.at.map(|t| {
            let start = midnight(app, t.date()) + (t - t.date().and_time(chrono::NaiveTime::MIN));
            Span::new(start - Duration::minutes(30), start + Duration::hours(2))
        });
        let standby = Span::new(at(r.visit_start, 8), at(r.visit_end.max(r.visit_start), 20));
        for (span, purpose) in pickup.map(|s| (s, Purpose::Pickup)).into_iter().chain([(standby, Purpose::Standby)]) {
            let busy = app.store().bookings_between(ResourceKind::Vehicle, span).await?;
            let taken = |v: &jiedai_store::StoredVehicle| {
                out.iter().any(|p| {
                    p.input.resource_kind == ResourceKind::Vehicle
                        && p.input.resource_id == v.id.get()
                        && purpose == Purpose::Standby
                }) || busy.iter().any(|b| {
                    b.resource_id == v.id.get() || (b.driver_id.is_some() && b.driver_id == v.vehicle.default_driver_id)
                })
            };
            if let Some(car) = cars.iter().find(|v| !taken(v)) {
                let p = proposal(ResourceKind::Vehicle, car.id.get(), car.vehicle.default_driver_id, span, purpose);
                out.push(p);
            }
        }
    }
    Ok(out)
}

fn proposal(
    kind: ResourceKind,
    id: i32,
    driver: Option<jiedai_domain::UserId>,
    span: Span,
    purpose: Purpose,
) -> NewBooking {
    NewBooking {
        input: BookingInput {
            resource_kind: kind,
            resource_id: id,
            starts_at: span.start,
            ends_at: span.end,
            driver_id: driver,
            purpose,
            note: String::new(),
            override_reason: String::new(),
        },
    }
}
