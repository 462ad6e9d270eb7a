//! Receptions through the API: the request, its approval, its timeline, who sees what.

use chrono::{Duration, NaiveDate, Utc};
use serde_json::{Value, json};

use crate::harness::{TestApp, api_client, each_engine};

/// A working day well ahead, so a request made today is on time.
pub fn visit_day(days: i64) -> NaiveDate {
    let mut d = (Utc::now() + Duration::hours(8)).date_naive() + Duration::days(days);
    while matches!(chrono::Datelike::weekday(&d), chrono::Weekday::Sat | chrono::Weekday::Sun) {
        d += Duration::days(1);
    }
    d
}

pub struct Api<'a> {
    app: &'a TestApp,
    token: String,
}

impl Api<'_> {
    pub async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut rq = api_client().request(method, self.app.url(path)).bearer_auth(&self.token);
        if let Some(b) = body {
            rq = rq.json(&b);
        }
        let res = rq.send().await.unwrap();
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.call(reqwest::Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(reqwest::Method::PUT, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> (u16, Value) {
        self.call(reqwest::Method::DELETE, path, None).await
    }
}

pub async fn api<'a>(app: &'a TestApp, user: &jiedai_domain::User) -> Api<'a> {
    Api { app, token: app.token(user).await }
}

/// Every arrangement of both parts, for a visit on `day`.
pub fn whole_form(day: NaiveDate) -> Value {
    let at = |h: u32| format!("{}T{h:02}:30:00", day);
    json!({
        "contact_person": "王芳", "contact_phone": "13812345678",
        "guest_organization": "华东电力设计院", "purpose": "技术交流与合作洽谈",
        "visit_start": day, "visit_end": day,
        "arrival_at": at(9), "departure_at": at(17), "arrival_means": "car", "licence_plate": "沪A 12345",
        "guest_name": "李明", "guest_title": "总工程师", "guest_phone": "13912345678", "guest_needs": "素食",
        "companion_count": 2,
        "companions": [{"name": "赵强", "title": "工程师"}, {"name": "钱敏", "title": "项目经理", "phone": "13700001111"}],
        "support_staff": [{"name": "孙伟", "title": "司机"}],
        "budget_fen": 30000,
        "pickup_car": {"wanted": true, "vehicle": "七座商务车", "place": "虹桥站", "at": at(8)},
        "train_tickets": {"wanted": true, "train_number": "G7", "count": 4},
        "hotel": {"wanted": true, "hotel": "锦江饭店", "rooms": "1201, 1202", "nights": 1, "budget_fen": 80000, "contact": "前台"},
        "lunch": {"wanted": true, "place": "公司餐厅", "headcount": 8, "budget_fen": 64000, "contact": "食堂"},
        "dinner": {"wanted": true, "place": "老正兴", "headcount": 6, "budget_fen": 120000, "contact": "张经理"},
        "entertainment": {"wanted": true, "place": "外滩", "headcount": 4, "budget_fen": 0, "contact": "王芳"},
        "gm_contact": "综管部 刘洋", "tier": "business",
        "parking": true, "red_carpet": true, "welcome_message": true, "welcome_text": "热烈欢迎华东电力设计院领导莅临指导",
        "fruit": "fine", "tea": {"black": true, "green": true, "coffee": false, "water": true},
        "meeting_room": {"wanted": true, "room": "一号会议室", "computer": true, "paper": true, "pencils": true,
            "pens": true, "projector": true, "clicker": true},
        "meals": true, "gifts": "simple", "leader_appointment": true, "leader_name": "陈总",
        "other_material": "公司宣传册 10 份"
    })
}

fn with_version(mut v: Value, version: &Value) -> Value {
    v["version"] = version.clone();
    v
}

