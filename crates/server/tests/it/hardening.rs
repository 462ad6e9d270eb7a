//! What an outside probe found ([J5]), one class at a time, with the tests that keep each
//! class closed: values that could not be read back, creates that collided, wildcards in
//! search, unbounded imports.

use serde_json::{Value, json};

use crate::harness::each_engine;
use crate::receptions::{api, visit_day, whole_form};

fn error_codes(body: &Value) -> Vec<(String, String)> {
    body["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| (e["field"].as_str().unwrap_or("").to_owned(), e["code"].as_str().unwrap_or("").to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn dates_outside_2000_to_2100_are_refused_at_the_edge_each_named() {
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let req = api(&app, &host.requester).await;
        for (start, end) in
            [("+262142-01-01", "+262142-01-02"), ("-0001-01-01", "0001-01-01"), ("2101-01-01", "2101-01-02")]
        {
            let body = json!({"guest_organization": "X", "visit_start": start, "visit_end": end,
                "arrival_at": format!("{start}T09:00:00")});
            let (s, e) = req.post("/api/v1/receptions", body).await;
            // Either the JSON parser refuses a year it cannot hold (400), or the range check
            // names every field at once (422); never stored.
            assert!(s == 400 || s == 422, "{start}: {s} {e}");
            if s == 422 {
                let codes = error_codes(&e);
                for f in ["visit_start", "visit_end", "arrival_at"] {
                    assert!(codes.contains(&(f.to_owned(), "date_out_of_range".to_owned())), "{f} in {codes:?}");
                }
            }
        }
        let mut form = whole_form(visit_day(30));
        form["departure_at"] = json!("2999-01-01T10:00:00");
        form["pickup_car"]["at"] = json!("1970-01-01T10:00:00");
        let (s, e) = req.post("/api/v1/receptions", form).await;
        assert_eq!(s, 422, "{e}");
        let codes = error_codes(&e);
        assert!(codes.contains(&("departure_at".into(), "date_out_of_range".into())), "{codes:?}");
        assert!(codes.contains(&("pickup_car.at".into(), "date_out_of_range".into())), "{codes:?}");
        let (_, list) = req.get("/api/v1/receptions").await;
        assert_eq!(list["items"].as_array().map(Vec::len), Some(0), "nothing was stored: {list}");
    })
    .await;
}

#[tokio::test]
async fn extreme_working_day_offsets_are_refused_quickly_and_never_overflow() {
    each_engine(|app| async move {
        let admin = app.user("cal-admin", &["admin"]).await;
        let a = api(&app, &admin).await;
        for n in ["-2147483648", "2147483647", "-9223372036854775808", "3661"] {
            let (s, e) = a.get(&format!("/api/v1/calendar/shift?from=2026-01-05&working_days={n}")).await;
            assert!(s == 422 || s == 400, "{n}: {s} {e}");
        }
        let (s, e) = a.get("/api/v1/calendar/shift?from=9999-01-05&working_days=-2147483648").await;
        assert_eq!(s, 422, "{e}");
        assert_eq!(error_codes(&e).len(), 2, "both parameters named at once: {e}");
        let (s, e) = a.get("/api/v1/calendar/shift?from=2026-01-05&working_days=-3660").await;
        assert_eq!(s, 200, "{e}");
        let (s, _) = a.get("/api/v1/calendar/days/1999-12-31").await;
        assert_eq!(s, 422);
        // A procedure offset of the smallest integer is refused, not wrapped.
        let (_, mut p) = a.get("/api/v1/procedure").await;
        p["based_on"] = p["version"].clone();
        p["stages"][0]["offset_working_days"] = json!(i32::MIN);
        let (s, e) = a.put("/api/v1/procedure", p).await;
        assert_eq!(s, 422, "{e}");
        assert!(
            error_codes(&e).iter().any(|(f, c)| f == "stages[0].offset_working_days" && c == "offset_out_of_range")
        );
    })
    .await;
}

