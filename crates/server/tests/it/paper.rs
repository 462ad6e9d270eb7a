//! The application form as the paper has it: the print view's labels, tiers and approval
//! line; the .xlsx in the paper's order with typed cells and A4 set-up; the cancel page's
//! buttons; the procedure editor's messages and the comparison of versions.

use std::io::Read;

use calamine::{Data, Reader};
use serde_json::json;

use crate::harness::{TestApp, browser, csrf_of, each_engine, form_fields, set_field, sign_in, text_of};
use crate::receptions::{api, visit_day, whole_form};

/// A request with every field filled, submitted and approved by the department's head;
/// gives the reception's id and the head's display name.
async fn approved_request(app: &TestApp) -> (i64, String, String) {
    let host = app.host_department("市场部").await;
    let req = api(app, &host.requester).await;
    let head = api(app, &host.head).await;
    let (s, r) = req.post("/api/v1/receptions", whole_form(visit_day(40))).await;
    assert_eq!(s, 201, "{r}");
    let id = r["id"].as_i64().unwrap();
    let path = format!("/api/v1/receptions/{id}");
    let (s, r) = req.post(&format!("{path}/submit"), json!({"version": r["version"]})).await;
    assert_eq!(s, 200, "{r}");
    let (s, r) = head.post(&format!("{path}/approve"), json!({"version": r["version"], "comment": "同意"})).await;
    assert_eq!(s, 200, "{r}");
    (id, host.requester.username.clone(), host.head.display_name.clone())
}

