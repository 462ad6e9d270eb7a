//! Rooms, cars and material: bookings without clashes, the item list counted out and back
//! against the stock, lost property, and closing only once everything is back.

use serde_json::{Value, json};

use crate::day::{taken_on_today, today};
use crate::harness::{TestApp, each_engine};
use crate::receptions::{Api, api};

/// A room, two cars and the stock the default item list draws on, kept by `gm`: answers
/// (room id, car ids, tea sets id, glasses id).
pub async fn furnish(gm: &Api<'_>, driver: i32) -> (i64, [i64; 2], i64, i64) {
    let (s, room) =
        gm.post("/api/v1/rooms", json!({"name": "一号会议室", "building": "A座", "floor": "3", "capacity": 12})).await;
    assert_eq!(s, 201, "{room}");
    gm.post("/api/v1/rooms", json!({"name": "二号会议室", "capacity": 30})).await;
    let (s, car) = gm
        .post(
            "/api/v1/vehicles",
            json!({"model": "别克 GL8", "seats": 6, "plate": "沪A·10001", "default_driver_id": driver}),
        )
        .await;
    assert_eq!(s, 201, "{car}");
    let (_, car2) = gm.post("/api/v1/vehicles", json!({"model": "帕萨特", "seats": 4, "plate": "沪A·10002"})).await;
    let stock = |name: &str, n: i64| {
        json!({"category": "茶水", "name": name, "unit": "套", "on_hand": n, "reusable": true, "storage": "库房2",
            "unit_cost_fen": 8000, "low_stock": 5})
    };
    let (s, tea) = gm.post("/api/v1/stock", stock("茶具", 12)).await;
    assert_eq!(s, 201, "{tea}");
    let (_, glasses) = gm.post("/api/v1/stock", stock("玻璃杯", 40)).await;
    (
        room["id"].as_i64().unwrap(),
        [car["id"].as_i64().unwrap(), car2["id"].as_i64().unwrap()],
        tea["id"].as_i64().unwrap(),
        glasses["id"].as_i64().unwrap(),
    )
}

/// Counts out what is not yet out and counts back every line not yet back, whole: what
/// was bought as consumed, the rest returned.
pub async fn count_back_the_rest(gm: &Api<'_>, path: &str) {
    let (s, out) = gm.post(&format!("{path}/items/count-out"), json!({})).await;
    assert_eq!(s, 200, "{out}");
    for l in out["items"].as_array().unwrap().iter().filter(|l| l["counted_back_at"].is_null()) {
        let q = l["quantity"].clone();
        let body = if l["source"] == "purchase" { json!({"consumed": q}) } else { json!({"returned": q}) };
        let (s, e) = gm.post(&format!("{path}/items/{}/count-back", l["id"]), body).await;
        assert_eq!(s, 200, "{e}");
    }
}

fn line_named<'a>(items: &'a Value, name: &str) -> &'a Value {
    items["items"].as_array().unwrap().iter().find(|l| l["name"] == name).unwrap_or_else(|| panic!("{name} in {items}"))
}

