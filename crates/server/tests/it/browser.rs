//! A journey in headless Chromium (Debian's chromium and chromium-driver), driven
//! through WebDriver: sign in, switch language, sign out.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{ClientBuilder, Locator};

use crate::harness::{Engine, PASSWORD, TestApp};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

pub(crate) struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts chromedriver, or says why the browser tests cannot run.
pub(crate) fn start_driver() -> Option<(Driver, u16)> {
    let present = std::path::Path::new(CHROMEDRIVER).exists() && std::path::Path::new(CHROMIUM).exists();
    if !present {
        if std::env::var("JIEDAI_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!(
                "JIEDAI_REQUIRE_BROWSER=1 but {CHROMEDRIVER} or {CHROMIUM} is missing (apt-get install chromium chromium-driver)"
            );
        }
        eprintln!("SKIPPED browser test: install Debian's chromium and chromium-driver to run it");
        return None;
    }
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    Some((Driver(child), port))
}

pub(crate) async fn connect(port: u16) -> fantoccini::Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": CHROMIUM,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-dev-shm-usage", "--no-first-run", "--disable-component-update", "--disable-sync",
                     "--window-size=375,800", "--lang=zh-CN"],
            "prefs": {"intl.accept_languages": "zh-CN,zh"}
        }),
    );
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..50 {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector).capabilities(caps.clone()).connect(&url).await {
            Ok(c) => return c,
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
    panic!("chromedriver did not answer on port {port}");
}

#[tokio::test]
async fn a_person_signs_in_switches_language_and_signs_out_in_chromium() {
    let Some((_driver, port)) = start_driver() else {
        return;
    };
    let app = TestApp::start(Engine::Sqlite).await;
    app.user("browser.user", &["requester", "admin"]).await;
    let b = connect(port).await;

    b.goto(&app.url("/")).await.unwrap();
    let h1 = b.find(Locator::Css("h1")).await.unwrap().text().await.unwrap();
    assert_eq!(h1, "登录", "redirected to the Chinese sign-in page");
    b.find(Locator::Id("username")).await.unwrap().send_keys("browser.user").await.unwrap();
    b.find(Locator::Id("password")).await.unwrap().send_keys(PASSWORD).await.unwrap();
    b.find(Locator::Css("form.stack button[type=submit]")).await.unwrap().click().await.unwrap();
    b.wait().for_element(Locator::Css(".user-menu")).await.unwrap();
    assert_eq!(b.find(Locator::Css("h1")).await.unwrap().text().await.unwrap(), "首页");

    b.find(Locator::Css(".lang-switch button[value=en]")).await.unwrap().click().await.unwrap();
    b.wait().for_element(Locator::XPath("//h1[text()='Home']")).await.unwrap();
    let nav = b.find(Locator::Css("nav.nav")).await.unwrap().text().await.unwrap();
    assert!(nav.contains("Users") && nav.contains("Audit log"), "{nav}");

    b.find(Locator::Css(".user-menu button")).await.unwrap().click().await.unwrap();
    b.wait().for_element(Locator::XPath("//h1[text()='Sign in']")).await.unwrap();
    let flash = b.find(Locator::Css(".flash")).await.unwrap().text().await.unwrap();
    assert_eq!(flash, "You have signed out.");
    b.goto(&app.url("/account")).await.unwrap();
    assert!(b.current_url().await.unwrap().path().starts_with("/login"));
    b.close().await.unwrap();
    app.stop().await;
}

pub(crate) async fn sign_in_as(b: &fantoccini::Client, app: &TestApp, username: &str) {
    if b.find(Locator::Css(".user-menu button")).await.is_ok() {
        b.find(Locator::Css(".user-menu button")).await.unwrap().click().await.unwrap();
        b.wait().for_element(Locator::Id("username")).await.unwrap();
    }
    b.goto(&app.url("/login")).await.unwrap();
    b.find(Locator::Id("username")).await.unwrap().send_keys(username).await.unwrap();
    b.find(Locator::Id("password")).await.unwrap().send_keys(PASSWORD).await.unwrap();
    b.find(Locator::Css("form.stack button[type=submit]")).await.unwrap().click().await.unwrap();
    b.wait().for_element(Locator::Css(".user-menu")).await.unwrap();
}