fn texts(html: &str, selector: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    doc.select(&scraper::Selector::parse(selector).unwrap())
        .map(|e| e.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

async fn switch_to_english(app: &TestApp, c: &reqwest::Client) {
    let csrf = crate::harness::page_csrf(app, c, "/").await;
    let res = c.post(app.url("/language")).form(&[("csrf", csrf.as_str()), ("lang", "en"), ("next", "/")]).send().await;
    assert_eq!(res.unwrap().status(), 303);
}

#[tokio::test]
async fn print_view_labels_details_as_on_paper() {
    each_engine(|app| async move {
        let (id, requester, head_name) = approved_request(&app).await;
        let c = browser();
        sign_in(&app, &c, &requester).await;
        let html = c.get(app.url(&format!("/receptions/{id}/print"))).send().await.unwrap().text().await.unwrap();
        let labels = texts(&html, ".detail-label");
        for l in [
            "需要车型：",
            "车次：",
            "张数：",
            "酒店：",
            "房间号：",
            "餐厅：",
            "人数：",
            "地点：",
            "规格：",
            "物品：",
            "批准人：",
        ] {
            assert!(labels.iter().any(|x| x == l), "{l} in {labels:?}");
        }
        let rows = texts(&html, "table.paper-table th[scope=row]");
        for l in [
            "申请人",
            "来访日期",
            "随同几人",
            "是否派车接送",
            "是否预定房间",
            "接待类型",
            "部门负责人是否已批准本次接待",
            "其他需要提前准备的材料",
        ] {
            assert!(rows.iter().any(|x| x == l), "{l} in {rows:?}");
        }
        // The three tiers with their standards, the chosen one ticked.
        let marks = texts(&html, ".mark");
        for t in ["高端（荐 ¥150.00/人）", "商务（荐 ¥80.00/人）", "简约（荐 ¥50.00/人）"] {
            assert!(marks.iter().any(|m| m.ends_with(t)), "{t} in {marks:?}");
        }
        let ticked = texts(&html, ".mark.on");
        assert!(ticked.contains(&"☑ 商务（荐 ¥80.00/人）".to_owned()), "{ticked:?}");
        assert!(!ticked.iter().any(|m| m.contains("高端")), "{ticked:?}");
        // Approved: by whom and when.
        let approval = texts(&html, "tr").into_iter().find(|r| r.starts_with("部门负责人是否已批准本次接待")).unwrap();
        assert!(approval.contains("☑ 是") && approval.contains(&head_name), "{approval}");
        let year = chrono::Utc::now().format("%Y").to_string();
        assert!(approval.contains(&format!("批准时间：{year}-")), "{approval}");
        // Parts one and two as sections, the second one on a sheet of its own.
        assert_eq!(texts(&html, "section.paper-part > h2"), vec!["接待申请单（一）", "接待申请单（二）"]);
        assert!(html.contains("class=\"paper-part part-two\""));
        let css = c.get(app.url("/assets/app.css")).send().await.unwrap().text().await.unwrap();
        assert!(
            css.contains(".paper-part > h2 {") && css.contains("break-after: avoid"),
            "headings keep with what follows"
        );

        switch_to_english(&app, &c).await;
        let html = c.get(app.url(&format!("/receptions/{id}/print"))).send().await.unwrap().text().await.unwrap();
        let labels = texts(&html, ".detail-label");
        for l in ["Vehicle type:", "Train number:", "Tickets:", "Room numbers:", "Restaurant:", "Approved by:"] {
            assert!(labels.iter().any(|x| x == l), "{l} in {labels:?}");
        }
        let rows = texts(&html, "table.paper-table th[scope=row]");
        for l in ["Has the head of the department approved this reception?", "Other material to prepare in advance"] {
            assert!(rows.iter().any(|x| x == l), "{l} in {rows:?}");
        }
        assert!(texts(&html, ".mark.on").iter().any(|m| m.contains("Business (recommended ¥80.00 per person)")));
        app.stop().await;
    })
    .await;
}

/// The cells of the first sheet by row, and the sheet's XML and the workbook's styles.
pub fn read_xlsx(bytes: &[u8]) -> (Vec<Vec<Data>>, String, String, String) {
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let name = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&name).unwrap();
    let rows = range.rows().map(<[Data]>::to_vec).collect();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut read = |path: &str| {
        let mut s = String::new();
        zip.by_name(path).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    (rows, read("xl/worksheets/sheet1.xml"), read("xl/styles.xml"), read("xl/workbook.xml"))
}

#[tokio::test]
async fn application_xlsx_has_typed_cells_and_a4_setup() {
    each_engine(|app| async move {
        let (id, requester, head_name) = approved_request(&app).await;
        let c = browser();
        sign_in(&app, &c, &requester).await;
        let res = c.get(app.url(&format!("/receptions/{id}/application.xlsx"))).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let (rows, sheet, styles, workbook) = read_xlsx(&res.bytes().await.unwrap());
        let label = |r: &Vec<Data>| r.first().map(|d| d.to_string().trim().to_owned()).unwrap_or_default();
        let find = |l: &str| rows.iter().position(|r| label(r) == l).unwrap_or_else(|| panic!("{l} in the sheet"));
        let value = |l: &str| rows[find(l)][1].clone();

        // In the paper's order: companions and support staff in part one, before its questions.
        let order = [
            "来宾单位",
            "来访日期",
            "随同人员",
            "辅助人员",
            "是否派车接送",
            "接待申请单（二）",
            "接待类型",
            "其他需要提前准备的材料",
        ];
        let at: Vec<usize> = order.iter().map(|l| find(l)).collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{order:?} at {at:?}");
        assert!(rows.iter().any(|r| r.iter().any(|d| *d == "赵强")));

        // Numbers as numbers, money as a number in a ¥ format, days and times as dates.
        assert_eq!(value("随同几人"), Data::Float(2.0));
        assert_eq!(value("预算"), Data::Float(300.0), "the budget in yuan");
        assert_eq!(value("张数"), Data::Float(4.0));
        assert!(matches!(value("来访日期"), Data::DateTime(_)), "{:?}", value("来访日期"));
        assert!(matches!(value("到达时间"), Data::DateTime(_)), "{:?}", value("到达时间"));
        assert!(matches!(value("批准时间"), Data::DateTime(_)), "{:?}", value("批准时间"));
        assert_eq!(value("批准人"), Data::String(head_name));
        assert!(styles.contains("formatCode=\"&quot;¥&quot;#,##0.00\""), "a ¥ format: {styles}");
        assert!(styles.contains("formatCode=\"yyyy-mm-dd\""));

        // Set up to print on A4, one page wide, with margins and the title on every page.
        assert!(sheet.contains("paperSize=\"9\""), "{sheet}");
        assert!(sheet.contains("<pageSetUpPr fitToPage=\"1\"/>") && sheet.contains("fitToHeight=\"0\""), "{sheet}");
        assert!(sheet.contains("<pageMargins left=\"0.6\""), "{sheet}");
        assert!(workbook.contains("_xlnm.Print_Titles"), "{workbook}");
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn the_cancel_page_says_cancel_the_reception_and_back() {
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let (s, r) = api(&app, &host.requester).await.post("/api/v1/receptions", whole_form(visit_day(30))).await;
        assert_eq!(s, 201, "{r}");
        let c = browser();
        sign_in(&app, &c, &host.requester.username).await;
        let page = format!("/receptions/{}/cancel", r["id"]);
        let html = c.get(app.url(&page)).send().await.unwrap().text().await.unwrap();
        assert_eq!(texts(&html, "form.stack button[type=submit]"), vec!["取消接待"]);
        assert_eq!(texts(&html, "form.stack .form-actions a.btn"), vec!["返回"]);
        switch_to_english(&app, &c).await;
        let html = c.get(app.url(&page)).send().await.unwrap().text().await.unwrap();
        assert_eq!(texts(&html, "form.stack button[type=submit]"), vec!["Cancel the reception"]);
        assert_eq!(texts(&html, "form.stack .form-actions a.btn"), vec!["Back"]);
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn procedure_errors_name_things_as_people_do_on_the_row_they_changed() {
    each_engine(|app| async move {
        app.user("stageadmin", &["admin"]).await;
        let c = browser();
        sign_in(&app, &c, "stageadmin").await;
        let html = c.get(app.url("/admin/procedure/stages")).send().await.unwrap().text().await.unwrap();
        let mut fields = form_fields(&html, "form.rows-form");
        // 工作分配 (T-4) moved after 准备工作 (T-2): told on its own row, by name.
        set_field(&mut fields, "stages[1].offset_working_days", "-1");
        let res = c.post(app.url("/admin/procedure/stages")).form(&fields).send().await.unwrap();
        assert_eq!(res.status(), 422);
        let html = res.text().await.unwrap();
        assert_eq!(
            text_of(&html, "#stages-1--offset_working_days-error").unwrap(),
            "期限不能晚于下一阶段（准备工作 T-2）。"
        );
        assert!(text_of(&html, "#stages-2--offset_working_days-error").is_none(), "not on the row left as it was");
        assert!(!texts(&html, ".field-error").iter().any(|m| m.contains("preparation")), "no stage key in messages");

        // A standard per person too large is told next to its own input.
        let html = c.get(app.url("/admin/procedure")).send().await.unwrap().text().await.unwrap();
        let form = vec![
            ("csrf", csrf_of(&html)),
            ("version", "1".to_owned()),
            ("effective_from", "2027-01-01".to_owned()),
            ("high_end", "150".to_owned()),
            ("business", "200000".to_owned()),
            ("simple", "50".to_owned()),
        ];
        let res = c.post(app.url("/admin/procedure/tiers")).form(&form).send().await.unwrap();
        assert_eq!(res.status(), 422);
        let html = res.text().await.unwrap();
        assert!(text_of(&html, "#business-error").is_some(), "{html}");
        assert!(text_of(&html, "#high_end-error").is_none());

        switch_to_english(&app, &c).await;
        let html = c.get(app.url("/admin/procedure/stages")).send().await.unwrap().text().await.unwrap();
        let mut fields = form_fields(&html, "form.rows-form");
        set_field(&mut fields, "stages[2].offset_working_days", "-5");
        let html = c.post(app.url("/admin/procedure/stages")).form(&fields).send().await.unwrap().text().await.unwrap();
        let msg = text_of(&html, "#stages-2--offset_working_days-error").unwrap();
        assert!(
            msg.starts_with("The deadline cannot come before the previous stage's (") && msg.contains("T-4"),
            "{msg}"
        );
        assert!(!msg.contains("assignment"), "{msg}");
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn the_procedure_comparison_lists_changed_settings_only() {
    each_engine(|app| async move {
        app.user("diffadmin", &["admin"]).await;
        let c = browser();
        sign_in(&app, &c, "diffadmin").await;
        let html = c.get(app.url("/admin/procedure/stages")).send().await.unwrap().text().await.unwrap();
        let mut fields = form_fields(&html, "form.rows-form");
        set_field(&mut fields, "stages[1].offset_working_days", "-3");
        let res = c.post(app.url("/admin/procedure/stages")).form(&fields).send().await.unwrap();
        assert_eq!(res.status(), 303);
        let html = c.get(app.url("/procedure/diff?from=1&to=2")).send().await.unwrap().text().await.unwrap();
        assert_eq!(texts(&html, ".diff-list h2"), vec!["推进计划"]);
        assert_eq!(texts(&html, ".diff-row h3"), vec!["修改 工作分配"]);
        assert_eq!(texts(&html, "table.diff-table tbody th"), vec!["期限（相对 T 的工作日）"]);
        assert_eq!(
            (texts(&html, "table.diff-table del"), texts(&html, "table.diff-table ins")),
            (vec!["T-4".to_owned()], vec!["T-3".to_owned()])
        );
        assert_eq!(texts(&html, ".diff-unchanged summary"), vec!["其余 5 项未变"]);
        assert!(!html.contains("offset_working_days =") && !html.contains("<pre"), "no raw file");
        let none = c.get(app.url("/procedure/diff?from=1&to=1")).send().await.unwrap().text().await.unwrap();
        assert!(none.contains("两个版本内容相同"));

        switch_to_english(&app, &c).await;
        let html = c.get(app.url("/procedure/diff?from=1&to=2")).send().await.unwrap().text().await.unwrap();
        assert_eq!(texts(&html, ".diff-unchanged summary"), vec!["5 other rows unchanged"]);
        app.stop().await;
    })
    .await;
}
