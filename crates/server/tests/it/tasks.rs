//! The task division: generated when a reception is taken on, changed with a version check.

use jiedai_domain::Code;
use serde_json::json;

use crate::harness::each_engine;
use crate::receptions::{api, visit_day, whole_form};

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
        let req = api(&app, &host.requester).await;
        let head = api(&app, &host.head).await;
        let gm = api(&app, &host.coordinator).await;
        let (_, r) = req.post("/api/v1/receptions", whole_form(visit_day(20))).await;
        let path = format!("/api/v1/receptions/{}", r["id"]);
        req.post(&format!("{path}/submit"), json!({})).await;
        head.post(&format!("{path}/approve"), json!({})).await;
        gm.post(&format!("{path}/take-on"), json!({})).await;

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
        let head = api(&app, &host.head).await;
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

        let (_, r) = req.post("/api/v1/receptions", whole_form(visit_day(20))).await;
        let path = format!("/api/v1/receptions/{}", r["id"]);
        req.post(&format!("{path}/submit"), json!({})).await;
        head.post(&format!("{path}/approve"), json!({})).await;
        gm.post(&format!("{path}/take-on"), json!({})).await;
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
async fn my_tasks_page_lists_what_i_hold_and_finishes_it_in_one_tap() {
    use crate::harness::{browser, form_fields, sign_in, text_of};
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let driver = app.user("driver1", &["staff"]).await;
        let req = api(&app, &host.requester).await;
        let head = api(&app, &host.head).await;
        let gm = api(&app, &host.coordinator).await;
        let (_, teams) = gm.get("/api/v1/teams").await;
        let drivers = &teams["items"][0];
        gm.put(
            &format!("/api/v1/teams/{}", drivers["id"]),
            json!({"version": drivers["version"], "lead_id": driver.id.get()}),
        )
        .await;

        let b = browser();
        sign_in(&app, &b, &driver.username).await;
        let html = b.get(app.url("/tasks")).send().await.unwrap().text().await.unwrap();
        assert!(text_of(&html, ".empty-state").is_some(), "nothing yet: {html}");

        let (_, r) = req.post("/api/v1/receptions", whole_form(visit_day(20))).await;
        let path = format!("/api/v1/receptions/{}", r["id"]);
        req.post(&format!("{path}/submit"), json!({})).await;
        head.post(&format!("{path}/approve"), json!({})).await;
        gm.post(&format!("{path}/take-on"), json!({})).await;
        let (_, list) = gm.get(&format!("{path}/tasks")).await;
        let task = list["items"][0]["id"].as_i64().unwrap();

        let home = b.get(app.url("/")).send().await.unwrap().text().await.unwrap();
        let mine = text_of(&home, "#my-tasks").expect("the home page shows my tasks");
        assert!(mine.contains("接送客户"), "{mine}");
        let html = b.get(app.url("/tasks")).send().await.unwrap().text().await.unwrap();
        let card = text_of(&html, &format!("#task-{task}")).expect("the pickup is on my list");
        assert!(card.contains("接送客户") && card.contains(r["code"].as_str().unwrap()), "{card}");
        // The card leads to the reception, which the driver sees because he holds a task.
        let res = b.get(app.url(&format!("/receptions/{}", r["id"]))).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 200, "the link on my task is not dead");
        let (_, other) = req.post("/api/v1/receptions", whole_form(visit_day(21))).await;
        let res = b.get(app.url(&format!("/receptions/{}", other["id"]))).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 404, "a reception without a task of mine stays hidden");
        let form = format!("#task-{task} form.task-steps");
        let fields = form_fields(&html, &form);
        let res = b.post(app.url(&format!("/tasks/{task}/done"))).form(&fields).send().await.unwrap();
        assert_eq!((res.status().as_u16(), res.headers()["location"].to_str().unwrap()), (303, "/tasks"));
        let html = b.get(app.url("/tasks")).send().await.unwrap().text().await.unwrap();
        let done = text_of(&html, "#tasks-settled").expect("finished tasks fold away at the end");
        assert!(done.contains("接送客户"), "{done}");
        // The same tap again (a second phone, a double tap): told, nothing breaks.
        let res = b.post(app.url(&format!("/tasks/{task}/done"))).form(&fields).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 303);
        let (_, t) = gm.get(&format!("{path}/tasks")).await;
        assert_eq!(t["items"][0]["status"], "done");
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn general_management_assigns_a_task_on_the_division_page_and_sees_every_problem_on_its_row() {
    use crate::harness::{browser, form_fields, set_field, sign_in, text_of};
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let driver = app.user("driver1", &["staff"]).await;
        let helper = app.user("helper1", &["staff"]).await;
        let req = api(&app, &host.requester).await;
        let head = api(&app, &host.head).await;
        let gm = api(&app, &host.coordinator).await;
        let (_, teams) = gm.get("/api/v1/teams").await;
        let drivers = &teams["items"][0];
        let body = json!({"version": drivers["version"], "members": [driver.id.get(), helper.id.get()]});
        gm.put(&format!("/api/v1/teams/{}", drivers["id"]), body).await;
        let (_, r) = req.post("/api/v1/receptions", whole_form(visit_day(20))).await;
        let path = format!("/api/v1/receptions/{}", r["id"]);
        req.post(&format!("{path}/submit"), json!({})).await;
        head.post(&format!("{path}/approve"), json!({})).await;
        gm.post(&format!("{path}/take-on"), json!({})).await;
        let (_, list) = gm.get(&format!("{path}/tasks")).await;
        let task = list["items"][0]["id"].as_i64().unwrap();

        let b = browser();
        sign_in(&app, &b, &host.coordinator.username).await;
        let show = b.get(app.url(&format!("/receptions/{}", r["id"]))).send().await.unwrap().text().await.unwrap();
        assert!(text_of(&show, "#open-plan").is_some(), "the reception leads to its task division");
        let page = format!("/receptions/{}/tasks", r["id"]);
        let html = b.get(app.url(&page)).send().await.unwrap().text().await.unwrap();
        assert!(text_of(&html, "#plan-summary").unwrap().contains("0/9"), "{html}");
        let form = format!("#task-{task} form.task-form");
        let mut fields = form_fields(&html, &form);
        set_field(&mut fields, "responsible_id", &driver.id.to_string());
        set_field(&mut fields, "assistant_id", &driver.id.to_string());
        set_field(&mut fields, "due_time", "7:5x");
        let res = b.post(app.url(&format!("{page}/{task}"))).form(&fields).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 422);
        let html = res.text().await.unwrap();
        let row = text_of(&html, &format!("#task-{task}")).unwrap();
        assert!(row.contains("时间") && row.contains("HH:MM"), "the time's problem on its row: {row}");
        set_field(&mut fields, "due_time", "07:50");
        let res = b.post(app.url(&format!("{page}/{task}"))).form(&fields).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 422);
        let html = res.text().await.unwrap();
        assert!(text_of(&html, &format!("#assistant_id-{task}-error")).is_some(), "{html}");
        set_field(&mut fields, "assistant_id", &helper.id.to_string());
        let res = b.post(app.url(&format!("{page}/{task}"))).form(&fields).send().await.unwrap();
        assert_eq!((res.status().as_u16(), res.headers()["location"].to_str().unwrap()), (303, page.as_str()));
        let (_, t) = gm.get(&format!("{path}/tasks")).await;
        let t = &t["items"][0];
        assert_eq!(
            (t["responsible_id"].as_i64(), t["assistant_id"].as_i64(), t["due_time"].as_str()),
            (Some(i64::from(driver.id.get())), Some(i64::from(helper.id.get())), Some("07:50"))
        );
        // The same form again holds the old version: told, not overwritten.
        let res = b.post(app.url(&format!("{page}/{task}"))).form(&fields).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 409);
        // As on paper (Attachment 2): its columns, the phases down the side, who does what.
        let html = b.get(app.url(&format!("{page}/print"))).send().await.unwrap().text().await.unwrap();
        let sheet = text_of(&html, "article.sheet").unwrap();
        for word in [
            "分工推进表",
            "分类",
            "完成时间",
            "工作项目",
            "责任人",
            "辅助人",
            "职责",
            "前期",
            "现场",
            "收尾",
            "接送客户",
        ] {
            assert!(sheet.contains(word), "{word} missing: {sheet}");
        }
        assert!(
            sheet.contains(driver.display_name.as_str()) && sheet.contains(helper.display_name.as_str()),
            "{sheet}"
        );
        // And as a workbook: the same columns, days as typed dates, A4 landscape.
        let res = b.get(app.url(&format!("/receptions/{}/tasks.xlsx", r["id"]))).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 200);
        assert!(res.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
        let bytes = res.bytes().await.unwrap();
        let (rows, sheet, _, _) = crate::paper::read_xlsx(&bytes);
        let header: Vec<String> = rows[3].iter().map(|c| c.to_string()).collect();
        assert_eq!(header, ["分类", "完成时间", "时间", "工作项目", "责任人", "辅助人", "职责"]);
        let pickup = rows
            .iter()
            .find(|r| r.iter().any(|c| matches!(c, calamine::Data::String(t) if t == "接送客户")))
            .expect("the pickup's row");
        assert!(matches!(pickup[1], calamine::Data::DateTime(_)), "a typed day: {:?}", pickup[1]);
        assert_eq!(pickup[4].to_string(), driver.display_name);
        assert!(sheet.contains("orientation=\"landscape\"") && sheet.contains("paperSize=\"9\""), "A4 landscape");
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn general_management_keeps_the_groups_on_their_page_and_staff_may_not() {
    use crate::harness::{browser, form_fields, set_field, sign_in, text_of};
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let driver = app.user("driver1", &["staff"]).await;
        let gm = browser();
        sign_in(&app, &gm, &host.coordinator.username).await;
        let html = gm.get(app.url("/admin/teams")).send().await.unwrap().text().await.unwrap();
        assert!(text_of(&html, "#team-driver h2").unwrap().contains("司机"), "{html}");
        let mut fields = form_fields(&html, "#team-driver form");
        set_field(&mut fields, "lead_id", &driver.id.to_string());
        fields.push(("members".into(), driver.id.to_string()));
        let res = gm.post(app.url("/admin/teams/1")).form(&fields).send().await.unwrap();
        assert_eq!((res.status().as_u16(), res.headers()["location"].to_str().unwrap()), (303, "/admin/teams"));
        let html = gm.get(app.url("/admin/teams")).send().await.unwrap().text().await.unwrap();
        assert!(text_of(&html, "#team-driver h2").unwrap().ends_with('1'), "one member now");
        // The same form again holds the old version: told.
        let res = gm.post(app.url("/admin/teams/1")).form(&fields).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 409);

        let staff = browser();
        sign_in(&app, &staff, &driver.username).await;
        let res = staff.get(app.url("/admin/teams")).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 403);
        let res = staff.post(app.url("/admin/teams/1")).form(&fields).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 403);
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn the_board_shows_each_reception_in_planning_with_its_progress_and_whom_it_waits_on() {
    use crate::harness::{browser, sign_in, text_of};
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let driver = app.user("driver1", &["staff"]).await;
        let req = api(&app, &host.requester).await;
        let head = api(&app, &host.head).await;
        let gm = api(&app, &host.coordinator).await;
        let (_, teams) = gm.get("/api/v1/teams").await;
        let drivers = &teams["items"][0];
        gm.put(
            &format!("/api/v1/teams/{}", drivers["id"]),
            json!({"version": drivers["version"], "lead_id": driver.id.get()}),
        )
        .await;
        let (_, r) = req.post("/api/v1/receptions", whole_form(visit_day(20))).await;
        let path = format!("/api/v1/receptions/{}", r["id"]);
        req.post(&format!("{path}/submit"), json!({})).await;
        head.post(&format!("{path}/approve"), json!({})).await;
        gm.post(&format!("{path}/take-on"), json!({})).await;

        let (s, board) = gm.get("/api/v1/board").await;
        assert_eq!(s, 200, "{board}");
        let item = &board["items"][0];
        assert_eq!(
            (item["code"].as_str(), item["tasks_total"].as_u64(), item["tasks_done"].as_u64()),
            (r["code"].as_str(), Some(9), Some(0)),
            "{item}"
        );
        assert_eq!(item["unassigned"], 8, "only the drivers' lead was suggested: {item}");
        assert!(item["next_stage"].is_string() && item["next_stage_due"].is_string(), "{item}");
        let (_, mine) = gm.get(&format!("/api/v1/board?coordinator={}", host.coordinator.id)).await;
        assert_eq!(mine["items"].as_array().unwrap().len(), 1);
        let (_, none) = gm.get(&format!("/api/v1/board?coordinator={}", driver.id)).await;
        assert!(none["items"].as_array().unwrap().is_empty());
        let me = api(&app, &driver).await;
        let (s, _) = me.get("/api/v1/board").await;
        assert_eq!(s, 403);

        let b = browser();
        sign_in(&app, &b, &host.coordinator.username).await;
        let html = b.get(app.url("/board")).send().await.unwrap().text().await.unwrap();
        let row = text_of(&html, &format!("#board-{}", r["id"])).expect("the reception is on the board");
        assert!(row.contains("0/9") && row.contains(r["code"].as_str().unwrap()), "{row}");
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
        let req = api(&app, &host.requester).await;
        let head = api(&app, &host.head).await;
        let gm = api(&app, &host.coordinator).await;
        let (_, teams) = gm.get("/api/v1/teams").await;
        let logistics = &teams["items"][2];
        gm.put(
            &format!("/api/v1/teams/{}", logistics["id"]),
            json!({"version": logistics["version"], "members": [helper.id.get()]}),
        )
        .await;
        let (_, r) = req.post("/api/v1/receptions", whole_form(visit_day(20))).await;
        let path = format!("/api/v1/receptions/{}", r["id"]);
        req.post(&format!("{path}/submit"), json!({})).await;
        head.post(&format!("{path}/approve"), json!({})).await;
        gm.post(&format!("{path}/take-on"), json!({})).await;
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
