//! Rooms, cars and material: what a room, a car and a stock item must be; bookings and
//! when two of them clash; the item list (Attachment 3) a reception's form asks for and
//! how its lines are counted out and back; lost property. Where the clashing bookings and
//! reservations are looked up is the store's; the rules that decide are here.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::field::{FieldError, FieldErrors};
use crate::ids::{ReceptionId, UserId};

mod booking;
mod items;
mod lost_found;
#[cfg(test)]
mod tests;

pub use booking::{
    BookingInput, BookingWarning, MAX_BOOKING_DAYS, MAX_OVERRIDE_REASON, Span, check_booking, free_slots, warnings,
};
pub use items::{CountBack, ItemLineInput, ItemSource, MAX_QUANTITY, Movement, PlannedItem, item_quantity, plan_items};
pub use lost_found::{FoundInput, ReturnInput, ReturnMeans};

/// What a booking holds.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ResourceKind {
    /// A meeting room.
    Room,
    /// A car (with its driver).
    Vehicle,
}

/// What a booking is for.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Purpose {
    /// The meeting room of the visit.
    Meeting,
    /// Picking the guests up (接站).
    Pickup,
    /// The standby car (机动备用车辆).
    Standby,
    /// Anything else.
    #[default]
    Other,
}

/// What two receptions both asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantArray)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ClashOn {
    /// The same room.
    Room,
    /// The same car.
    Vehicle,
    /// The same driver.
    Driver,
    /// The same stock, more than there is.
    Stock,
}

/// Another reception holding what was asked for, at overlapping times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Clash {
    /// The other reception.
    #[cfg_attr(feature = "openapi", schema(value_type = i32))]
    pub reception_id: ReceptionId,
    /// Its code (JD-2026-0042).
    pub reception_code: String,
    /// When its booking (or, for stock, its visit) begins.
    pub starts_at: DateTime<Utc>,
    /// When it ends.
    pub ends_at: DateTime<Utc>,
    /// What both hold.
    pub on: ClashOn,
    /// Stock: how many it has reserved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i64>,
}

/// Longest name, model, category or place.
pub const MAX_NAME: usize = 64;
/// Longest note or equipment list.
pub const MAX_NOTES: usize = 500;
/// Most seats or places a room or car may have.
pub const MAX_CAPACITY: u32 = 10_000;
/// Most of one stock item on hand, and the most one line may count.
pub const MAX_STOCK: i64 = 1_000_000;

/// Trims a text and checks it: required or not, at most `max` characters, no control
/// characters but line breaks in notes.
pub(crate) fn text(errs: &mut FieldErrors, field: &str, raw: &str, required: bool, max: usize) -> String {
    let s = raw.trim();
    if required && s.is_empty() {
        errs.push(FieldError::new(field, "required"));
    } else if s.chars().count() > max {
        errs.push(FieldError::with_limit(field, "too_long", max));
    } else if s.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        errs.push(FieldError::new(field, "control_chars"));
    }
    s.to_owned()
}

/// A meeting room, as kept by General Management.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoomInput {
    /// Name (unique), e.g. 一号会议室.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
    pub name: String,
    /// Building.
    #[cfg_attr(feature = "openapi", schema(max_length = 64))]
    pub building: String,
    /// Floor.
    #[cfg_attr(feature = "openapi", schema(max_length = 64))]
    pub floor: String,
    /// Seats.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 10000))]
    pub capacity: u32,
    /// Fixed equipment (projector, screen, video conference…).
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub equipment: String,
    /// Notes.
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub notes: String,
    /// Bookable (a disabled room keeps its past bookings).
    #[serde(default = "yes")]
    pub active: bool,
}

/// A car, as kept by General Management.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VehicleInput {
    /// Model, e.g. 别克 GL8.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
    pub model: String,
    /// Seats for passengers.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 10000))]
    pub seats: u32,
    /// Licence plate (unique), e.g. 沪A·12345.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
    pub plate: String,
    /// The driver a booking of this car suggests (a user id).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i32>))]
    pub default_driver_id: Option<UserId>,
    /// Notes.
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub notes: String,
    /// Bookable.
    #[serde(default = "yes")]
    pub active: bool,
}