#[tokio::test]
async fn a_calendar_import_is_bounded_in_dates_span_and_size() {
    each_engine(|app| async move {
        let admin = app.user("cal-admin", &["admin"]).await;
        let a = api(&app, &admin).await;
        let client = crate::harness::api_client();
        let token = app.token(&admin).await;
        let import = |body: String, ct: &'static str| {
            let client = client.clone();
            let token = token.clone();
            let url = app.url("/api/v1/calendar/import");
            async move {
                let res = client.post(url).bearer_auth(token).header("content-type", ct).body(body).send().await.unwrap();
                let s = res.status().as_u16();
                (s, res.json::<Value>().await.unwrap_or(Value::Null))
            }
        };
        let huge = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20270101\nDTEND;VALUE=DATE:29991231\nSUMMARY:x\nEND:VEVENT\nEND:VCALENDAR\n";
        let (s, e) = import(huge.into(), "text/calendar").await;
        assert_eq!(s, 422, "{e}");
        assert!(error_codes(&e).iter().any(|(_, c)| c == "calendar_date_out_of_range"), "{e}");
        let long = huge.replace("29991231", "20271231");
        let (s, e) = import(long, "text/calendar").await;
        assert_eq!(s, 422, "{e}");
        assert!(error_codes(&e).iter().any(|(_, c)| c == "calendar_event_too_long"), "{e}");
        let many: String =
            (0..1500).map(|i| format!("{},closure,Shut,停工\n", chrono::NaiveDate::from_ymd_opt(2030, 1, 1).unwrap() + chrono::Duration::days(i))).collect();
        let (s, e) = import(many, "text/csv").await;
        assert_eq!(s, 422, "{e}");
        assert!(error_codes(&e).iter().any(|(_, c)| c == "calendar_too_many_days"), "{e}");
        let (_, year) = a.get("/api/v1/calendar/years/2030").await;
        assert_eq!(year["items"].as_array().map(Vec::len), Some(0), "nothing was added: {year}");
    })
    .await;
}

#[tokio::test]
async fn a_hundred_creates_at_once_each_get_their_own_code() {
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let req = api(&app, &host.requester).await;
        let day = visit_day(30);
        let answers = futures::future::join_all((0..100).map(|i| {
            let req = &req;
            async move {
                req.post("/api/v1/receptions", json!({"guest_organization": format!("G{i}"), "visit_start": day})).await
            }
        }))
        .await;
        let mut codes: Vec<String> = answers
            .iter()
            .map(|(s, r)| {
                assert_eq!(*s, 201, "{r}");
                r["code"].as_str().unwrap().to_owned()
            })
            .collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), 100);
        assert!(codes.last().unwrap().ends_with("-0100"), "{codes:?}");
    })
    .await;
}

#[tokio::test]
async fn percent_and_underscore_in_a_search_match_only_themselves() {
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let req = api(&app, &host.requester).await;
        let day = visit_day(30);
        for org in ["华东电力设计院", "100%_Solar"] {
            let (s, r) = req.post("/api/v1/receptions", json!({"guest_organization": org, "visit_start": day})).await;
            assert_eq!(s, 201, "{r}");
        }
        let count = |q: &'static str| {
            let req = &req;
            async move {
                let (s, r) = req.get(&format!("/api/v1/receptions?q={}", urlencode(q))).await;
                assert_eq!(s, 200, "{r}");
                r["items"].as_array().unwrap().len()
            }
        };
        assert_eq!(count("%").await, 1, "a % matches the one organisation that has one");
        assert_eq!(count("_").await, 1);
        assert_eq!(count("%_S").await, 1);
        assert_eq!(count("华_").await, 0, "_ is not a one-character wildcard");
        assert_eq!(count("\\").await, 0);
    })
    .await;
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

/// `n` characters mixing what breaks careless code: markup, quotes, formula starts, a
/// right-to-left mark, a zero-width joiner, four-byte emoji and CJK.
fn nasty(n: usize) -> String {
    let pattern: Vec<char> = "<script>\"'&=+-@\u{200f}\u{200d}😀接待%_\\".chars().collect();
    (0..n).map(|i| pattern[i % pattern.len()]).collect()
}

