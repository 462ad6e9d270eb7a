//! The settlement page through its forms: a line typed wrong comes back with what was typed,
//! a proposed line of the item list confirmed with one tap, submitted, returned by finance
//! with a comment (needed), submitted again and approved; the period's list for finance.

use crate::day::taken_on_today;
use crate::harness::{TestApp, browser, each_engine, form_fields, set_field, sign_in, text_of};
use crate::receptions::api;

async fn page(app: &TestApp, b: &reqwest::Client, path: &str) -> (u16, String) {
    let res = b.get(app.url(path)).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn post(app: &TestApp, b: &reqwest::Client, path: &str, fields: &[(String, String)]) -> (u16, String, String) {
    let res = b.post(app.url(path)).form(fields).send().await.unwrap();
    let status = res.status().as_u16();
    let to = res.headers().get("location").map(|l| l.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, to, res.text().await.unwrap())
}

fn value_of(html: &str, selector: &str) -> Option<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel).next().and_then(|e| e.value().attr("value").map(str::to_owned))
}

#[tokio::test]
async fn the_settlement_page_takes_expenses_and_proposals_and_goes_through_finance_by_forms() {
    each_engine(|app: TestApp| async move {
        let host = app.host_department("市场部").await;
        let gm = api(&app, &host.coordinator).await;
        let cashier = app.user("cashier", &["finance"]).await;
        let (r, path) = taken_on_today(&app, &host).await;
        let here = format!("/receptions/{}/settlement", r["id"]);
        let b = browser();
        sign_in(&app, &b, &host.coordinator.username).await;
        let (_, show) = page(&app, &b, &format!("/receptions/{}", r["id"])).await;
        assert!(text_of(&show, "#settlement-link").is_some(), "the reception leads to its settlement");

        let (s, html) = page(&app, &b, &here).await;
        assert_eq!(s, 200, "{html}");
        assert!(text_of(&html, "#expenses-empty").is_some(), "{html}");
        assert!(text_of(&html, "#proposals").is_some(), "rented and bought items are proposed: {html}");

        // A line typed wrong comes back with what was typed and the message by its field.
        let mut f = form_fields(&html, "#new-expense form");
        set_field(&mut f, "category", "dinner");
        set_field(&mut f, "amount", "12x");
        set_field(&mut f, "vendor", "老正兴");
        let (s, _, html) = post(&app, &b, &format!("{here}/expenses"), &f).await;
        assert_eq!(s, 422, "{html}");
        assert!(text_of(&html, "#new-amount-error").is_some(), "{html}");
        assert_eq!(value_of(&html, "#new-amount").as_deref(), Some("12x"));
        assert_eq!(value_of(&html, "#new-vendor").as_deref(), Some("老正兴"));
        set_field(&mut f, "amount", "1,280.50");
        let (s, to, _) = post(&app, &b, &format!("{here}/expenses"), &f).await;
        assert_eq!(s, 303);
        assert!(to.starts_with(&format!("{here}#expense-")), "{to}");

        // A proposal of the item list confirmed with one tap, its amount filled in.
        let (_, html) = page(&app, &b, &here).await;
        let doc = scraper::Html::parse_document(&html);
        let sel = scraper::Selector::parse("form.proposal").unwrap();
        let first = doc.select(&sel).next().expect("a proposal").value().attr("id").unwrap().to_owned();
        let mut p = form_fields(&html, &format!("#{first}"));
        set_field(&mut p, "amount", "300");
        let (s, _, _) = post(&app, &b, &format!("{here}/expenses"), &p).await;
        assert_eq!(s, 303);
        let (_, list) = gm.get(&format!("{path}/expenses")).await;
        let lines = list["expenses"].as_array().unwrap();
        assert_eq!(lines.len(), 2, "{list}");
        assert_eq!(lines[0]["amount_fen"], 128050);
        let line_id: i64 = first.trim_start_matches("proposal-").parse().unwrap();
        assert_eq!(lines[1]["item_line_id"], line_id, "{list}");
        assert!(lines[1]["category"] == "rentals" || lines[1]["category"] == "purchases", "{list}");
        let (_, html) = page(&app, &b, &here).await;
        assert!(text_of(&html, &format!("#{first}")).is_none(), "a confirmed proposal is proposed no more");
        assert!(text_of(&html, "#total").unwrap().contains("¥1,580.50"), "{html}");

        // Submitted; finance returns it with a comment, which is needed.
        let f = form_fields(&html, "#submit form");
        let (s, _, _) = post(&app, &b, &format!("{here}/submit"), &f).await;
        assert_eq!(s, 303);
        let fb = browser();
        sign_in(&app, &fb, &cashier.username).await;
        let (_, html) = page(&app, &fb, &here).await;
        assert!(text_of(&html, "#state").unwrap().contains("已提交财务"), "{html}");
        let d = form_fields(&html, "#decide form");
        let (s, _, html) = post(&app, &fb, &format!("{here}/return"), &d).await;
        assert_eq!(s, 422, "{html}");
        assert!(text_of(&html, "#comment-error").is_some(), "{html}");
        let mut d = form_fields(&html, "#decide form");
        set_field(&mut d, "comment", "请补充晚宴发票");
        let (s, _, _) = post(&app, &fb, &format!("{here}/return"), &d).await;
        assert_eq!(s, 303);

        // Back to General Management: returned with the comment, submitted again, approved.
        let (_, html) = page(&app, &b, &here).await;
        assert!(text_of(&html, "#settlement-comment").unwrap().contains("请补充晚宴发票"), "{html}");
        assert!(text_of(&html, "#new-expense").is_some(), "editable again");
        let f = form_fields(&html, "#submit form");
        let (s, _, _) = post(&app, &b, &format!("{here}/submit"), &f).await;
        assert_eq!(s, 303);
        let (_, html) = page(&app, &fb, &here).await;
        let d = form_fields(&html, "#decide form");
        let (s, _, _) = post(&app, &fb, &format!("{here}/approve"), &d).await;
        assert_eq!(s, 303);
        let (_, html) = page(&app, &b, &here).await;
        assert!(text_of(&html, "#state").unwrap().contains("已批准"), "{html}");
        assert!(text_of(&html, "#new-expense").is_none() && text_of(&html, "#new-adjusting").is_some(), "{html}");
        assert!(text_of(&html, "#history").unwrap().contains("cashier"), "{html}");

        // The period's list: finance sees it with the exports; a requester may not.
        let (s, html) = page(&app, &fb, "/settlements").await;
        assert_eq!(s, 200, "{html}");
        let table = text_of(&html, "#settlements").unwrap();
        assert!(table.contains(r["code"].as_str().unwrap()) && table.contains("¥1,580.50"), "{table}");
        assert!(text_of(&html, "#export-csv").is_some());
        // A reversed period is told above the list, the days typed kept.
        let (s, html) = page(&app, &fb, "/settlements?from=2026-12-31&to=2026-01-01").await;
        assert_eq!(s, 200, "{html}");
        assert!(text_of(&html, "#period-problems").unwrap().contains("结束日期不能早于开始日期"), "{html}");
        assert!(html.contains("value=\"2026-12-31\""), "what was typed stays");
        let rb = browser();
        sign_in(&app, &rb, &host.requester.username).await;
        let (s, _) = page(&app, &rb, "/settlements").await;
        assert_eq!(s, 403);
        app.stop().await;
    })
    .await;
}
