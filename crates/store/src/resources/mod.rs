//! Rooms, cars and stock items (kept by General Management), each changed with a version
//! check and an audit record; a stock item's number on hand changes only with a line of
//! its ledger. Bookings, item lists and lost property are in the modules below.

use chrono::{DateTime, Utc};
use jiedai_domain::resources::{Movement, RoomInput, StockItemInput, VehicleInput};
use jiedai_domain::{Actor, Code, RoomId, StockItemId, UserId, VehicleId};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;

mod bookings;
mod counting;
mod items;
mod lost_found;

pub use bookings::{NewBooking, StoredBooking};
pub use items::{Midnight, NewItemLine, StoredLine, StoredMovement};
pub use lost_found::StoredLostFound;

use crate::audit::record;
use crate::entity::{room, stock_item, stock_movement, vehicle};
use crate::error::is_unique_violation;
use crate::{Store, StoreError, Topic};

/// A stored room.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRoom {
    /// Id.
    pub id: RoomId,
    /// Its values.
    pub room: RoomInput,
    /// Optimistic-locking version.
    pub version: i32,
}

/// A stored car.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredVehicle {
    /// Id.
    pub id: VehicleId,
    /// Its values.
    pub vehicle: VehicleInput,
    /// Optimistic-locking version.
    pub version: i32,
}

/// A stored stock item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredStockItem {
    /// Id.
    pub id: StockItemId,
    /// Its values (`on_hand` as now).
    pub item: StockItemInput,
    /// Optimistic-locking version.
    pub version: i32,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

fn stored_room(m: room::Model) -> StoredRoom {
    StoredRoom {
        id: RoomId(m.id),
        room: RoomInput {
            name: m.name,
            building: m.building,
            floor: m.floor,
            capacity: u32::try_from(m.capacity).unwrap_or(0),
            equipment: m.equipment,
            notes: m.notes,
            active: m.active,
        },
        version: m.version,
    }
}

fn stored_vehicle(m: vehicle::Model) -> StoredVehicle {
    StoredVehicle {
        id: VehicleId(m.id),
        vehicle: VehicleInput {
            model: m.model,
            seats: u32::try_from(m.seats).unwrap_or(0),
            plate: m.plate,
            default_driver_id: m.default_driver_id.map(UserId),
            notes: m.notes,
            active: m.active,
        },
        version: m.version,
    }
}

pub(crate) fn stored_stock(m: stock_item::Model) -> StoredStockItem {
    StoredStockItem {
        id: StockItemId(m.id),
        item: StockItemInput {
            category: m.category,
            name: m.name,
            unit: m.unit,
            on_hand: m.on_hand,
            reusable: m.reusable,
            storage: m.storage,
            unit_cost_fen: m.unit_cost_fen,
            low_stock: m.low_stock,
            active: m.active,
        },
        version: m.version,
        updated_at: m.updated_at,
    }
}

/// A unique name, plate or item taken answers a conflict on that field.
fn taken(e: sea_orm::DbErr, field: &'static str) -> StoreError {
    if is_unique_violation(&e) { StoreError::Conflict(field) } else { e.into() }
}