#[tokio::test]
async fn a_request_goes_from_draft_to_planning_through_the_api() {
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let req = api(&app, &host.requester).await;
        let head = api(&app, &host.head).await;
        let gm = api(&app, &host.coordinator).await;
        let day = visit_day(40);

        let (s, r) = req
            .post(
                "/api/v1/receptions",
                json!({"guest_organization": "华东电力设计院", "purpose": "交流", "visit_start": day, "visit_end": day}),
            )
            .await;
        assert_eq!(s, 201, "{r}");
        assert_eq!((r["state"].as_str(), r["department_id"].as_i64()), (Some("draft"), Some(i64::from(host.id.get()))));
        let code = r["code"].as_str().unwrap();
        assert!(code.starts_with("JD-") && code.ends_with("-0001"), "{code}");
        let id = r["id"].as_i64().unwrap();
        let path = format!("/api/v1/receptions/{id}");
        assert_eq!(r["timeline"].as_array().unwrap().len(), 6);

        // Submitting the bare draft lists what is missing, and changes nothing.
        let (s, e) = req.post(&format!("{path}/submit"), json!({"version": r["version"]})).await;
        assert_eq!(s, 422, "{e}");
        let fields: Vec<&str> = e["errors"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
        assert!(fields.contains(&"guest_name") && fields.contains(&"tier"), "{fields:?}");

        // The whole form, then a stale write.
        let (s, r) = req.put(&path, with_version(whole_form(day), &r["version"])).await;
        assert_eq!(s, 200, "{r}");
        assert_eq!(r["licence_plate"], "沪A12345", "written as on the plate");
        assert_eq!(r["headcount"], 4);
        assert_eq!(r["recommended_budget_fen"], 32000);
        let (s, _) = req.put(&path, with_version(whole_form(day), &json!(1))).await;
        assert_eq!(s, 409);

        // Bad input is refused field by field.
        let mut bad = with_version(whole_form(day), &r["version"]);
        bad["visit_end"] = json!(day - Duration::days(1));
        bad["budget_fen"] = json!(2_000_000_000i64);
        bad["companion_count"] = json!(5);
        let (s, e) = req.put(&path, bad).await;
        assert_eq!(s, 422);
        let fields: Vec<&str> = e["errors"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
        // A companion count that disagrees with the rows only warns on a draft.
        assert_eq!(fields, vec!["budget_fen", "visit_end"], "{e}");

        let (s, r) = req.post(&format!("{path}/submit"), json!({"version": r["version"]})).await;
        assert_eq!(s, 200, "{r}");
        assert_eq!((r["state"].as_str(), r["late"].as_bool()), (Some("submitted"), Some(false)));
        // A double click: the second submit carries the old version and changes nothing.
        let (s, _) = req.post(&format!("{path}/submit"), json!({"version": r["version"].as_i64().unwrap() - 1})).await;
        assert_eq!(s, 409);

        // The requester cannot approve their own request; the head returns it with a comment.
        let (s, _) = req.post(&format!("{path}/approve"), json!({"version": r["version"]})).await;
        assert_eq!(s, 403);
        let (s, e) = head.post(&format!("{path}/return"), json!({"version": r["version"]})).await;
        assert_eq!((s, e["errors"][0]["field"].as_str()), (422, Some("comment")), "a return needs its comment");
        let (s, r) =
            head.post(&format!("{path}/return"), json!({"version": r["version"], "comment": "请补充午餐预算"})).await;
        assert_eq!((s, r["state"].as_str(), r["state_note"].as_str()), (200, Some("returned"), Some("请补充午餐预算")));

        let mut fixed = with_version(whole_form(day), &r["version"]);
        fixed["lunch"]["budget_fen"] = json!(72000);
        let (s, r) = req.put(&path, fixed).await;
        assert_eq!(s, 200, "{r}");
        let (s, r) = req.post(&format!("{path}/submit"), json!({"version": r["version"]})).await;
        assert_eq!(s, 200, "{r}");
        let (_, waiting) = head.get("/api/v1/receptions?view=approve").await;
        assert_eq!(waiting["items"][0]["id"].as_i64(), Some(id), "{waiting}");
        let (s, r) = head.post(&format!("{path}/approve"), json!({"version": r["version"]})).await;
        assert_eq!((s, r["state"].as_str()), (200, Some("approved")));
        let (s, r) = gm.post(&format!("{path}/take-on"), json!({"version": r["version"]})).await;
        assert_eq!((s, r["state"].as_str()), (200, Some("planning")), "{r}");

        // The timeline is on the working-day calendar, the proposal done.
        let (_, shift) = gm.get(&format!("/api/v1/calendar/shift?from={day}&working_days=-5")).await;
        assert_eq!(r["timeline"][0]["due"], shift["date"]);
        assert_eq!((r["timeline"][0]["stage"].as_str(), r["timeline"][0]["done"].as_bool()), (Some("proposal"), Some(true)));
        let (_, shift) = gm.get(&format!("/api/v1/calendar/shift?from={day}&working_days=1")).await;
        assert_eq!(r["timeline"][5]["due"], shift["date"]);
        assert_eq!(r["timeline"][1]["done"], false);

        // Who sees what.
        let other = app.host_department("研发部").await;
        let stranger = api(&app, &other.requester).await;
        assert_eq!(stranger.get(&path).await.0, 404, "another department's request is not shown");
        let (_, list) = stranger.get("/api/v1/receptions").await;
        assert_eq!(list["items"].as_array().unwrap().len(), 0);
        let finance = api(&app, &app.user("fin1", &["finance"]).await).await;
        let (s, seen) = finance.get(&path).await;
        assert_eq!(s, 200);
        assert_eq!((seen["guest_phone"].as_str(), seen["licence_plate"].as_str()), (Some(""), Some("")));
        assert_eq!(seen["guest_organization"], "华东电力设计院");
        let staff = api(&app, &app.user("staff1", &["staff"]).await).await;
        assert_eq!(staff.get(&path).await.0, 404);

        // History: every step is in the audit log.
        let admin = api(&app, &app.user("adm1", &["admin"]).await).await;
        let (_, audit) = admin.get("/api/v1/audit?entity=reception").await;
        let actions: Vec<&str> =
            audit["items"].as_array().unwrap().iter().map(|a| a["action"].as_str().unwrap()).collect();
        for a in ["create", "update", "submit", "return", "approve", "take-on"] {
            assert!(actions.contains(&a), "{a} missing from {actions:?}");
        }
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn a_request_after_the_proposal_deadline_is_flagged_late() {
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let req = api(&app, &host.requester).await;
        let day = visit_day(2);
        let (s, r) = req.post("/api/v1/receptions", whole_form(day)).await;
        assert_eq!(s, 201, "{r}");
        // Told while the draft is written: late if submitted today, and the deadline.
        assert_eq!(r["late_if_submitted_today"], true, "{r}");
        assert!(r["proposal_deadline"].as_str().is_some_and(|d| d < day.to_string().as_str()), "{r}");
        let submit = format!("/api/v1/receptions/{}/submit", r["id"]);
        let (s, e) = req.post(&submit, json!({"version": r["version"]})).await;
        assert_eq!(s, 422, "{e}");
        assert!(e["errors"].as_array().unwrap().iter().any(|f| f["field"] == "late_reason"), "{e}");
        let (s, r) = req.post(&submit, json!({"version": r["version"], "late_reason": "客户临时通知"})).await;
        assert_eq!(s, 200, "{r}");
        assert_eq!(r["late"], true);
        assert_eq!(r["late_reason"], "客户临时通知");
        assert!(r["late_working_days"].as_i64().unwrap() >= 1, "{r}");
        let (_, late) = req.get("/api/v1/receptions?late=true").await;
        assert_eq!(late["items"].as_array().unwrap().len(), 1);
        let (_, on_time) = req.get("/api/v1/receptions?late=false").await;
        assert_eq!(on_time["items"].as_array().unwrap().len(), 0);

        // A visit today is in this week's calendar on the home page, with its late flag.
        let today = (Utc::now() + Duration::hours(8)).date_naive();
        let (s, r) = req.post("/api/v1/receptions", whole_form(today)).await;
        assert_eq!(s, 201, "{r}");
        let (s, r) = req
            .post(
                &format!("/api/v1/receptions/{}/submit", r["id"]),
                json!({"version": r["version"], "late_reason": "临时"}),
            )
            .await;
        assert_eq!((s, r["late"].as_bool()), (200, Some(true)), "{r}");
        let days = r["late_working_days"].as_i64().unwrap();
        let browser = crate::harness::browser();
        crate::harness::sign_in(&app, &browser, &host.requester.username).await;
        let home = browser.get(app.url("/")).send().await.unwrap().text().await.unwrap();
        let week = &home[home.find("id=\"week\"").expect("the week calendar")..];
        let item = &week[week.find(&format!("/receptions/{}", r["id"])).expect("today's reception in the week")..];
        let item = &item[..item.find("</a>").unwrap()];
        assert!(item.contains(&format!("逾期 {days} 个工作日")), "{item}");
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn the_list_filters_and_pages_by_keyset() {
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let req = api(&app, &host.requester).await;
        for (i, org) in ["甲公司", "乙公司", "丙公司", "丁公司", "戊公司"].iter().enumerate() {
            let day = visit_day(20 + i as i64 * 7);
            let (s, _) = req
                .post("/api/v1/receptions", json!({"guest_organization": org, "visit_start": day, "tier": "simple"}))
                .await;
            assert_eq!(s, 201);
        }
        let mut seen = Vec::new();
        let mut path = "/api/v1/receptions?limit=2".to_owned();
        loop {
            let (s, page) = req.get(&path).await;
            assert_eq!(s, 200, "{page}");
            for it in page["items"].as_array().unwrap() {
                seen.push(it["guest_organization"].as_str().unwrap().to_owned());
            }
            match page["next"].as_str() {
                Some(c) => path = format!("/api/v1/receptions?limit=2&cursor={c}"),
                None => break,
            }
        }
        assert_eq!(seen, vec!["甲公司", "乙公司", "丙公司", "丁公司", "戊公司"], "every row once, in visit order");
        let (_, found) = req.get("/api/v1/receptions?q=丙").await;
        assert_eq!(found["items"].as_array().unwrap().len(), 1);
        let (_, desc) = req.get("/api/v1/receptions?sort=-visit&limit=1").await;
        assert_eq!(desc["items"][0]["guest_organization"], "戊公司");
        let (_, drafts) = req.get("/api/v1/receptions?state=draft,submitted&tier=simple").await;
        assert_eq!(drafts["items"].as_array().unwrap().len(), 5);
        let (s, e) = req.get("/api/v1/receptions?state=flying&from=tomorrow").await;
        assert_eq!(s, 422);
        assert_eq!(e["errors"].as_array().unwrap().len(), 2, "{e}");
        let (s, _) = req.get("/api/v1/receptions?cursor=garbage").await;
        assert_eq!(s, 400);
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn a_deadline_in_a_year_without_the_holiday_plan_says_so() {
    use crate::harness::{browser, sign_in, text_of};
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let req = api(&app, &host.requester).await;
        let day = NaiveDate::from_ymd_opt(2031, 3, 3).unwrap();
        let (s, r) =
            req.post("/api/v1/receptions", json!({"guest_organization": "远方公司", "visit_start": day})).await;
        assert_eq!(s, 201, "{r}");
        assert_eq!(r["uncovered_years"], json!([2031]));
        let admin = app.user("caladmin", &["admin"]).await;
        let c = browser();
        sign_in(&app, &c, &admin.username).await;
        let page = c.get(app.url(&format!("/receptions/{}", r["id"]))).send().await.unwrap().text().await.unwrap();
        let note = text_of(&page, "#uncovered").unwrap();
        assert!(note.contains("2031") && page.contains("href=\"/admin/calendar\""), "{note}");
        let (_, covered) = req.post("/api/v1/receptions", json!({"visit_start": "2026-10-09"})).await;
        assert_eq!(covered["uncovered_years"], json!([]));
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn two_people_acting_at_once_one_wins_and_the_other_is_told_what_happened() {
    use crate::harness::{browser, form_fields, set_field, sign_in, text_of};
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let req = api(&app, &host.requester).await;
        let (_, r) = req.post("/api/v1/receptions", whole_form(visit_day(40))).await;
        let path = format!("/receptions/{}", r["id"]);
        let (s, r) = req.post(&format!("/api/v1{path}/submit"), json!({"version": r["version"]})).await;
        assert_eq!(s, 200, "{r}");

        // The head opens the rejection; meanwhile an administrator approves.
        let head = browser();
        sign_in(&app, &head, &host.head.username).await;
        let confirm = head.get(app.url(&format!("{path}/reject"))).send().await.unwrap().text().await.unwrap();
        let mut f = form_fields(&confirm, "form.stack");
        set_field(&mut f, "comment", "预算不足");
        let admin = api(&app, &app.user("adm2", &["admin"]).await).await;
        let (s, _) = admin.post(&format!("/api/v1{path}/approve"), json!({"version": r["version"]})).await;
        assert_eq!(s, 200);

        let res = head.post(app.url(&format!("{path}/reject"))).form(&f).send().await.unwrap();
        assert_eq!(res.status(), 409);
        let html = res.text().await.unwrap();
        assert!(text_of(&html, "#conflict").unwrap().contains("已批准"), "says what it is now");
        assert!(!html.contains("name=\"comment\""), "rejecting no longer applies");
        let (_, now) = req.get(&format!("/api/v1{path}")).await;
        assert_eq!(now["state"], "approved", "the first one won");
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn the_same_idempotency_key_creates_one_reception_and_another_body_is_refused() {
    each_engine(|app| async move {
        let host = app.host_department("外联部").await;
        let token = app.token(&host.requester).await;
        let day = visit_day(30);
        let post = |key: &'static str, org: &'static str| {
            let token = token.clone();
            let url = app.url("/api/v1/receptions");
            async move {
                api_client()
                    .post(url)
                    .bearer_auth(token)
                    .header("idempotency-key", key)
                    .json(&json!({"guest_organization": org, "visit_start": day}))
                    .send()
                    .await
                    .unwrap()
            }
        };
        // A double send: both at once, then once more later.
        let (a, b) = tokio::join!(post("k-1", "华东院"), post("k-1", "华东院"));
        let c = post("k-1", "华东院").await;
        let mut ids = Vec::new();
        for r in [a, b, c] {
            assert_eq!(r.status(), 201);
            ids.push(r.json::<Value>().await.unwrap()["id"].clone());
        }
        assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
        let other = post("k-1", "另一家").await;
        assert_eq!(other.status(), 422);
        let problem: Value = other.json().await.unwrap();
        assert_eq!(problem["errors"][0]["code"], "idempotency_key_reused");
        // A failed first request keeps nothing: the key can be used again.
        let bad = api_client()
            .post(app.url("/api/v1/receptions"))
            .bearer_auth(&token)
            .header("idempotency-key", "k-2")
            .json(&json!({"guest_organization": "缺日期"}))
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), 422);
        assert_eq!(post("k-2", "补上日期").await.status(), 201);
        let (_, list) = Api { app: &app, token: token.clone() }.get("/api/v1/receptions").await;
        assert_eq!(list["items"].as_array().unwrap().len(), 2);
        // A new token's secret is shown once: a repeat answers the token without it.
        let make = || {
            api_client()
                .post(app.url("/api/v1/tokens"))
                .bearer_auth(&token)
                .header("idempotency-key", "t-1")
                .json(&json!({"name": "ci"}))
                .send()
        };
        let first: Value = make().await.unwrap().json().await.unwrap();
        let again = make().await.unwrap();
        assert_eq!(again.headers()["idempotent-replayed"], "true");
        let again: Value = again.json().await.unwrap();
        assert!(first["secret"].as_str().is_some_and(|s| s.starts_with("jd_")));
        assert_eq!(
            (again["token"]["id"].clone(), again["secret"].clone()),
            (first["token"]["id"].clone(), Value::Null)
        );
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn every_actions_comment_is_kept_in_the_history_with_its_line_breaks() {
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let req = api(&app, &host.requester).await;
        let head = api(&app, &host.head).await;
        let gm = api(&app, &host.coordinator).await;
        let (s, r) = req.post("/api/v1/receptions", whole_form(visit_day(40))).await;
        assert_eq!(s, 201, "{r}");
        let path = format!("/api/v1/receptions/{}", r["id"]);
        let (s, r) =
            req.post(&format!("{path}/submit"), json!({"version": r["version"], "comment": "客户已确认行程"})).await;
        assert_eq!(s, 200, "{r}");
        let (s, r) = head
            .post(&format!("{path}/approve"), json!({"version": r["version"], "comment": "同意\n注意控制预算"}))
            .await;
        assert_eq!(s, 200, "{r}");
        assert_eq!(r["state_note"], "", "an approval's comment is history, not a note on the reception");
        let (s, r) = gm.post(&format!("{path}/take-on"), json!({"version": r["version"], "comment": "刘洋负责"})).await;
        assert_eq!(s, 200, "{r}");
        let c = crate::harness::browser();
        crate::harness::sign_in(&app, &c, &host.head.username).await;
        let html = c.get(app.url(&format!("/receptions/{}", r["id"]))).send().await.unwrap().text().await.unwrap();
        for comment in ["客户已确认行程", "同意\n注意控制预算", "刘洋负责"] {
            assert!(html.contains(&format!("<q>{comment}</q>")), "{comment:?} in the history");
        }
    })
    .await;
}

#[tokio::test]
async fn the_company_name_is_in_the_header_and_on_the_print_view() {
    let db = crate::harness::TestDb::new(&crate::harness::Engine::Sqlite).await;
    let mut settings = jiedai::Settings::default();
    settings.company.name = "华东电力设备有限公司".into();
    let app = TestApp::start_with(db, settings).await;
    let host = app.host_department("市场部").await;
    let (s, r) = api(&app, &host.requester).await.post("/api/v1/receptions", whole_form(visit_day(30))).await;
    assert_eq!(s, 201, "{r}");
    let c = crate::harness::browser();
    crate::harness::sign_in(&app, &c, &host.requester.username).await;
    for path in ["/".to_owned(), format!("/receptions/{}/print", r["id"])] {
        let html = c.get(app.url(&path)).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("华东电力设备有限公司"), "{path}");
    }
    app.stop().await;
}
