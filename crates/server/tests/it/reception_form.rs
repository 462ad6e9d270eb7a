//! The application form in a browser without JavaScript: every field, mistakes kept as
//! typed, more rows, one request per double click, the print view and the exports.

use chrono::{Duration, NaiveDate};

use crate::harness::each_engine;
use crate::receptions::visit_day;

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
        more.push(("intent".into(), "more_companions".into()));
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
        // The history, newest first: the return with its comment, then the submission.
        let doc = scraper::Html::parse_document(&page);
        let entries: Vec<String> = doc
            .select(&scraper::Selector::parse("ol.history li").unwrap())
            .map(|li| li.text().collect::<String>())
            .collect();
        assert!(entries.len() >= 2, "{entries:?}");
        assert!(entries[0].contains(&host.head.username) && entries[0].contains("请补充晚餐预算说明"), "{entries:?}");
        assert!(!entries[1].contains("请补充晚餐预算说明"), "a comment belongs to its own entry: {entries:?}");
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
            "车牌号",
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
            "对接人",
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
            "其他需要提前准备的材料",
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

        // In English: counts agree with their number, lists are written with commas.
        let csrf = crate::harness::page_csrf(&app, &c, "/").await;
        let res =
            c.post(app.url("/language")).form(&[("csrf", csrf.as_str()), ("lang", "en"), ("next", "/")]).send().await;
        assert_eq!(res.unwrap().status(), 303);
        let page = c.get(app.url(&to)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("1 night") && !page.contains("1 nights"), "one night");
        assert!(page.contains("6 people"), "six people");
        assert!(page.contains("Green tea, Mineral water") && page.contains("Projector, Clicker"), "lists in English");
        assert!(!page.contains('、'), "no Chinese list comma in English");
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
async fn the_form_knows_which_first_visit_days_are_late_before_anything_is_saved() {
    use crate::harness::{browser, sign_in};
    use crate::receptions::{api, whole_form};
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let c = browser();
        sign_in(&app, &c, &host.requester.username).await;
        let html = c.get(app.url("/receptions/new")).send().await.unwrap().text().await.unwrap();
        let doc = scraper::Html::parse_document(&html);
        let sel = scraper::Selector::parse("#late-box").unwrap();
        let bx = doc.select(&sel).next().expect("the late box is on the page, hidden until a late day is typed");
        assert!(bx.value().attr("hidden").is_some());
        let on_time: NaiveDate = bx.value().attr("data-late-on-time").unwrap().parse().unwrap();
        let deadlines: serde_json::Value =
            serde_json::from_str(bx.value().attr("data-late-deadlines").unwrap()).unwrap();
        let day_before = on_time - Duration::days(1);
        let missed = deadlines[day_before.to_string()].as_str().expect("the day before the first on time is late");
        assert!(deadlines.get(on_time.to_string()).is_none());
        assert!(bx.value().attr("data-late-template").unwrap().contains("{deadline}"));

        // The page says what a saved draft says.
        let req = api(&app, &host.requester).await;
        for (day, late) in [(day_before, true), (on_time, false)] {
            let (s, r) = req.post("/api/v1/receptions", whole_form(day)).await;
            assert_eq!(s, 201, "{r}");
            assert_eq!(r["late_if_submitted_today"], late, "{day}: {r}");
            if late {
                let deadline: NaiveDate = r["proposal_deadline"].as_str().unwrap().parse().unwrap();
                let (m, d) = (chrono::Datelike::month(&deadline), chrono::Datelike::day(&deadline));
                assert!(missed.contains(&format!("{m}月{d}日")), "{missed} vs {deadline}");
            }
        }
        app.stop().await;
    })
    .await;
}
