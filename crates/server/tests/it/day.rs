//! The reception's life after planning (open the day, wrap up, close), the agenda and run
//! sheet, withdrawn tasks, re-assignment and order, and calendar feeds.

use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::harness::{HostDepartment, TestApp, each_engine};
use crate::receptions::{api, visit_day, whole_form};
use crate::tasks::{set_group, taken_on};

/// The company's day today (the tests' server runs in China's time).
pub fn today() -> chrono::NaiveDate {
    (Utc::now() + Duration::hours(8)).date_naive()
}

/// A reception visiting today, requested late (with its reason), approved and taken on.
pub async fn taken_on_today(app: &TestApp, host: &HostDepartment) -> (Value, String) {
    let req = api(app, &host.requester).await;
    let (s, r) = req.post("/api/v1/receptions", whole_form(today())).await;
    assert_eq!(s, 201, "{r}");
    let path = format!("/api/v1/receptions/{}", r["id"]);
    let (s, e) = req.post(&format!("{path}/submit"), json!({"late_reason": "客户临时来访"})).await;
    assert_eq!(s, 200, "{e}");
    api(app, &host.head).await.post(&format!("{path}/approve"), json!({})).await;
    let (s, e) = api(app, &host.coordinator).await.post(&format!("{path}/take-on"), json!({})).await;
    assert_eq!(s, 200, "{e}");
    (r, path)
}

