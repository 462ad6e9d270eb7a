//! The demo's rooms, cars and stock (the template's items), and what its receptions did
//! with them: past ones counted out and back, one booked over a clash with a reason, lost
//! property returned by courier and one item still open.

use chrono::Duration;
use jiedai_domain::reception::State;
use jiedai_domain::resources::{
    BookingInput, CountBack, FoundInput, ItemSource, Purpose, ResourceKind, ReturnInput, ReturnMeans, RoomInput,
    StockItemInput, VehicleInput,
};
use jiedai_domain::{Actor, User};
use jiedai_store::StoredReception;

use super::midnight;
use crate::{App, Result};

/// Rooms: name, building, floor, seats, equipment.
const ROOMS: &[(&str, &str, &str, u32, &str)] = &[
    ("一号会议室", "A座", "3F", 12, "投影仪、幕布、视频会议"),
    ("二号会议室", "A座", "5F", 30, "投影仪、音响"),
    ("贵宾接待室", "B座", "1F", 8, "电视、茶台"),
];

/// Cars: model, seats, plate, driven by the staff member.
const CARS: &[(&str, u32, &str, bool)] =
    &[("别克 GL8", 6, "沪A·D1001", true), ("奔驰 V260", 6, "沪A·D1002", false), ("大众 帕萨特", 4, "沪A·D1003", false)];

/// Stock: category, name, unit, on hand, reusable, unit cost (fen), low below.
const STOCK: &[(&str, &str, &str, i64, bool, i64, i64)] = &[
    ("茶水", "玻璃杯", "个", 40, true, 1_500, 10),
    ("茶水", "茶具", "套", 12, true, 12_000, 4),
    ("茶水", "果碟", "个", 20, true, 2_000, 6),
    ("会议设备", "电脑", "台", 2, true, 500_000, 1),
    ("会议设备", "投影仪", "台", 1, true, 300_000, 1),
    ("会议设备", "翻页笔", "支", 3, true, 15_000, 1),
    ("文具", "白纸", "张", 500, false, 10, 100),
    ("文具", "铅笔", "支", 50, false, 100, 10),
    ("文具", "签字笔", "支", 8, false, 300, 10),
    ("礼品", "礼品", "份", 10, false, 20_000, 5),
];

/// Writes the demo's rooms, cars and stock.
pub(crate) async fn furnish(app: &App, staff: &User, actor: &Actor) -> Result<()> {
    let store = app.store();
    for (name, building, floor, capacity, equipment) in ROOMS {
        let r = RoomInput {
            name: (*name).into(),
            building: (*building).into(),
            floor: (*floor).into(),
            capacity: *capacity,
            equipment: (*equipment).into(),
            notes: String::new(),
            active: true,
        };
        store.create_room(&r, actor).await?;
    }
    for (model, seats, plate, driven) in CARS {
        let v = VehicleInput {
            model: (*model).into(),
            seats: *seats,
            plate: (*plate).into(),
            default_driver_id: driven.then_some(staff.id),
            notes: String::new(),
            active: true,
        };
        store.create_vehicle(&v, actor).await?;
    }
    for (category, name, unit, on_hand, reusable, cost, low) in STOCK {
        let s = StockItemInput {
            category: (*category).into(),
            name: (*name).into(),
            unit: (*unit).into(),
            on_hand: *on_hand,
            reusable: *reusable,
            storage: if *reusable { "综管部库房".into() } else { "行政仓库".into() },
            unit_cost_fen: *cost,
            low_stock: *low,
            active: true,
        };
        store.create_stock_item(&s, actor).await?;
    }
    Ok(())
}

/// What a demo reception did with its material by now: one past the day counted its lines
/// out and, once closed, back (what was bought consumed, one tea set broken); the one
/// closing has an umbrella left behind, still open; a closed one sent a guest's charger back
/// by courier.
pub(crate) async fn settle(app: &App, r: &StoredReception, actor: &Actor) -> Result<()> {
    let store = app.store();
    if !matches!(r.state, State::OnSite | State::Closing | State::Closed) {
        return Ok(());
    }
    store.count_out(r.id, None, actor).await?;
    if r.state == State::Closing && store.lost_found_open(false).await?.is_empty() {
        let found = FoundInput {
            what: "黑色雨伞".into(),
            found_where: "一号会议室".into(),
            found_at: Some(midnight(app, r.visit_end) + Duration::hours(17)),
            found_by: actor.user_id,
            kept_at: "前台".into(),
            notes: "客户离开后发现".into(),
        };
        store.add_lost_found(r.id, &found, actor).await?;
    }
    if r.state != State::Closed {
        return Ok(());
    }
    for (i, l) in store.item_lines(r.id).await?.into_iter().enumerate() {
        let q = l.line.quantity;
        let count = match l.line.source {
            ItemSource::Purchase => CountBack { consumed: q, ..Default::default() },
            _ if i == 1 && q > 1 => {
                CountBack { returned: q - 1, damaged: 1, note: "茶杯摔碎一只".into(), ..Default::default() }
            }
            _ => CountBack { returned: q, ..Default::default() },
        };
        store.count_back(r.id, l.id, &count, actor).await?;
    }
    if store.lost_found_open(true).await?.is_empty() {
        let found = FoundInput {
            what: "笔记本电脑充电器".into(),
            found_where: "贵宾接待室".into(),
            found_at: Some(midnight(app, r.visit_end) + Duration::hours(16)),
            found_by: actor.user_id,
            kept_at: "综管部".into(),
            notes: String::new(),
        };
        let item = store.add_lost_found(r.id, &found, actor).await?;
        let back = ReturnInput {
            returned_to: r.form.guest_name.clone(),
            returned_at: Some(midnight(app, r.visit_end) + Duration::days(1) + Duration::hours(10)),
            means: ReturnMeans::Courier,
            tracking: "SF1402 8837 2291".into(),
            note: String::new(),
        };
        store.return_lost_found(item.id, &back, actor).await?;
    }
    Ok(())
}

