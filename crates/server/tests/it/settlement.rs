//! The settlement of a reception: expenses with receipts, budget against actual, submit,
//! return with a comment, correct, approve, locked, adjusting lines, the statement printed
//! and the period's exports adding up, finance told and the submitter told back.

use std::time::Duration;

use serde_json::{Value, json};

use crate::day::{taken_on_today, today};
use crate::harness::{TestApp, api_client, browser, each_engine, sign_in};
use crate::receptions::{Api, api, whole_form};

/// A real 1×1 PNG.
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49,
    0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D,
    0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

async fn upload(app: &TestApp, token: &str, expense: &Value, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()).mime_str("application/pdf").unwrap();
    api_client()
        .post(app.url(&format!("/api/v1/expenses/{}/receipts", expense["id"])))
        .bearer_auth(token)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap()
}

fn codes(e: &Value) -> Vec<(String, String)> {
    e["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|x| (x["field"].as_str().unwrap_or("").to_owned(), x["code"].as_str().unwrap_or("").to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

fn category<'a>(s: &'a Value, c: &str) -> &'a Value {
    s["by_category"].as_array().unwrap().iter().find(|r| r["category"] == c).unwrap()
}

async fn first_notification(who: &Api<'_>, event: &str) -> Value {
    for _ in 0..100 {
        let (_, list) = who.get("/api/v1/me/notifications").await;
        if let Some(i) = list["items"].as_array().and_then(|a| a.iter().find(|i| i["event"] == event)) {
            return i.clone();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no {event} notification")
}

#[tokio::test]
async fn a_settlement_goes_from_expenses_with_receipts_through_return_and_approval_to_locked_with_adjustments() {
    each_engine(|app: TestApp| async move {
        let host = app.host_department("市场部").await;
        let gm = api(&app, &host.coordinator).await;
        let gm_token = app.token(&host.coordinator).await;
        let req = api(&app, &host.requester).await;
        let cashier = app.user("cashier", &["finance"]).await;
        let finance = api(&app, &cashier).await;
        let day = today();
        let dinner = json!({"category": "dinner", "amount_fen": 150000, "date": day, "paid_by": "company",
            "vendor": "老正兴", "note": "晚宴 6 人"});

        // Before take-on, no expense.
        let (_, draft) = req.post("/api/v1/receptions", whole_form(day)).await;
        let (s, e) = gm.post(&format!("/api/v1/receptions/{}/expenses", draft["id"]), dinner.clone()).await;
        assert_eq!((s, e["code"].as_str()), (409, Some("reception_not_taken_on")), "{e}");

        let (r, path) = taken_on_today(&app, &host).await;
        let id = r["id"].as_i64().unwrap();
        let expenses = format!("{path}/expenses");

        // Only General Management writes expenses; every problem at once.
        let (s, _) = finance.post(&expenses, dinner.clone()).await;
        assert_eq!(s, 403, "finance approves, it does not write expenses");
        let (s, _) = req.post(&expenses, dinner.clone()).await;
        assert_eq!(s, 403);
        let (s, e) = gm.post(&expenses, json!({"amount_fen": -5, "vendor": "x".repeat(65)})).await;
        assert_eq!(s, 422, "{e}");
        let found = codes(&e);
        for want in [("category", "required"), ("amount_fen", "negative_amount"), ("date", "required"), ("vendor", "too_long")] {
            assert!(found.contains(&(want.0.to_owned(), want.1.to_owned())), "{want:?} in {e}");
        }
        let (s, e) = gm.post(&expenses, json!({"category": "other", "amount_fen": 1_000_000_001i64, "date": day})).await;
        assert_eq!((s, codes(&e)[0].1.as_str()), (422, "amount_too_large"), "{e}");

        let (s, d) = gm.post(&expenses, dinner.clone()).await;
        assert_eq!(s, 201, "{d}");
        assert_eq!((d["amount_fen"].as_i64(), d["paid_by"].as_str()), (Some(150000), Some("company")), "{d}");
        let (s, hotel) = gm
            .post(&expenses, json!({"category": "hotel", "amount_fen": 50000, "date": day, "paid_by": host.coordinator.id.get(), "vendor": "锦江饭店"}))
            .await;
        assert_eq!((s, hotel["paid_by"].as_i64()), (201, Some(i64::from(host.coordinator.id.get()))), "{hotel}");

        // Receipts: a real PNG is taken and served back as a download; a "pdf" that is not
        // one is refused; 18 MB is refused before it is read whole.
        let res = upload(&app, &gm_token, &d, "发票.pdf", PNG.to_vec()).await;
        assert_eq!(res.status().as_u16(), 201);
        let receipt: Value = res.json().await.unwrap();
        assert_eq!((receipt["name"].as_str(), receipt["content_type"].as_str()), (Some("发票.png"), Some("image/png")));
        let res = upload(&app, &gm_token, &d, "invoice.pdf", b"not a pdf at all".to_vec()).await;
        assert_eq!(res.status().as_u16(), 422);
        let e: Value = res.json().await.unwrap();
        assert_eq!(codes(&e)[0].1, "unsupported_file_type", "{e}");
        let res = upload(&app, &gm_token, &d, "big.pdf", vec![b'%'; 18 * 1024 * 1024]).await;
        assert_eq!(res.status().as_u16(), 413);
        let got = api_client().get(app.url(&format!("/api/v1/receipts/{}", receipt["id"]))).bearer_auth(&gm_token).send().await.unwrap();
        assert_eq!(got.status().as_u16(), 200);
        assert!(got.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
        assert_eq!(got.headers()["content-type"], "image/png");
        assert_eq!(got.bytes().await.unwrap().to_vec(), PNG);
        let (_, list) = gm.get(&expenses).await;
        assert_eq!(list["expenses"][0]["receipts"][0]["id"], receipt["id"], "{list}");
        assert_eq!(list["total_fen"], 200000);

        // Budget against actual: dinner over its budget, the whole over the reception's, the
        // cost per guest over the business tier's ¥80.
        let (s, st) = req.get(&format!("{path}/settlement")).await;
        assert_eq!(s, 200, "{st}");
        assert_eq!((st["state"].as_str(), st["total_fen"].as_i64()), (Some("open"), Some(200000)), "{st}");
        assert_eq!(st["budget_fen"], 30000);
        let dinner_row = category(&st, "dinner");
        assert_eq!((dinner_row["budget_fen"].as_i64(), dinner_row["actual_fen"].as_i64()), (Some(120000), Some(150000)));
        assert_eq!(dinner_row["overrun"]["amount_fen"], 30000);
        assert_eq!(dinner_row["overrun"]["percent"], "25.00");
        assert!(category(&st, "hotel")["overrun"].is_null());
        let sum: i64 = st["by_category"].as_array().unwrap().iter().map(|r| r["actual_fen"].as_i64().unwrap()).sum();
        assert_eq!(sum, 200000);
        assert_eq!((st["headcount"].as_i64(), st["per_person_fen"].as_i64()), (Some(4), Some(50000)), "{st}");
        assert_eq!(st["standard_per_person_fen"], 8000);
        assert_eq!(st["per_person_overrun"]["amount_fen"], 42000);
        let version = st["version"].clone();

        // Submitted: locked for General Management; finance is told.
        let (s, e) = gm.post(&format!("{path}/settlement/submit"), json!({"version": 1})).await;
        assert_eq!((s, e["code"].as_str()), (409, Some("stale_version")), "{e}");
        let (s, st) = gm.post(&format!("{path}/settlement/submit"), json!({"version": version})).await;
        assert_eq!((s, st["state"].as_str()), (200, Some("submitted")), "{st}");
        let (s, e) = gm.post(&expenses, dinner.clone()).await;
        assert_eq!((s, e["code"].as_str()), (409, Some("settlement_locked")), "{e}");
        let told = first_notification(&finance, "settlement.submitted").await;
        assert_eq!(told["link"], format!("/receptions/{id}/settlement"), "{told}");

        // Returned with a comment (required); editable again, re-submitted.
        let (s, _) = req.post(&format!("{path}/settlement/approve"), json!({"version": st["version"]})).await;
        assert_eq!(s, 403, "the requester does not approve");
        let (s, e) = finance.post(&format!("{path}/settlement/return"), json!({"version": st["version"], "comment": " "})).await;
        assert_eq!((s, codes(&e)[0].clone()), (422, ("comment".to_owned(), "required".to_owned())), "{e}");
        let (s, st) = finance
            .post(&format!("{path}/settlement/return"), json!({"version": st["version"], "comment": "晚宴超预算，请附说明"}))
            .await;
        assert_eq!((s, st["state"].as_str(), st["comment"].as_str()), (200, Some("returned"), Some("晚宴超预算，请附说明")));
        let back = first_notification(&gm, "settlement.returned").await;
        assert!(back["body"].as_str().unwrap().contains("晚宴超预算"), "{back}");
        let mut edited = dinner.clone();
        edited["amount_fen"] = json!(140000);
        edited["note"] = json!("晚宴 6 人，含酒水（已说明）");
        edited["version"] = d["version"].clone();
        let (s, d2) = gm.put(&format!("/api/v1/expenses/{}", d["id"]), edited.clone()).await;
        assert_eq!((s, d2["amount_fen"].as_i64()), (200, Some(140000)), "{d2}");
        let (s, e) = gm.put(&format!("/api/v1/expenses/{}", d["id"]), edited.clone()).await;
        assert_eq!(s, 409, "a stale line version: {e}");
        let (_, st) = gm.get(&format!("{path}/settlement")).await;
        let (s, st) = gm.post(&format!("{path}/settlement/submit"), json!({"version": st["version"]})).await;
        assert_eq!((s, st["state"].as_str()), (200, Some("submitted")), "{st}");

        // Approved at the version read; then locked, corrections only as adjusting lines.
        let (s, e) = finance.post(&format!("{path}/settlement/approve"), json!({"version": 1})).await;
        assert_eq!((s, e["code"].as_str()), (409, Some("stale_version")), "{e}");
        let (s, st) = finance.post(&format!("{path}/settlement/approve"), json!({"version": st["version"]})).await;
        assert_eq!((s, st["state"].as_str()), (200, Some("approved")), "{st}");
        assert!(st["approved_at"].is_string() && st["decided_by"] == cashier.id.get(), "{st}");
        first_notification(&gm, "settlement.approved").await;
        let (s, e) = gm.put(&format!("/api/v1/expenses/{}", d["id"]), dinner.clone()).await;
        assert_eq!((s, e["code"].as_str()), (409, Some("settlement_locked")), "{e}");
        let (s, _) = gm.delete(&format!("/api/v1/expenses/{}", hotel["id"])).await;
        assert_eq!(s, 409);
        let (s, _) = gm.post(&expenses, dinner.clone()).await;
        assert_eq!(s, 409, "an ordinary line after approval");
        let (s, e) = gm.post(&expenses, json!({"adjusting": true, "category": "dinner", "amount_fen": -10000, "date": day})).await;
        assert_eq!((s, codes(&e)[0].clone()), (422, ("reason".to_owned(), "required".to_owned())), "{e}");
        let (s, adj) = gm
            .post(&expenses, json!({"adjusting": true, "category": "dinner", "amount_fen": -10000, "date": day, "reason": "酒水退回"}))
            .await;
        assert_eq!((s, adj["adjusting"].as_bool(), adj["amount_fen"].as_i64()), (201, Some(true), Some(-10000)), "{adj}");
        let (_, st) = gm.get(&format!("{path}/settlement")).await;
        assert_eq!((st["total_fen"].as_i64(), st["adjustments_fen"].as_i64()), (Some(180000), Some(-10000)), "{st}");
        assert_eq!(category(&st, "dinner")["actual_fen"], 130000);

        // The statement prints its totals.
        let b = browser();
        sign_in(&app, &b, &host.coordinator.username).await;
        let html = b.get(app.url(&format!("/receptions/{id}/settlement/print"))).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("¥1,800.00") && html.contains("¥1,300.00") && html.contains("酒水退回"), "{html}");

        // Finance's exports of the period: every line, adding up to the total.
        let ftoken = app.token(&cashier).await;
        let q = format!("from={day}&to={day}");
        let res = api_client().get(app.url(&format!("/api/v1/settlements.csv?{q}"))).bearer_auth(&ftoken).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 200);
        let csv = res.text().await.unwrap();
        let rows: Vec<&str> = csv.lines().collect();
        assert_eq!(rows[0], "reception_code,department,category,amount_yuan,date,paid_by,vendor,note,approved_at,adjusting,reason");
        assert_eq!(rows.len(), 4, "{csv}");
        let code = r["code"].as_str().unwrap();
        assert!(rows[1].starts_with(&format!("{code},市场部,dinner,1400.00,{day},company,老正兴,")), "{csv}");
        assert!(rows[3].contains(",-100.00,") && rows[3].ends_with(",yes,酒水退回"), "{csv}");
        let res = api_client().get(app.url(&format!("/api/v1/settlements.xlsx?{q}"))).bearer_auth(&ftoken).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 200);
        let bytes = res.bytes().await.unwrap().to_vec();
        use calamine::Reader;
        let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let sheet = wb.worksheet_range_at(0).unwrap().unwrap();
        let amounts: Vec<f64> = sheet
            .rows()
            .skip(1)
            .filter_map(|r| match r.get(3) {
                Some(calamine::Data::Float(f)) => Some(*f),
                _ => None,
            })
            .collect();
        assert_eq!(amounts.len(), 4, "three lines and the totals row");
        let lines: i64 = amounts[..3].iter().map(|a| (a * 100.0).round() as i64).sum();
        assert_eq!((lines, (amounts[3] * 100.0).round() as i64), (180000, 180000));
        let gm_export = api_client().get(app.url(&format!("/api/v1/settlements.csv?{q}"))).bearer_auth(&gm_token).send().await.unwrap();
        assert_eq!(gm_export.status().as_u16(), 403, "the exports are finance's");
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn an_approval_of_a_settlement_changed_since_it_was_read_answers_409_and_nobody_but_finance_approves() {
    each_engine(|app: TestApp| async move {
        let host = app.host_department("市场部").await;
        let gm = api(&app, &host.coordinator).await;
        let finance = api(&app, &app.user("cashier", &["finance"]).await).await;
        let staff = api(&app, &app.user("waiter", &["staff"]).await).await;
        let (_, path) = taken_on_today(&app, &host).await;
        let (s, e) = gm
            .post(&format!("{path}/expenses"), json!({"category": "gifts", "amount_fen": 9900, "date": today()}))
            .await;
        assert_eq!(s, 201, "{e}");
        let (_, st) = gm.get(&format!("{path}/settlement")).await;
        let (s, st) = gm.post(&format!("{path}/settlement/submit"), json!({"version": st["version"]})).await;
        assert_eq!(s, 200, "{st}");
        let read = st["version"].clone();
        // Finance returns it and General Management changes and submits it again meanwhile:
        // an approval of the version first read is refused.
        let (_, st) =
            finance.post(&format!("{path}/settlement/return"), json!({"version": read, "comment": "金额有误"})).await;
        let (s, _) = gm
            .put(
                &format!("/api/v1/expenses/{}", e["id"]),
                json!({"category": "gifts", "amount_fen": 9800, "date": today()}),
            )
            .await;
        assert_eq!(s, 200);
        let (_, st2) = gm.get(&format!("{path}/settlement")).await;
        assert!(st2["version"].as_i64() > st["version"].as_i64());
        gm.post(&format!("{path}/settlement/submit"), json!({"version": st2["version"]})).await;
        let (s, e) = finance.post(&format!("{path}/settlement/approve"), json!({"version": read})).await;
        assert_eq!((s, e["code"].as_str()), (409, Some("stale_version")), "{e}");
        let (_, now) = gm.get(&format!("{path}/settlement")).await;
        let (s, _) = gm.post(&format!("{path}/settlement/approve"), json!({"version": now["version"]})).await;
        assert_eq!(s, 403, "General Management does not approve its own settlement");
        let (s, _) = staff.post(&format!("{path}/settlement/approve"), json!({"version": now["version"]})).await;
        assert!(s == 403 || s == 404, "staff do not approve: {s}");
        let (s, st) = finance.post(&format!("{path}/settlement/approve"), json!({"version": now["version"]})).await;
        assert_eq!((s, st["state"].as_str(), st["total_fen"].as_i64()), (200, Some("approved"), Some(9800)), "{st}");
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn who_submitted_a_settlement_does_not_approve_it_even_holding_both_roles() {
    each_engine(|app: TestApp| async move {
        let host = app.host_department("市场部").await;
        let two_hats = app.user("twohats", &["coordinator", "finance"]).await;
        let both = api(&app, &two_hats).await;
        let finance = api(&app, &app.user("cashier", &["finance"]).await).await;
        let (_, path) = taken_on_today(&app, &host).await;
        let line = json!({"category": "gifts", "amount_fen": 9900, "date": today()});
        assert_eq!(both.post(&format!("{path}/expenses"), line).await.0, 201);
        let (_, st) = both.get(&format!("{path}/settlement")).await;
        let (s, st) = both.post(&format!("{path}/settlement/submit"), json!({"version": st["version"]})).await;
        assert_eq!(s, 200, "{st}");
        let (s, e) = both.post(&format!("{path}/settlement/approve"), json!({"version": st["version"]})).await;
        assert_eq!((s, e["code"].as_str()), (409, Some("approve_own_settlement")), "{e}");
        // The page offers them no approval, and says why.
        let b = crate::harness::browser();
        crate::harness::sign_in(&app, &b, &two_hats.username).await;
        let page = format!("{}/settlement", path.replace("/api/v1", ""));
        let html = b.get(app.url(&page)).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("id=\"approve-own\"") && !html.contains("id=\"approve-settlement\""), "{html}");
        assert!(html.contains("id=\"return-settlement\""), "they may still return it");
        let (s, st) = finance.post(&format!("{path}/settlement/approve"), json!({"version": st["version"]})).await;
        assert_eq!((s, st["state"].as_str()), (200, Some("approved")), "{st}");
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn a_cancelled_reception_takes_no_expense() {
    each_engine(|app: TestApp| async move {
        let host = app.host_department("市场部").await;
        let gm = api(&app, &host.coordinator).await;
        let (r, path) = crate::tasks::taken_on(&app, &host).await;
        let (s, e) = gm.post(&format!("{path}/cancel"), json!({"comment": "客户取消来访"})).await;
        assert_eq!(s, 200, "{e}");
        let day = r["visit_start"].clone();
        let (s, e) =
            gm.post(&format!("{path}/expenses"), json!({"category": "other", "amount_fen": 100, "date": day})).await;
        assert_eq!((s, e["code"].as_str()), (409, Some("reception_stopped")), "{e}");
        app.stop().await;
    })
    .await;
}
