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
        assert_eq!(fields, vec!["companion_count", "budget_fen", "visit_end"], "{e}");

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
        let (s, r) =
            req.post(&format!("/api/v1/receptions/{}/submit", r["id"]), json!({"version": r["version"]})).await;
        assert_eq!(s, 200, "{r}");
        assert_eq!(r["late"], true);
        assert!(r["late_working_days"].as_i64().unwrap() >= 1, "{r}");
        let (_, late) = req.get("/api/v1/receptions?late=true").await;
        assert_eq!(late["items"].as_array().unwrap().len(), 1);
        let (_, on_time) = req.get("/api/v1/receptions?late=false").await;
        assert_eq!(on_time["items"].as_array().unwrap().len(), 0);

        // A visit today is in this week's calendar on the home page, with its late flag.
        let today = (Utc::now() + Duration::hours(8)).date_naive();
        let (s, r) = req.post("/api/v1/receptions", whole_form(today)).await;
        assert_eq!(s, 201, "{r}");
        let (s, r) =
            req.post(&format!("/api/v1/receptions/{}/submit", r["id"]), json!({"version": r["version"]})).await;
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

/// The form's fields for a whole request, as a person types them (amounts in yuan).
pub fn typed_form(day: NaiveDate) -> Vec<(&'static str, String)> {
    let at = |h: u32| format!("{day}T{h:02}:30");
    let mut v: Vec<(&'static str, String)> = vec![
        ("contact_person", "王芳".into()),
        ("contact_phone", "13812345678".into()),
        ("guest_organization", "华东电力设计院".into()),
        ("purpose", "技术交流".into()),
        ("visit_start", day.to_string()),
        ("visit_end", day.to_string()),
        ("budget_fen", "300".into()),
        ("arrival_at", at(9)),
        ("departure_at", at(17)),
        ("arrival_means", "car".into()),
        ("licence_plate", "沪A12345".into()),
        ("guest_name", "李明".into()),
        ("guest_title", "总工程师".into()),
        ("guest_phone", "13912345678".into()),
        ("guest_needs", "素食".into()),
        ("companion_count", "2".into()),
        ("companions[0].name", "赵强".into()),
        ("companions[0].title", "工程师".into()),
        ("companions[1].name", "钱敏".into()),
        ("companions[1].title", "项目经理".into()),
        ("support_staff[0].name", "孙伟".into()),
        ("support_staff[0].title", "司机".into()),
        ("pickup_car.wanted", "on".into()),
        ("pickup_car.vehicle", "七座商务车".into()),
        ("pickup_car.place", "虹桥站".into()),
        ("pickup_car.at", at(8)),
        ("train_tickets.wanted", "on".into()),
        ("train_tickets.train_number", "G7".into()),
        ("train_tickets.count", "4".into()),
        ("hotel.wanted", "on".into()),
        ("hotel.hotel", "锦江饭店".into()),
        ("hotel.rooms", "1201".into()),
        ("hotel.nights", "1".into()),
        ("hotel.budget_fen", "800".into()),
        ("hotel.contact", "前台".into()),
        ("gm_contact", "刘洋".into()),
        ("tier", "business".into()),
        ("parking", "on".into()),
        ("red_carpet", "on".into()),
        ("welcome_message", "on".into()),
        ("welcome_text", "热烈欢迎".into()),
        ("fruit", "fine".into()),
        ("tea.green", "on".into()),
        ("tea.water", "on".into()),
        ("meeting_room.wanted", "on".into()),
        ("meeting_room.room", "一号会议室".into()),
        ("meeting_room.projector", "on".into()),
        ("meeting_room.clicker", "on".into()),
        ("meals", "on".into()),
        ("gifts", "simple".into()),
        ("leader_appointment", "on".into()),
        ("leader_name", "陈总".into()),
        ("other_material", "宣传册".into()),
    ];
    for (b, place) in [("lunch", "公司餐厅"), ("dinner", "老正兴"), ("entertainment", "外滩")] {
        v.push((leak(format!("{b}.wanted")), "on".into()));
        v.push((leak(format!("{b}.place")), place.into()));
        v.push((leak(format!("{b}.headcount")), "6".into()));
        v.push((leak(format!("{b}.budget_fen")), "600".into()));
        v.push((leak(format!("{b}.contact")), "王芳".into()));
    }
    v
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn post_form(fields: &[(String, String)]) -> Vec<(String, String)> {
    fields.to_vec()
}

#[tokio::test]
async fn the_application_form_works_in_the_browser_without_javascript() {
    use crate::harness::{browser, form_fields, set_field, sign_in, text_of};
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let c = browser();
        sign_in(&app, &c, &host.requester.username).await;
        let day = visit_day(40);
        let html = c.get(app.url("/receptions/new")).send().await.unwrap().text().await.unwrap();
        let mut fields = form_fields(&html, "form.reception-form");
        for (k, v) in typed_form(day) {
            set_field(&mut fields, k, &v);
        }
        // A mistake: nothing is saved, everything typed comes back, the field says why.
        set_field(&mut fields, "visit_end", &(day - Duration::days(2)).to_string());
        set_field(&mut fields, "hotel.budget_fen", "-1");
        let mut bad = post_form(&fields);
        bad.push(("intent".into(), "save".into()));
        let res = c.post(app.url("/receptions")).form(&bad).send().await.unwrap();
        assert_eq!(res.status(), 422);
        let html = res.text().await.unwrap();
        assert_eq!(text_of(&html, "#visit_end-error").unwrap(), "结束日期不能早于开始日期。");
        assert_eq!(text_of(&html, "#hotel-budget_fen-error").unwrap(), "金额不能为负数。");
        assert!(html.contains("value=\"锦江饭店\"") && html.contains("value=\"钱敏\""), "what was typed stays");
        assert!(
            app.store
                .list_receptions(&jiedai_store::Scope::All, &Default::default(), Default::default(), None, 10)
                .await
                .unwrap()
                .is_empty()
        );

        // More rows for companions without JavaScript.
        let mut more = post_form(&fields);
        more.push(("intent".into(), "more".into()));
        let html = c.post(app.url("/receptions")).form(&more).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("name=\"companions[6].name\""), "three more blank rows");

        // Fixed and submitted at once; a double click makes one request.
        set_field(&mut fields, "visit_end", &day.to_string());
        set_field(&mut fields, "hotel.budget_fen", "800");
        let mut ok = post_form(&fields);
        ok.push(("intent".into(), "submit".into()));
        let first = c.post(app.url("/receptions")).form(&ok).send().await.unwrap();
        assert_eq!(first.status(), 303);
        let to = first.headers()["location"].to_str().unwrap().to_owned();
        let second = c.post(app.url("/receptions")).form(&ok).send().await.unwrap();
        assert_eq!(second.headers()["location"].to_str().unwrap(), to, "the second click leads to the same request");
        let all = app
            .store
            .list_receptions(&jiedai_store::Scope::All, &Default::default(), Default::default(), None, 10)
            .await
            .unwrap();
        assert_eq!(all.len(), 1);
        let r = &app.store.get_reception(all[0].id).await.unwrap();
        assert_eq!(jiedai_domain::Code::as_str(r.state), "submitted");
        assert_eq!(r.form.hotel.budget_fen, Some(jiedai_domain::Fen::new(80_000)));
        assert_eq!(r.form.companions.len(), 2);
        assert!(r.form.meeting_room.projector && !r.form.meeting_room.computer);

        let page = c.get(app.url(&to)).send().await.unwrap().text().await.unwrap();
        assert_eq!(text_of(&page, "#state").unwrap(), "待审批");
        assert!(page.contains("锦江饭店") && page.contains("13912345678"));
        assert!(!page.contains(&format!("/receptions/{}/edit", r.id)), "a submitted request is not edited");

        // The head returns it through the confirmation page.
        let h = browser();
        sign_in(&app, &h, &host.head.username).await;
        let list = h.get(app.url("/receptions?view=approve")).send().await.unwrap().text().await.unwrap();
        assert!(list.contains(&r.code), "waiting for the head's approval");
        let confirm = h.get(app.url(&format!("{to}/return"))).send().await.unwrap().text().await.unwrap();
        let mut f = form_fields(&confirm, "form.stack");
        let res = h.post(app.url(&format!("{to}/return"))).form(&f).send().await.unwrap();
        assert_eq!(res.status(), 422, "a return needs its comment");
        set_field(&mut f, "comment", "请补充晚餐预算说明");
        let res = h.post(app.url(&format!("{to}/return"))).form(&f).send().await.unwrap();
        assert_eq!(res.status(), 303);
        // The same click again: already done, no second transition.
        let again = h.post(app.url(&format!("{to}/return"))).form(&f).send().await.unwrap();
        assert_eq!(again.status(), 303);
        let page = c.get(app.url(&to)).send().await.unwrap().text().await.unwrap();
        assert_eq!(text_of(&page, "#state").unwrap(), "已退回");
        assert!(text_of(&page, "#state-note").unwrap().contains("请补充晚餐预算说明"));
        let reception = app.store.get_reception(r.id).await.unwrap();
        assert_eq!(reception.version, r.version + 1, "one transition");

        // Every field of both parts, on paper and in Excel.
        let expected = [
            "申请人",
            "申请部门",
            "对接人",
            "来宾单位",
            "来访目的",
            "来访日期",
            "预算",
            "到达时间",
            "离开时间",
            "到达方式",
            "车牌号 / 车次 / 航班号",
            "来宾姓名",
            "职务",
            "来宾电话",
            "随同几人",
            "随同人员",
            "辅助人员",
            "是否派车接送",
            "是否预定车票",
            "是否预定房间",
            "是否预定午餐",
            "是否预定晚餐",
            "是否安排娱乐",
            "对接人（综管部）",
            "接待类型",
            "预留车位",
            "红毯、灯光",
            "欢迎语",
            "水果、点心",
            "茶水",
            "会议室",
            "订餐",
            "礼品",
            "是否与公司领导提前有约",
            "部门负责人是否已批准",
            "其他需准备的物料",
            "锦江饭店",
            "七座商务车",
            "G7",
            "一号会议室",
            "陈总",
            "宣传册",
            "赵强",
            "钱敏",
            "孙伟",
            "老正兴",
            "外滩",
            "热烈欢迎",
            "沪A12345",
            "13912345678",
            "素食",
        ];
        let print = c.get(app.url(&format!("{to}/print"))).send().await.unwrap().text().await.unwrap();
        for e in expected {
            assert!(print.contains(e), "print view lacks {e}");
        }
        let res = c.get(app.url(&format!("{to}/application.xlsx"))).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let cells = xlsx_cells(res.bytes().await.unwrap().to_vec());
        for e in expected {
            assert!(cells.iter().any(|c| c.contains(e)), "application.xlsx lacks {e}");
        }
        let res = h.get(app.url("/receptions.xlsx?state=returned")).send().await.unwrap();
        let cells = xlsx_cells(res.bytes().await.unwrap().to_vec());
        assert!(cells.contains(&r.code) && cells.contains(&"华东电力设计院".to_owned()), "{cells:?}");
        let none = xlsx_cells(
            h.get(app.url("/receptions.xlsx?state=approved")).send().await.unwrap().bytes().await.unwrap().to_vec(),
        );
        assert!(!none.contains(&r.code), "the list's filters apply to the export");
        app.stop().await;
    })
    .await;
}

/// Every non-empty cell of the first sheet of an .xlsx file.
pub fn xlsx_cells(bytes: Vec<u8>) -> Vec<String> {
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("an .xlsx file");
    let range = wb.worksheet_range_at(0).expect("a sheet").expect("readable");
    range.rows().flat_map(|r| r.iter().map(|c| c.to_string())).filter(|s| !s.is_empty()).collect()
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