/// Types a value the way a person would: ticks boxes, picks options, fills fields
/// (date pickers are set directly: their typing order depends on the browser's locale).
async fn fill(b: &fantoccini::Client, name: &str, value: &str) {
    let css = format!("[name=\"{name}\"]");
    let el = b.find(Locator::Css(&css)).await.unwrap_or_else(|_| panic!("no field {name}"));
    // One round trip for what a person sees: the field scrolled into view, its kind, whether
    // it shows and whether it is ticked.
    let seen = b
        .execute(
            "const el = arguments[0]; el.scrollIntoView({block: 'center'}); \
             return [el.tagName.toLowerCase(), el.type || '', el.offsetParent !== null, !!el.checked];",
            vec![serde_json::to_value(&el).unwrap()],
        )
        .await
        .unwrap();
    let (tag, kind) = (seen[0].as_str().unwrap_or(""), seen[1].as_str().unwrap_or(""));
    let (shown, ticked) = (seen[2].as_bool().unwrap_or(false), seen[3].as_bool().unwrap_or(false));
    if tag == "select" {
        el.select_by_value(value).await.unwrap();
    } else if kind == "checkbox" {
        if ticked != (value == "on") {
            el.click().await.unwrap();
        }
    } else if kind == "radio" {
        b.find(Locator::Css(&format!("input[name=\"{name}\"][value=\"{value}\"]")))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    } else if kind == "date" || kind == "datetime-local" {
        // Set, then told as typing tells it (the page's scripts listen).
        b.execute(
            "arguments[0].value = arguments[1]; \
             arguments[0].dispatchEvent(new Event('input', {bubbles: true})); \
             arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
            vec![serde_json::to_value(&el).unwrap(), value.into()],
        )
        .await
        .unwrap();
    } else {
        assert!(shown, "{name} is hidden");
        el.clear().await.unwrap();
        el.send_keys(value).await.unwrap();
    }
}

pub(crate) async fn click(b: &fantoccini::Client, css: &str) {
    b.find(Locator::Css(css)).await.unwrap_or_else(|_| panic!("nothing matches {css}")).click().await.unwrap();
}