#[tokio::test]
async fn a_reception_lives_from_take_on_to_closed_and_closes_only_once_every_task_is_settled() {
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let gm = api(&app, &host.coordinator).await;
        let req = api(&app, &host.requester).await;

        // Not before the first visit day.
        let (_, later) = taken_on(&app, &host).await;
        let (s, e) = gm.post(&format!("{later}/open-day"), json!({})).await;
        assert_eq!((s, e["errors"][0]["code"].as_str()), (422, Some("open_day_too_early")), "{e}");

        let (_, path) = taken_on_today(&app, &host).await;
        let (s, _) = req.post(&format!("{path}/open-day"), json!({})).await;
        assert_eq!(s, 403, "the requester does not open the day");
        let (s, r) = gm.post(&format!("{path}/open-day"), json!({"version": 1})).await;
        assert_eq!(s, 409, "a stale version: {r}");
        let (s, r) = gm.post(&format!("{path}/open-day"), json!({})).await;
        assert_eq!((s, r["state"].as_str()), (200, Some("on_site")), "{r}");
        let (s, e) = gm.post(&format!("{path}/cancel"), json!({"comment": "x"})).await;
        assert_eq!(s, 409, "an opened day is not cancelled: {e}");
        let (s, e) = gm.post(&format!("{path}/close"), json!({})).await;
        assert_eq!(s, 409, "close follows wrap-up: {e}");
        let (s, r) = gm.post(&format!("{path}/wrap-up"), json!({"version": r["version"]})).await;
        assert_eq!((s, r["state"].as_str()), (200, Some("closing")), "{r}");

        let (s, e) = gm.post(&format!("{path}/close"), json!({})).await;
        assert_eq!((s, e["errors"][0]["code"].as_str()), (422, Some("tasks_still_open")), "{e}");
        assert!(e["errors"][0]["message"].as_str().unwrap().contains("接送客户"), "names the open tasks: {e}");
        let (_, list) = gm.get(&format!("{path}/tasks")).await;
        for (i, t) in list["items"].as_array().unwrap().iter().enumerate() {
            let (step, body) = if i == 0 { ("waive", json!({"reason": "客户自驾"})) } else { ("done", json!({})) };
            let (s, e) = gm.post(&format!("/api/v1/tasks/{}/{step}", t["id"]), body).await;
            assert_eq!(s, 200, "{e}");
        }
        crate::resources::count_back_the_rest(&gm, &path).await;
        crate::closeout::close_out(&app, &host, &path, 100_000, 9).await;
        let (s, r) = gm.post(&format!("{path}/close"), json!({})).await;
        assert_eq!((s, r["state"].as_str()), (200, Some("closed")), "{r}");
        let actions: Vec<&str> = r["history"].as_array().unwrap().iter().filter_map(|h| h["action"].as_str()).collect();
        for a in ["open-day", "wrap-up", "close"] {
            assert!(actions.contains(&a), "{a} in the history: {actions:?}");
        }
        // A closed reception's tasks are final.
        let first = &list["items"][1]["id"];
        let (s, e) = gm.post(&format!("/api/v1/tasks/{first}/reopen"), json!({})).await;
        assert_eq!((s, e["code"].as_str()), (409, Some("reception_not_under_way")), "{e}");
        // Its page says so, in both languages.
        let browser = crate::harness::browser();
        crate::harness::sign_in(&app, &browser, &host.coordinator.username).await;
        let id = path.rsplit('/').next().unwrap();
        let html = browser.get(app.url(&format!("/receptions/{id}"))).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("已结案"), "the state on the page");
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn the_agenda_starts_from_the_form_and_general_management_writes_it_with_its_version() {
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let gm = api(&app, &host.coordinator).await;
        let req = api(&app, &host.requester).await;
        let (r, path) = taken_on(&app, &host).await;
        let day = visit_day(20);

        let (s, a) = req.get(&format!("{path}/agenda")).await;
        assert_eq!((s, a["suggested"].as_bool(), a["version"].as_i64()), (200, Some(true), Some(0)), "{a}");
        let titles: Vec<&str> = a["items"].as_array().unwrap().iter().filter_map(|i| i["title"].as_str()).collect();
        // In the order of the day: the form has the guests leave at 17:30, before the usual dinner.
        assert_eq!(titles, ["接站 / 接机", "欢迎", "会议", "午餐", "参观", "送别", "晚宴"]);
        assert_eq!((a["items"][0]["time"].as_str(), a["items"][0]["place"].as_str()), (Some("08:30"), Some("虹桥站")));

        let bad = json!({"version": 0, "items": [
            {"day": day, "time": "09:00", "title": "欢迎"},
            {"day": day + Duration::days(3), "title": "送别"},
            {"day": day, "time": "9点", "title": ""},
        ]});
        let (s, e) = gm.put(&format!("{path}/agenda"), bad).await;
        assert_eq!(s, 422, "{e}");
        assert_eq!(e["errors"][0]["field"], "time", "a malformed time is told on its line: {e}");
        let ok = json!({"version": 0, "items": [
            {"day": day, "time": "14:00", "title": "参观生产线", "place": "二号厂房", "responsible_id": host.coordinator.id.get()},
            {"day": day, "time": "09:00", "title": "欢迎", "notes": "红毯"},
            {"day": day + Duration::days(3), "title": "送别"},
            {"day": day, "title": " "},
        ]});
        let (s, e) = gm.put(&format!("{path}/agenda"), ok.clone()).await;
        assert_eq!(s, 422, "{e}");
        let found: Vec<(&str, &str, i64)> = e["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| (x["field"].as_str().unwrap(), x["code"].as_str().unwrap(), x["line"].as_i64().unwrap()))
            .collect();
        assert_eq!(found, [("day", "outside_visit", 3), ("title", "required", 4)]);

        let mut good = ok.clone();
        good["items"].as_array_mut().unwrap().truncate(2);
        let (s, e) = req.put(&format!("{path}/agenda"), good.clone()).await;
        assert_eq!(s, 403, "only General Management writes the agenda: {e}");
        let (s, a) = gm.put(&format!("{path}/agenda"), good.clone()).await;
        assert_eq!((s, a["version"].as_i64(), a["suggested"].as_bool()), (200, Some(1), Some(false)), "{a}");
        assert_eq!(a["items"][0]["title"], "欢迎", "in the order of the day");
        let key = a["items"][1]["key"].as_str().unwrap().to_owned();
        assert!(!key.is_empty());
        let (s, e) = gm.put(&format!("{path}/agenda"), good).await;
        assert_eq!(s, 409, "version 0 is stale now: {e}");
        // Sent back as read, an item keeps its key.
        let (s, again) = gm.put(&format!("{path}/agenda"), a.clone()).await;
        assert_eq!((s, again["items"][1]["key"].as_str()), (200, Some(key.as_str())), "{again}");

        // The run sheet: the agenda, who does what, the guests, contacts as tel: links.
        let browser = crate::harness::browser();
        crate::harness::sign_in(&app, &browser, &host.requester.username).await;
        let html = browser
            .get(app.url(&format!("/receptions/{}/run-sheet", r["id"])))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        for part in ["参观生产线", "二号厂房", "接送客户", "李明", "素食", "tel:13812345678", "七座商务车", "虹桥站"] {
            assert!(html.contains(part), "{part} on the run sheet");
        }
        assert!(!html.contains("id=\"edit-agenda\""), "the requester does not write the agenda");
        let stranger = crate::harness::browser();
        let other = app.host_department("财务部").await;
        crate::harness::sign_in(&app, &stranger, &other.requester.username).await;
        let res = stranger.get(app.url(&format!("/receptions/{}/run-sheet", r["id"]))).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 404);
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn a_calendar_feed_carries_my_tasks_and_agenda_items_and_a_renewed_secret_stops_at_once() {
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let driver = app.user("driver1", &["staff"]).await;
        let gm = api(&app, &host.coordinator).await;
        set_group(&gm, 0, json!({"lead_id": driver.id.get(), "members": [driver.id.get()]})).await;
        let (r, path) = taken_on(&app, &host).await;
        let day = visit_day(20);
        let (_, list) = gm.get(&format!("{path}/tasks")).await;
        let pickup = list["items"][0].clone();
        assert_eq!(pickup["responsible_id"].as_i64(), Some(i64::from(driver.id.get())), "the lead is suggested");
        let items = json!({"version": 0, "items": [
            {"day": day, "time": "08:30", "title": "接站", "place": "虹桥站", "responsible_id": driver.id.get()},
            {"day": day, "time": "12:00", "title": "午餐"},
        ]});
        let (s, e) = gm.put(&format!("{path}/agenda"), items).await;
        assert_eq!(s, 200, "{e}");

        let me = api(&app, &driver).await;
        let (s, f) = me.post("/api/v1/me/calendar-feed", json!({})).await;
        assert_eq!(s, 200, "{f}");
        let url = f["url"].as_str().unwrap().to_owned();
        let feed_path = url.split_once("/feeds/").map(|(_, p)| format!("/feeds/{p}")).unwrap();
        let anonymous = reqwest::Client::new();
        let res = anonymous.get(app.url(&feed_path)).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 200);
        assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/calendar"));
        let text = res.text().await.unwrap();
        let cal: icalendar::Calendar = text.parse().expect("valid iCalendar");
        use icalendar::Component;
        let events: Vec<&icalendar::Event> = cal.components.iter().filter_map(|c| c.as_event()).collect();
        let uid = |e: &icalendar::Event| e.get_uid().unwrap_or_default().to_owned();
        let task = events.iter().find(|e| uid(e) == format!("jiedai-task-{}@jiedai", pickup["id"])).expect("the task");
        assert!(task.get_summary().unwrap().contains(r["code"].as_str().unwrap()));
        // 08:30 in China is 00:30 UTC.
        assert!(text.contains(&format!("DTSTART:{}T003000Z", day.format("%Y%m%d"))), "{text}");
        assert!(events.iter().any(|e| uid(e).starts_with("jiedai-agenda-")), "my agenda item");
        assert!(!text.contains("午餐"), "not someone else's agenda item");
        assert!(events.iter().any(|e| uid(e) == format!("jiedai-visit-{}@jiedai", r["id"])), "the visit");
        // The same UIDs on the next read: calendar clients update, not duplicate.
        let again = anonymous.get(app.url(&feed_path)).send().await.unwrap().text().await.unwrap();
        let uids = |t: &str| t.lines().filter(|l| l.starts_with("UID:")).map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(uids(&text), uids(&again));

        // Renewed: the old address stops at once, answering like one that never existed.
        let (_, f2) = me.post("/api/v1/me/calendar-feed", json!({})).await;
        assert_ne!(f2["url"], f["url"]);
        let old = anonymous.get(app.url(&feed_path)).send().await.unwrap();
        let never = anonymous.get(app.url(&format!("/feeds/{}.ics", "0".repeat(64)))).send().await.unwrap();
        assert_eq!((old.status().as_u16(), never.status().as_u16()), (404, 404));
        assert_eq!(old.text().await.unwrap(), never.text().await.unwrap());
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn a_cancelled_receptions_tasks_are_withdrawn_and_their_holders_see_it() {
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let driver = app.user("driver1", &["staff"]).await;
        let gm = api(&app, &host.coordinator).await;
        set_group(&gm, 0, json!({"lead_id": driver.id.get(), "members": [driver.id.get()]})).await;
        let (_, path) = taken_on(&app, &host).await;
        let (s, e) = gm.post(&format!("{path}/cancel"), json!({"comment": "客户行程变更"})).await;
        assert_eq!(s, 200, "{e}");

        let me = api(&app, &driver).await;
        let (_, mine) = me.get("/api/v1/me/tasks").await;
        let t = &mine["items"][0];
        assert_eq!((t["withdrawn"].as_bool(), t["overdue"].as_bool()), (Some(true), Some(false)), "{mine}");
        let (s, e) = me.post(&format!("/api/v1/tasks/{}/done", t["id"]), json!({})).await;
        assert_eq!((s, e["code"].as_str()), (409, Some("reception_not_under_way")), "{e}");
        let browser = crate::harness::browser();
        crate::harness::sign_in(&app, &browser, &driver.username).await;
        let html = browser.get(app.url("/tasks")).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("id=\"tasks-withdrawn\""), "withdrawn tasks shown apart");
        assert!(!html.contains(&format!("/tasks/{}/done", t["id"])), "and not to be done");
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn taking_someone_off_a_task_names_who_takes_over_and_tasks_are_put_in_order() {
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let driver = app.user("driver1", &["staff"]).await;
        let driver2 = app.user("driver2", &["staff"]).await;
        let gm = api(&app, &host.coordinator).await;
        set_group(&gm, 0, json!({"lead_id": driver.id.get(), "members": [driver.id.get(), driver2.id.get()]})).await;
        let (_, path) = taken_on(&app, &host).await;
        let (_, list) = gm.get(&format!("{path}/tasks")).await;
        let mut pickup = list["items"][0].clone();
        pickup["responsible_id"] = Value::Null;
        let (s, e) = gm.put(&format!("/api/v1/tasks/{}", pickup["id"]), pickup.clone()).await;
        assert_eq!((s, e["errors"][0]["code"].as_str()), (422, Some("takeover_required")), "{e}");
        pickup["responsible_id"] = json!(driver2.id.get());
        let (s, t) = gm.put(&format!("/api/v1/tasks/{}", pickup["id"]), pickup.clone()).await;
        assert_eq!((s, t["responsible_id"].as_i64()), (200, Some(i64::from(driver2.id.get()))), "{t}");
        assert!(t.get("warnings").is_none(), "{t}");
        // A task before the visit due after its first day: saved, and said.
        let mut late = list["items"][1].clone();
        late["due"] = json!(visit_day(20) + Duration::days(2));
        let (s, t) = gm.put(&format!("/api/v1/tasks/{}", late["id"]), late).await;
        assert_eq!((s, t["warnings"][0]["code"].as_str()), (200, Some("due_out_of_phase")), "{t}");

        // The last task moves to the top; the others close up behind it.
        let last = list["items"].as_array().unwrap().last().unwrap().clone();
        let move_to = json!({"version": last["version"], "position": 0});
        let (s, e) =
            api(&app, &driver).await.post(&format!("/api/v1/tasks/{}/move", last["id"]), move_to.clone()).await;
        assert_eq!(s, 403, "{e}");
        let (s, t) = gm.post(&format!("/api/v1/tasks/{}/move", last["id"]), move_to.clone()).await;
        assert_eq!((s, t["position"].as_i64()), (200, Some(0)), "{t}");
        let (_, after) = gm.get(&format!("{path}/tasks")).await;
        let ids: Vec<&Value> = after["items"].as_array().unwrap().iter().map(|t| &t["id"]).collect();
        assert_eq!(ids[0], &last["id"]);
        assert_eq!(ids[1], &list["items"][0]["id"]);
        let (s, _) = gm.post(&format!("/api/v1/tasks/{}/move", last["id"]), move_to).await;
        assert_eq!(s, 409, "a stale version");
        app.stop().await;
    })
    .await;
}

