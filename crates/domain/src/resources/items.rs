//! The item list (物品清单表, Attachment 3): the lines a reception's form asks for, from the
//! item template of its procedure version; a line's source (from stock, rented, bought);
//! counting a line back after the day (returned, consumed, lost, damaged) and what that
//! does to the stock on hand.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{MAX_NAME, MAX_NOTES, text};
use crate::field::{FieldError, FieldErrors};
use crate::ids::{StockItemId, UserId};
use crate::procedure::Procedure;
use crate::reception::ReceptionForm;

/// Most of one thing on one line.
pub const MAX_QUANTITY: u32 = 100_000;

/// Where a line's material comes from.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ItemSource {
    /// From the company's storage: reserved for the visit's days, counted out and back.
    #[default]
    Stock,
    /// Rented from a vendor, returned to them by a day.
    Rental,
    /// Bought for this reception.
    Purchase,
}

/// A line of the stock ledger: why the number on hand moved (or, for what was consumed,
/// lost or damaged, why it did not come back).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Movement {
    /// The item was first recorded.
    Created,
    /// Corrected by hand (a count of the storage, a delivery).
    Adjusted,
    /// Taken out for a reception.
    CountedOut,
    /// Came back after a reception.
    Returned,
    /// Used up at a reception.
    Consumed,
    /// Lost at a reception.
    Lost,
    /// Damaged at a reception (not back on hand).
    Damaged,
}

/// A line the template and the form make, before anyone edits it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedItem {
    /// Category (in Chinese, as the printed sheet has it).
    pub category: String,
    /// Item.
    pub name: String,
    /// Unit.
    pub unit: String,
    /// How many.
    pub quantity: u32,
    /// Reusable: comes back to storage.
    pub reusable: bool,
}

/// How many of a template row the form asks for: one of each piece of the room's
/// equipment (computer, projector, clicker), a gift for each guest (the guest and their
/// companions), and one for each person otherwise (glasses, tea sets, fruit plates,
/// paper, pencils, pens).
pub fn item_quantity(when: Option<&str>, form: &ReceptionForm) -> u32 {
    match when {
        Some("computer" | "projector" | "clicker" | "meeting_room") => 1,
        Some("gifts") => 1 + form.companion_count.max(form.companions.len() as u32),
        _ => form.headcount(),
    }
}

/// The item list a form asks for, in the template's order: each row without a condition,
/// or whose condition the form asks for.
pub fn plan_items(procedure: &Procedure, form: &ReceptionForm) -> Vec<PlannedItem> {
    procedure
        .items
        .iter()
        .filter(|t| t.when.as_deref().is_none_or(|w| form.asks_for(w)))
        .map(|t| PlannedItem {
            category: t.category_zh.clone(),
            name: t.name_zh.clone(),
            unit: t.unit_zh.clone(),
            quantity: item_quantity(t.when.as_deref(), form).min(MAX_QUANTITY),
            reusable: t.reusable,
        })
        .collect()
}

/// A line of the item list as the coordinator writes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemLineInput {
    /// Category (分类).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
    pub category: String,
    /// Item (名称).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
    pub name: String,
    /// Unit.
    #[cfg_attr(feature = "openapi", schema(max_length = 64))]
    pub unit: String,
    /// How many (数量), at least 1.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100000))]
    pub quantity: u32,
    /// Who is responsible (负责人, a user id).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i32>))]
    pub responsible_id: Option<UserId>,
    /// `stock`, `rental` or `purchase`.
    pub source: ItemSource,
    /// The stock item reserved (source `stock`).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i32>))]
    pub stock_item_id: Option<StockItemId>,
    /// The vendor (rented or bought).
    #[cfg_attr(feature = "openapi", schema(max_length = 64))]
    pub vendor: String,
    /// The day a rented item goes back to its vendor.
    pub return_due: Option<NaiveDate>,
    /// Ticked on the day (检查).
    pub checked: bool,
    /// Notes (备注).
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub notes: String,
}

