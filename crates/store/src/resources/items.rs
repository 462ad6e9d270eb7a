//! Item lists (Attachment 3) and the stock they draw on. A line from stock reserves its
//! quantity over its reception's visit days until it is counted out (then the number on
//! hand went down) or written off. The check that enough is free and the reservation are
//! one transaction that first marks [`Topic::Resources`], so two coordinators reserving the
//! last tea sets at once get one reservation and one refusal, on both engines.

use chrono::{DateTime, NaiveDate, Utc};
use jiedai_domain::reception::State;
use jiedai_domain::resources::{Clash, ClashOn, CountBack, ItemLineInput, ItemSource, Movement};
use jiedai_domain::{Actor, Code, ItemLineId, ReceptionId, StockItemId, UserId};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;

use super::bookings::receptions_by_id;
use crate::audit::record;
use crate::entity::{item_line, reception, stock_item, stock_movement};
use crate::{Store, StoreError, Topic};

/// The first instant of a day in the company's time zone.
pub type Midnight<'a> = &'a (dyn Fn(NaiveDate) -> DateTime<Utc> + Send + Sync);

/// A stored line of an item list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredLine {
    /// Id.
    pub id: ItemLineId,
    /// Its reception.
    pub reception_id: ReceptionId,
    /// Its place in the list (the printed sheet's 序号).
    pub position: i32,
    /// Its values.
    pub line: ItemLineInput,
    /// When it was counted out.
    pub counted_out_at: Option<DateTime<Utc>>,
    /// How it came back, once counted back or written off.
    pub count: Option<CountBack>,
    /// When it was counted back.
    pub counted_back_at: Option<DateTime<Utc>>,
    /// Optimistic-locking version.
    pub version: i32,
}

/// A line to write with a take-on, from the template: reserved from stock if enough is
/// free, otherwise written to be rented (reusable) or bought, with a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewItemLine {
    /// The line.
    pub line: ItemLineInput,
    /// Reusable (to choose rented or bought when stock is short).
    pub reusable: bool,
    /// The note when the stock is short (in the company's language).
    pub short_note: String,
}

/// A line of the stock ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMovement {
    /// Id.
    pub id: i32,
    /// Why.
    pub kind: Movement,
    /// How many.
    pub quantity: i64,
    /// The change on hand.
    pub delta: i64,
    /// On hand after it.
    pub on_hand_after: i64,
    /// The reception, if any.
    pub reception: Option<(ReceptionId, String)>,
    /// Note.
    pub note: String,
    /// Who.
    pub actor_label: String,
    /// When.
    pub at: DateTime<Utc>,
}

pub(super) fn stored_line(m: item_line::Model) -> StoredLine {
    let count = m.counted_back_at.map(|_| CountBack {
        returned: u32::try_from(m.returned.unwrap_or(0)).unwrap_or(0),
        consumed: u32::try_from(m.consumed.unwrap_or(0)).unwrap_or(0),
        lost: u32::try_from(m.lost.unwrap_or(0)).unwrap_or(0),
        damaged: u32::try_from(m.damaged.unwrap_or(0)).unwrap_or(0),
        note: m.count_note.clone(),
        write_off: m.written_off,
    });
    StoredLine {
        id: ItemLineId(m.id),
        reception_id: ReceptionId(m.reception_id),
        position: m.position,
        line: ItemLineInput {
            category: m.category,
            name: m.name,
            unit: m.unit,
            quantity: u32::try_from(m.quantity).unwrap_or(0),
            responsible_id: m.responsible_id.map(UserId),
            source: ItemSource::parse(&m.source).unwrap_or_default(),
            stock_item_id: m.stock_item_id.map(StockItemId),
            vendor: m.vendor,
            return_due: m.return_due,
            checked: m.checked,
            notes: m.notes,
        },
        counted_out_at: m.counted_out_at,
        count,
        counted_back_at: m.counted_back_at,
        version: m.version,
    }
}

/// Receptions that hold stock: taken on and not closed.
fn holds_stock(r: &reception::Model) -> bool {
    State::parse(&r.state).is_some_and(|s| s.is_under_way())
}