/// Writes a line of the stock ledger.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn ledger<C: ConnectionTrait>(
    c: &C,
    item: StockItemId,
    line: Option<(jiedai_domain::ReceptionId, jiedai_domain::ItemLineId)>,
    kind: Movement,
    quantity: i64,
    delta: i64,
    on_hand_after: i64,
    note: &str,
    actor: &Actor,
) -> Result<(), StoreError> {
    stock_movement::ActiveModel {
        stock_item_id: Set(item.get()),
        reception_id: Set(line.map(|(r, _)| r.get())),
        item_line_id: Set(line.map(|(_, l)| l.get())),
        kind: Set(kind.as_str().to_owned()),
        quantity: Set(quantity),
        delta: Set(delta),
        on_hand_after: Set(on_hand_after),
        note: Set(note.chars().take(500).collect()),
        actor_user_id: Set(actor.user_id.map(UserId::get)),
        actor_label: Set(actor.label.chars().take(64).collect()),
        at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(c)
    .await?;
    Ok(())
}

/// Writes a take-on's proposals in its transaction (which has marked
/// [`Topic::Resources`]): the item list (stock reserved where enough is free) and each
/// booking that clashes with nothing.
pub(crate) async fn write_proposals<C: ConnectionTrait>(
    c: &C,
    reception: jiedai_domain::ReceptionId,
    items: &[NewItemLine],
    bookings: &[NewBooking],
    actor: &Actor,
) -> Result<(), StoreError> {
    // Who holds the stock is not told here (a short line becomes rented or bought).
    let midnight = |d: chrono::NaiveDate| d.and_time(chrono::NaiveTime::MIN).and_utc();
    items::insert_item_lines(c, reception, items, &midnight, actor).await?;
    for b in bookings {
        if bookings::clashes_of(c, reception, &b.input).await?.is_empty() {
            bookings::insert_booking(c, reception, &b.input, actor).await?;
        }
    }
    Ok(())
}

impl Store {
    /// Every room, by name.
    pub async fn rooms(&self) -> Result<Vec<StoredRoom>, StoreError> {
        let rows = room::Entity::find().order_by_asc(room::Column::Name).all(self.conn()).await?;
        Ok(rows.into_iter().map(stored_room).collect())
    }

    /// One room.
    pub async fn room(&self, id: RoomId) -> Result<StoredRoom, StoreError> {
        room::Entity::find_by_id(id.get()).one(self.conn()).await?.map(stored_room).ok_or(StoreError::NotFound)
    }

    /// Adds a room (its name unique), audited.
    pub async fn create_room(&self, r: &RoomInput, actor: &Actor) -> Result<StoredRoom, StoreError> {
        let w = self.write().await?;
        let m = room::ActiveModel {
            name: Set(r.name.clone()),
            building: Set(r.building.clone()),
            floor: Set(r.floor.clone()),
            capacity: Set(r.capacity as i32),
            equipment: Set(r.equipment.clone()),
            notes: Set(r.notes.clone()),
            active: Set(r.active),
            version: Set(1),
            updated_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&w.txn)
        .await
        .map_err(|e| taken(e, "name"))?;
        record(&w.txn, actor, "room", Some(m.id.to_string()), "create", None::<&()>, Some(&json!(r))).await?;
        w.commit().await?;
        Ok(stored_room(m))
    }

    /// Changes a room read at `version`, audited.
    pub async fn update_room(
        &self,
        id: RoomId,
        version: i32,
        r: &RoomInput,
        actor: &Actor,
    ) -> Result<StoredRoom, StoreError> {
        let w = self.write().await?;
        let before = room::Entity::find_by_id(id.get()).one(&w.txn).await?.ok_or(StoreError::NotFound)?;
        if before.version != version {
            return Err(StoreError::StaleVersion);
        }
        let mut m: room::ActiveModel = before.clone().into();
        m.name = Set(r.name.clone());
        m.building = Set(r.building.clone());
        m.floor = Set(r.floor.clone());
        m.capacity = Set(r.capacity as i32);
        m.equipment = Set(r.equipment.clone());
        m.notes = Set(r.notes.clone());
        m.active = Set(r.active);
        m.version = Set(version + 1);
        m.updated_at = Set(Utc::now());
        let after = m.update(&w.txn).await.map_err(|e| taken(e, "name"))?;
        let old = stored_room(before).room;
        record(&w.txn, actor, "room", Some(id.to_string()), "update", Some(&json!(old)), Some(&json!(r))).await?;
        w.commit().await?;
        Ok(stored_room(after))
    }

    /// Every car, by model and plate.
    pub async fn vehicles(&self) -> Result<Vec<StoredVehicle>, StoreError> {
        let rows = vehicle::Entity::find()
            .order_by_asc(vehicle::Column::Model)
            .order_by_asc(vehicle::Column::Plate)
            .all(self.conn())
            .await?;
        Ok(rows.into_iter().map(stored_vehicle).collect())
    }

    /// One car.
    pub async fn vehicle(&self, id: VehicleId) -> Result<StoredVehicle, StoreError> {
        vehicle::Entity::find_by_id(id.get()).one(self.conn()).await?.map(stored_vehicle).ok_or(StoreError::NotFound)
    }

    /// Adds a car (its plate unique), audited.
    pub async fn create_vehicle(&self, v: &VehicleInput, actor: &Actor) -> Result<StoredVehicle, StoreError> {
        let w = self.write().await?;
        let m = vehicle::ActiveModel {
            model: Set(v.model.clone()),
            seats: Set(v.seats as i32),
            plate: Set(v.plate.clone()),
            default_driver_id: Set(v.default_driver_id.map(UserId::get)),
            notes: Set(v.notes.clone()),
            active: Set(v.active),
            version: Set(1),
            updated_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&w.txn)
        .await
        .map_err(|e| taken(e, "plate"))?;
        record(&w.txn, actor, "vehicle", Some(m.id.to_string()), "create", None::<&()>, Some(&json!(v))).await?;
        w.commit().await?;
        Ok(stored_vehicle(m))
    }

    /// Changes a car read at `version`, audited.
    pub async fn update_vehicle(
        &self,
        id: VehicleId,
        version: i32,
        v: &VehicleInput,
        actor: &Actor,
    ) -> Result<StoredVehicle, StoreError> {
        let w = self.write().await?;
        let before = vehicle::Entity::find_by_id(id.get()).one(&w.txn).await?.ok_or(StoreError::NotFound)?;
        if before.version != version {
            return Err(StoreError::StaleVersion);
        }
        let mut m: vehicle::ActiveModel = before.clone().into();
        m.model = Set(v.model.clone());
        m.seats = Set(v.seats as i32);
        m.plate = Set(v.plate.clone());
        m.default_driver_id = Set(v.default_driver_id.map(UserId::get));
        m.notes = Set(v.notes.clone());
        m.active = Set(v.active);
        m.version = Set(version + 1);
        m.updated_at = Set(Utc::now());
        let after = m.update(&w.txn).await.map_err(|e| taken(e, "plate"))?;
        let old = stored_vehicle(before).vehicle;
        record(&w.txn, actor, "vehicle", Some(id.to_string()), "update", Some(&json!(old)), Some(&json!(v))).await?;
        w.commit().await?;
        Ok(stored_vehicle(after))
    }

    /// Every stock item, by category and name.
    pub async fn stock_items(&self) -> Result<Vec<StoredStockItem>, StoreError> {
        let rows = stock_item::Entity::find()
            .order_by_asc(stock_item::Column::Category)
            .order_by_asc(stock_item::Column::Name)
            .all(self.conn())
            .await?;
        Ok(rows.into_iter().map(stored_stock).collect())
    }

    /// One stock item.
    pub async fn stock_item(&self, id: StockItemId) -> Result<StoredStockItem, StoreError> {
        stock_item::Entity::find_by_id(id.get()).one(self.conn()).await?.map(stored_stock).ok_or(StoreError::NotFound)
    }

    /// Adds a stock item (unique by category and name) with its first ledger line, audited.
    pub async fn create_stock_item(&self, s: &StockItemInput, actor: &Actor) -> Result<StoredStockItem, StoreError> {
        let mut w = self.write().await?;
        w.touch(Topic::Resources).await?;
        let m = stock_item::ActiveModel {
            category: Set(s.category.clone()),
            name: Set(s.name.clone()),
            unit: Set(s.unit.clone()),
            on_hand: Set(s.on_hand),
            reusable: Set(s.reusable),
            storage: Set(s.storage.clone()),
            unit_cost_fen: Set(s.unit_cost_fen),
            low_stock: Set(s.low_stock),
            active: Set(s.active),
            version: Set(1),
            updated_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&w.txn)
        .await
        .map_err(|e| taken(e, "name"))?;
        let id = StockItemId(m.id);
        ledger(&w.txn, id, None, Movement::Created, s.on_hand, s.on_hand, s.on_hand, "", actor).await?;
        record(&w.txn, actor, "stock_item", Some(id.to_string()), "create", None::<&()>, Some(&json!(s))).await?;
        w.commit().await?;
        Ok(stored_stock(m))
    }

    /// Changes a stock item read at `version`, audited; a new number on hand is written to
    /// the ledger as an adjustment with `note`.
    pub async fn update_stock_item(
        &self,
        id: StockItemId,
        version: i32,
        s: &StockItemInput,
        note: &str,
        actor: &Actor,
    ) -> Result<StoredStockItem, StoreError> {
        let mut w = self.write().await?;
        w.touch(Topic::Resources).await?;
        let before = stock_item::Entity::find_by_id(id.get()).one(&w.txn).await?.ok_or(StoreError::NotFound)?;
        if before.version != version {
            return Err(StoreError::StaleVersion);
        }
        let mut m: stock_item::ActiveModel = before.clone().into();
        m.category = Set(s.category.clone());
        m.name = Set(s.name.clone());
        m.unit = Set(s.unit.clone());
        m.on_hand = Set(s.on_hand);
        m.reusable = Set(s.reusable);
        m.storage = Set(s.storage.clone());
        m.unit_cost_fen = Set(s.unit_cost_fen);
        m.low_stock = Set(s.low_stock);
        m.active = Set(s.active);
        m.version = Set(version + 1);
        m.updated_at = Set(Utc::now());
        let after = m.update(&w.txn).await.map_err(|e| taken(e, "name"))?;
        if s.on_hand != before.on_hand {
            let delta = s.on_hand - before.on_hand;
            ledger(&w.txn, id, None, Movement::Adjusted, delta.abs(), delta, s.on_hand, note, actor).await?;
        }
        let old = stored_stock(before).item;
        record(&w.txn, actor, "stock_item", Some(id.to_string()), "update", Some(&json!(old)), Some(&json!(s))).await?;
        w.commit().await?;
        Ok(stored_stock(after))
    }

    /// Deletes a stock item no item list has used (its ledger with it), audited; one that a
    /// line reserves or reserved is refused (`stock_in_use`: disable it instead).
    pub async fn delete_stock_item(&self, id: StockItemId, actor: &Actor) -> Result<(), StoreError> {
        use crate::entity::item_line;
        let mut w = self.write().await?;
        w.touch(Topic::Resources).await?;
        let before = stock_item::Entity::find_by_id(id.get()).one(&w.txn).await?.ok_or(StoreError::NotFound)?;
        let used = item_line::Entity::find().filter(item_line::Column::StockItemId.eq(id.get())).one(&w.txn).await?;
        if used.is_some() {
            return Err(StoreError::Conflict("stock_in_use"));
        }
        stock_movement::Entity::delete_many()
            .filter(stock_movement::Column::StockItemId.eq(id.get()))
            .exec(&w.txn)
            .await?;
        stock_item::Entity::delete_by_id(id.get()).exec(&w.txn).await?;
        let old = stored_stock(before).item;
        record(&w.txn, actor, "stock_item", Some(id.to_string()), "delete", Some(&json!(old)), None::<&()>).await?;
        w.commit().await
    }
}
