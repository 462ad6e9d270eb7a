//! A Chromium journey through the close-out on phones: General Management writes an expense
//! (a bad amount told in place, nothing typed lost) and submits the settlement, finance must
//! give a reason to return it and approves it, the review meeting's minutes and an
//! improvement action are recorded, and the reports show the settled reception.

use fantoccini::Locator;

use crate::browser::{click, connect, set_value, shown, sign_in_as, start_driver, type_into, until_api};
use crate::harness::{Engine, TestApp};

#[tokio::test]
async fn a_reception_is_settled_reviewed_and_reported_on_phones_in_chromium() {
    let Some((_driver, port)) = start_driver() else {
        return;
    };
    let app = TestApp::start(Engine::Sqlite).await;
    let host = app.host_department("市场部").await;
    let gm = crate::receptions::api(&app, &host.coordinator).await;
    let cashier = app.user("cashier", &["finance"]).await;
    let (r, path) = crate::day::taken_on_today(&app, &host).await;
    let id = r["id"].as_i64().unwrap();

    // General Management on a phone: an expense with a bad amount is told in place, the vendor
    // typed is kept; fixed, it lands, and the settlement is submitted.
    let b = connect(port).await;
    b.set_window_size(390, 844).await.unwrap();
    sign_in_as(&b, &app, &host.coordinator.username).await;
    b.goto(&app.url(&format!("/receptions/{id}/settlement"))).await.unwrap();
    shown(&b, "#expenses-empty", true).await;
    set_value(&b, "#new-category", "dinner").await;
    type_into(&b, "#new-amount", "-5").await;
    type_into(&b, "#new-vendor", "全聚德").await;
    click(&b, "#add-expense").await;
    shown(&b, "#new-amount-error", true).await;
    let kept = b.find(Locator::Id("new-vendor")).await.unwrap().prop("value").await.unwrap();
    assert_eq!(kept.as_deref(), Some("全聚德"), "nothing typed is lost");
    type_into(&b, "#new-amount", "1280.50").await;
    click(&b, "#add-expense").await;
    until_api(&gm, &format!("{path}/settlement"), |v| v["total_fen"] == 128_050).await;
    let total = shown(&b, "#total", true).await;
    assert!(total.contains("1,280.50") || total.contains("1280.50"), "the total on the page: {total}");
    click(&b, "#submit-settlement").await;
    until_api(&gm, &format!("{path}/settlement"), |v| v["state"] == "submitted").await;

    // Finance on another phone: returning needs a reason; approving locks it.
    let f = connect(port).await;
    f.set_window_size(390, 844).await.unwrap();
    sign_in_as(&f, &app, &cashier.username).await;
    f.goto(&app.url(&format!("/receptions/{id}/settlement"))).await.unwrap();
    click(&f, "#return-settlement").await;
    shown(&f, "#comment-error", true).await;
    click(&f, "#approve-settlement").await;
    until_api(&gm, &format!("{path}/settlement"), |v| v["state"] == "approved").await;
    shown(&f, "#state", true).await;

    // The review meeting, once the day is done: minutes with one group's report, and an
    // improvement action.
    for step in ["open-day", "wrap-up"] {
        let (s, e) = gm.post(&format!("{path}/{step}"), serde_json::json!({})).await;
        assert_eq!(s, 200, "{step}: {e}");
    }
    b.goto(&app.url(&format!("/receptions/{id}/review"))).await.unwrap();
    b.wait().for_element(Locator::Id("minutes-form")).await.unwrap();
    // Held a few minutes ago (a meeting in the future is refused).
    let held = (chrono::Utc::now() - chrono::Duration::minutes(5)).with_timezone(&app.app.config().timezone);
    set_value(&b, "#rv-held_at", &held.format("%Y-%m-%dT%H:%M").to_string()).await;
    type_into(&b, "#minutes-form textarea[name=went_well]", "接站准时，会场布置到位").await;
    type_into(&b, "#rv-decisions", "下次提前一天确认车辆").await;
    // Saved without anyone attending: told, and what was typed stays.
    click(&b, "#save-minutes").await;
    shown(&b, "#rv-attendee_ids-error", true).await;
    let kept = b.find(Locator::Id("rv-decisions")).await.unwrap().prop("value").await.unwrap();
    assert_eq!(kept.as_deref(), Some("下次提前一天确认车辆"), "nothing typed is lost");
    click(&b, "#attendees input[type=checkbox]").await;
    click(&b, "#save-minutes").await;
    let minutes = until_api(&gm, &format!("{path}/review"), |v| v["recorded"] == true).await;
    assert_eq!(minutes["decisions"], "下次提前一天确认车辆", "{minutes}");
    b.wait().for_element(Locator::Id("review-updated")).await.unwrap();
    click(&b, "#add-action > summary").await;
    type_into(&b, "#na-what", "提前一天确认车辆").await;
    set_value(&b, "#na-owner_id", &host.coordinator.id.get().to_string()).await;
    set_value(&b, "#na-due_on", &(app.app.today() + chrono::Duration::days(7)).to_string()).await;
    click(&b, "#add-action button[type=submit]").await;
    let actions = until_api(&gm, "/api/v1/actions", |v| v["items"].as_array().is_some_and(|a| !a.is_empty())).await;
    assert_eq!(actions["items"][0]["what"], "提前一天确认车辆", "{actions}");
    b.goto(&app.url("/actions")).await.unwrap();
    assert!(shown(&b, "main", true).await.contains("提前一天确认车辆"));

    // Finance's reports: the settled reception in the spending table, charts drawn on the
    // server, each table exportable, readable on the phone (nothing wider than the screen).
    f.goto(&app.url("/reports")).await.unwrap();
    let spend = shown(&f, "#part-spend", true).await;
    assert!(spend.contains("1,280.50") || spend.contains("1280.50"), "{spend}");
    assert!(f.find(Locator::Css(".chart-wrap svg")).await.is_ok(), "a chart drawn as SVG");
    assert!(f.find(Locator::Css("#part-spend a[href*='table=spend']")).await.is_ok(), "the table exports");
    let wide: f64 = f
        .execute("return document.documentElement.scrollWidth - window.innerWidth;", vec![])
        .await
        .unwrap()
        .as_f64()
        .unwrap();
    assert!(wide <= 1.0, "the reports page scrolls sideways by {wide}px on a phone");
    f.close().await.unwrap();
    b.close().await.unwrap();
    app.stop().await;
}