/// Sets the `n`-th field called `name` (rows of a form send their fields as parallel lists).
fn set_nth(fields: &mut [(String, String)], name: &str, n: usize, value: &str) {
    let f = fields.iter_mut().filter(|(k, _)| k == name).nth(n).unwrap_or_else(|| panic!("no {name} #{n}"));
    f.1 = value.to_owned();
}

#[tokio::test]
async fn general_management_writes_the_agenda_on_its_page_and_is_told_every_problem_on_its_row() {
    use crate::harness::{browser, form_fields, sign_in, text_of};
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let gm = api(&app, &host.coordinator).await;
        let (r, path) = taken_on(&app, &host).await;
        let b = browser();
        sign_in(&app, &b, &host.coordinator.username).await;
        let page = format!("/receptions/{}/agenda", r["id"]);
        let html = b.get(app.url(&page)).send().await.unwrap().text().await.unwrap();
        assert!(text_of(&html, "#agenda-suggested").is_some(), "the starting set from the form");
        let mut fields = form_fields(&html, "form.agenda-form");
        assert_eq!(fields.iter().filter(|(k, _)| k == "title").count(), 10, "7 from the form and 3 blank rows");
        set_nth(&mut fields, "title", 7, "合影留念");
        set_nth(&mut fields, "time", 7, "11:00");
        set_nth(&mut fields, "title", 2, "");
        let res = b.post(app.url(&page)).form(&fields).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 422);
        let html = res.text().await.unwrap();
        let row = text_of(&html, "#agenda-row-3").unwrap();
        assert!(row.contains("必填") || row.contains("填写"), "the missing title on its row: {row}");
        assert!(html.contains("合影留念"), "what was typed is kept");

        let mut fields = form_fields(&html, "form.agenda-form");
        set_nth(&mut fields, "title", 2, "会谈");
        fields.push(("drop".into(), "0".into()));
        let res = b.post(app.url(&page)).form(&fields).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 303);
        assert_eq!(res.headers()["location"].to_str().unwrap(), format!("/receptions/{}/run-sheet", r["id"]));
        let (_, a) = gm.get(&format!("{path}/agenda")).await;
        let titles: Vec<&str> = a["items"].as_array().unwrap().iter().filter_map(|i| i["title"].as_str()).collect();
        assert_eq!(titles, ["欢迎", "会谈", "合影留念", "午餐", "参观", "送别", "晚宴"], "{a}");
        assert_eq!(a["version"], 1);
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn the_close_confirmation_names_the_tasks_still_open_before_anyone_presses_close() {
    use crate::harness::{browser, sign_in, text_of};
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let gm = api(&app, &host.coordinator).await;
        let (r, path) = taken_on_today(&app, &host).await;
        let b = browser();
        sign_in(&app, &b, &host.coordinator.username).await;
        // Home tells the coordinator the day is to be opened, then that it is to be closed.
        let home = b.get(app.url("/")).send().await.unwrap().text().await.unwrap();
        assert!(home.contains("今日待开始现场") && home.contains("/receptions?state=planning"), "{home}");
        gm.post(&format!("{path}/open-day"), json!({})).await;
        let (s, _) = gm.post(&format!("{path}/wrap-up"), json!({})).await;
        assert_eq!(s, 200);
        let home = b.get(app.url("/")).send().await.unwrap().text().await.unwrap();
        assert!(home.contains("待结案") && !home.contains("今日待开始现场"), "{home}");
        let html =
            b.get(app.url(&format!("/receptions/{}/close", r["id"]))).send().await.unwrap().text().await.unwrap();
        let told = text_of(&html, "#state-error").expect("the open tasks are told");
        assert!(told.contains("接送客户") && told.contains("整理会场"), "{told}");
        let show = b.get(app.url(&format!("/receptions/{}", r["id"]))).send().await.unwrap().text().await.unwrap();
        assert!(show.contains("收尾中"), "the state on the page");
        assert!(text_of(&show, "#open-run-sheet").is_some(), "the run sheet is one tap away");
        let progress = text_of(&show, "#task-progress").expect("the division's progress on the reception");
        assert!(progress.contains("0/9"), "{progress}");
        app.stop().await;
    })
    .await;
}