/// A kind of material kept in storage.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StockItemInput {
    /// Category, e.g. 茶水.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
    pub category: String,
    /// Name, e.g. 茶具 (unique within its category).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
    pub name: String,
    /// Unit, e.g. 套.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
    pub unit: String,
    /// How many are in storage now. A change is written to the ledger as an adjustment.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1000000))]
    pub on_hand: i64,
    /// Reusable (comes back after a reception) or consumable.
    pub reusable: bool,
    /// Where it is kept.
    #[cfg_attr(feature = "openapi", schema(max_length = 64))]
    pub storage: String,
    /// Cost of one, in fen.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100000000))]
    pub unit_cost_fen: i64,
    /// Below this many on hand the stock page shows it as low.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1000000))]
    pub low_stock: i64,
    /// Reservable (an item is disabled, never deleted, once used).
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// Most a unit of stock may cost, in fen (¥1,000,000).
pub const MAX_UNIT_COST_FEN: i64 = 100_000_000;

impl RoomInput {
    /// The room trimmed and checked, every problem at once.
    pub fn check(&self) -> Result<RoomInput, FieldErrors> {
        let mut errs = FieldErrors::new();
        let room = RoomInput {
            name: text(&mut errs, "name", &self.name, true, MAX_NAME),
            building: text(&mut errs, "building", &self.building, false, MAX_NAME),
            floor: text(&mut errs, "floor", &self.floor, false, MAX_NAME),
            capacity: self.capacity,
            equipment: text(&mut errs, "equipment", &self.equipment, false, MAX_NOTES),
            notes: text(&mut errs, "notes", &self.notes, false, MAX_NOTES),
            active: self.active,
        };
        if room.capacity == 0 {
            errs.push(FieldError::new("capacity", "required"));
        } else if room.capacity > MAX_CAPACITY {
            errs.push(FieldError::with_limit("capacity", "too_large", MAX_CAPACITY as usize));
        }
        errs.into_result().map(|()| room)
    }
}

impl VehicleInput {
    /// The car trimmed and checked, every problem at once (whether the driver is an active
    /// person is looked up by the caller).
    pub fn check(&self) -> Result<VehicleInput, FieldErrors> {
        let mut errs = FieldErrors::new();
        let car = VehicleInput {
            model: text(&mut errs, "model", &self.model, true, MAX_NAME),
            seats: self.seats,
            plate: text(&mut errs, "plate", &self.plate, true, MAX_NAME).to_uppercase(),
            default_driver_id: self.default_driver_id,
            notes: text(&mut errs, "notes", &self.notes, false, MAX_NOTES),
            active: self.active,
        };
        if car.seats == 0 {
            errs.push(FieldError::new("seats", "required"));
        } else if car.seats > MAX_CAPACITY {
            errs.push(FieldError::with_limit("seats", "too_large", MAX_CAPACITY as usize));
        }
        errs.into_result().map(|()| car)
    }
}

impl StockItemInput {
    /// The item trimmed and checked, every problem at once.
    pub fn check(&self) -> Result<StockItemInput, FieldErrors> {
        let mut errs = FieldErrors::new();
        let item = StockItemInput {
            category: text(&mut errs, "category", &self.category, true, MAX_NAME),
            name: text(&mut errs, "name", &self.name, true, MAX_NAME),
            unit: text(&mut errs, "unit", &self.unit, true, MAX_NAME),
            on_hand: self.on_hand,
            reusable: self.reusable,
            storage: text(&mut errs, "storage", &self.storage, false, MAX_NAME),
            unit_cost_fen: self.unit_cost_fen,
            low_stock: self.low_stock,
            active: self.active,
        };
        for (field, v, max) in [
            ("on_hand", item.on_hand, MAX_STOCK),
            ("low_stock", item.low_stock, MAX_STOCK),
            ("unit_cost_fen", item.unit_cost_fen, MAX_UNIT_COST_FEN),
        ] {
            if v < 0 {
                errs.push(FieldError::new(field, "negative"));
            } else if v > max {
                errs.push(FieldError::with_limit(field, "too_large", max as usize));
            }
        }
        errs.into_result().map(|()| item)
    }

    /// Fewer on hand than the threshold.
    pub fn is_low(on_hand: i64, low_stock: i64) -> bool {
        on_hand < low_stock
    }
}