/// How much of `item` other open lines reserve over `days`, by reception (leaving out the
/// line `except`), as the clashes they are if the rest is too little.
async fn reserved<C: ConnectionTrait>(
    c: &C,
    item: StockItemId,
    days: (NaiveDate, NaiveDate),
    except: Option<ItemLineId>,
    midnight: Midnight<'_>,
) -> Result<Vec<Clash>, StoreError> {
    let mut q = item_line::Entity::find()
        .filter(item_line::Column::StockItemId.eq(item.get()))
        .filter(item_line::Column::Source.eq(ItemSource::Stock.as_str()))
        .filter(item_line::Column::CountedOutAt.is_null())
        .filter(item_line::Column::CountedBackAt.is_null());
    if let Some(l) = except {
        q = q.filter(item_line::Column::Id.ne(l.get()));
    }
    let lines = q.order_by_asc(item_line::Column::Id).all(c).await?;
    let receptions = receptions_by_id(c, lines.iter().map(|l| l.reception_id)).await?;
    let mut out: Vec<Clash> = Vec::new();
    for l in lines {
        let Some(r) = receptions.get(&l.reception_id) else { continue };
        if !holds_stock(r) || r.visit_start > days.1 || r.visit_end < days.0 {
            continue;
        }
        match out.iter_mut().find(|c| c.reception_id.get() == r.id) {
            Some(c) => *c.quantity.get_or_insert(0) += i64::from(l.quantity),
            None => out.push(Clash {
                reception_id: ReceptionId(r.id),
                reception_code: r.code.clone(),
                starts_at: midnight(r.visit_start),
                ends_at: midnight(r.visit_end.succ_opt().unwrap_or(r.visit_end)),
                on: ClashOn::Stock,
                quantity: Some(i64::from(l.quantity)),
            }),
        }
    }
    Ok(out)
}

/// Checks, inside the caller's transaction, that `quantity` of `item` is free over `days`
/// besides what other open lines reserve: [`StoreError::Clash`] (`stock_short`) naming them
/// otherwise. A disabled item reserves nothing more.
async fn check_free<C: ConnectionTrait>(
    c: &C,
    item: StockItemId,
    quantity: u32,
    days: (NaiveDate, NaiveDate),
    except: Option<ItemLineId>,
    midnight: Midnight<'_>,
) -> Result<(), StoreError> {
    let stock = stock_item::Entity::find_by_id(item.get())
        .one(c)
        .await?
        .ok_or(StoreError::InvalidReference("stock_item_id"))?;
    if !stock.active {
        return Err(StoreError::Conflict("stock_inactive"));
    }
    let clashes = reserved(c, item, days, except, midnight).await?;
    let taken: i64 = clashes.iter().filter_map(|c| c.quantity).sum();
    if stock.on_hand - taken < i64::from(quantity) {
        return Err(StoreError::Clash { code: "stock_short", clashes });
    }
    Ok(())
}

async fn reception_days<C: ConnectionTrait>(c: &C, id: ReceptionId) -> Result<(NaiveDate, NaiveDate), StoreError> {
    let r = reception::Entity::find_by_id(id.get()).one(c).await?.ok_or(StoreError::NotFound)?;
    Ok((r.visit_start, Ord::max(r.visit_end, r.visit_start)))
}

