//! The pages of notifications: the bell on every page, the list that opens and marks read,
//! a person's e-mail choices, and the administrators' channels and deliveries.

use serde_json::json;

use crate::harness::{TestApp, TestDb, browser, engines, form_fields, page_csrf, set_field, sign_in, text_of};
use crate::notify::{Receiver, eventually, notifying};
use crate::receptions::{api, visit_day, whole_form};

#[tokio::test]
async fn the_bell_counts_and_the_list_opens_what_asks_to_be_done() {
    for engine in engines() {
        let app = TestApp::start_with(TestDb::new(&engine).await, notifying(None)).await;
        let host = app.host_department("市场部").await;
        let req = api(&app, &host.requester).await;
        let (_, r) = req.post("/api/v1/receptions", whole_form(visit_day(40))).await;
        let id = r["id"].as_i64().unwrap();
        let (s, _) = req.post(&format!("/api/v1/receptions/{id}/submit"), json!({"version": r["version"]})).await;
        assert_eq!(s, 200);
        let head = api(&app, &host.head).await;
        for _ in 0..100 {
            if head.get("/api/v1/me/notifications/unread-count").await.1["count"] == 1 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let c = browser();
        sign_in(&app, &c, &host.head.username).await;
        let home = c.get(app.url("/")).send().await.unwrap().text().await.unwrap();
        assert_eq!(text_of(&home, "#bell-count").as_deref(), Some("1"), "the bell counts on every page");
        // What the page's script asks every minute to keep the bell current, with the session.
        let n: serde_json::Value =
            c.get(app.url("/api/v1/me/notifications/unread-count")).send().await.unwrap().json().await.unwrap();
        assert_eq!(n["count"], 1);
        let list = c.get(app.url("/notifications")).send().await.unwrap().text().await.unwrap();
        assert!(
            text_of(&list, ".notification.unread .notification-title").unwrap().contains(r["code"].as_str().unwrap())
        );
        // Opening it marks it read and goes to the reception.
        let fields = form_fields(&list, ".notification form");
        let res = c.post(app.url(&format!("/notifications/{}", id_of(&list)))).form(&fields).send().await.unwrap();
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()["location"], format!("/receptions/{id}"));
        let home = c.get(app.url("/")).send().await.unwrap().text().await.unwrap();
        assert!(text_of(&home, "#bell-count").is_none(), "nothing unread: no count");
        // Someone with nothing yet sees why the list is empty.
        let c2 = browser();
        sign_in(&app, &c2, &host.coordinator.username).await;
        let empty = c2.get(app.url("/notifications")).send().await.unwrap().text().await.unwrap();
        assert!(text_of(&empty, "#no-notifications").is_some());
        // E-mail choices: untick one, saved.
        let page = c.get(app.url("/account/notifications")).send().await.unwrap().text().await.unwrap();
        assert!(text_of(&page, "#no-email").is_some(), "no address: told that only the bell is used");
        let mut fields = form_fields(&page, "#preferences");
        fields.retain(|(n, v)| !(n == "email" && v == "task.due"));
        let res = c.post(app.url("/account/notifications")).form(&fields).send().await.unwrap();
        assert_eq!(res.status(), 303);
        let page = c.get(app.url("/account/notifications")).send().await.unwrap().text().await.unwrap();
        let fields = form_fields(&page, "#preferences");
        assert!(!fields.iter().any(|(n, v)| n == "email" && v == "task.due"));
        assert!(fields.iter().any(|(n, v)| n == "email" && v == "task.overdue"));
        app.stop().await;
    }
}

fn id_of(list: &str) -> String {
    let doc = scraper::Html::parse_document(list);
    let sel = scraper::Selector::parse(".notification form").unwrap();
    let action = doc.select(&sel).next().unwrap().value().attr("action").unwrap().to_owned();
    action.rsplit('/').next().unwrap().to_owned()
}

