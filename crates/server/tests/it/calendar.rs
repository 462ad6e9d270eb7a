//! The working-day calendar through the API and its pages.

use serde_json::{Value, json};

use crate::harness::{TestApp, api_client, browser, csrf_of, each_engine, page_csrf, sign_in, text_of};

async fn admin_token(app: &TestApp) -> String {
    let admin = app.user("caladmin", &["admin"]).await;
    app.token(&admin).await
}

#[tokio::test]
async fn days_and_shifts_follow_the_statutory_calendar() {
    each_engine(|app| async move {
        let u = app.user("planner", &["coordinator"]).await;
        let token = app.token(&u).await;
        let c = api_client();
        let get = |path: String| {
            let c = c.clone();
            let token = token.clone();
            let url = app.url(&path);
            async move { c.get(url).bearer_auth(token).send().await.unwrap() }
        };
        let day: Value = get("/api/v1/calendar/days/2026-02-14".into()).await.json().await.unwrap();
        assert_eq!(day["working_day"], true);
        assert_eq!(day["kind"], "workday");
        assert_eq!(day["name"], "春节");
        let day: Value = get("/api/v1/calendar/days/2026-02-07".into()).await.json().await.unwrap();
        assert_eq!((day["working_day"].clone(), day["kind"].clone()), (json!(false), json!("weekend")));
        let day: Value = get("/api/v1/calendar/days/2025-10-03".into()).await.json().await.unwrap();
        assert_eq!(day["kind"], "holiday");
        let day: Value = get("/api/v1/calendar/days/2026-11-26".into()).await.json().await.unwrap();
        assert_eq!((day["working_day"].clone(), day["kind"].clone()), (json!(true), json!("normal")));

        let shift: Value =
            get("/api/v1/calendar/shift?from=2026-10-09&working_days=-5".into()).await.json().await.unwrap();
        assert_eq!(shift["date"], "2026-09-24");
        let res = get("/api/v1/calendar/days/2026-02-30".into()).await;
        assert_eq!(res.status(), 422);
        let res = get("/api/v1/calendar/shift?from=2026-10-09".into()).await;
        assert_eq!(res.status(), 400);
        let year: Value = get("/api/v1/calendar/years/2027".into()).await.json().await.unwrap();
        assert_eq!(year["covered"], false);
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn a_later_year_is_imported_all_or_nothing() {
    each_engine(|app| async move {
        let token = admin_token(&app).await;
        let c = api_client();
        let import = |body: &'static str, ct: &'static str, q: &'static str| {
            let c = c.clone();
            let token = token.clone();
            let url = app.url(&format!("/api/v1/calendar/import{q}"));
            async move { c.post(url).bearer_auth(token).header("content-type", ct).body(body).send().await.unwrap() }
        };
        let bad = "date,kind,name_en,name_zh\n2027-01-01,holiday,New Year's Day,元旦\n2027-02-30,holiday,x,x\n2027-02-06,party,x,x\n";
        let res = import(bad, "text/csv", "").await;
        assert_eq!(res.status(), 422);
        let p: Value = res.json().await.unwrap();
        let lines: Vec<i64> = p["errors"].as_array().unwrap().iter().map(|e| e["line"].as_i64().unwrap()).collect();
        assert_eq!(lines, vec![3, 4]);
        assert!(p["errors"][0]["message"].as_str().unwrap().starts_with("第 3 行"), "{p}");
        let year: Value = c.get(app.url("/api/v1/calendar/years/2027")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
        assert!(year["items"].as_array().unwrap().is_empty(), "nothing imported");

        let good = "date,kind,name_en,name_zh\n2027-01-01,holiday,New Year's Day,元旦\n2027-02-06,holiday,Spring Festival,春节\n2027-02-07,workday,Spring Festival,春节\n";
        assert_eq!(import(good, "text/csv", "").await.status(), 201);
        let year: Value = c.get(app.url("/api/v1/calendar/years/2027")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
        assert_eq!(year["covered"], true);
        assert_eq!(year["items"][2]["kind"], "workday");
        assert_eq!(year["items"][0]["source"], "added");
        let day: Value = c.get(app.url("/api/v1/calendar/days/2027-02-07")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
        assert_eq!(day["working_day"], true, "a make-up Sunday");

        let again = import(good, "text/csv", "").await;
        assert_eq!(again.status(), 422);
        let p: Value = again.json().await.unwrap();
        assert_eq!(p["errors"][0]["code"], "calendar_duplicate_date");

        let ics = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20261230\nDTEND;VALUE=DATE:20261232\nSUMMARY:年终盘点\nEND:VEVENT\nEND:VCALENDAR\n";
        let res = import(ics, "text/calendar", "?closures=true").await;
        assert_eq!(res.status(), 422, "a bad DTEND is named");
        let ics = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20261230\nDTEND;VALUE=DATE:20261231\nSUMMARY:年终盘点\nEND:VEVENT\nEND:VCALENDAR\n";
        assert_eq!(import(ics, "text/calendar", "?closures=true").await.status(), 201);
        let day: Value = c.get(app.url("/api/v1/calendar/days/2026-12-30")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
        assert_eq!((day["kind"].clone(), day["working_day"].clone()), (json!("closure"), json!(false)));

        assert_eq!(c.delete(app.url("/api/v1/calendar/days/2026-12-30")).bearer_auth(&token).send().await.unwrap().status(), 204);
        assert_eq!(c.delete(app.url("/api/v1/calendar/days/2026-10-01")).bearer_auth(&token).send().await.unwrap().status(), 404, "shipped days stay");
        let log = app.store.list_audit(&jiedai_store::AuditFilter { entity: Some("calendar".into()), ..Default::default() }, 10).await.unwrap();
        assert_eq!(log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), vec!["delete", "import", "import"]);
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn administrators_add_closures_and_import_files_on_the_calendar_page() {
    each_engine(|app| async move {
        app.user("caladmin2", &["admin"]).await;
        let c = browser();
        sign_in(&app, &c, "caladmin2").await;
        let page = c.get(app.url("/calendar?year=2027")).send().await.unwrap().text().await.unwrap();
        assert!(text_of(&page, ".flash-error").unwrap().contains("尚未录入"), "a year without data says so");

        let csrf = page_csrf(&app, &c, "/admin/calendar").await;
        let form = [
            ("csrf", csrf.as_str()),
            ("date", "2026-12-31"),
            ("kind", "closure"),
            ("name_zh", "年终停工"),
            ("name_en", ""),
        ];
        let res = c.post(app.url("/admin/calendar")).form(&form).send().await.unwrap();
        assert_eq!(res.status(), 303);
        let again = c.post(app.url("/admin/calendar")).form(&form).send().await.unwrap();
        assert_eq!(again.status(), 422);
        let html = again.text().await.unwrap();
        assert!(text_of(&html, "#date-error").unwrap().contains("2026-12-31"));
        assert!(html.contains("value=\"年终停工\""), "what was typed stays");

        let file = reqwest::multipart::Part::text("2027-01-01,holiday,New Year's Day,元旦\n2027-01-02,nonsense,x,x\n")
            .file_name("2027.csv");
        let form = reqwest::multipart::Form::new().text("csrf", csrf.clone()).part("file", file);
        let res = c.post(app.url("/admin/calendar/import")).multipart(form).send().await.unwrap();
        assert_eq!(res.status(), 422);
        let html = res.text().await.unwrap();
        assert!(text_of(&html, "#file-error").unwrap().contains("第 2 行"), "{html}");

        let file = reqwest::multipart::Part::text("2027-01-01,holiday,New Year's Day,元旦\n").file_name("2027.csv");
        let form = reqwest::multipart::Form::new().text("csrf", csrf.clone()).part("file", file);
        assert_eq!(c.post(app.url("/admin/calendar/import")).multipart(form).send().await.unwrap().status(), 303);
        let forged =
            reqwest::multipart::Form::new().text("csrf", "forged").part("file", reqwest::multipart::Part::text("x"));
        assert_eq!(c.post(app.url("/admin/calendar/import")).multipart(forged).send().await.unwrap().status(), 403);

        let page = c.get(app.url("/calendar?year=2027")).send().await.unwrap().text().await.unwrap();
        assert!(text_of(&page, ".flash-error").is_none(), "2027 is covered now");
        assert!(page.contains("元旦"));
        let csrf = csrf_of(&page);
        let res =
            c.post(app.url("/admin/calendar/2026-12-31/delete")).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
        assert_eq!(res.status(), 303);
        app.stop().await;
    })
    .await;
}
