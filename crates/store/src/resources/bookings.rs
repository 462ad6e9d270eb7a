//! Bookings of rooms and cars. A booking is written only after the clash check in its own
//! transaction, which first marks [`Topic::Resources`]: that row's lock (PostgreSQL) or the
//! write lock (SQLite) makes the check and the insert one step, so two coordinators booking
//! the last free slot at once get one booking and one clash. Receptions refused or
//! cancelled hold nothing: their bookings are left out of every check.

use std::collections::HashMap;

use chrono::{Duration, Utc};
use jiedai_domain::reception::State;
use jiedai_domain::resources::{BookingInput, Clash, ClashOn, MAX_BOOKING_DAYS, Purpose, ResourceKind, Span};
use jiedai_domain::{Actor, BookingId, Code, ReceptionId, UserId};
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;

use crate::audit::record;
use crate::entity::{booking, reception};
use crate::{Store, StoreError, Topic};

/// A booking with the code of its reception.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredBooking {
    /// Id.
    pub id: BookingId,
    /// Its reception.
    pub reception_id: ReceptionId,
    /// Its reception's code.
    pub reception_code: String,
    /// Its reception's guest organisation.
    pub organization: String,
    /// Room or car.
    pub kind: ResourceKind,
    /// The room's or car's id.
    pub resource_id: i32,
    /// The driver (cars).
    pub driver_id: Option<UserId>,
    /// When.
    pub span: Span,
    /// What for.
    pub purpose: Purpose,
    /// Note.
    pub note: String,
    /// Why it was booked over a clash (empty: it clashed with nothing).
    pub override_reason: String,
}

/// A booking to write with a reception's take-on (a proposal from its form): written only
/// if it clashes with nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBooking {
    /// What is booked, when.
    pub input: BookingInput,
}

/// The receptions that hold nothing (refused, called off).
const STOPPED: [State; 2] = [State::Rejected, State::Cancelled];

