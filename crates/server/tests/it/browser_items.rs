//! A Chromium journey through rooms, cars and material: a coordinator counts the material
//! out and back on a phone, returns what a guest left, and finds the day on the schedule.

use fantoccini::Locator;

use crate::browser::{click, connect, shown, sign_in_as, start_driver, type_into, until_api};
use crate::harness::{Engine, TestApp};

#[tokio::test]
async fn a_coordinator_counts_the_material_out_and_back_on_a_phone_and_returns_what_a_guest_left_in_chromium() {
    let Some((_driver, port)) = start_driver() else {
        return;
    };
    let app = TestApp::start(Engine::Sqlite).await;
    let host = app.host_department("市场部").await;
    let gm = crate::receptions::api(&app, &host.coordinator).await;
    let driver = app.user("driver", &["staff"]).await;
    let (_, _, tea, _) = crate::resources::furnish(&gm, driver.id.get()).await;
    let (r, path) = crate::day::taken_on_today(&app, &host).await;
    let (_, items) = gm.get(&format!("{path}/items")).await;
    let line = items["items"].as_array().unwrap().iter().find(|l| l["name"] == "茶具").unwrap().clone();
    let (id, q) = (line["id"].as_i64().unwrap(), line["quantity"].as_i64().unwrap());

    // On a phone, from the reception to its items, everything counted out in one tap.
    let b = connect(port).await;
    b.set_window_size(390, 844).await.unwrap();
    sign_in_as(&b, &app, &host.coordinator.username).await;
    b.goto(&app.url(&format!("/receptions/{}", r["id"]))).await.unwrap();
    click(&b, "#open-items").await;
    b.wait().for_element(Locator::Id("item-list")).await.unwrap();
    click(&b, "#count-out button[type=submit]").await;
    until_api(&gm, &format!("{path}/items"), |v| {
        v["items"].as_array().unwrap().iter().all(|l| !l["counted_out_at"].is_null())
    })
    .await;
    let (_, t) = gm.get(&format!("/api/v1/stock/{tea}")).await;
    assert_eq!(t["on_hand"].as_i64(), Some(12 - q), "{t}");

    // Back after the day, line by line: a count that does not add up is told, then fixed.
    b.wait().for_element(Locator::Css(&format!("#line-{id} details.count-back > summary"))).await.unwrap();
    click(&b, &format!("#line-{id} details.count-back > summary")).await;
    type_into(&b, &format!("#line-{id} form.count-form input[name=returned]"), &(q - 1).to_string()).await;
    click(&b, &format!("#line-{id} form.count-form button[type=submit]")).await;
    let told = shown(&b, &format!("#line-{id} .field-error"), true).await;
    assert!(told.contains(&q.to_string()), "the line's quantity is named: {told}");
    type_into(&b, &format!("#line-{id} form.count-form input[name=damaged]"), "1").await;
    type_into(&b, &format!("#line-{id} form.count-form textarea[name=note]"), "茶杯摔碎一只").await;
    click(&b, &format!("#line-{id} form.count-form button[type=submit]")).await;
    let after = until_api(&gm, &format!("{path}/items"), |v| {
        v["items"].as_array().unwrap().iter().any(|l| l["id"] == id && !l["counted_back_at"].is_null())
    })
    .await;
    let back = after["items"].as_array().unwrap().iter().find(|l| l["id"] == id).unwrap();
    assert_eq!((back["returned"].as_i64(), back["damaged"].as_i64()), (Some(q - 1), Some(1)), "{back}");
    let (_, t) = gm.get(&format!("/api/v1/stock/{tea}")).await;
    assert_eq!(t["on_hand"], 11, "what came back is on hand again: {t}");

    // An umbrella left in the room: recorded on the reception, returned from /lost-found.
    click(&b, "#add-found > summary").await;
    type_into(&b, "#lf-what", "黑色雨伞").await;
    type_into(&b, "#lf-found_where", "一号会议室").await;
    click(&b, "#add-found button[type=submit]").await;
    let lost =
        until_api(&gm, &format!("{path}/lost-found"), |v| v["items"].as_array().is_some_and(|a| !a.is_empty())).await;
    let lid = lost["items"][0]["id"].as_i64().unwrap();
    b.goto(&app.url("/lost-found")).await.unwrap();
    click(&b, "details.return-form > summary").await;
    type_into(&b, &format!("#return-{lid} input[name=returned_to]"), "李明").await;
    click(&b, &format!("#return-{lid} button[type=submit]")).await;
    until_api(&gm, &format!("{path}/lost-found"), |v| v["items"][0]["status"] == "returned").await;
    shown(&b, "#lost-empty", true).await;
    // The day's bookings on the week's schedule, one room or car a block on the phone.
    b.goto(&app.url("/resources/schedule")).await.unwrap();
    let week = shown(&b, "main", true).await;
    assert!(week.contains(r["code"].as_str().unwrap()) && week.contains("09:00"), "{week}");
    b.close().await.unwrap();
    app.stop().await;
}
