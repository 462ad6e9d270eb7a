//! Rooms, cars and stock, kept by General Management and administrators; every signed-in
//! person may look at them (drivers and staff read the schedule).

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use jiedai_domain::reception::Viewer;
use jiedai_domain::resources::{RoomInput, StockItemInput, VehicleInput};
use jiedai_domain::{Actor, FieldError, FieldErrors, RoomId, StockItemId, UserId, VehicleId};
pub use jiedai_store::{
    StoredBooking, StoredLine, StoredLostFound, StoredMovement, StoredRoom, StoredStockItem, StoredVehicle,
};

use crate::{App, Error, Result};

mod bookings;
mod demo;
pub use demo::load_bulk_bookings;
pub(crate) use demo::{furnish as demo_furnish, overridden as demo_overridden, settle as demo_settle};
mod items;
mod lost_found;

pub use bookings::{
    Availability, BookingView, ResourceRow, availability, book, bookings_of, cancel_booking, proposals,
};
pub(crate) use items::generate_items;
pub use items::{ItemList, LineView, SHORT_NOTE, count_back, count_out, delete_line, item_list, save_line};
pub use lost_found::{lost_found_of, open_lost_found, record_found, record_return};

/// Most lines of the stock ledger shown at once.
pub const MAX_MOVEMENTS: u64 = 200;

/// General Management and administrators keep rooms, cars and stock.
pub fn manages(viewer: &Viewer) -> bool {
    crate::tasks::plans(viewer)
}

fn must_manage(viewer: &Viewer) -> Result<()> {
    if manages(viewer) { Ok(()) } else { Err(Error::Forbidden) }
}

/// The first instant of a day in the company's time zone.
pub fn midnight(app: &App, day: NaiveDate) -> DateTime<Utc> {
    let tz = app.config().timezone;
    let local = day.and_time(chrono::NaiveTime::MIN);
    tz.from_local_datetime(&local).earliest().map_or_else(|| local.and_utc(), |t| t.with_timezone(&Utc))
}

/// Every room.
pub async fn rooms(app: &App) -> Result<Vec<StoredRoom>> {
    Ok(app.store().rooms().await?)
}

/// One room.
pub async fn room(app: &App, id: RoomId) -> Result<StoredRoom> {
    Ok(app.store().room(id).await?)
}

/// One car.
pub async fn vehicle(app: &App, id: VehicleId) -> Result<StoredVehicle> {
    Ok(app.store().vehicle(id).await?)
}

/// Every car.
pub async fn vehicles(app: &App) -> Result<Vec<StoredVehicle>> {
    Ok(app.store().vehicles().await?)
}

/// Adds a room, or changes one read at `version`.
pub async fn save_room(
    app: &App,
    viewer: &Viewer,
    id: Option<(RoomId, i32)>,
    input: &RoomInput,
    actor: &Actor,
) -> Result<StoredRoom> {
    must_manage(viewer)?;
    let room = input.check()?;
    Ok(match id {
        None => app.store().create_room(&room, actor).await?,
        Some((id, version)) => app.store().update_room(id, version, &room, actor).await?,
    })
}

/// The problem with a person as `field` (a driver): not an active user.
async fn check_person(app: &App, field: &str, person: Option<UserId>, errs: &mut FieldErrors) -> Result<()> {
    if let Some(p) = person
        && !crate::tasks::is_active(app, p).await?
    {
        errs.push(FieldError::new(field, "person_not_active"));
    }
    Ok(())
}

/// Adds a car, or changes one read at `version`; its default driver an active person.
pub async fn save_vehicle(
    app: &App,
    viewer: &Viewer,
    id: Option<(VehicleId, i32)>,
    input: &VehicleInput,
    actor: &Actor,
) -> Result<StoredVehicle> {
    must_manage(viewer)?;
    let (car, mut errs) = match input.check() {
        Ok(c) => (Some(c), FieldErrors::new()),
        Err(e) => (None, e),
    };
    check_person(app, "default_driver_id", input.default_driver_id, &mut errs).await?;
    let (Some(car), true) = (car, errs.is_empty()) else {
        return Err(Error::Validation(errs));
    };
    Ok(match id {
        None => app.store().create_vehicle(&car, actor).await?,
        Some((id, version)) => app.store().update_vehicle(id, version, &car, actor).await?,
    })
}

/// A stock item as the stock page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockView {
    /// The item.
    pub item: StoredStockItem,
    /// What receptions under way from today reserve and have not counted out.
    pub reserved: i64,
    /// Fewer on hand than its threshold.
    pub low: bool,
}

/// Every stock item with what is reserved of it, low ones marked.
pub async fn stock(app: &App) -> Result<Vec<StockView>> {
    let reserved = app.store().stock_reserved(app.today()).await?;
    Ok(app
        .store()
        .stock_items()
        .await?
        .into_iter()
        .map(|item| {
            let reserved = reserved.iter().find(|(i, _)| *i == item.id).map_or(0, |(_, n)| *n);
            let low = StockItemInput::is_low(item.item.on_hand, item.item.low_stock);
            StockView { item, reserved, low }
        })
        .collect())
}

/// One stock item with what is reserved of it.
pub async fn stock_item(app: &App, id: StockItemId) -> Result<StockView> {
    stock(app).await?.into_iter().find(|s| s.item.id == id).ok_or(Error::NotFound)
}

/// Adds a stock item, or changes one read at `version` (a new number on hand is written to
/// the ledger as an adjustment with `note`).
pub async fn save_stock(
    app: &App,
    viewer: &Viewer,
    id: Option<(StockItemId, i32)>,
    input: &StockItemInput,
    note: &str,
    actor: &Actor,
) -> Result<StoredStockItem> {
    must_manage(viewer)?;
    let item = input.check()?;
    let note = note.trim();
    if note.chars().count() > jiedai_domain::resources::MAX_NOTES {
        return Err(Error::field("note", "too_long"));
    }
    Ok(match id {
        None => app.store().create_stock_item(&item, actor).await?,
        Some((id, version)) => app.store().update_stock_item(id, version, &item, note, actor).await?,
    })
}

/// Deletes a stock item no list has used; one in use is refused (disable it instead).
pub async fn delete_stock(app: &App, viewer: &Viewer, id: StockItemId, actor: &Actor) -> Result<()> {
    must_manage(viewer)?;
    Ok(app.store().delete_stock_item(id, actor).await?)
}

/// A stock item's ledger, newest first.
pub async fn movements(app: &App, id: StockItemId) -> Result<Vec<StoredMovement>> {
    app.store().stock_item(id).await?;
    Ok(app.store().stock_movements(id, MAX_MOVEMENTS).await?)
}