impl ItemLineInput {
    /// The line trimmed and checked, every problem at once: a quantity of at least one, a
    /// stock item only for a line from stock (and one needed there), a return day only for
    /// a rental.
    pub fn check(&self) -> Result<ItemLineInput, FieldErrors> {
        let mut errs = FieldErrors::new();
        let line = ItemLineInput {
            category: text(&mut errs, "category", &self.category, true, MAX_NAME),
            name: text(&mut errs, "name", &self.name, true, MAX_NAME),
            unit: text(&mut errs, "unit", &self.unit, false, MAX_NAME),
            vendor: text(&mut errs, "vendor", &self.vendor, false, MAX_NAME),
            notes: text(&mut errs, "notes", &self.notes, false, MAX_NOTES),
            ..self.clone()
        };
        if line.quantity == 0 {
            errs.push(FieldError::new("quantity", "required"));
        } else if line.quantity > MAX_QUANTITY {
            errs.push(FieldError::with_limit("quantity", "too_large", MAX_QUANTITY as usize));
        }
        match line.source {
            ItemSource::Stock if line.stock_item_id.is_none() => {
                errs.push(FieldError::new("stock_item_id", "required"));
            }
            ItemSource::Rental | ItemSource::Purchase if line.stock_item_id.is_some() => {
                errs.push(FieldError::new("stock_item_id", "only_from_stock"));
            }
            _ => {}
        }
        if line.return_due.is_some() && line.source != ItemSource::Rental {
            errs.push(FieldError::new("return_due", "only_rented"));
        }
        errs.into_result().map(|()| line)
    }
}

/// How a line came back after the day: quantities that add up to the line's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CountBack {
    /// Came back (to storage, or to the vendor for a rental).
    #[cfg_attr(feature = "openapi", schema(maximum = 100000))]
    pub returned: u32,
    /// Used up.
    #[cfg_attr(feature = "openapi", schema(maximum = 100000))]
    pub consumed: u32,
    /// Lost.
    #[cfg_attr(feature = "openapi", schema(maximum = 100000))]
    pub lost: u32,
    /// Damaged.
    #[cfg_attr(feature = "openapi", schema(maximum = 100000))]
    pub damaged: u32,
    /// What happened (needed when anything was lost or damaged, or the line is written off).
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub note: String,
    /// Written off without being counted out (it was never used): nothing moves in storage;
    /// a note says why.
    pub write_off: bool,
}

impl CountBack {
    /// The count checked against a line of `quantity`, every problem at once: the parts add
    /// up to it, a note when something was lost or damaged or the line is written off.
    pub fn check(&self, quantity: u32) -> Result<CountBack, FieldErrors> {
        let mut errs = FieldErrors::new();
        let c = CountBack { note: text(&mut errs, "note", &self.note, false, MAX_NOTES), ..self.clone() };
        let sum = [c.returned, c.consumed, c.lost, c.damaged].iter().map(|n| u64::from(*n)).sum::<u64>();
        if !c.write_off && sum != u64::from(quantity) {
            let mut e = FieldError::new("returned", "count_does_not_add_up");
            e.value = Some(quantity.to_string());
            errs.push(e);
        }
        if c.note.is_empty() && (c.write_off || c.lost > 0 || c.damaged > 0) {
            errs.push(FieldError::new("note", "required"));
        }
        errs.into_result().map(|()| c)
    }

    /// The ledger lines a counted-back line from stock writes, as (movement, quantity,
    /// change on hand): what came back goes back on hand; the rest is recorded.
    pub fn movements(&self) -> Vec<(Movement, u32, i64)> {
        if self.write_off {
            return Vec::new();
        }
        [
            (Movement::Returned, self.returned, i64::from(self.returned)),
            (Movement::Consumed, self.consumed, 0),
            (Movement::Lost, self.lost, 0),
            (Movement::Damaged, self.damaged, 0),
        ]
        .into_iter()
        .filter(|(_, n, _)| *n > 0)
        .collect()
    }
}
