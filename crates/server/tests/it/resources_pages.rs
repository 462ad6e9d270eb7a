//! Rooms, cars and stock on pages: kept by General Management with forms that show every
//! problem at once, the stock ledger, and the week's schedule that drivers and staff read.

use chrono::{Datelike, Duration};
use serde_json::json;

use crate::day::{taken_on_today, today};
use crate::harness::{TestApp, browser, each_engine, form_fields, page_csrf, set_field, sign_in, text_of};
use crate::receptions::api;
use crate::resources::furnish;

async fn get(app: &TestApp, b: &reqwest::Client, path: &str) -> (u16, String) {
    let res = b.get(app.url(path)).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn post(app: &TestApp, b: &reqwest::Client, path: &str, fields: &[(String, String)]) -> (u16, String, String) {
    let res = b.post(app.url(path)).form(fields).send().await.unwrap();
    let to = res.headers().get("location").map(|l| l.to_str().unwrap().to_owned()).unwrap_or_default();
    (res.status().as_u16(), to, res.text().await.unwrap())
}

/// The value of a field of a form.
fn value(fields: &[(String, String)], name: &str) -> String {
    fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()).unwrap_or_default()
}

#[tokio::test]
async fn a_coordinator_adds_and_changes_rooms_and_cars_and_sees_every_problem_at_once() {
    each_engine(|app| async move {
        let host = app.host_department("综合管理部").await;
        let driver = app.user("driver1", &["staff"]).await;
        let gm = api(&app, &host.coordinator).await;
        let b = browser();
        sign_in(&app, &b, &host.coordinator.username).await;

        let (s, html) = get(&app, &b, "/resources").await;
        assert_eq!(s, 200);
        assert!(text_of(&html, "#no-rooms").unwrap().contains("添加第一间"), "{html}");
        assert!(text_of(&html, "#no-vehicles").is_some());

        // Every problem at once, next to its field, what was typed kept.
        let mut fields = form_fields(&html, "#add-room form");
        set_field(&mut fields, "name", " ");
        set_field(&mut fields, "capacity", "2x");
        set_field(&mut fields, "building", &"楼".repeat(70));
        set_field(&mut fields, "equipment", "投影仪、视频会议");
        let (s, _, html) = post(&app, &b, "/resources/rooms", &fields).await;
        assert_eq!(s, 422, "{html}");
        for f in ["name", "capacity", "building"] {
            assert!(text_of(&html, &format!("#{f}-room-new-error")).is_some(), "{f} has its message: {html}");
        }
        assert!(text_of(&html, "#capacity-room-new-error").unwrap().contains("整数"), "{html}");
        let kept = form_fields(&html, "#add-room form");
        assert_eq!((value(&kept, "capacity"), value(&kept, "equipment")), ("2x".into(), "投影仪、视频会议".into()));

        set_field(&mut fields, "name", "三号会议室");
        set_field(&mut fields, "capacity", "20");
        set_field(&mut fields, "building", "B座");
        set_field(&mut fields, "floor", "5");
        let (s, to, _) = post(&app, &b, "/resources/rooms", &fields).await;
        assert_eq!((s, to.as_str()), (303, "/resources"));
        let (_, rooms) = gm.get("/api/v1/rooms").await;
        let room = &rooms["items"][0];
        assert_eq!((room["name"].as_str(), room["capacity"].as_i64()), (Some("三号会议室"), Some(20)), "{rooms}");
        let id = room["id"].as_i64().unwrap();

        // The same name again: told on the name.
        let (s, _, html) = post(&app, &b, "/resources/rooms", &fields).await;
        assert_eq!(s, 409, "{html}");
        assert!(text_of(&html, "#name-room-new-error").unwrap().contains("已被使用"), "{html}");

        // Changed on its row: fewer seats, disabled; shown muted with its badge.
        let (_, html) = get(&app, &b, "/resources").await;
        let row = text_of(&html, &format!("#room-{id}")).unwrap();
        assert!(row.contains("三号会议室") && row.contains("B座") && row.contains("投影仪"), "{row}");
        let mut edit = form_fields(&html, &format!("#room-{id} form"));
        set_field(&mut edit, "capacity", "25");
        edit.retain(|(n, _)| n != "active");
        let (s, to, _) = post(&app, &b, &format!("/resources/rooms/{id}"), &edit).await;
        assert_eq!((s, to.as_str()), (303, "/resources"));
        let (_, r) = gm.get(&format!("/api/v1/rooms/{id}")).await;
        assert_eq!((r["capacity"].as_i64(), r["active"].as_bool()), (Some(25), Some(false)), "{r}");
        let (_, html) = get(&app, &b, "/resources").await;
        assert!(html.contains(&format!("<tbody id=\"room-{id}\" class=\"inactive\">")), "{html}");
        assert!(text_of(&html, &format!("#room-{id} .badge")).unwrap().contains("已停用"));
        // The form read before that change is stale: told, not overwritten.
        let (s, _, html) = post(&app, &b, &format!("/resources/rooms/{id}"), &edit).await;
        assert_eq!(s, 409);
        assert!(text_of(&html, ".flash-error").unwrap().contains("他人修改"), "{html}");

        // A car, its default driver chosen from the active people.
        let (_, html) = get(&app, &b, "/resources").await;
        let mut car = form_fields(&html, "#add-vehicle form");
        let options = text_of(&html, "#default_driver_id-vehicle-new").unwrap();
        assert!(options.contains("Test driver1（driver1）"), "{options}");
        set_field(&mut car, "model", "");
        set_field(&mut car, "seats", "-1");
        set_field(&mut car, "plate", "沪a·20001");
        set_field(&mut car, "default_driver_id", &driver.id.to_string());
        let (s, _, html) = post(&app, &b, "/resources/vehicles", &car).await;
        assert_eq!(s, 422);
        assert!(
            text_of(&html, "#model-vehicle-new-error").is_some()
                && text_of(&html, "#seats-vehicle-new-error").is_some()
        );
        let kept = form_fields(&html, "#add-vehicle form");
        assert_eq!(value(&kept, "default_driver_id"), driver.id.to_string(), "the driver chosen stays chosen");
        set_field(&mut car, "model", "别克 GL8");
        set_field(&mut car, "seats", "6");
        let (s, to, _) = post(&app, &b, "/resources/vehicles", &car).await;
        assert_eq!((s, to.as_str()), (303, "/resources"));
        let (s, _, html) = post(&app, &b, "/resources/vehicles", &car).await;
        assert_eq!(s, 409, "the plate is taken");
        assert!(text_of(&html, "#plate-vehicle-new-error").unwrap().contains("车牌"), "{html}");
        let (_, cars) = gm.get("/api/v1/vehicles").await;
        let v = &cars["items"][0];
        assert_eq!(v["plate"], "沪A·20001");
        let vid = v["id"].as_i64().unwrap();
        let (_, html) = get(&app, &b, "/resources").await;
        let row = text_of(&html, &format!("#vehicle-{vid}")).unwrap();
        assert!(row.contains("别克 GL8") && row.contains("Test driver1"), "{row}");
        let mut edit = form_fields(&html, &format!("#vehicle-{vid} form"));
        set_field(&mut edit, "seats", "7");
        set_field(&mut edit, "default_driver_id", "");
        let (s, _, _) = post(&app, &b, &format!("/resources/vehicles/{vid}"), &edit).await;
        assert_eq!(s, 303);
        let (_, v) = gm.get(&format!("/api/v1/vehicles/{vid}")).await;
        assert_eq!((v["seats"].as_i64(), v["default_driver_id"].is_null()), (Some(7), true), "{v}");

        // Staff see the rooms and cars, without a form, and may not post one.
        let sb = browser();
        sign_in(&app, &sb, &driver.username).await;
        let (s, html) = get(&app, &sb, "/resources").await;
        assert_eq!(s, 200);
        assert!(html.contains("三号会议室") && !html.contains("action=\"/resources/rooms"), "no forms for staff");
        let csrf = page_csrf(&app, &sb, "/resources").await;
        let mut fields = fields.clone();
        set_field(&mut fields, "csrf", &csrf);
        set_field(&mut fields, "name", "四号会议室");
        let (s, _, _) = post(&app, &sb, "/resources/rooms", &fields).await;
        assert_eq!(s, 403, "staff do not keep rooms");
        let (s, _, _) = post(&app, &sb, &format!("/resources/rooms/{id}"), &fields).await;
        assert_eq!(s, 403);
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn stock_is_corrected_with_a_reason_in_its_ledger_and_a_used_item_is_not_deleted() {
    each_engine(|app| async move {
        let host = app.host_department("综合管理部").await;
        let driver = app.user("driver1", &["staff"]).await;
        let gm = api(&app, &host.coordinator).await;
        let (_, _, tea, glasses) = furnish(&gm, driver.id.get()).await;
        let (r, path) = taken_on_today(&app, &host).await;
        let b = browser();
        sign_in(&app, &b, &host.coordinator.username).await;

        let (s, html) = get(&app, &b, "/stock").await;
        assert_eq!(s, 200, "{html}");
        let row = text_of(&html, &format!("#stock-{tea}")).unwrap();
        assert!(
            row.contains("茶水") && row.contains("茶具") && row.contains("¥80.00") && row.contains("库房2"),
            "{row}"
        );
        let (_, item) = gm.get(&format!("/api/v1/stock/{tea}")).await;
        let reserved = item["reserved"].as_i64().unwrap();
        assert!(reserved > 0, "the reception reserves tea sets: {item}");
        let reserved_cell = text_of(&html, &format!("#stock-{tea} td:nth-child(5)")).unwrap();
        let free_cell = text_of(&html, &format!("#stock-{tea} td:nth-child(6)")).unwrap();
        assert_eq!((reserved_cell, free_cell), (reserved.to_string(), (12 - reserved).to_string()));

        // Fewer glasses than the books say: corrected with why, written to the ledger.
        let mut edit = form_fields(&html, &format!("#stock-{glasses} form"));
        set_field(&mut edit, "on_hand", "35");
        set_field(&mut edit, "note", "盘点少了5个");
        let (s, to, body) = post(&app, &b, &format!("/stock/{glasses}"), &edit).await;
        assert_eq!((s, to.as_str()), (303, "/stock"), "{body}");
        let (s, html) = get(&app, &b, &format!("/stock/{glasses}")).await;
        assert_eq!(s, 200);
        let ledger = text_of(&html, "#ledger").unwrap();
        assert!(ledger.contains("盘点调整") && ledger.contains("盘点少了5个") && ledger.contains("-5"), "{ledger}");
        assert!(ledger.contains("建档") && ledger.contains("35"), "{ledger}");
        // A bad correction: every problem at once, the note kept.
        let mut edit = form_fields(&get(&app, &b, "/stock").await.1, &format!("#stock-{glasses} form"));
        set_field(&mut edit, "on_hand", "3.5");
        set_field(&mut edit, "unit_cost", "abc");
        set_field(&mut edit, "unit", "");
        set_field(&mut edit, "note", "再次盘点");
        let (s, _, html) = post(&app, &b, &format!("/stock/{glasses}"), &edit).await;
        assert_eq!(s, 422, "{html}");
        for f in ["on_hand", "unit_cost", "unit"] {
            assert!(text_of(&html, &format!("#{f}-stock-{glasses}-error")).is_some(), "{f}: {html}");
        }
        assert_eq!(value(&form_fields(&html, &format!("#stock-{glasses} form")), "note"), "再次盘点");

        // Counted out for the reception: its code in the ledger leads to its item list.
        let (s, e) = gm.post(&format!("{path}/items/count-out"), json!({})).await;
        assert_eq!(s, 200, "{e}");
        let (_, html) = get(&app, &b, &format!("/stock/{tea}")).await;
        let ledger = text_of(&html, "#ledger").unwrap();
        assert!(ledger.contains("出库") && ledger.contains(r["code"].as_str().unwrap()), "{ledger}");
        assert!(html.contains(&format!("href=\"/receptions/{}/items\"", r["id"])), "{html}");

        // Used by an item list: refused, saying to disable it instead.
        let csrf = page_csrf(&app, &b, "/stock").await;
        let only_csrf = vec![("csrf".to_owned(), csrf)];
        let (s, _, html) = post(&app, &b, &format!("/stock/{tea}/delete"), &only_csrf).await;
        assert_eq!(s, 409, "{html}");
        assert!(text_of(&html, &format!("#delete-stock-{tea}-error")).unwrap().contains("停用"), "{html}");

        // A new item, low from the start, deleted again as nothing used it.
        let (_, html) = get(&app, &b, "/stock").await;
        let mut new = form_fields(&html, "#add-stock form");
        for (k, v) in [("category", "会务"), ("name", "签字笔"), ("unit", "支"), ("on_hand", "2"), ("low_stock", "5")]
        {
            set_field(&mut new, k, v);
        }
        set_field(&mut new, "reusable", "consumable");
        set_field(&mut new, "unit_cost", "3.5");
        let (s, _, _) = post(&app, &b, "/stock", &new).await;
        assert_eq!(s, 303);
        let (_, list) = gm.get("/api/v1/stock").await;
        let pen = list["items"].as_array().unwrap().iter().find(|i| i["name"] == "签字笔").unwrap().clone();
        assert_eq!((pen["unit_cost_fen"].as_i64(), pen["reusable"].as_bool()), (Some(350), Some(false)), "{pen}");
        let (_, html) = get(&app, &b, "/stock").await;
        let row = text_of(&html, &format!("#stock-{}", pen["id"])).unwrap();
        assert!(row.contains("库存不足") && row.contains("消耗品") && row.contains("¥3.50"), "{row}");
        let (s, to, _) = post(&app, &b, &format!("/stock/{}/delete", pen["id"]), &only_csrf).await;
        assert_eq!((s, to.as_str()), (303, "/stock"));
        let (s, _) = gm.get(&format!("/api/v1/stock/{}", pen["id"])).await;
        assert_eq!(s, 404);

        // Staff neither see the stock nor its ledger.
        let sb = browser();
        sign_in(&app, &sb, &driver.username).await;
        assert_eq!(get(&app, &sb, "/stock").await.0, 403);
        assert_eq!(get(&app, &sb, &format!("/stock/{tea}")).await.0, 403);
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn the_week_schedule_shows_each_booking_in_local_time_and_the_free_days_to_drivers() {
    each_engine(|app| async move {
        let host = app.host_department("综合管理部").await;
        let driver = app.user("driver1", &["staff"]).await;
        let gm = api(&app, &host.coordinator).await;
        let (room, cars, _, _) = furnish(&gm, driver.id.get()).await;
        let (r, _) = taken_on_today(&app, &host).await;
        let code = r["code"].as_str().unwrap();

        let b = browser();
        sign_in(&app, &b, &driver.username).await;
        let (s, html) = get(&app, &b, "/resources/schedule").await;
        assert_eq!(s, 200, "{html}");
        assert!(text_of(&html, ".nav a[aria-current=page]").unwrap().contains("资源排期"), "{html}");
        // The room the form names, 09:00–18:00 in the company's time, today; free the other days.
        let row = text_of(&html, &format!("#room-{room}")).unwrap();
        assert!(row.contains("一号会议室") && row.contains("12 座"), "{row}");
        let day = today().weekday().num_days_from_monday() as usize + 2;
        let cell = text_of(&html, &format!("#room-{room} td:nth-child({day})")).unwrap();
        assert!(cell.contains("09:00–18:00") && cell.contains(code) && cell.contains("会议"), "{cell}");
        assert_eq!(row.matches("空闲").count(), 6, "the other days are free: {row}");
        assert!(html.contains(&format!("href=\"/receptions/{}/items\"", r["id"])));
        // The pickup car from half an hour before the 08:30 pickup; the standby car all day,
        // with its driver.
        let cell = text_of(&html, &format!("#vehicle-{} td:nth-child({day})", cars[1])).unwrap();
        assert!(cell.contains("08:00–10:30") && cell.contains("接站"), "{cell}");
        let cell = text_of(&html, &format!("#vehicle-{} td:nth-child({day})", cars[0])).unwrap();
        assert!(cell.contains("08:00–20:00") && cell.contains("机动备用") && cell.contains("Test driver1"), "{cell}");
        let other = text_of(&html, "#schedule-room").unwrap();
        assert_eq!(other.matches("空闲").count(), 6 + 7, "the second room is free all week");

        // Another reception booking the same room over the clash, with why: marked.
        let (r2, path2) = taken_on_today(&app, &host).await;
        let at = |h: u32| format!("{}T{h:02}:00:00+08:00", today());
        let why = "总经理接见，两组合用";
        let over = json!({"resource_kind": "room", "resource_id": room, "starts_at": at(12), "ends_at": at(13),
            "override_reason": why});
        let (s, o) = gm.post(&format!("{path2}/bookings"), over).await;
        assert_eq!(s, 201, "{o}");
        let (_, html) = get(&app, &b, "/resources/schedule?kind=room").await;
        let cell = text_of(&html, &format!("#room-{room} td:nth-child({day})")).unwrap();
        let (first, second) = (cell.find(code).unwrap(), cell.find(r2["code"].as_str().unwrap()).unwrap());
        assert!(first < second && cell.contains("12:00–13:00"), "by start: {cell}");
        assert!(text_of(&html, &format!("#room-{room} .override")).unwrap().contains(why), "{html}");

        // Cars alone; next week nothing; this week again from there.
        let (_, html) = get(&app, &b, "/resources/schedule?kind=vehicle").await;
        assert!(text_of(&html, "#schedule-room").is_none() && text_of(&html, "#schedule-vehicle").is_some());
        let next = (today() + Duration::days(7)).format("%Y-%m-%d").to_string();
        let (s, html) = get(&app, &b, &format!("/resources/schedule?week={next}")).await;
        assert_eq!(s, 200);
        assert!(!html.contains(code), "nothing booked next week");
        assert!(text_of(&html, "#this-week").is_some() && text_of(&html, "#prev-week").is_some());
        let (s, _) = get(&app, &b, "/resources/schedule?week=2026-13-01").await;
        assert_eq!(s, 400, "a day that is none is refused");

        // The same in English.
        let (_, en) = get(&app, &b, "/resources/schedule?kind=room").await;
        assert!(en.contains("空闲"));
        let csrf = page_csrf(&app, &b, "/resources/schedule").await;
        let lang = [("csrf", csrf.as_str()), ("lang", "en"), ("next", "/resources/schedule")];
        b.post(app.url("/language")).form(&lang).send().await.unwrap();
        let (_, en) = get(&app, &b, "/resources/schedule?kind=room").await;
        let row = text_of(&en, &format!("#room-{room}")).unwrap();
        assert!(row.contains("Free") && row.contains("Meeting") && row.contains("12 seats"), "{row}");

        // Drivers and staff read the schedule, not the stock.
        assert_eq!(get(&app, &b, "/stock").await.0, 403);
        app.stop().await;
    })
    .await;
}