/// Reception codes, organisations and states by id.
pub(crate) async fn receptions_by_id<C: ConnectionTrait>(
    c: &C,
    ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, reception::Model>, StoreError> {
    let mut ids: Vec<i32> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = reception::Entity::find().filter(reception::Column::Id.is_in(ids)).all(c).await?;
    Ok(rows.into_iter().map(|r| (r.id, r)).collect())
}

fn is_live(r: &reception::Model) -> bool {
    State::parse(&r.state).is_some_and(|s| !STOPPED.contains(&s))
}

/// The bookings of live receptions matching `cond` that overlap `span`: they start before it
/// ends and end after it starts, and (no booking lasting longer than [`MAX_BOOKING_DAYS`])
/// start at most that long before it, so the index on the start reads a range.
async fn overlapping<C: ConnectionTrait>(c: &C, cond: Condition, span: Span) -> Result<Vec<StoredBooking>, StoreError> {
    let rows = booking::Entity::find()
        .filter(cond)
        .filter(booking::Column::StartsAt.lt(span.end))
        .filter(booking::Column::StartsAt.gt(span.start - Duration::days(MAX_BOOKING_DAYS + 1)))
        .filter(booking::Column::EndsAt.gt(span.start))
        .order_by_asc(booking::Column::StartsAt)
        .order_by_asc(booking::Column::Id)
        .all(c)
        .await?;
    stored(c, rows, true).await
}

async fn stored<C: ConnectionTrait>(
    c: &C,
    rows: Vec<booking::Model>,
    live_only: bool,
) -> Result<Vec<StoredBooking>, StoreError> {
    let receptions = receptions_by_id(c, rows.iter().map(|b| b.reception_id)).await?;
    Ok(rows
        .into_iter()
        .filter_map(|b| {
            let r = receptions.get(&b.reception_id)?;
            if live_only && !is_live(r) {
                return None;
            }
            Some(StoredBooking {
                id: BookingId(b.id),
                reception_id: ReceptionId(b.reception_id),
                reception_code: r.code.clone(),
                organization: r.guest_organization.clone(),
                kind: ResourceKind::parse(&b.resource_kind).unwrap_or(ResourceKind::Room),
                resource_id: b.resource_id,
                driver_id: b.driver_id.map(UserId),
                span: Span::new(b.starts_at, b.ends_at),
                purpose: Purpose::parse(&b.purpose).unwrap_or_default(),
                note: b.note,
                override_reason: b.override_reason,
            })
        })
        .collect())
}

/// What a booking of `b` for `reception` would clash with: other receptions' bookings (a
/// reception's own bookings may overlap: its pickup car may also be its standby car).
pub(crate) async fn clashes_of<C: ConnectionTrait>(
    c: &C,
    reception: ReceptionId,
    b: &BookingInput,
) -> Result<Vec<Clash>, StoreError> {
    let same_resource = Condition::all()
        .add(booking::Column::ResourceKind.eq(b.resource_kind.as_str()))
        .add(booking::Column::ResourceId.eq(b.resource_id));
    let mut cond = Condition::any().add(same_resource);
    if let Some(d) = b.driver_id {
        cond = cond.add(booking::Column::DriverId.eq(d.get()));
    }
    let found = overlapping(c, cond, Span::new(b.starts_at, b.ends_at)).await?;
    Ok(found
        .into_iter()
        .filter(|o| o.reception_id != reception)
        .map(|o| {
            let on = if o.kind == b.resource_kind && o.resource_id == b.resource_id {
                match o.kind {
                    ResourceKind::Room => ClashOn::Room,
                    ResourceKind::Vehicle => ClashOn::Vehicle,
                }
            } else {
                ClashOn::Driver
            };
            Clash {
                reception_id: o.reception_id,
                reception_code: o.reception_code,
                starts_at: o.span.start,
                ends_at: o.span.end,
                on,
                quantity: None,
            }
        })
        .collect())
}

/// Writes a booking in the caller's transaction (which has marked [`Topic::Resources`]):
/// refused with the clashes unless it clashes with nothing or gives an override reason.
pub(crate) async fn insert_booking<C: ConnectionTrait>(
    c: &C,
    reception: ReceptionId,
    b: &BookingInput,
    actor: &Actor,
) -> Result<BookingId, StoreError> {
    let clashes = clashes_of(c, reception, b).await?;
    if !clashes.is_empty() && b.override_reason.is_empty() {
        return Err(StoreError::Clash { code: "booking_clash", clashes });
    }
    let m = booking::ActiveModel {
        reception_id: Set(reception.get()),
        resource_kind: Set(b.resource_kind.as_str().to_owned()),
        resource_id: Set(b.resource_id),
        driver_id: Set(b.driver_id.map(UserId::get)),
        starts_at: Set(b.starts_at),
        ends_at: Set(b.ends_at),
        purpose: Set(b.purpose.as_str().to_owned()),
        note: Set(b.note.clone()),
        override_reason: Set(if clashes.is_empty() { String::new() } else { b.override_reason.clone() }),
        created_by: Set(actor.user_id.map(UserId::get)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(c)
    .await?;
    let id = Some(m.id.to_string());
    let after = json!({ "reception_id": reception.get(), "booking": b, "clashes": clashes });
    if clashes.is_empty() {
        record(c, actor, "booking", id, "create", None::<&()>, Some(&after)).await?;
    } else {
        record(c, actor, "booking", id, "override", None::<&()>, Some(&after)).await?;
    }
    Ok(BookingId(m.id))
}

impl Store {
    /// Books a room or car for a reception: refused with the clashing receptions
    /// ([`StoreError::Clash`]) unless nothing clashes or an override reason is given
    /// (recorded with the clashes), audited.
    pub async fn create_booking(
        &self,
        reception: ReceptionId,
        b: &BookingInput,
        actor: &Actor,
    ) -> Result<StoredBooking, StoreError> {
        let mut w = self.write().await?;
        w.touch(Topic::Resources).await?;
        let id = insert_booking(&w.txn, reception, b, actor).await?;
        w.commit().await?;
        self.booking(id).await
    }

    /// One booking.
    pub async fn booking(&self, id: BookingId) -> Result<StoredBooking, StoreError> {
        let row = booking::Entity::find_by_id(id.get()).one(self.conn()).await?.ok_or(StoreError::NotFound)?;
        stored(self.conn(), vec![row], false).await?.pop().ok_or(StoreError::NotFound)
    }

    /// A reception's bookings, by start.
    pub async fn bookings_of(&self, reception: ReceptionId) -> Result<Vec<StoredBooking>, StoreError> {
        let rows = booking::Entity::find()
            .filter(booking::Column::ReceptionId.eq(reception.get()))
            .order_by_asc(booking::Column::StartsAt)
            .order_by_asc(booking::Column::Id)
            .all(self.conn())
            .await?;
        stored(self.conn(), rows, false).await
    }

    /// The bookings of live receptions of rooms or cars overlapping `span`, by start.
    pub async fn bookings_between(&self, kind: ResourceKind, span: Span) -> Result<Vec<StoredBooking>, StoreError> {
        overlapping(self.conn(), Condition::all().add(booking::Column::ResourceKind.eq(kind.as_str())), span).await
    }

    /// What a reception's bookings clash with now (after its dates moved, or booked over a
    /// clash), by booking.
    pub async fn booking_clashes(&self, reception: ReceptionId) -> Result<Vec<(BookingId, Vec<Clash>)>, StoreError> {
        let mut out = Vec::new();
        for b in self.bookings_of(reception).await? {
            let input = BookingInput {
                resource_kind: b.kind,
                resource_id: b.resource_id,
                starts_at: b.span.start,
                ends_at: b.span.end,
                driver_id: b.driver_id,
                purpose: b.purpose,
                note: String::new(),
                override_reason: String::new(),
            };
            let found = clashes_of(self.conn(), reception, &input).await?;
            if !found.is_empty() {
                out.push((b.id, found));
            }
        }
        Ok(out)
    }

    /// Cancels a booking, audited.
    pub async fn delete_booking(&self, id: BookingId, actor: &Actor) -> Result<StoredBooking, StoreError> {
        let before = self.booking(id).await?;
        let mut w = self.write().await?;
        w.touch(Topic::Resources).await?;
        let res = booking::Entity::delete_by_id(id.get()).exec(&w.txn).await?;
        if res.rows_affected != 1 {
            return Err(StoreError::NotFound);
        }
        let doc = json!({
            "reception_id": before.reception_id.get(),
            "resource_kind": before.kind.as_str(),
            "resource_id": before.resource_id,
            "starts_at": before.span.start,
            "ends_at": before.span.end,
        });
        record(&w.txn, actor, "booking", Some(id.to_string()), "delete", Some(&doc), None::<&()>).await?;
        w.commit().await?;
        Ok(before)
    }
}