#[tokio::test]
async fn an_administrator_adds_a_robot_tests_it_and_retries_what_failed() {
    for engine in engines() {
        let (receiver, base) = Receiver::start().await;
        let app = TestApp::start_with(TestDb::new(&engine).await, notifying(None)).await;
        let admin = app.user("boss", &["admin"]).await;
        let c = browser();
        sign_in(&app, &c, &admin.username).await;
        let page = c.get(app.url("/admin/channels")).send().await.unwrap().text().await.unwrap();
        assert!(text_of(&page, "#no-channels").is_some());
        // Every problem at once, nothing typed lost.
        let mut fields = form_fields(&page, "#add-channel form");
        set_field(&mut fields, "name", "综管部群");
        set_field(&mut fields, "url", "qyapi.weixin.qq.com/cgi-bin/webhook/send");
        set_field(&mut fields, "secret", "has space");
        let res = c.post(app.url("/admin/channels")).form(&fields).send().await.unwrap();
        assert_eq!(res.status(), 422);
        let html = res.text().await.unwrap();
        assert!(text_of(&html, "#add-channel .has-error .field-error").is_some(), "{html}");
        let kept = form_fields(&html, "#add-channel form");
        assert!(kept.iter().any(|(n, v)| n == "name" && v == "综管部群"));
        // Right this time: a robot that answers an error in its body.
        set_field(&mut fields, "url", &format!("{base}/refuses?key=0123456789abcdef"));
        set_field(&mut fields, "secret", "");
        let res = c.post(app.url("/admin/channels")).form(&fields).send().await.unwrap();
        assert_eq!(res.status(), 303);
        let page = c.get(app.url("/admin/channels")).send().await.unwrap().text().await.unwrap();
        let url = form_fields(&page, ".channel form").into_iter().find(|(n, _)| n == "url").unwrap().1;
        assert!(url.ends_with("key=***"), "{url}");
        // The test button shows the robot's answer.
        let doc_id = {
            let doc = scraper::Html::parse_document(&page);
            let sel = scraper::Selector::parse(".channel").unwrap();
            doc.select(&sel).next().unwrap().value().attr("id").unwrap().trim_start_matches("channel-").to_owned()
        };
        let csrf = page_csrf(&app, &c, "/admin/channels").await;
        let res = c
            .post(app.url(&format!("/admin/channels/{doc_id}/test")))
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        let html = res.text().await.unwrap();
        assert!(text_of(&html, ".test-result").unwrap().contains("93000"), "{html}");
        assert_eq!(receiver.of("refuses").len(), 1);
        // A request's notification fails there: listed with why, and tried again on demand.
        let host = app.host_department("市场部").await;
        let req = api(&app, &host.requester).await;
        let (_, r) = req.post("/api/v1/receptions", whole_form(visit_day(40))).await;
        let id = r["id"].as_i64().unwrap();
        req.post(&format!("/api/v1/receptions/{id}/submit"), json!({"version": r["version"]})).await;
        eventually("the robot was tried", || receiver.of("refuses").len() >= 2).await;
        let mut html = String::new();
        for _ in 0..100 {
            html = c.get(app.url("/admin/notifications")).send().await.unwrap().text().await.unwrap();
            if html.contains("93000") {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(text_of(&html, "#deliveries").unwrap().contains("93000"), "{html}");
        let fields = form_fields(&html, "#deliveries form");
        let action = {
            let doc = scraper::Html::parse_document(&html);
            let sel = scraper::Selector::parse("#deliveries form").unwrap();
            doc.select(&sel).next().unwrap().value().attr("action").unwrap().to_owned()
        };
        let res = c.post(app.url(&action)).form(&fields).send().await.unwrap();
        assert_eq!(res.status(), 303);
        // Others may not.
        let staff = browser();
        let driver = app.user("driver", &["staff"]).await;
        sign_in(&app, &staff, &driver.username).await;
        assert_eq!(staff.get(app.url("/admin/channels")).send().await.unwrap().status(), 403);
        app.stop().await;
    }
}
