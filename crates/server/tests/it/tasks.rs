//! The task division: generated when a reception is taken on, changed with a version check.

use jiedai_domain::Code;
use serde_json::{Value, json};

use crate::harness::{HostDepartment, TestApp, each_engine};
use crate::receptions::{Api, api, visit_day, whole_form};

/// A reception of the host department, created, submitted, approved and taken on through
/// the API: the reception as created, and its API path.
pub async fn taken_on(app: &TestApp, host: &HostDepartment) -> (Value, String) {
    let req = api(app, &host.requester).await;
    let (_, r) = req.post("/api/v1/receptions", whole_form(visit_day(20))).await;
    let path = format!("/api/v1/receptions/{}", r["id"]);
    req.post(&format!("{path}/submit"), json!({})).await;
    api(app, &host.head).await.post(&format!("{path}/approve"), json!({})).await;
    api(app, &host.coordinator).await.post(&format!("{path}/take-on"), json!({})).await;
    (r, path)
}

/// Sets the lead and members of a group of the task division (by its place: 0 the drivers,
/// 2 logistics…) as `body` says, at the version it has.
pub async fn set_group(gm: &Api<'_>, index: usize, mut body: Value) {
    let (_, teams) = gm.get("/api/v1/teams").await;
    let group = &teams["items"][index];
    body["version"] = group["version"].clone();
    let (s, t) = gm.put(&format!("/api/v1/teams/{}", group["id"]), body).await;
    assert_eq!(s, 200, "{t}");
}