/// One booking over a clash, with its reason: the next reception shows its guests the
/// meeting room while today's reception holds it; and a follow-up meeting two weeks on.
pub(crate) async fn overridden(
    app: &App,
    today: &StoredReception,
    next: &StoredReception,
    actor: &Actor,
) -> Result<()> {
    let store = app.store();
    let Some(room) = store.rooms().await?.into_iter().find(|r| r.room.name == "一号会议室") else {
        return Ok(());
    };
    let at = |d, h| midnight(app, d) + Duration::hours(h);
    let mut b = BookingInput {
        resource_kind: ResourceKind::Room,
        resource_id: room.id.get(),
        starts_at: at(today.visit_start, 14),
        ends_at: at(today.visit_start, 15),
        driver_id: None,
        purpose: Purpose::Other,
        note: "提前察看会场".into(),
        override_reason: "客户坚持提前察看会场，与现场接待协商共用一小时".into(),
    };
    store.create_booking(next.id, &b, actor).await?;
    b.starts_at = at(next.visit_start + Duration::days(14), 9);
    b.ends_at = at(next.visit_start + Duration::days(14), 11);
    b.note = "回访会议".into();
    b.override_reason = String::new();
    b.purpose = Purpose::Meeting;
    // Free two weeks on; if it is not, the demo goes without it.
    let _ = store.create_booking(next.id, &b, actor).await;
    Ok(())
}

/// For benchmarks: 50 rooms and 20 cars (added once), and `n` bookings of them over the
/// coming 30 days, on receptions in planning, none clashing (each room or car booked at
/// at most once a day, a slot held already skipped). Answers how many were written.
pub async fn load_bulk_bookings(app: &App, n: usize, today: chrono::NaiveDate) -> Result<usize> {
    let store = app.store();
    let actor = Actor::system();
    let rooms = store.rooms().await?.len();
    for i in rooms..50 {
        let r = RoomInput {
            name: format!("会议室 B{i:02}"),
            capacity: 6 + (i as u32 % 5) * 6,
            active: true,
            ..Default::default()
        };
        store.create_room(&r, &actor).await?;
    }
    let cars = store.vehicles().await?.len();
    for i in cars..20 {
        let v = VehicleInput {
            model: "别克 GL8".into(),
            seats: 6,
            plate: format!("沪B·{i:05}"),
            active: true,
            ..Default::default()
        };
        store.create_vehicle(&v, &actor).await?;
    }
    let receptions = store.reception_ids_in(State::Planning, 200).await?;
    if receptions.is_empty() {
        return Ok(0);
    }
    let mut resources: Vec<(ResourceKind, i32)> =
        store.rooms().await?.into_iter().take(50).map(|r| (ResourceKind::Room, r.id.get())).collect();
    resources.extend(store.vehicles().await?.into_iter().take(20).map(|v| (ResourceKind::Vehicle, v.id.get())));
    let mut written = 0;
    // A slot the demo's own receptions hold is skipped: the next one is tried.
    for i in 0..n * 2 {
        if written == n {
            break;
        }
        let (kind, id) = resources[i % resources.len()];
        let day = today + Duration::days((i / resources.len()) as i64 % 30);
        let hour = 8 + (i % 5) as i64 * 2;
        let b = BookingInput {
            resource_kind: kind,
            resource_id: id,
            starts_at: midnight(app, day) + Duration::hours(hour),
            ends_at: midnight(app, day) + Duration::hours(hour + 2),
            driver_id: None,
            purpose: if kind == ResourceKind::Room { Purpose::Meeting } else { Purpose::Pickup },
            note: String::new(),
            override_reason: String::new(),
        };
        if store.create_booking(receptions[i % receptions.len()], &b, &actor).await.is_ok() {
            written += 1;
        }
    }
    Ok(written)
}