#[tokio::test]
async fn the_most_extreme_reception_the_api_accepts_can_be_read_by_every_page_and_export() {
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let admin = app.user("poison-admin", &["admin"]).await;
        let req = api(&app, &host.requester).await;
        let mut f = whole_form(visit_day(30));
        for (k, n) in [
            ("contact_person", 64), ("guest_organization", 100), ("purpose", 500), ("guest_name", 64),
            ("guest_title", 64), ("guest_needs", 200), ("gm_contact", 64), ("welcome_text", 500), ("leader_name", 64),
            ("other_material", 1000),
        ] {
            f[k] = json!(nasty(n));
        }
        for (part, k, n) in [("hotel", "hotel", 100), ("hotel", "rooms", 100), ("lunch", "place", 100), ("dinner", "contact", 64),
            ("meeting_room", "room", 100), ("pickup_car", "place", 100)] {
            f[part][k] = json!(nasty(n));
        }
        f["visit_start"] = json!("2100-11-01");
        f["visit_end"] = json!("2100-12-31");
        f["arrival_at"] = json!("2100-12-31T23:59:00");
        f["departure_at"] = json!("2100-12-31T23:59:59");
        f["pickup_car"]["at"] = json!("2100-11-01T00:00:00");
        f["budget_fen"] = json!(1_000_000_000i64);
        f["hotel"]["budget_fen"] = json!(1_000_000_000i64);
        f["train_tickets"]["count"] = json!(1000);
        f["hotel"]["nights"] = json!(1000);
        f["lunch"]["headcount"] = json!(1000);
        let rows: Vec<Value> = (0..100).map(|i| json!({"name": nasty(64), "title": nasty(64), "needs": nasty(200),
            "phone": if i % 2 == 0 { "13812345678" } else { "" }})).collect();
        f["companions"] = json!(rows);
        f["companion_count"] = json!(100);
        f["support_staff"] = json!(rows);
        let (s, r) = req.post("/api/v1/receptions", f).await;
        assert_eq!(s, 201, "{r}");
        let id = r["id"].as_i64().unwrap();

        let (s, e) = api(&app, &admin).await.post("/api/v1/calendar/days",
            json!({"entries": [{"date": "2100-12-31", "kind": "closure", "name_en": nasty(64), "name_zh": nasty(64)}]})).await;
        assert_eq!(s, 201, "{e}");

        for who in [&host.requester, &admin] {
            let c = crate::harness::browser();
            crate::harness::sign_in(&app, &c, &who.username).await;
            for path in [
                "/".to_owned(), "/receptions".into(), "/receptions?q=%25_".into(), "/receptions?from=2100-01-01&to=2100-12-31".into(),
                format!("/receptions/{id}"), format!("/receptions/{id}/print"), format!("/receptions/{id}/edit"),
                format!("/receptions/{id}/application.xlsx"), "/receptions.xlsx".into(), "/calendar?year=2100".into(),
                "/admin/calendar?year=2100".into(), "/admin/audit".into(), "/account".into(),
            ] {
                let res = c.get(app.url(&path)).send().await.unwrap();
                let status = res.status().as_u16();
                if who.id == host.requester.id && (path.starts_with("/admin") || path.contains("edit")) {
                    assert!(status < 500, "{path}: {status}");
                    continue;
                }
                assert_eq!(status, 200, "{} {path}", who.username);
                let body = res.bytes().await.unwrap();
                assert!(!String::from_utf8_lossy(&body).contains("<script>"), "{path}: markup came through unescaped");
            }
        }
        let a = api(&app, &admin).await;
        for path in [format!("/api/v1/receptions/{id}"), "/api/v1/receptions".into(), "/api/v1/audit".into(),
            "/api/v1/calendar/years/2100".into(), "/api/v1/calendar/days/2100-12-31".into(),
            "/api/v1/calendar/shift?from=2100-12-31&working_days=3660".into()] {
            let (s, body) = a.get(&path).await;
            assert_eq!(s, 200, "{path}: {body}");
        }
    })
    .await;
}

