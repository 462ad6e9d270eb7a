//! The reception list on the page and in the API: the total, the previous page as well as
//! the next, an impossible filter explained, a search of several words, cards on a phone,
//! and days written as people read them.

use serde_json::json;

use crate::harness::{browser, each_engine, sign_in, text_of};
use crate::receptions::{api, visit_day};

/// Every `href` of the elements matching a selector.
fn links(html: &str, selector: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel).filter_map(|e| e.value().attr("href")).map(|h| h.replace("&amp;", "&")).collect()
}

/// Sets the language of the user whose API client this is (pages follow the user's).
async fn speak(req: &crate::receptions::Api<'_>, language: &str) {
    let (s, me) = req.call(reqwest::Method::PATCH, "/api/v1/me", Some(json!({ "language": language }))).await;
    assert_eq!(s, 200, "{me}");
}

/// The texts of the elements matching a selector.
fn texts(html: &str, selector: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel).map(|e| e.text().collect::<String>().trim().to_owned()).collect()
}

#[tokio::test]
async fn list_shows_total_and_previous_page() {
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let req = api(&app, &host.requester).await;
        let orgs = ["甲公司", "乙公司", "丙公司", "丁公司", "戊公司"];
        for (i, org) in orgs.iter().enumerate() {
            let day = visit_day(20 + i as i64 * 7);
            let (s, _) = req
                .post("/api/v1/receptions", json!({"guest_organization": org, "visit_start": day, "tier": "simple"}))
                .await;
            assert_eq!(s, 201);
        }
        // The API: forwards to the end, then backwards to the start, with the total on
        // every page, in visit order and newest first.
        for (sort, order) in [("visit", orgs.to_vec()), ("-visit", orgs.iter().rev().copied().collect())] {
            let mut pages: Vec<Vec<String>> = Vec::new();
            let mut path = format!("/api/v1/receptions?limit=2&sort={sort}");
            let last = loop {
                let (s, page) = req.get(&path).await;
                assert_eq!(s, 200, "{page}");
                assert_eq!(page["total"], 5, "{page}");
                pages.push(
                    page["items"].as_array().unwrap().iter().map(|i| i["guest_organization"].to_string()).collect(),
                );
                if pages.len() == 1 {
                    assert!(page["prev"].is_null(), "the first page has no previous one: {page}");
                }
                match page["next"].as_str() {
                    Some(c) => path = format!("/api/v1/receptions?limit=2&sort={sort}&cursor={c}"),
                    None => break page,
                }
            };
            let seen: Vec<String> = pages.concat();
            let want: Vec<String> = order.iter().map(|o| format!("\"{o}\"")).collect();
            assert_eq!(seen, want, "{sort}: every row once");
            let mut back = Vec::new();
            let mut prev = last["prev"].as_str().map(str::to_owned);
            while let Some(c) = prev {
                assert!(c.starts_with('-'), "a previous page's cursor: {c}");
                let (s, page) = req.get(&format!("/api/v1/receptions?limit=2&sort={sort}&cursor={c}")).await;
                assert_eq!(s, 200, "{page}");
                assert_eq!(page["total"], 5);
                assert!(page["next"].is_string(), "a previous page has a next one: {page}");
                back.push(
                    page["items"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|i| i["guest_organization"].to_string())
                        .collect::<Vec<_>>(),
                );
                prev = page["prev"].as_str().map(str::to_owned);
            }
            back.reverse();
            assert_eq!(back, pages[..pages.len() - 1].to_vec(), "{sort}: the same pages backwards");
        }
        let (_, filtered) = req.get("/api/v1/receptions?q=丙").await;
        assert_eq!((filtered["total"].as_u64(), filtered["prev"].is_null()), (Some(1), true));

        // The page: the total, and a previous page link once past the first.
        speak(&req, "en").await;
        let b = browser();
        sign_in(&app, &b, &host.requester.username).await;
        let get = |path: String| {
            let b = b.clone();
            let url = app.url(&path);
            async move {
                let res = b.get(url).send().await.unwrap();
                assert_eq!(res.status(), 200, "{path}");
                res.text().await.unwrap()
            }
        };
        let first = get("/receptions?limit=2".into()).await;
        assert_eq!(text_of(&first, ".list-total").as_deref(), Some("5 receptions"));
        assert!(links(&first, "a[rel=prev]").is_empty(), "no previous page on the first");
        let next = links(&first, "a[rel=next]");
        assert_eq!(next.len(), 1, "{first}");
        let second = get(next[0].clone()).await;
        assert_eq!(text_of(&second, ".list-total").as_deref(), Some("5 receptions"));
        let prev = links(&second, "a[rel=prev]");
        assert_eq!(prev.len(), 1, "{second}");
        let back = get(prev[0].clone()).await;
        assert_eq!(
            texts(&back, ".reception-list tbody tr td:first-child"),
            texts(&first, ".reception-list tbody tr td:first-child"),
            "the previous page is the first again"
        );
        assert!(links(&back, "a[rel=prev]").is_empty());
        // Past the last row, the way back is the first page.
        let beyond = get("/receptions?limit=2&sort=visit&cursor=2100-12-31.999".into()).await;
        assert!(text_of(&beyond, ".empty-state").is_some());
        assert_eq!(links(&beyond, "a[rel=prev]"), vec!["/receptions?sort=visit&limit=2".to_owned()]);
        speak(&req, "zh-CN").await;
        let zh = get("/receptions".into()).await;
        assert_eq!(text_of(&zh, ".list-total").as_deref(), Some("共 5 条"));
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn impossible_date_filter_is_explained() {
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let req = api(&app, &host.requester).await;
        let (s, _) =
            req.post("/api/v1/receptions", json!({"guest_organization": "甲公司", "visit_start": visit_day(20)})).await;
        assert_eq!(s, 201);
        let (s, e) = req.get("/api/v1/receptions?from=2026-12-10&to=2026-12-01").await;
        assert_eq!(s, 422, "{e}");
        let fields: Vec<&str> = e["errors"].as_array().unwrap().iter().filter_map(|f| f["field"].as_str()).collect();
        assert_eq!(fields, vec!["to"], "{e}");
        assert_eq!(e["errors"][0]["code"], "end_before_start");
        // Every problem at once.
        let (s, e) = req.get("/api/v1/receptions?from=2026-12-10&to=2026-12-01&tier=gold").await;
        assert_eq!(s, 422);
        assert_eq!(e["errors"].as_array().unwrap().len(), 2, "{e}");
        // The same day at both ends is a day, not a problem.
        let (s, _) = req.get("/api/v1/receptions?from=2026-12-10&to=2026-12-10").await;
        assert_eq!(s, 200);

        speak(&req, "en").await;
        let b = browser();
        sign_in(&app, &b, &host.requester.username).await;
        let res = b.get(app.url("/receptions?from=2026-12-10&to=2026-12-01&tier=gold")).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let html = res.text().await.unwrap();
        let problems = texts(&html, "form.filters .filter-problems li");
        assert_eq!(problems.len(), 2, "both problems, beside the filters: {html}");
        assert!(problems.iter().any(|p| p.contains("end date cannot be before")), "{problems:?}");
        assert!(text_of(&html, ".empty-state").is_none(), "no silent empty list");
        assert!(text_of(&html, "input#to[aria-invalid=true]").is_some(), "the field is marked");
        let kept = scraper::Html::parse_document(&html);
        let sel = scraper::Selector::parse("input#from").unwrap();
        assert_eq!(kept.select(&sel).next().unwrap().value().attr("value"), Some("2026-12-10"), "what was typed kept");
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn search_matches_every_word() {
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let req = api(&app, &host.requester).await;
        for (org, guest) in [("华东电力设计院", "李明"), ("华东建筑集团", "王强"), ("西南电力公司", "李明")]
        {
            let (s, _) = req
                .post(
                    "/api/v1/receptions",
                    json!({"guest_organization": org, "guest_name": guest, "visit_start": visit_day(20)}),
                )
                .await;
            assert_eq!(s, 201);
        }
        let orgs = |v: &serde_json::Value| {
            let mut o: Vec<String> = v["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["guest_organization"].as_str().unwrap().to_owned())
                .collect();
            o.sort();
            o
        };
        let (_, one) = req.get("/api/v1/receptions?q=华东").await;
        assert_eq!(one["total"], 2);
        // Each word must match somewhere: the organisation one, the guest another.
        let (_, both) = req.get("/api/v1/receptions?q=%E5%8D%8E%E4%B8%9C%20%E6%9D%8E%E6%98%8E").await;
        assert_eq!(orgs(&both), vec!["华东电力设计院"], "{both}");
        assert_eq!(both["total"], 1);
        // An ideographic space separates words too; a word matching nothing leaves nothing.
        let (_, ideo) = req.get("/api/v1/receptions?q=电力\u{3000}李明").await;
        assert_eq!(orgs(&ideo), vec!["华东电力设计院", "西南电力公司"]);
        let (_, none) = req.get("/api/v1/receptions?q=华东%20张三").await;
        assert_eq!(none["total"], 0);
        // A wildcard is a character like any other.
        let (_, pct) = req.get("/api/v1/receptions?q=%25%20华东").await;
        assert_eq!(pct["total"], 0);
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn on_a_phone_each_reception_is_a_card_with_days_as_people_read_them() {
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let req = api(&app, &host.requester).await;
        let day = visit_day(20);
        let (s, r) = req
            .post(
                "/api/v1/receptions",
                json!({"guest_organization": "甲公司", "visit_start": day, "visit_end": day, "guest_name": "李明",
                    "companion_count": 1, "companions": [{"name": "赵强", "title": "工程师"}]}),
            )
            .await;
        assert_eq!(s, 201, "{r}");
        assert_eq!(r["visit_start"], day.to_string(), "the API keeps ISO days");
        speak(&req, "en").await;
        let b = browser();
        sign_in(&app, &b, &host.requester.username).await;
        let en = |path: &str| {
            let rq = b.get(app.url(path));
            async move { rq.send().await.unwrap().text().await.unwrap() }
        };
        let html = en("/receptions").await;
        let card = text_of(&html, ".reception-cards .reception-card").expect("a card per reception");
        let read = day.format("%a %-d %b %Y").to_string();
        assert!(card.contains(r["code"].as_str().unwrap()) && card.contains("甲公司"), "{card}");
        assert!(card.contains(&read), "{card} has {read}");
        assert!(card.contains("2 guests"), "{card}");
        assert!(text_of(&html, ".reception-card .badge").is_some(), "the state's badge");
        assert!(html.contains(&read), "the table's days are read too");
        // The filter's input keeps the ISO day it was given.
        let filtered = en(&format!("/receptions?from={day}")).await;
        assert!(filtered.contains(&format!("value=\"{day}\"")));
        // The reception page and its timeline.
        let show = en(&format!("/receptions/{}", r["id"])).await;
        assert!(show.contains(&read), "the visit's days on the reception page");
        let due = texts(&show, "#timeline .due");
        assert!(!due.is_empty() && due.iter().all(|d| !d.contains('-') && d.len() > 10), "{due:?}");
        speak(&req, "zh-CN").await;
        let zh = en("/receptions").await;
        let zh_day = chrono::Datelike::month(&day).to_string() + "月" + &chrono::Datelike::day(&day).to_string() + "日";
        assert!(zh.contains(&zh_day), "{zh_day}");
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn a_visit_of_the_longest_length_is_listed_on_its_last_day() {
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let req = api(&app, &host.requester).await;
        let start = visit_day(20);
        let end = start + chrono::Duration::days(jiedai_domain::reception::MAX_VISIT_DAYS);
        let body = json!({"guest_organization": "长访团", "purpose": "驻场", "visit_start": start, "visit_end": end});
        let (s, r) = req.post("/api/v1/receptions", body).await;
        assert_eq!(s, 201, "{r}");
        // Still going on its last day, and on no day after it.
        let (_, page) = req.get(&format!("/api/v1/receptions?from={end}&to={end}")).await;
        assert_eq!(page["total"], 1, "{page}");
        let after = end + chrono::Duration::days(1);
        let (_, page) = req.get(&format!("/api/v1/receptions?from={after}")).await;
        assert_eq!(page["total"], 0, "{page}");
        app.stop().await;
    })
    .await;
}