/// The reception page shows this state: read again while the page is still loading (the
/// element of the page before may be found first and go stale).
async fn state_is(b: &fantoccini::Client, expected: &str) {
    let mut seen = String::new();
    for _ in 0..50 {
        if let Ok(el) = b.find(Locator::Id("state")).await
            && let Ok(text) = el.text().await
        {
            if text == expected {
                return;
            }
            seen = text;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("state {seen:?}, not {expected:?}, at {}", b.current_url().await.unwrap());
}

/// Takes the action on the reception page, through its confirmation.
async fn act(b: &fantoccini::Client, action: &str, comment: Option<&str>) {
    click(b, &format!(".action-bar a[href$=\"/{action}\"]")).await;
    b.wait().for_element(Locator::Css("form.stack textarea")).await.unwrap();
    if let Some(c) = comment {
        b.find(Locator::Css("textarea[name=comment]")).await.unwrap().send_keys(c).await.unwrap();
    }
    click(b, "form.stack button[type=submit]").await;
}

/// The approver's decision in one step on the reception's page, with the comment there.
async fn decide(b: &fantoccini::Client, action: &str, comment: Option<&str>) {
    b.wait().for_element(Locator::Id("decide")).await.unwrap();
    if let Some(c) = comment {
        b.find(Locator::Id("decide-comment")).await.unwrap().send_keys(c).await.unwrap();
    }
    click(b, &format!("#decide button[formaction$=\"/{action}\"]")).await;
}

#[tokio::test]
async fn a_request_is_filled_returned_fixed_approved_and_taken_on_in_chromium() {
    let Some((_driver, port)) = start_driver() else {
        return;
    };
    let app = TestApp::start(Engine::Sqlite).await;
    let host = app.host_department("市场部").await;
    let b = connect(port).await;
    b.set_window_size(1280, 900).await.unwrap();
    let day = crate::receptions::visit_day(30);

    sign_in_as(&b, &app, &host.requester.username).await;
    b.goto(&app.url("/receptions/new")).await.unwrap();
    assert!(
        !b.find(Locator::Css("[name=\"hotel.hotel\"]")).await.unwrap().is_displayed().await.unwrap(),
        "details wait for their box"
    );
    for (name, value) in crate::reception_form::typed_form(day) {
        fill(&b, name, &value).await;
    }
    // The recommended budget follows the form: business ¥80 × (guest, 2 companions, 1 staff).
    let rec = b.find(Locator::Id("recommended")).await.unwrap().text().await.unwrap();
    assert!(rec.contains("¥320.00") && rec.contains('4'), "{rec}");
    assert!(!b.find(Locator::Id("budget-over")).await.unwrap().is_displayed().await.unwrap());
    fill(&b, "budget_fen", "500").await;
    let over = b.find(Locator::Id("budget-over")).await.unwrap();
    assert!(over.is_displayed().await.unwrap() && over.text().await.unwrap().contains("320.00"));
    fill(&b, "budget_fen", "300").await;
    click(&b, "button[name=intent][value=save]").await;
    state_is(&b, "草稿").await;
    let url = b.current_url().await.unwrap();
    act(&b, "submit", None).await;
    state_is(&b, "待审批").await;
    // Withdrawn before anyone acted, then submitted again.
    act(&b, "withdraw", None).await;
    state_is(&b, "草稿").await;
    act(&b, "submit", None).await;
    state_is(&b, "待审批").await;

    sign_in_as(&b, &app, &host.head.username).await;
    // The head is told: the bell counts (the worker fans out within a second or two), and its
    // list opens the request.
    let mut count = String::new();
    for _ in 0..50 {
        b.goto(&app.url("/")).await.unwrap();
        if let Ok(el) = b.find(Locator::Id("bell-count")).await {
            count = el.text().await.unwrap();
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert!(count.parse::<u32>().is_ok_and(|n| n >= 1), "bell: {count:?}");
    click(&b, "#bell").await;
    let first = b.find(Locator::Css(".notification.unread .notification-title")).await.unwrap().text().await.unwrap();
    assert!(first.starts_with("待审批"), "{first}");
    click(&b, ".notification.unread .notification-open").await;
    b.wait().for_element(Locator::Id("state")).await.ok();
    assert_eq!(b.current_url().await.unwrap().path(), url.path(), "the notification opens the request");
    decide(&b, "return", Some("请补充酒店预算依据")).await;
    state_is(&b, "已退回").await;

    sign_in_as(&b, &app, &host.requester.username).await;
    b.goto(url.as_str()).await.unwrap();
    let note = b.find(Locator::Id("state-note")).await.unwrap().text().await.unwrap();
    assert!(note.contains("请补充酒店预算依据"), "{note}");
    click(&b, "a[href$=\"/edit\"]").await;
    b.wait().for_element(Locator::Css("form.reception-form")).await.unwrap();
    // The return comment is in view while the request is fixed.
    let fixing = b.find(Locator::Id("return-note")).await.unwrap().text().await.unwrap();
    assert!(fixing.contains("请补充酒店预算依据"), "{fixing}");
    fill(&b, "hotel.budget_fen", "650").await;
    click(&b, "button[name=intent][value=submit]").await;
    state_is(&b, "待审批").await;

    sign_in_as(&b, &app, &host.head.username).await;
    b.goto(url.as_str()).await.unwrap();
    decide(&b, "approve", Some("同意，注意控制预算")).await;
    state_is(&b, "已批准").await;
    let history = b.find(Locator::Css("ol.history")).await.unwrap().text().await.unwrap();
    assert!(history.contains("同意，注意控制预算") && history.contains("撤回"), "{history}");

    sign_in_as(&b, &app, &host.coordinator.username).await;
    b.goto(url.as_str()).await.unwrap();
    act(&b, "take-on", None).await;
    state_is(&b, "筹备中").await;

    // The timeline's days are the working-day calendar's.
    let cal = jiedai_domain::Calendar::shipped_with([]).unwrap();
    let dues = b.find_all(Locator::Css("#timeline .due")).await.unwrap();
    let p = jiedai_domain::procedure::Procedure::default_procedure();
    assert_eq!(dues.len(), p.stages.len());
    for (el, stage) in dues.iter().zip(p.stages.iter()) {
        let want = jiedai_domain::reception::stage_due(&cal, stage.offset_working_days, day, day);
        let got = el.attr("datetime").await.unwrap().unwrap_or_default();
        assert_eq!(got, want.to_string(), "{}: {got} is not {want}", stage.key);
    }
    let stored = app.store.find_reception_by_code(url.path().rsplit('/').next().unwrap_or("")).await.unwrap();
    assert!(stored.is_none(), "the url holds the id, not the code");
    let all = app.store.get_reception(url.path().rsplit('/').next().unwrap().parse().unwrap()).await.unwrap();
    assert_eq!(all.form.hotel.budget_fen, Some(jiedai_domain::Fen::new(65_000)));
    assert_eq!(all.form.companions.len(), 2);
    assert!(all.form.lunch.wanted && all.form.dinner.wanted && all.form.entertainment.wanted);
    b.close().await.unwrap();
    app.stop().await;
}

/// Shown on the page (waiting a little for a script to show or hide it).
pub(crate) async fn shown(b: &fantoccini::Client, css: &str, expected: bool) -> String {
    for _ in 0..30 {
        if let Ok(el) = b.find(Locator::Css(css)).await
            && el.is_displayed().await.unwrap_or(!expected) == expected
        {
            return el.text().await.unwrap_or_default();
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{css} is {}shown", if expected { "not " } else { "still " });
}

#[tokio::test]
async fn a_late_request_gives_its_reason_and_a_deputy_approves_it_from_the_list_on_a_phone_in_chromium() {
    let Some((_driver, port)) = start_driver() else {
        return;
    };
    let app = TestApp::start(Engine::Sqlite).await;
    let host = app.host_department("市场部").await;
    let deputy = app.user("deputy", &["requester"]).await;
    let b = connect(port).await;
    b.set_window_size(1280, 900).await.unwrap();
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();

    // The head names a deputy for the coming week.
    sign_in_as(&b, &app, &host.head.username).await;
    b.goto(&app.url("/account/delegation")).await.unwrap();
    fill(&b, "deputy_id", &deputy.id.to_string()).await;
    fill(&b, "from", &today.to_string()).await;
    fill(&b, "until", &(today + chrono::Duration::days(7)).to_string()).await;
    click(&b, "button[name=intent][value=save]").await;
    let status = shown(&b, "#delegation-current.flash-info", true).await;
    assert!(status.contains(&deputy.display_name), "{status}");

    // A visit in two days is late: the form says so while the day is typed, with the
    // deadline it missed, and asks why; a later day takes the warning away.
    sign_in_as(&b, &app, &host.requester.username).await;
    b.goto(&app.url("/receptions/new")).await.unwrap();
    shown(&b, "#late-box", false).await;
    let late_day = crate::receptions::visit_day(2);
    for (name, value) in crate::reception_form::typed_form(late_day) {
        fill(&b, name, &value).await;
    }
    let warning = shown(&b, "#late-box", true).await;
    assert!(warning.contains("月") && warning.contains("日"), "the deadline as people write it: {warning}");
    fill(&b, "visit_start", &crate::receptions::visit_day(40).to_string()).await;
    shown(&b, "#late-box", false).await;
    fill(&b, "visit_start", &late_day.to_string()).await;
    shown(&b, "#late-box", true).await;
    fill(&b, "late_reason", "客户临时确定行程").await;
    click(&b, "button[name=intent][value=submit]").await;
    state_is(&b, "待审批").await;
    let url = b.current_url().await.unwrap();
    let reason = b.find(Locator::Id("late-reason")).await.unwrap().text().await.unwrap();
    assert!(reason.contains("客户临时确定行程"), "{reason}");

    // The deputy, on a phone, approves it from the list with a comment, and is back there.
    b.set_window_size(390, 844).await.unwrap();
    sign_in_as(&b, &app, &deputy.username).await;
    b.goto(&app.url("/receptions?view=approve")).await.unwrap();
    let card = ".reception-cards form.quick-decide";
    b.find(Locator::Css(&format!("{card} textarea"))).await.unwrap().send_keys("代为同意").await.unwrap();
    click(&b, &format!("{card} button[formaction$=\"/approve\"]")).await;
    // Done once the list is back without the decided request (the page was already this
    // list before the click, so its address alone says nothing).
    for _ in 0..50 {
        let listed = b.find(Locator::Css(".list-total")).await.is_ok();
        if listed && b.find(Locator::Css(card)).await.is_err() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(b.current_url().await.unwrap().query().unwrap_or("").contains("view=approve"));
    b.goto(url.as_str()).await.unwrap();
    state_is(&b, "已批准").await;
    let history = b.find(Locator::Css("ol.history")).await.unwrap().text().await.unwrap();
    assert!(
        history.contains("代为同意") && history.contains(&format!("（代 {}）", host.head.display_name)),
        "{history}"
    );
    b.close().await.unwrap();
    app.stop().await;
}

#[tokio::test]
async fn a_coordinator_assigns_a_task_and_the_driver_finishes_it_on_a_phone_in_chromium() {
    let Some((_driver, port)) = start_driver() else {
        return;
    };
    let app = TestApp::start(Engine::Sqlite).await;
    let host = app.host_department("市场部").await;
    let driver = app.user("driver", &["staff"]).await;
    let drivers = app.store.teams().await.unwrap().into_iter().find(|t| t.key == "driver").unwrap();
    app.store
        .save_team(drivers.id, drivers.version, None, &[driver.id], &jiedai_domain::Actor::system())
        .await
        .unwrap();
    let req = crate::receptions::api(&app, &host.requester).await;
    let head = crate::receptions::api(&app, &host.head).await;
    let gm = crate::receptions::api(&app, &host.coordinator).await;
    let (_, r) = req.post("/api/v1/receptions", crate::receptions::whole_form(crate::receptions::visit_day(20))).await;
    let path = format!("/api/v1/receptions/{}", r["id"]);
    req.post(&format!("{path}/submit"), serde_json::json!({})).await;
    head.post(&format!("{path}/approve"), serde_json::json!({})).await;
    gm.post(&format!("{path}/take-on"), serde_json::json!({})).await;
    let (_, list) = gm.get(&format!("{path}/tasks")).await;
    let task = list["items"][0]["id"].as_i64().unwrap();

    let b = connect(port).await;
    b.set_window_size(1280, 900).await.unwrap();
    sign_in_as(&b, &app, &host.coordinator.username).await;
    b.goto(&app.url(&format!("/receptions/{}", r["id"]))).await.unwrap();
    click(&b, "#open-plan").await;
    b.wait().for_element(Locator::Id("plan-summary")).await.unwrap();
    click(&b, &format!("#task-{task} details.task-edit > summary")).await;
    fill(&b, "responsible_id", &driver.id.to_string()).await;
    click(&b, &format!("#task-{task} form.task-form button[type=submit]")).await;
    let mut row = String::new();
    for _ in 0..50 {
        if let Ok(el) = b.find(Locator::Css(&format!("#task-{task} .task-people"))).await
            && let Ok(t) = el.text().await
        {
            row = t;
            if row.contains(&driver.display_name) {
                break;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(row.contains(&driver.display_name), "assigned: {row}");

    // The driver, on his phone, finds it under "my tasks" and finishes it in one tap.
    b.set_window_size(390, 844).await.unwrap();
    sign_in_as(&b, &app, &driver.username).await;
    b.goto(&app.url("/tasks")).await.unwrap();
    click(&b, &format!("#task-{task} button[formaction$=\"/done\"]")).await;
    let done = shown(&b, "#tasks-settled", true).await;
    assert!(done.contains("接送客户") || done.contains("已完成"), "{done}");
    let (_, t) = gm.get(&format!("{path}/tasks")).await;
    assert_eq!(t["items"][0]["status"], "done");
    b.close().await.unwrap();
    app.stop().await;
}

/// Types into the field `css` finds, as a person would (cleared first).
pub(crate) async fn type_into(b: &fantoccini::Client, css: &str, value: &str) {
    let el = b.find(Locator::Css(css)).await.unwrap_or_else(|_| panic!("no field {css}"));
    b.execute("arguments[0].scrollIntoView({block: 'center'});", vec![serde_json::to_value(&el).unwrap()])
        .await
        .unwrap();
    el.clear().await.unwrap();
    el.send_keys(value).await.unwrap();
}

/// Sets a select or a date picker directly (typing into pickers depends on the locale).
pub(crate) async fn set_value(b: &fantoccini::Client, css: &str, value: &str) {
    let el = b.find(Locator::Css(css)).await.unwrap_or_else(|_| panic!("no field {css}"));
    b.execute("arguments[0].value = arguments[1];", vec![serde_json::to_value(&el).unwrap(), value.into()])
        .await
        .unwrap();
}

/// Waits until the API answers what `ok` looks for at `path`; answers it.
pub(crate) async fn until_api(
    a: &crate::receptions::Api<'_>,
    path: &str,
    ok: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let mut last = serde_json::Value::Null;
    for _ in 0..50 {
        let (_, v) = a.get(path).await;
        if ok(&v) {
            return v;
        }
        last = v;
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{path} never got there: {last}");
}
