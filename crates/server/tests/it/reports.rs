//! The reports across receptions: figures counted by the database for a period and a
//! department, the page with its SVG charts and tables, the workbooks, and who may read them.

use serde_json::json;

use crate::day::{taken_on_today, today};
use crate::harness::{TestApp, browser, each_engine, sign_in};
use crate::receptions::{api, whole_form};

#[tokio::test]
async fn reports_count_the_periods_receptions_late_requests_tasks_on_time_and_material_back_in_stock() {
    each_engine(|app: TestApp| async move {
        let host = app.host_department("市场部").await;
        let gm = api(&app, &host.coordinator).await;
        let driver = app.user("driver1", &["staff"]).await;
        crate::resources::furnish(&gm, driver.id.get()).await;
        let req = api(&app, &host.requester).await;

        // One reception taken on today (late), its tasks done today (on time) and its
        // material back in stock; one draft of the same department.
        let (_, path) = taken_on_today(&app, &host).await;
        let (_, list) = gm.get(&format!("{path}/tasks")).await;
        let tasks = list["items"].as_array().unwrap();
        for t in tasks {
            let (s, e) = gm.post(&format!("/api/v1/tasks/{}/done", t["id"]), json!({})).await;
            assert_eq!(s, 200, "{e}");
        }
        crate::resources::count_back_the_rest(&gm, &path).await;
        let (s, _) = req.post("/api/v1/receptions", whole_form(today())).await;
        assert_eq!(s, 201);

        let (s, r) = gm.get("/api/v1/reports/summary").await;
        assert_eq!(s, 200, "{r}");
        assert_eq!(r["receptions"]["total"], 2, "{r}");
        let states = r["receptions"]["by_state"].as_array().unwrap();
        assert_eq!(states.len(), 2, "{r}");
        assert_eq!((states[0]["key"].as_str(), states[0]["count"].as_i64()), (Some("draft"), Some(1)));
        assert_eq!((states[1]["key"].as_str(), states[1]["count"].as_i64()), (Some("planning"), Some(1)));
        assert_eq!(r["receptions"]["by_tier"][0]["key"], "business");
        assert_eq!(r["receptions"]["by_department"][0]["name"], "市场部");
        // Late: the one request submitted (the draft is not a request yet), late.
        assert_eq!(r["late"][0]["requests"], 1, "{r}");
        assert_eq!(r["late"][0]["late"], 1);
        assert_eq!(r["late"][0]["share_bp"], 10_000);
        // Every task done today; those due later than today are on time.
        assert_eq!(r["tasks"]["done"].as_i64(), Some(tasks.len() as i64), "{r}");
        let due_today_or_later =
            tasks.iter().filter(|t| t["due"].as_str().unwrap() >= today().to_string().as_str()).count();
        assert_eq!(r["tasks"]["on_time"].as_i64(), Some(due_today_or_later as i64), "{r}");
        // Tea sets and glasses came back: their value at 80 yuan each.
        let back: i64 =
            r["savings"]["by_item"].as_array().unwrap().iter().map(|i| i["quantity"].as_i64().unwrap()).sum();
        assert!(back > 0, "{r}");
        assert_eq!(r["savings"]["total_fen"].as_i64(), Some(back * 8000), "{r}");

        // Another department or another year counts nothing.
        let other = app.host_department("研发部").await;
        let (_, r) = gm.get(&format!("/api/v1/reports/summary?department={}", other.id)).await;
        assert_eq!(r["receptions"]["total"], 0, "{r}");
        let (_, r) = gm.get("/api/v1/reports/summary?from=2020-01-01&to=2020-12-31").await;
        assert_eq!((r["receptions"]["total"].as_i64(), r["from"].as_str()), (Some(0), Some("2020-01-01")), "{r}");

        // A period ending before it starts, or a malformed day.
        let (s, e) = gm.get("/api/v1/reports/summary?from=2026-03-02&to=2026-03-01").await;
        assert_eq!((s, e["errors"][0]["code"].as_str()), (422, Some("end_before_start")), "{e}");
        let (s, _) = gm.get("/api/v1/reports/summary?from=yesterday").await;
        assert_eq!(s, 400);

        // Finance reads them; a requester does not.
        let finance = app.user("finance1", &["finance"]).await;
        let (s, _) = api(&app, &finance).await.get("/api/v1/reports/summary").await;
        assert_eq!(s, 200);
        let (s, _) = req.get("/api/v1/reports/summary").await;
        assert_eq!(s, 403);
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn the_reports_page_draws_its_charts_on_the_server_and_exports_each_table() {
    each_engine(|app: TestApp| async move {
        let host = app.host_department("市场部<b>").await;
        taken_on_today(&app, &host).await;
        let client = browser();
        sign_in(&app, &client, &host.coordinator.username).await;
        let html = client.get(app.url("/reports")).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("统计报表"), "the page in Chinese");
        assert!(html.contains("<svg class=\"chart\""), "charts drawn on the server");
        assert!(!html.contains("市场部<b>") && html.contains("市场部&lt;b&gt;"), "names escaped in charts and tables");
        assert!(html.contains("id=\"part-departments\"") && html.contains("id=\"part-late\""));
        assert!(!html.contains("<script src=\"http"), "no script from elsewhere");

        // Every table as a sheet, or one.
        let res = client.get(app.url("/reports.xlsx")).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let bytes = res.bytes().await.unwrap();
        let wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
        use calamine::{DataType, Reader};
        assert_eq!(wb.sheet_names().len(), 11, "{:?}", wb.sheet_names());
        let res = client.get(app.url("/reports.xlsx?table=departments")).send().await.unwrap();
        let bytes = res.bytes().await.unwrap();
        let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
        let name = wb.sheet_names()[0].clone();
        let sheet = wb.worksheet_range(&name).unwrap();
        assert_eq!(sheet.get_value((3, 0)).map(|v| v.to_string()), Some("市场部<b>".into()));
        assert_eq!(sheet.get_value((3, 1)).and_then(|v| v.as_f64()), Some(1.0));
        let res = client.get(app.url("/reports.xlsx?table=nothing")).send().await.unwrap();
        assert_eq!(res.status(), 404);

        // A period the wrong way round is told on the page, with the days kept.
        let html =
            client.get(app.url("/reports?from=2026-05-01&to=2026-04-01")).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("id=\"report-problems\"") && html.contains("value=\"2026-05-01\""), "{html}");

        // Staff do not see them.
        let staff = app.user("staff1", &["staff"]).await;
        let other = browser();
        sign_in(&app, &other, &staff.username).await;
        let res = other.get(app.url("/reports")).send().await.unwrap();
        assert_eq!(res.status(), 403);
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn each_settled_reception_is_held_to_the_standard_in_force_on_its_visit_day() {
    each_engine(|app: TestApp| async move {
        use jiedai_domain::{Actor, Fen, Tier};
        // A year of closed receptions, settled by finance, every visit before today.
        jiedai_app::demo::load(&app.app).await.unwrap();
        jiedai_app::demo::load_receptions(&app.app, app.app.today()).await.unwrap();
        let boss = app.user("boss", &["admin"]).await;
        let a = api(&app, &boss).await;
        let tier_of = |sum: &serde_json::Value, key: &str| {
            sum["spend"]["by_tier"].as_array().unwrap().iter().find(|t| t["tier"] == key).cloned()
        };
        let (_, before) = a.get("/api/v1/reports/summary").await;
        let business = tier_of(&before, "business").expect("settled business receptions");
        assert_eq!(business["standard_per_person_fen"], 8_000, "{business}");

        // The standard changes from today on: the receptions already visited keep theirs.
        let v = app.store.current_procedure().await.unwrap().unwrap().version;
        let raised =
            [(Tier::HighEnd, Fen::new(20_000)), (Tier::Business, Fen::new(12_000)), (Tier::Simple, Fen::new(6_000))];
        jiedai_app::procedure::set_tier_standards(&app.app, v, &raised, app.app.today(), "涨标准", &Actor::system())
            .await
            .unwrap();
        let (_, after) = a.get("/api/v1/reports/summary").await;
        assert_eq!(tier_of(&after, "business"), Some(business), "the old standard stands for past visits");
    })
    .await;
}