fn active_line(reception: ReceptionId, position: i32, l: &ItemLineInput) -> item_line::ActiveModel {
    item_line::ActiveModel {
        reception_id: Set(reception.get()),
        position: Set(position),
        category: Set(l.category.clone()),
        name: Set(l.name.clone()),
        unit: Set(l.unit.clone()),
        quantity: Set(l.quantity as i32),
        responsible_id: Set(l.responsible_id.map(UserId::get)),
        source: Set(l.source.as_str().to_owned()),
        stock_item_id: Set(l.stock_item_id.map(StockItemId::get)),
        vendor: Set(l.vendor.clone()),
        return_due: Set(l.return_due),
        checked: Set(l.checked),
        notes: Set(l.notes.clone()),
        count_note: Set(String::new()),
        written_off: Set(false),
        version: Set(1),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
}

/// Writes a take-on's item list in its transaction: each line from stock is reserved if
/// enough is free, otherwise it is to be rented (reusable) or bought, with its note.
pub(crate) async fn insert_item_lines<C: ConnectionTrait>(
    c: &C,
    reception: ReceptionId,
    lines: &[NewItemLine],
    midnight: Midnight<'_>,
    actor: &Actor,
) -> Result<(), StoreError> {
    if lines.is_empty() {
        return Ok(());
    }
    let days = reception_days(c, reception).await?;
    for (i, new) in lines.iter().enumerate() {
        let mut l = new.line.clone();
        if let Some(item) = l.stock_item_id {
            match check_free(c, item, l.quantity, days, None, midnight).await {
                Ok(()) => {}
                Err(StoreError::Clash { .. } | StoreError::Conflict(_) | StoreError::InvalidReference(_)) => {
                    l.stock_item_id = None;
                    l.source = if new.reusable { ItemSource::Rental } else { ItemSource::Purchase };
                    l.notes = new.short_note.clone();
                }
                Err(e) => return Err(e),
            }
        }
        let m = active_line(reception, i as i32 + 1, &l).insert(c).await?;
        record(c, actor, "item_line", Some(m.id.to_string()), "create", None::<&()>, Some(&json!(l))).await?;
    }
    Ok(())
}

impl Store {
    /// A reception's item list, in order.
    pub async fn item_lines(&self, reception: ReceptionId) -> Result<Vec<StoredLine>, StoreError> {
        let rows = item_line::Entity::find()
            .filter(item_line::Column::ReceptionId.eq(reception.get()))
            .order_by_asc(item_line::Column::Position)
            .order_by_asc(item_line::Column::Id)
            .all(self.conn())
            .await?;
        Ok(rows.into_iter().map(stored_line).collect())
    }

    /// One line of a reception's list.
    pub async fn item_line(&self, reception: ReceptionId, id: ItemLineId) -> Result<StoredLine, StoreError> {
        item_line::Entity::find_by_id(id.get())
            .filter(item_line::Column::ReceptionId.eq(reception.get()))
            .one(self.conn())
            .await?
            .map(stored_line)
            .ok_or(StoreError::NotFound)
    }

    /// Adds a line at the end of a reception's list, reserving its stock (refused with the
    /// receptions holding the rest when too little is free), audited.
    pub async fn add_item_line(
        &self,
        reception: ReceptionId,
        l: &ItemLineInput,
        midnight: Midnight<'_>,
        actor: &Actor,
    ) -> Result<StoredLine, StoreError> {
        let mut w = self.write().await?;
        w.touch(Topic::Resources).await?;
        let days = reception_days(&w.txn, reception).await?;
        if let Some(item) = l.stock_item_id {
            check_free(&w.txn, item, l.quantity, days, None, midnight).await?;
        }
        let last = item_line::Entity::find()
            .filter(item_line::Column::ReceptionId.eq(reception.get()))
            .order_by_desc(item_line::Column::Position)
            .one(&w.txn)
            .await?
            .map_or(0, |m| m.position);
        let m = active_line(reception, last + 1, l).insert(&w.txn).await?;
        record(&w.txn, actor, "item_line", Some(m.id.to_string()), "create", None::<&()>, Some(&json!(l))).await?;
        w.commit().await?;
        Ok(stored_line(m))
    }

    /// Changes a line read at `version`, re-checking its reservation, audited. Once counted
    /// out its item, source and quantity stay (`counted_out`); the rest may change.
    pub async fn update_item_line(
        &self,
        reception: ReceptionId,
        id: ItemLineId,
        version: i32,
        l: &ItemLineInput,
        midnight: Midnight<'_>,
        actor: &Actor,
    ) -> Result<StoredLine, StoreError> {
        let mut w = self.write().await?;
        w.touch(Topic::Resources).await?;
        let before = item_line::Entity::find_by_id(id.get())
            .filter(item_line::Column::ReceptionId.eq(reception.get()))
            .one(&w.txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        if before.version != version {
            return Err(StoreError::StaleVersion);
        }
        let old = stored_line(before.clone());
        let moved =
            old.line.quantity != l.quantity || old.line.source != l.source || old.line.stock_item_id != l.stock_item_id;
        if moved && (old.counted_out_at.is_some() || old.counted_back_at.is_some()) {
            return Err(StoreError::Conflict("counted_out"));
        }
        if let Some(item) = l.stock_item_id.filter(|_| moved) {
            let days = reception_days(&w.txn, reception).await?;
            check_free(&w.txn, item, l.quantity, days, Some(id), midnight).await?;
        }
        let mut m = active_line(reception, before.position, l);
        m.id = Set(id.get());
        m.counted_out_at = Set(before.counted_out_at);
        m.returned = Set(before.returned);
        m.consumed = Set(before.consumed);
        m.lost = Set(before.lost);
        m.damaged = Set(before.damaged);
        m.count_note = Set(before.count_note.clone());
        m.written_off = Set(before.written_off);
        m.counted_back_at = Set(before.counted_back_at);
        m.version = Set(version + 1);
        let after = m.update(&w.txn).await?;
        record(&w.txn, actor, "item_line", Some(id.to_string()), "update", Some(&json!(old.line)), Some(&json!(l)))
            .await?;
        w.commit().await?;
        Ok(stored_line(after))
    }

    /// Removes a line not yet counted out (its reservation with it), audited.
    pub async fn delete_item_line(
        &self,
        reception: ReceptionId,
        id: ItemLineId,
        version: i32,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let mut w = self.write().await?;
        w.touch(Topic::Resources).await?;
        let before = item_line::Entity::find_by_id(id.get())
            .filter(item_line::Column::ReceptionId.eq(reception.get()))
            .one(&w.txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        if before.version != version {
            return Err(StoreError::StaleVersion);
        }
        if before.counted_out_at.is_some() || before.counted_back_at.is_some() {
            return Err(StoreError::Conflict("counted_out"));
        }
        item_line::Entity::delete_by_id(id.get()).exec(&w.txn).await?;
        let old = stored_line(before).line;
        record(&w.txn, actor, "item_line", Some(id.to_string()), "delete", Some(&json!(old)), None::<&()>).await?;
        w.commit().await
    }

    /// The open lines from stock of a reception that the stock no longer covers (its dates
    /// moved, the number on hand was corrected, another reception reserved over it), each
    /// with the receptions holding the rest.
    pub async fn line_shortfalls(
        &self,
        reception: ReceptionId,
        midnight: Midnight<'_>,
    ) -> Result<Vec<(ItemLineId, Vec<Clash>)>, StoreError> {
        let c = self.conn();
        let days = reception_days(c, reception).await?;
        let mut out = Vec::new();
        for l in self.item_lines(reception).await? {
            let open = l.counted_out_at.is_none() && l.count.is_none() && l.line.source == ItemSource::Stock;
            let Some(item) = l.line.stock_item_id.filter(|_| open) else { continue };
            match check_free(c, item, l.line.quantity, days, Some(l.id), midnight).await {
                Ok(()) => {}
                Err(StoreError::Clash { clashes, .. }) => out.push((l.id, clashes)),
                Err(StoreError::Conflict(_) | StoreError::InvalidReference(_)) => out.push((l.id, Vec::new())),
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }

    /// A stock item's ledger, newest first (at most `limit` lines).
    pub async fn stock_movements(&self, item: StockItemId, limit: u64) -> Result<Vec<StoredMovement>, StoreError> {
        use sea_orm::QuerySelect;
        let rows = stock_movement::Entity::find()
            .filter(stock_movement::Column::StockItemId.eq(item.get()))
            .order_by_desc(stock_movement::Column::Id)
            .limit(limit)
            .all(self.conn())
            .await?;
        let receptions = receptions_by_id(self.conn(), rows.iter().filter_map(|m| m.reception_id)).await?;
        Ok(rows
            .into_iter()
            .map(|m| StoredMovement {
                id: m.id,
                kind: Movement::parse(&m.kind).unwrap_or(Movement::Adjusted),
                quantity: m.quantity,
                delta: m.delta,
                on_hand_after: m.on_hand_after,
                reception: m.reception_id.and_then(|r| receptions.get(&r).map(|x| (ReceptionId(r), x.code.clone()))),
                note: m.note,
                actor_label: m.actor_label,
                at: m.at,
            })
            .collect())
    }

    /// What open lines of receptions under way reserve of each stock item from `today` on.
    pub async fn stock_reserved(&self, today: NaiveDate) -> Result<Vec<(StockItemId, i64)>, StoreError> {
        let lines = item_line::Entity::find()
            .filter(item_line::Column::StockItemId.is_not_null())
            .filter(item_line::Column::Source.eq(ItemSource::Stock.as_str()))
            .filter(item_line::Column::CountedOutAt.is_null())
            .filter(item_line::Column::CountedBackAt.is_null())
            .all(self.conn())
            .await?;
        let receptions = receptions_by_id(self.conn(), lines.iter().map(|l| l.reception_id)).await?;
        let mut out: Vec<(StockItemId, i64)> = Vec::new();
        for l in lines {
            let live = receptions.get(&l.reception_id).is_some_and(|r| holds_stock(r) && r.visit_end >= today);
            let Some(item) = l.stock_item_id.filter(|_| live) else { continue };
            match out.iter_mut().find(|(i, _)| i.get() == item) {
                Some((_, n)) => *n += i64::from(l.quantity),
                None => out.push((StockItemId(item), i64::from(l.quantity))),
            }
        }
        Ok(out)
    }
}
