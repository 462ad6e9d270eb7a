//! The task division on pages: my tasks, a reception's division, the groups, the board.

use serde_json::json;

use crate::harness::each_engine;
use crate::receptions::{api, visit_day, whole_form};
use crate::tasks::{set_group, taken_on};

#[tokio::test]
async fn my_tasks_page_lists_what_i_hold_and_finishes_it_in_one_tap() {
    use crate::harness::{browser, form_fields, sign_in, text_of};
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let driver = app.user("driver1", &["staff"]).await;
        let req = api(&app, &host.requester).await;
        let gm = api(&app, &host.coordinator).await;
        set_group(&gm, 0, json!({"lead_id": driver.id.get()})).await;

        let b = browser();
        sign_in(&app, &b, &driver.username).await;
        let html = b.get(app.url("/tasks")).send().await.unwrap().text().await.unwrap();
        assert!(text_of(&html, ".empty-state").is_some(), "nothing yet: {html}");

        let (r, path) = taken_on(&app, &host).await;
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
        let gm = api(&app, &host.coordinator).await;
        let (_, teams) = gm.get("/api/v1/teams").await;
        let drivers = &teams["items"][0];
        let body = json!({"version": drivers["version"], "members": [driver.id.get(), helper.id.get()]});
        gm.put(&format!("/api/v1/teams/{}", drivers["id"]), body).await;
        let (r, path) = taken_on(&app, &host).await;
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
        let gm = api(&app, &host.coordinator).await;
        set_group(&gm, 0, json!({"lead_id": driver.id.get()})).await;
        let (r, _) = taken_on(&app, &host).await;

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