#[tokio::test]
async fn a_reception_books_rooms_and_cars_counts_its_material_out_and_back_and_closes_once_all_is_back() {
    each_engine(|app: TestApp| async move {
        let host = app.host_department("市场部").await;
        let gm = api(&app, &host.coordinator).await;
        let driver = app.user("driver1", &["staff"]).await;
        let (room, cars, tea, glasses) = furnish(&gm, driver.id.get()).await;

        // Taking it on proposes the room the form names, the pickup car and a standby car,
        // and the item list, its tea sets and glasses reserved from stock.
        let (r, path) = taken_on_today(&app, &host).await;
        let (s, bookings) = gm.get(&format!("{path}/bookings")).await;
        assert_eq!(s, 200, "{bookings}");
        let b = bookings["items"].as_array().unwrap();
        let purposes: Vec<&str> = b.iter().map(|b| b["purpose"].as_str().unwrap()).collect();
        assert_eq!(purposes.iter().filter(|p| **p == "meeting").count(), 1, "{bookings}");
        assert!(purposes.contains(&"pickup") && purposes.contains(&"standby"), "{bookings}");
        let meeting = b.iter().find(|b| b["purpose"] == "meeting").unwrap();
        assert_eq!((meeting["resource_id"].as_i64(), meeting["resource_kind"].as_str()), (Some(room), Some("room")));
        // The smallest car that seats the three guests picks them up; the other stands by
        // with its driver.
        let pickup = b.iter().find(|b| b["purpose"] == "pickup").unwrap();
        assert_eq!(pickup["resource_id"].as_i64(), Some(cars[1]), "{bookings}");
        let standby = b.iter().find(|b| b["purpose"] == "standby").unwrap();
        assert_eq!((standby["resource_id"].as_i64(), standby["driver_id"].as_i64()), (Some(cars[0]), Some(i64::from(driver.id.get()))));
        let (_, items) = gm.get(&format!("{path}/items")).await;
        let tea_line = line_named(&items, "茶具");
        // 1 guest + 2 companions + 1 support staff.
        assert_eq!((tea_line["source"].as_str(), tea_line["stock_item_id"].as_i64(), tea_line["quantity"].as_u64()), (Some("stock"), Some(tea), Some(4)));
        assert_eq!(line_named(&items, "玻璃杯")["stock_item_id"].as_i64(), Some(glasses));
        assert_eq!(line_named(&items, "投影仪")["source"], "rental", "nothing in stock: rented");
        assert_eq!(line_named(&items, "礼品")["quantity"], 3, "a gift for each guest");
        let (_, t) = gm.get(&format!("/api/v1/stock/{tea}")).await;
        assert_eq!((t["on_hand"].as_i64(), t["reserved"].as_i64()), (Some(12), Some(4)), "{t}");

        // Another reception the same day: the room clashes, named with its times, unless
        // overridden with a reason.
        let (r2, path2) = taken_on_today(&app, &host).await;
        let (_, b2) = gm.get(&format!("{path2}/bookings")).await;
        assert!(b2["items"].as_array().unwrap().iter().all(|b| b["resource_id"] != room || b["resource_kind"] != "room"), "{b2}");
        let ask = json!({"resource_kind": "room", "resource_id": room, "starts_at": meeting["starts_at"], "ends_at": meeting["ends_at"]});
        let (s, e) = gm.post(&format!("{path2}/bookings"), ask.clone()).await;
        assert_eq!((s, e["code"].as_str()), (409, Some("booking_clash")), "{e}");
        assert_eq!(e["conflicts"][0]["reception_id"], r["id"], "{e}");
        assert_eq!(e["conflicts"][0]["reception_code"], r["code"]);
        assert_eq!(e["conflicts"][0]["starts_at"], meeting["starts_at"]);
        let mut over = ask.clone();
        over["override_reason"] = json!("总经理接见，两组合用");
        let (s, o) = gm.post(&format!("{path2}/bookings"), over).await;
        assert_eq!((s, o["override_reason"].as_str()), (201, Some("总经理接见，两组合用")), "{o}");
        let (_, b2) = gm.get(&format!("{path2}/bookings")).await;
        let overridden = b2["items"].as_array().unwrap().iter().find(|b| b["id"] == o["id"]).unwrap();
        assert_eq!(overridden["conflicts"][0]["reception_code"], r["code"], "the clash stays visible");
        // The second reception reserving more tea sets than are free is refused, naming the first.
        let (s, e) = gm
            .post(&format!("{path2}/items"), json!({"category": "茶水", "name": "茶具", "quantity": 10, "source": "stock", "stock_item_id": tea}))
            .await;
        assert_eq!((s, e["code"].as_str()), (409, Some("stock_short")), "{e}");
        assert_eq!((e["conflicts"][0]["reception_id"].clone(), e["conflicts"][0]["quantity"].as_i64()), (r["id"].clone(), Some(4)));
        let (s, _) = gm
            .post(&format!("{path2}/items"), json!({"category": "茶水", "name": "茶具", "quantity": 4, "source": "stock", "stock_item_id": tea}))
            .await;
        assert_eq!(s, 201, "what is free can be reserved");

        // On the day: counted out, on hand goes down, each a line of the ledger.
        let (s, out) = gm.post(&format!("{path}/items/count-out"), json!({})).await;
        assert_eq!(s, 200, "{out}");
        let n = out["counted_out"].as_u64().unwrap();
        assert_eq!(n as usize, out["items"].as_array().unwrap().len());
        let (_, t) = gm.get(&format!("/api/v1/stock/{tea}")).await;
        assert_eq!((t["on_hand"].as_i64(), t["reserved"].as_i64()), (Some(8), Some(8)), "the second's 8 still reserved: {t}");
        let (_, ledger) = gm.get(&format!("/api/v1/stock/{tea}/movements")).await;
        assert_eq!(ledger["items"][0]["kind"], "counted_out");
        assert_eq!((ledger["items"][0]["delta"].as_i64(), ledger["items"][0]["on_hand_after"].as_i64()), (Some(-4), Some(8)));
        assert_eq!(ledger["items"][0]["reception_code"], r["code"]);
        let (_, again) = gm.post(&format!("{path}/items/count-out"), json!({})).await;
        assert_eq!(again["counted_out"], 0, "nothing is counted out twice");

        // Something left behind.
        let (s, lost) = gm
            .post(&format!("{path}/lost-found"), json!({"what": "黑色雨伞", "found_where": "一号会议室", "kept_at": "前台"}))
            .await;
        assert_eq!((s, lost["status"].as_str()), (201, Some("open")), "{lost}");
        assert_eq!(lost["found_by"].as_i64(), Some(i64::from(host.coordinator.id.get())));
        let (_, board) = gm.get("/api/v1/board").await;
        let row = board["items"].as_array().unwrap().iter().find(|b| b["reception_id"] == r["id"]).unwrap();
        assert_eq!(row["lost_found_open"], 1, "the board tells: {row}");
        let (_, open) = gm.get("/api/v1/lost-found").await;
        assert_eq!(open["items"][0]["what"], "黑色雨伞", "{open}");

        // Closing waits for everything: tasks, items, lost property — all named at once.
        gm.post(&format!("{path}/open-day"), json!({})).await;
        gm.post(&format!("{path}/wrap-up"), json!({})).await;
        let (_, list) = gm.get(&format!("{path}/tasks")).await;
        for t in list["items"].as_array().unwrap() {
            gm.post(&format!("/api/v1/tasks/{}/done", t["id"]), json!({})).await;
        }
        let (s, e) = gm.post(&format!("{path}/close"), json!({})).await;
        let codes: Vec<&str> = e["errors"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
        assert_eq!(
            (s, codes),
            (
                422,
                vec!["items_not_counted_back", "lost_found_open", "settlement_not_approved", "survey_missing", "review_missing"]
            ),
            "{e}"
        );
        assert!(e["errors"][0]["message"].as_str().unwrap().contains("茶具"), "names the lines: {e}");

        // Counting back: the parts add up, losses explained, once.
        let tea_line = line_named(&out, "茶具");
        let back = format!("{path}/items/{}/count-back", tea_line["id"]);
        let (s, e) = gm.post(&back, json!({"returned": 2, "lost": 1})).await;
        let codes: Vec<&str> = e["errors"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
        assert_eq!((s, codes), (422, vec!["count_does_not_add_up", "required"]), "{e}");
        let (s, l) = gm.post(&back, json!({"returned": 3, "damaged": 1, "note": "一只茶杯摔碎"})).await;
        assert_eq!((s, l["returned"].as_u64(), l["damaged"].as_u64()), (200, Some(3), Some(1)), "{l}");
        let (s, e) = gm.post(&back, json!({"returned": 4})).await;
        assert_eq!((s, e["code"].as_str()), (409, Some("already_counted_back")), "{e}");
        let (_, t) = gm.get(&format!("/api/v1/stock/{tea}")).await;
        assert_eq!(t["on_hand"], 11, "the three that came back are on hand again: {t}");
        let (_, ledger) = gm.get(&format!("/api/v1/stock/{tea}/movements")).await;
        let kinds: Vec<&str> = ledger["items"].as_array().unwrap().iter().map(|m| m["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["damaged", "returned", "counted_out", "created"]);
        count_back_the_rest(&gm, &path).await;
        let (s, e) = gm.post(&format!("/api/v1/lost-found/{}/return", lost["id"]), json!({"returned_to": "李明", "means": "courier"})).await;
        assert_eq!((s, e["errors"][0]["field"].as_str()), (422, Some("tracking")), "{e}");
        let (s, done) = gm
            .post(&format!("/api/v1/lost-found/{}/return", lost["id"]), json!({"returned_to": "李明", "means": "courier", "tracking": "SF1234567890"}))
            .await;
        assert_eq!((s, done["status"].as_str()), (200, Some("returned")), "{done}");
        let (s, _) = gm.post(&format!("/api/v1/lost-found/{}/return", lost["id"]), json!({"returned_to": "李明"})).await;
        assert_eq!(s, 409, "once");
        crate::closeout::close_out(&app, &host, &path, 100_000, 9).await;
        let (s, r) = gm.post(&format!("{path}/close"), json!({})).await;
        assert_eq!((s, r["state"].as_str()), (200, Some("closed")), "{r}");

        // Cancelling the second reception releases its bookings and its tea sets.
        let (s, e) = gm.post(&format!("{path2}/cancel"), json!({"comment": "客户改期"})).await;
        if s == 200 {
            let (_, t) = gm.get(&format!("/api/v1/stock/{tea}")).await;
            assert_eq!(t["reserved"], 0, "{t}");
            let (s, _) = gm.post(&format!("{path}/bookings"), ask).await;
            assert_eq!(s, 409, "a closed reception books nothing more");
        } else {
            // Not cancellable on its own visit day: the rule of J6.
            assert_eq!(e["errors"][0]["code"], "cancel_too_late", "{e}");
        }
        let _ = r2;
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn bookings_say_every_problem_at_once_and_availability_shows_the_free_slots() {
    each_engine(|app: TestApp| async move {
        let host = app.host_department("市场部").await;
        let gm = api(&app, &host.coordinator).await;
        let driver = app.user("driver1", &["staff"]).await;
        let (room, cars, _, _) = furnish(&gm, driver.id.get()).await;
        let (_, path) = taken_on_today(&app, &host).await;
        let day = today();
        let at = |h: u32| format!("{day}T{h:02}:00:00+08:00");

        let (s, e) = gm
            .post(&format!("{path}/bookings"), json!({"resource_kind": "room", "resource_id": room, "starts_at": at(12), "ends_at": at(11), "driver_id": driver.id.get()}))
            .await;
        let fields: Vec<&str> = e["errors"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
        assert_eq!((s, fields), (422, vec!["ends_at", "driver_id"]), "{e}");
        let (_, car) = gm.get(&format!("/api/v1/vehicles/{}", cars[1])).await;
        let mut off = car.clone();
        off["active"] = json!(false);
        let (s, _) = gm.put(&format!("/api/v1/vehicles/{}", cars[1]), off).await;
        assert_eq!(s, 200);
        let (s, e) = gm
            .post(&format!("{path}/bookings"), json!({"resource_kind": "vehicle", "resource_id": cars[1], "starts_at": at(20), "ends_at": at(23)}))
            .await;
        assert_eq!((s, e["errors"][0]["code"].as_str()), (422, Some("resource_inactive")), "{e}");
        // Across midnight, outside the visit: booked, with a warning.
        let next = format!("{}T01:00:00+08:00", day + chrono::Duration::days(1));
        let (s, b) = gm
            .post(&format!("{path}/bookings"), json!({"resource_kind": "room", "resource_id": room, "starts_at": at(22), "ends_at": next, "purpose": "other"}))
            .await;
        assert_eq!(s, 201, "{b}");
        assert_eq!(b["warnings"], json!(["outside_visit"]), "{b}");

        let (s, a) = gm.get(&format!("/api/v1/availability?kind=room&from={day}&to={day}")).await;
        assert_eq!(s, 200, "{a}");
        let one = a["items"].as_array().unwrap().iter().find(|r| r["resource_id"] == room).unwrap();
        assert_eq!(one["bookings"].as_array().unwrap().len(), 2, "{one}");
        let free: Vec<(&str, &str)> = one["free"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["starts_at"].as_str().unwrap(), f["ends_at"].as_str().unwrap()))
            .collect();
        assert_eq!(free.len(), 2, "before the meeting and between it and the evening: {free:?}");
        let (s, e) = gm.get(&format!("/api/v1/availability?kind=room&from={day}&to={}", day - chrono::Duration::days(1))).await;
        assert_eq!(s, 422, "{e}");
        let (s, _) = gm.get(&format!("/api/v1/availability?kind=boat&from={day}&to={day}")).await;
        assert_eq!(s, 400);
        // Cancelling a booking frees its slot.
        let (s, _) = gm.delete(&format!("/api/v1/bookings/{}", b["id"])).await;
        assert_eq!(s, 204);
        let staff = api(&app, &driver).await;
        let (s, _) = staff.get(&format!("/api/v1/availability?kind=vehicle&from={day}&to={day}")).await;
        assert_eq!(s, 200, "drivers read the schedule");
        let (s, _) = staff.post("/api/v1/rooms", json!({"name": "x", "capacity": 1})).await;
        assert_eq!(s, 403, "but keep no rooms");
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn two_coordinators_reserving_the_last_tea_sets_at_once_get_one_reservation_and_one_refusal() {
    each_engine(|app: TestApp| async move {
        let host = app.host_department("市场部").await;
        let gm = api(&app, &host.coordinator).await;
        let other = app.user("gm2", &["coordinator"]).await;
        let gm2 = api(&app, &other).await;
        let driver = app.user("driver1", &["staff"]).await;
        let (_, _, tea, _) = furnish(&gm, driver.id.get()).await;
        let (_, a) = taken_on_today(&app, &host).await;
        let (_, b) = taken_on_today(&app, &host).await;
        // Each took 4 at take-on: 4 are left for the two of them to race for.
        let (_, t) = gm.get(&format!("/api/v1/stock/{tea}")).await;
        assert_eq!(t["reserved"], 8, "{t}");
        for round in 0..3 {
            let ask =
                json!({"category": "茶水", "name": "茶具", "quantity": 4, "source": "stock", "stock_item_id": tea});
            let (pa, pb) = (format!("{a}/items"), format!("{b}/items"));
            let (ra, rb) = tokio::join!(gm.post(&pa, ask.clone()), gm2.post(&pb, ask));
            let mut statuses = [ra.0, rb.0];
            statuses.sort_unstable();
            assert_eq!(statuses, [201, 409], "round {round}: {ra:?} {rb:?}");
            let won = if ra.0 == 201 { (&a, ra.1) } else { (&b, rb.1) };
            let (s, _) = gm.delete(&format!("{}/items/{}?version={}", won.0, won.1["id"], won.1["version"])).await;
            assert_eq!(s, 204);
        }
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn stock_is_kept_with_a_ledger_and_an_item_in_use_is_disabled_not_deleted() {
    each_engine(|app: TestApp| async move {
        let host = app.host_department("市场部").await;
        let gm = api(&app, &host.coordinator).await;
        let (s, e) = gm
            .post(
                "/api/v1/stock",
                json!({"category": " ", "name": "茶具", "unit": "套", "on_hand": -3, "unit_cost_fen": -1}),
            )
            .await;
        let fields: Vec<&str> = e["errors"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
        assert_eq!((s, fields), (422, vec!["category", "on_hand", "unit_cost_fen"]), "{e}");
        let item =
            json!({"category": "茶水", "name": "茶具", "unit": "套", "on_hand": 3, "reusable": true, "low_stock": 5});
        let (s, t) = gm.post("/api/v1/stock", item.clone()).await;
        assert_eq!((s, t["low"].as_bool()), (201, Some(true)), "{t}");
        let (s, _) = gm.post("/api/v1/stock", item).await;
        assert_eq!(s, 409, "one of a name in a category");
        let mut more = t.clone();
        more["on_hand"] = json!(20);
        more["note"] = json!("新采购 17 套");
        let (s, t2) = gm.put(&format!("/api/v1/stock/{}", t["id"]), more.clone()).await;
        assert_eq!((s, t2["low"].as_bool(), t2["on_hand"].as_i64()), (200, Some(false), Some(20)), "{t2}");
        let (s, _) = gm.put(&format!("/api/v1/stock/{}", t["id"]), more).await;
        assert_eq!(s, 409, "a stale version");
        let (_, ledger) = gm.get(&format!("/api/v1/stock/{}/movements", t["id"])).await;
        let m = &ledger["items"][0];
        assert_eq!(
            (m["kind"].as_str(), m["delta"].as_i64(), m["note"].as_str()),
            (Some("adjusted"), Some(17), Some("新采购 17 套"))
        );
        assert_eq!(m["actor"], host.coordinator.username.to_string());

        let (_, path) = taken_on_today(&app, &host).await;
        let (s, _) = gm
            .post(
                &format!("{path}/items"),
                json!({"category": "茶水", "name": "茶具", "quantity": 2, "source": "stock", "stock_item_id": t["id"]}),
            )
            .await;
        assert_eq!(s, 201);
        let (s, e) = gm.delete(&format!("/api/v1/stock/{}", t["id"])).await;
        assert_eq!((s, e["code"].as_str()), (409, Some("stock_in_use")), "{e}");
        let (s, spare) =
            gm.post("/api/v1/stock", json!({"category": "文具", "name": "便签", "unit": "本", "on_hand": 1})).await;
        assert_eq!(s, 201);
        let (s, _) = gm.delete(&format!("/api/v1/stock/{}", spare["id"])).await;
        assert_eq!(s, 204, "never used: deleted");
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn a_reception_moved_onto_anothers_days_shows_its_stock_short_and_its_bookings_outside_the_visit() {
    use sea_orm::ConnectionTrait;
    each_engine(|app: TestApp| async move {
        let host = app.host_department("市场部").await;
        let gm = api(&app, &host.coordinator).await;
        let driver = app.user("driver1", &["staff"]).await;
        let (room, _, tea, _) = furnish(&gm, driver.id.get()).await;
        let (a, _) = taken_on_today(&app, &host).await;
        let (b, path_b) = crate::tasks::taken_on(&app, &host).await;
        // B, three weeks on, takes 8 more tea sets: free then (A's 4 are on other days).
        let (s, l) = gm
            .post(
                &format!("{path_b}/items"),
                json!({"category": "茶水", "name": "茶具", "quantity": 8, "source": "stock", "stock_item_id": tea}),
            )
            .await;
        assert_eq!(s, 201, "{l}");
        let (_, items) = gm.get(&format!("{path_b}/items")).await;
        assert!(items["items"].as_array().unwrap().iter().all(|l| l.get("conflicts").is_none()), "{items}");
        let (_, bookings) = gm.get(&format!("{path_b}/bookings")).await;
        assert!(bookings["items"].as_array().unwrap().iter().all(|b| b["warnings"] == json!([])), "{bookings}");
        assert!(bookings["items"].as_array().unwrap().iter().any(|b| b["resource_id"] == room), "{bookings}");

        // Its dates move onto A's day (as a correction would): 4 + 4 + 8 tea sets of 12.
        let db = sea_orm::Database::connect(app.database_url()).await.unwrap();
        let day = today();
        db.execute_unprepared(&format!(
            "UPDATE receptions SET visit_start = '{day}', visit_end = '{day}' WHERE id = {}",
            b["id"]
        ))
        .await
        .unwrap();
        let (_, items) = gm.get(&format!("{path_b}/items")).await;
        let short: Vec<&Value> =
            items["items"].as_array().unwrap().iter().filter(|l| l.get("conflicts").is_some()).collect();
        assert!(!short.is_empty(), "{items}");
        assert!(short.iter().all(|l| l["name"] == "茶具"), "{items}");
        assert!(short[0]["conflicts"].as_array().unwrap().iter().any(|c| c["reception_id"] == a["id"]), "{items}");
        // Its bookings, on the old days, are now outside the visit.
        let (_, bookings) = gm.get(&format!("{path_b}/bookings")).await;
        assert!(
            bookings["items"].as_array().unwrap().iter().all(|b| b["warnings"] == json!(["outside_visit"])),
            "{bookings}"
        );
        app.stop().await;
    })
    .await;
}