#[tokio::test]
async fn taking_a_reception_on_writes_the_tasks_its_form_asks_for_due_on_the_calendar() {
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let req = api(&app, &host.requester).await;
        let head = api(&app, &host.head).await;
        let gm = api(&app, &host.coordinator).await;
        let day = visit_day(20);
        let (_, r) = req.post("/api/v1/receptions", whole_form(day)).await;
        let path = format!("/api/v1/receptions/{}", r["id"]);
        req.post(&format!("{path}/submit"), json!({})).await;
        head.post(&format!("{path}/approve"), json!({})).await;
        let id: jiedai_domain::ReceptionId = r["id"].as_i64().unwrap().to_string().parse().unwrap();
        assert!(app.store.tasks_of_reception(id).await.unwrap().is_empty(), "no tasks before it is taken on");
        let (s, r) = gm.post(&format!("{path}/take-on"), json!({})).await;
        assert_eq!((s, r["state"].as_str()), (200, Some("planning")), "{r}");

        let tasks = app.store.tasks_of_reception(id).await.unwrap();
        let titles: Vec<&str> = tasks.iter().map(|t| t.title_zh.as_str()).collect();
        // The form asks for a pickup car, tea, gifts and a meeting room: every template task.
        assert_eq!(
            titles,
            [
                "接送客户",
                "邀请领导",
                "茶具租借",
                "礼品准备",
                "确认场地、时间、流程",
                "会场布置",
                "其他物品准备",
                "现场服务",
                "整理会场"
            ]
        );
        let pickup = &tasks[0];
        assert_eq!(
            (pickup.group.as_str(), pickup.due, pickup.due_time.map(|t| t.to_string())),
            ("driver", day, Some("08:30:00".into()))
        );
        assert!(tasks.iter().all(|t| t.status == jiedai_domain::tasks::TaskStatus::Todo && t.version == 1));
        assert!(tasks.iter().filter(|t| t.title_zh == "会场布置").all(|t| t.due == day));
        let history = r["history"][0]["changes"].as_array().cloned().unwrap_or_default();
        assert!(history.iter().any(|c| c["field"] == "state" && c["after"] == "planning"), "{history:?}");

        // One change at a time: the second writer of the same version is told.
        let actor = jiedai_domain::Actor::system();
        let change =
            jiedai_store::TaskChange { status: Some(jiedai_domain::tasks::TaskStatus::Doing), ..Default::default() };
        let done = app.store.change_task(pickup.id, 1, change.clone(), "start", &actor).await.unwrap();
        assert_eq!((done.status.as_str(), done.version), ("doing", 2));
        let stale = app.store.change_task(pickup.id, 1, change, "start", &actor).await;
        assert!(matches!(stale, Err(jiedai_store::StoreError::StaleVersion)), "{stale:?}");
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn a_driver_finishes_his_task_through_the_api_and_a_second_finish_is_told() {
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let driver = app.user("driver1", &["staff"]).await;
        let gm = api(&app, &host.coordinator).await;
        let (r, path) = taken_on(&app, &host).await;

        let (s, list) = gm.get(&format!("{path}/tasks")).await;
        assert_eq!(s, 200, "{list}");
        let items = list["items"].as_array().unwrap();
        assert_eq!(items.len(), 9, "{list}");
        let pickup = &items[0];
        assert_eq!(
            (pickup["group"].as_str(), pickup["phase"].as_str(), pickup["status"].as_str()),
            (Some("driver"), Some("before"), Some("todo"))
        );
        assert_eq!((pickup["due_time"].as_str(), pickup["overdue"].as_bool()), (Some("08:30"), Some(false)));
        // Another department's requester sees nothing of it.
        let other = app.host_department("财务部").await;
        let stranger = api(&app, &other.requester).await;
        let (s, _) = stranger.get(&format!("{path}/tasks")).await;
        assert_eq!(s, 404);

        let task_id: jiedai_domain::TaskId = pickup["id"].as_i64().unwrap().to_string().parse().unwrap();
        let assign = jiedai_store::TaskChange { responsible_id: Some(Some(driver.id)), ..Default::default() };
        app.store.change_task(task_id, 1, assign, "update", &jiedai_domain::Actor::system()).await.unwrap();
        let me = api(&app, &driver).await;
        let (s, mine) = me.get("/api/v1/me/tasks").await;
        assert_eq!(s, 200, "{mine}");
        assert_eq!(mine["items"].as_array().unwrap().len(), 1, "{mine}");
        assert_eq!(mine["items"][0]["reception_code"], r["code"]);
        let (s, e) = stranger.post(&format!("/api/v1/tasks/{task_id}/done"), json!({})).await;
        assert_eq!(s, 404, "{e}");

        let (s, t) = me.post(&format!("/api/v1/tasks/{task_id}/done"), json!({"version": 2})).await;
        assert_eq!((s, t["status"].as_str(), t["version"].as_i64()), (200, Some("done"), Some(3)), "{t}");
        let (s, e) = me.post(&format!("/api/v1/tasks/{task_id}/done"), json!({})).await;
        assert_eq!((s, e["code"].as_str()), (409, Some("invalid_transition")), "{e}");
        let (s, e) = me.post(&format!("/api/v1/tasks/{task_id}/reopen"), json!({"version": 2})).await;
        assert_eq!(s, 409, "a stale version: {e}");
        let (s, _) = me.post(&format!("/api/v1/tasks/{task_id}/reopen"), json!(null)).await;
        assert_eq!(s, 200);
        let (s, e) = me.post(&format!("/api/v1/tasks/{task_id}/waive"), json!({"reason": "  "})).await;
        assert_eq!(s, 422, "{e}");
        assert_eq!(e["errors"][0]["field"], "reason");
        let (s, t) = gm.post(&format!("/api/v1/tasks/{task_id}/waive"), json!({"reason": "客户自行前来"})).await;
        assert_eq!((s, t["status"].as_str(), t["waive_reason"].as_str()), (200, Some("waived"), Some("客户自行前来")));
        let (s, _) = me.post(&format!("/api/v1/tasks/{task_id}/fly"), json!({})).await;
        assert_eq!(s, 404);
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn a_groups_lead_is_suggested_and_general_management_assigns_only_people_of_a_group() {
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let driver = app.user("driver1", &["staff"]).await;
        let helper = app.user("helper1", &["staff"]).await;
        let outsider = app.user("outsider", &["staff"]).await;
        let req = api(&app, &host.requester).await;
        let gm = api(&app, &host.coordinator).await;

        let (s, teams) = gm.get("/api/v1/teams").await;
        assert_eq!(s, 200, "{teams}");
        let keys: Vec<&str> = teams["items"].as_array().unwrap().iter().map(|t| t["key"].as_str().unwrap()).collect();
        assert_eq!(keys, ["driver", "guest", "logistics", "process", "service"]);
        let drivers = &teams["items"][0];
        let body = json!({"version": drivers["version"], "lead_id": driver.id.get(), "members": [helper.id.get()]});
        let (s, e) = req.put(&format!("/api/v1/teams/{}", drivers["id"]), body.clone()).await;
        assert_eq!(s, 403, "{e}");
        let (s, t) = gm.put(&format!("/api/v1/teams/{}", drivers["id"]), body.clone()).await;
        assert_eq!(s, 200, "{t}");
        let mut want = vec![driver.id.get(), helper.id.get()];
        want.sort_unstable();
        assert_eq!(t["members"], json!(want), "the lead is among the members");
        let (s, _) = gm.put(&format!("/api/v1/teams/{}", drivers["id"]), body).await;
        assert_eq!(s, 409, "a stale version");

        let (_, path) = taken_on(&app, &host).await;
        let (_, list) = gm.get(&format!("{path}/tasks")).await;
        let mut pickup = list["items"][0].clone();
        assert_eq!(pickup["responsible_id"], driver.id.get(), "the drivers' lead is suggested: {pickup}");
        assert!(list["items"][1]["responsible_id"].is_null(), "a group without a lead suggests nobody");
        let task = format!("/api/v1/tasks/{}", pickup["id"]);

        pickup["assistant_id"] = json!(driver.id.get());
        let (s, e) = gm.put(&task, pickup.clone()).await;
        assert_eq!((s, e["errors"][0]["code"].as_str()), (422, Some("assistant_is_responsible")), "{e}");
        pickup["assistant_id"] = json!(outsider.id.get());
        let (s, e) = gm.put(&task, pickup.clone()).await;
        assert_eq!((s, e["errors"][0]["code"].as_str()), (422, Some("not_in_any_group")), "{e}");
        pickup["assistant_id"] = json!(helper.id.get());
        pickup["due_time"] = json!("07:45");
        let (s, t) = gm.put(&task, pickup.clone()).await;
        assert_eq!(
            (s, t["assistant_id"].as_i64(), t["due_time"].as_str()),
            (200, Some(i64::from(helper.id.get())), Some("07:45")),
            "{t}"
        );
        let (s, _) = gm.put(&task, pickup.clone()).await;
        assert_eq!(s, 409, "the version read is stale now");

        // The driver writes his note, and nothing else.
        let me = api(&app, &driver).await;
        let mut mine = t.clone();
        mine["note"] = json!("车已加油");
        let (s, t) = me.put(&task, mine.clone()).await;
        assert_eq!((s, t["note"].as_str()), (200, Some("车已加油")), "{t}");
        mine = t.clone();
        mine["due"] = json!(visit_day(25));
        let (s, _) = me.put(&task, mine).await;
        assert_eq!(s, 403);
        let (s, e) = gm.put(&task, json!({"version": t["version"], "due": visit_day(20), "due_time": "25:00"})).await;
        assert_eq!(s, 422, "{e}");
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn general_management_adds_and_removes_tasks_by_hand() {
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let driver = app.user("driver1", &["staff"]).await;
        let req = api(&app, &host.requester).await;
        let head = api(&app, &host.head).await;
        let gm = api(&app, &host.coordinator).await;
        let (_, r) = req.post("/api/v1/receptions", whole_form(visit_day(20))).await;
        let path = format!("/api/v1/receptions/{}", r["id"]);
        req.post(&format!("{path}/submit"), json!({})).await;
        let extra = json!({"phase": "on_site", "group": "service", "title": "准备签到台", "due": visit_day(20), "due_time": "08:00"});
        let (s, e) = gm.post(&format!("{path}/tasks"), extra.clone()).await;
        assert_eq!(s, 409, "not in planning yet: {e}");
        head.post(&format!("{path}/approve"), json!({})).await;
        gm.post(&format!("{path}/take-on"), json!({})).await;

        let (s, e) = gm.post(&format!("{path}/tasks"), json!({"phase": "before", "group": "pilots", "title": " ", "due": visit_day(19)})).await;
        assert_eq!(s, 422, "{e}");
        let fields: Vec<&str> = e["errors"].as_array().unwrap().iter().map(|x| x["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["title", "group"], "every problem at once: {e}");
        let me = api(&app, &driver).await;
        let (s, _) = me.post(&format!("{path}/tasks"), extra.clone()).await;
        assert_eq!(s, 403);
        let (s, t) = gm.post(&format!("{path}/tasks"), extra).await;
        assert_eq!((s, t["title"].as_str(), t["position"].as_i64(), t["due_time"].as_str()), (201, Some("准备签到台"), Some(9), Some("08:00")), "{t}");
        let (_, list) = gm.get(&format!("{path}/tasks")).await;
        assert_eq!(list["items"].as_array().unwrap().len(), 10);

        let task = format!("/api/v1/tasks/{}", t["id"]);
        let (s, _) = me.delete(&format!("{task}?version=1")).await;
        assert_eq!(s, 404, "someone who cannot see the reception is not told the task exists");
        let (s, _) = gm.delete(&format!("{task}?version=7")).await;
        assert_eq!(s, 409);
        let (s, _) = gm.delete(&format!("{task}?version=1")).await;
        assert_eq!(s, 204);
        let (_, list) = gm.get(&format!("{path}/tasks")).await;
        assert_eq!(list["items"].as_array().unwrap().len(), 9);

        // The same on the task division page.
        use crate::harness::{browser, form_fields, set_field, sign_in, text_of};
        let b = browser();
        sign_in(&app, &b, &host.coordinator.username).await;
        let page = format!("/receptions/{}/tasks", r["id"]);
        let html = b.get(app.url(&page)).send().await.unwrap().text().await.unwrap();
        let mut fields = form_fields(&html, "#add-task form");
        set_field(&mut fields, "title", "准备签到台");
        set_field(&mut fields, "phase", "on_site");
        // Without its day the task is not added, and what was typed stays in the form.
        let res = b.post(app.url(&format!("{page}/new"))).form(&fields).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 422);
        let again = form_fields(&res.text().await.unwrap(), "#add-task form");
        assert!(again.contains(&("title".to_owned(), "准备签到台".to_owned())), "{again:?}");
        assert!(again.contains(&("phase".to_owned(), "on_site".to_owned())), "{again:?}");
        set_field(&mut fields, "due", &visit_day(20).to_string());
        let res = b.post(app.url(&format!("{page}/new"))).form(&fields).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 303);
        let html = b.get(app.url(&page)).send().await.unwrap().text().await.unwrap();
        assert!(text_of(&html, "#plan-summary").unwrap().contains("0/10"), "{html}");
        let (_, list) = gm.get(&format!("{path}/tasks")).await;
        let added = list["items"].as_array().unwrap().iter().find(|t| t["title"] == "准备签到台").unwrap().clone();
        let fields = form_fields(&html, &format!("#task-{} form.task-form", added["id"]));
        let res = b.post(app.url(&format!("{page}/{}/delete", added["id"]))).form(&fields).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 303);
        let (_, list) = gm.get(&format!("{path}/tasks")).await;
        assert_eq!(list["items"].as_array().unwrap().len(), 9);
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn a_responsible_given_two_on_site_tasks_at_once_is_warned_about() {
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let helper = app.user("helper1", &["staff"]).await;
        let gm = api(&app, &host.coordinator).await;
        let (_, teams) = gm.get("/api/v1/teams").await;
        let logistics = &teams["items"][2];
        gm.put(
            &format!("/api/v1/teams/{}", logistics["id"]),
            json!({"version": logistics["version"], "members": [helper.id.get()]}),
        )
        .await;
        let (r, path) = taken_on(&app, &host).await;
        let (_, list) = gm.get(&format!("{path}/tasks")).await;
        // 会场布置 and 其他物品准备: both on site, the first visit day at 08:30.
        let on_site: Vec<serde_json::Value> = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["due_time"] == "08:30" && t["phase"] == "on_site")
            .cloned()
            .collect();
        assert_eq!(on_site.len(), 2, "{list}");
        let mut first = on_site[0].clone();
        first["responsible_id"] = json!(helper.id.get());
        let (s, t) = gm.put(&format!("/api/v1/tasks/{}", first["id"]), first).await;
        assert_eq!(s, 200, "{t}");
        assert!(t.get("warnings").is_none(), "one task alone: {t}");
        let mut second = on_site[1].clone();
        second["responsible_id"] = json!(helper.id.get());
        let (s, t) = gm.put(&format!("/api/v1/tasks/{}", second["id"]), second).await;
        assert_eq!(s, 200, "saved all the same: {t}");
        assert_eq!(t["warnings"][0]["code"], "on_site_clash", "{t}");
        assert!(t["warnings"][0]["message"].as_str().unwrap().contains(r["code"].as_str().unwrap()), "{t}");
        app.stop().await;
    })
    .await;
}