#[tokio::test]
async fn a_row_damaged_in_the_database_is_shown_as_damaged_and_never_breaks_a_list() {
    use sea_orm::ConnectionTrait;
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let req = api(&app, &host.requester).await;
        let day = visit_day(30);
        let mut ids = Vec::new();
        for org in ["好的", "坏的"] {
            let (s, r) = req.post("/api/v1/receptions", json!({"guest_organization": org, "visit_start": day})).await;
            assert_eq!(s, 201, "{r}");
            ids.push(r["id"].as_i64().unwrap());
        }
        // Written behind the product's back: a date no reader can represent, an unknown state.
        let db = sea_orm::Database::connect(app.database_url()).await.unwrap();
        let sql = match db.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => format!(
                "UPDATE receptions SET visit_start = '300000-01-01', visit_end = '300000-01-02', state = 'zzz' WHERE id = {}",
                ids[1]
            ),
            _ => format!("UPDATE receptions SET visit_start = 'not a date', state = 'zzz' WHERE id = {}", ids[1]),
        };
        db.execute_unprepared(&sql).await.unwrap();
        db.close().await.ok();

        let (s, list) = req.get("/api/v1/receptions").await;
        assert_eq!(s, 200, "{list}");
        let items = list["items"].as_array().unwrap();
        assert_eq!(items.len(), 2, "{list}");
        let damaged: Vec<bool> = items.iter().map(|i| i["damaged"].as_bool().unwrap()).collect();
        assert_eq!(damaged.iter().filter(|d| **d).count(), 1, "{list}");
        let c = crate::harness::browser();
        crate::harness::sign_in(&app, &c, &host.requester.username).await;
        for path in ["/receptions", "/", "/receptions.xlsx", "/receptions?view=mine"] {
            let res = c.get(app.url(path)).send().await.unwrap();
            assert_eq!(res.status(), 200, "{path}");
            if path == "/receptions" {
                let html = res.text().await.unwrap();
                assert!(html.contains("记录损坏") && html.contains("好的"), "the damaged row is shown as such");
            }
        }
    })
    .await;
}

#[tokio::test]
async fn the_most_extreme_accounts_the_api_accepts_can_be_read_by_every_page() {
    each_engine(|app| async move {
        let admin = app.user("poison-admin", &["admin"]).await;
        let a = api(&app, &admin).await;
        let (s, d) = a.post("/api/v1/departments", json!({"name": nasty(64)})).await;
        assert_eq!(s, 201, "{d}");
        let email = format!("{}@{}.example.com", "a".repeat(64), "b".repeat(170));
        let (s, u) = a
            .post(
                "/api/v1/users",
                json!({"username": "z".repeat(32), "display_name": nasty(64), "email": email,
                       "phone": "+86 138-1234-5678", "roles": ["requester", "approver", "coordinator", "staff", "finance", "admin"],
                       "department_id": d["id"], "password": "Umber-walrus-zenith-402"}),
            )
            .await;
        assert_eq!(s, 201, "{u}");
        let (s, t) = a.post("/api/v1/tokens", json!({"name": nasty(64)})).await;
        assert!(s == 201 || s == 422, "{t}");
        let c = crate::harness::browser();
        crate::harness::sign_in(&app, &c, &admin.username).await;
        for path in [
            "/admin/users".to_owned(), format!("/admin/users/{}", u["id"]), "/admin/departments".into(),
            format!("/admin/departments/{}", d["id"]), "/account/tokens".into(), "/admin/audit".into(), "/".into(),
            "/admin/users?q=%25_".into(),
        ] {
            let res = c.get(app.url(&path)).send().await.unwrap();
            assert_eq!(res.status(), 200, "{path}");
            assert!(!res.text().await.unwrap().contains("<script>"), "{path}");
        }
        for path in ["/api/v1/users", "/api/v1/departments", "/api/v1/tokens?all=true", "/api/v1/audit"] {
            let (s, body) = a.get(path).await;
            assert_eq!(s, 200, "{path}: {body}");
        }
    })
    .await;
}
