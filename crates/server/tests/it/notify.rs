//! Notifications end to end, against the peers of `notify_peers` (an SMTP server and a
//! receiver that checks each robot's signature as its vendor does): who is told of what, in
//! which language, the bell's API, approve links, retries, dead letters, rate limits,
//! reminders, and two instances sharing the work.

use std::time::Duration;

use jiedai::Settings;
use jiedai_app::accounts::{self, UserInput};
use jiedai_domain::{Actor, Language};
use serde_json::{Value, json};

use crate::harness::{PASSWORD, TestApp, TestDb, engines};
pub use crate::notify_peers::{DING_SECRET, FEISHU_SECRET, HOOK_SECRET, Receiver, SmtpSink};
use crate::receptions::{api, visit_day, whole_form};

/// Settings of a server that notifies quickly: mail to the sink, a short poll, short retries.
pub fn notifying(smtp_port: Option<u16>) -> Settings {
    let mut s = Settings::default();
    if let Some(port) = smtp_port {
        s.mail.url = Some(secrecy::SecretString::from(format!("smtp://127.0.0.1:{port}")));
        s.mail.from = "Jiedai <jiedai@example.com>".into();
    }
    s.notify.poll_interval_ms = 100;
    s.notify.retry_base_seconds = 1;
    s.server.public_url = "https://jiedai.example.com".into();
    s
}

/// Waits until `check` holds (at most 20 seconds).
pub async fn eventually<F: FnMut() -> bool>(what: &str, mut check: F) {
    for _ in 0..200 {
        if check() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("never happened: {what}");
}

pub async fn person(
    app: &TestApp,
    username: &str,
    roles: &[&str],
    department: jiedai_domain::DepartmentId,
    lang: Language,
) -> jiedai_domain::User {
    let input = UserInput {
        username: username.into(),
        display_name: format!("Name {username}"),
        department_id: Some(department.to_string()),
        email: format!("{username}@example.com"),
        roles: roles.iter().map(|r| r.to_string()).collect(),
        password: PASSWORD.into(),
        ..Default::default()
    };
    let u = accounts::create_user(&app.app, &input, true, &Actor::system()).await.unwrap();
    accounts::set_language(&app.app, u.id, lang, &Actor::system()).await.unwrap()
}

/// A submitted request of `host`'s department: (id, code).
pub async fn submitted(app: &TestApp, requester: &jiedai_domain::User) -> (i64, String) {
    let req = api(app, requester).await;
    let (s, r) = req.post("/api/v1/receptions", whole_form(visit_day(40))).await;
    assert_eq!(s, 201, "{r}");
    let id = r["id"].as_i64().unwrap();
    let (s, r) = req.post(&format!("/api/v1/receptions/{id}/submit"), json!({"version": r["version"]})).await;
    assert_eq!(s, 200, "{r}");
    (id, r["code"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn a_request_reaches_its_approvers_by_bell_mail_and_every_robot_signed_as_documented() {
    for engine in engines() {
        let (sink, port) = SmtpSink::start().await;
        let (receiver, base) = Receiver::start().await;
        let app = TestApp::start_with(TestDb::new(&engine).await, notifying(Some(port))).await;
        let host = app.host_department("市场部").await;
        let zh = person(&app, "fang", &["approver"], host.id, Language::ZhCn).await;
        let en = person(&app, "ellen", &["approver"], host.id, Language::En).await;
        let admin = app.user("boss", &["admin"]).await;
        let a = api(&app, &admin).await;
        for (kind, path, secret) in [
            ("wecom", "wecom", ""),
            ("dingtalk", "dingtalk", DING_SECRET),
            ("feishu", "feishu", FEISHU_SECRET),
            ("webhook", "webhook", HOOK_SECRET),
        ] {
            let body = json!({"kind": kind, "name": format!("{kind} group"), "url": format!("{base}/{path}?key=k-{kind}-0123456789"),
                "secret": secret, "events": ["reception.submitted"]});
            let (s, c) = a.post("/api/v1/channels", body).await;
            assert_eq!(s, 201, "{c}");
            assert!(c["url"].as_str().unwrap().ends_with("key=***"), "the key is never answered back: {c}");
            assert_eq!(c["signed"], !secret.is_empty());
            assert!(c.get("secret").is_none());
        }

        let (id, code) = submitted(&app, &host.requester).await;
        eventually("every robot got the request", || {
            ["wecom", "dingtalk", "feishu", "webhook"].iter().all(|r| !receiver.of(r).is_empty())
        })
        .await;
        eventually("both approvers got a mail", || {
            sink.to("fang@example.com").len() == 1 && sink.to("ellen@example.com").len() == 1
        })
        .await;

        // Each robot once, signed as its vendor checks it, naming the reception.
        for robot in ["wecom", "dingtalk", "feishu", "webhook"] {
            let calls = receiver.of(robot);
            assert_eq!(calls.len(), 1, "{robot}: {calls:?}");
            assert!(calls[0].signed_right, "{robot} signature: {:?}", calls[0].body);
            assert!(calls[0].body.to_string().contains(&code), "{robot}: {}", calls[0].body);
        }
        let hook = &receiver.of("webhook")[0].body;
        assert_eq!(hook["event"], "reception.submitted");
        assert_eq!(hook["reception"]["id"], id);
        assert_eq!(hook["link"], format!("https://jiedai.example.com/receptions/{id}"));

        // The mails: in each reader's language, with the link; none to the requester who acted.
        let m = &sink.to("fang@example.com")[0];
        assert!(m.subject.starts_with("待审批") && m.subject.contains(&code), "{}", m.subject);
        assert!(m.text.contains(&format!("https://jiedai.example.com/receptions/{id}")), "{}", m.text);
        assert!(m.html.contains("<a href=\"https://jiedai.example.com/receptions/"), "{}", m.html);
        let m = &sink.to("ellen@example.com")[0];
        assert!(m.subject.starts_with("To approve") && m.subject.contains(&code), "{}", m.subject);
        assert!(sink.to(&format!("{}@example.com", host.requester.username)).is_empty());

        // The bell: the approver's unread count and list, read one, read all.
        let fang = api(&app, &zh).await;
        let (_, n) = fang.get("/api/v1/me/notifications/unread-count").await;
        assert_eq!(n["count"], 1);
        let (s, list) = fang.get("/api/v1/me/notifications").await;
        assert_eq!(s, 200);
        let item = &list["items"][0];
        assert_eq!(item["event"], "reception.submitted");
        assert_eq!(item["reception_id"], id);
        assert!(item["title"].as_str().unwrap().contains(&code), "{item}");
        assert_eq!(item["link"], format!("/receptions/{id}"));
        assert_eq!(item["read"], false);
        let nid = item["id"].as_i64().unwrap();
        let (s, _) = fang.post(&format!("/api/v1/me/notifications/{nid}/read"), json!({})).await;
        assert_eq!(s, 204);
        let (_, n) = fang.get("/api/v1/me/notifications/unread-count").await;
        assert_eq!(n["count"], 0);
        // Another person's notification is not found.
        let ellen = api(&app, &en).await;
        let (s, _) = ellen.post(&format!("/api/v1/me/notifications/{nid}/read"), json!({})).await;
        assert_eq!(s, 404);
        let (_, r) = ellen.post("/api/v1/me/notifications/read-all", json!({})).await;
        assert_eq!(r["marked"], 1);
        let (_, list) = ellen.get("/api/v1/me/notifications").await;
        assert!(list["items"][0]["title"].as_str().unwrap().starts_with("To approve"), "{list}");

        // The requester is told of the return, with the comment.
        let (_, r) = fang.get(&format!("/api/v1/receptions/{id}")).await;
        let (s, r) = fang
            .post(
                &format!("/api/v1/receptions/{id}/return"),
                json!({"version": r["version"], "comment": "请补充用餐人数"}),
            )
            .await;
        assert_eq!(s, 200, "{r}");
        let requester = api(&app, &host.requester).await;
        let mut body = Value::Null;
        for _ in 0..100 {
            let (_, list) = requester.get("/api/v1/me/notifications").await;
            if let Some(i) = list["items"].as_array().and_then(|a| a.first()) {
                body = i.clone();
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(body["event"], "reception.returned", "{body}");
        assert!(body["body"].as_str().unwrap().contains("请补充用餐人数"), "{body}");
        app.stop().await;
    }
}

#[tokio::test]
async fn preferences_and_channels_say_every_problem_at_once() {
    for engine in engines() {
        let app = TestApp::start_with(TestDb::new(&engine).await, notifying(None)).await;
        let admin = app.user("boss", &["admin"]).await;
        let a = api(&app, &admin).await;
        let (s, p) = a.get("/api/v1/me/notification-preferences").await;
        assert_eq!(s, 200);
        assert_eq!(p["email"]["task.due"], true, "wanted unless turned off");
        assert_eq!((p["has_email"].as_bool(), p["mail_configured"].as_bool()), (Some(false), Some(false)));
        let (s, p) = a.put("/api/v1/me/notification-preferences", json!({"email": {"task.due": false}})).await;
        assert_eq!(s, 200, "{p}");
        assert_eq!(p["email"]["task.due"], false);
        assert_eq!(p["email"]["task.overdue"], true);
        let (s, e) = a.put("/api/v1/me/notification-preferences", json!({"email": {"task.lunch": false}})).await;
        assert_eq!((s, e["errors"][0]["code"].as_str()), (422, Some("unknown_event")), "{e}");

        let bad = json!({"kind": "telegram", "name": " ", "url": "ftp://x", "secret": "a b", "events": ["nope"]});
        let (s, e) = a.post("/api/v1/channels", bad).await;
        assert_eq!(s, 422);
        let codes: Vec<(&str, &str)> = e["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["field"].as_str().unwrap(), f["code"].as_str().unwrap()))
            .collect();
        for expected in [
            ("kind", "unknown_channel_kind"),
            ("name", "required"),
            ("url", "not_http_url"),
            ("secret", "has_spaces"),
            ("events[0]", "unknown_event"),
        ] {
            assert!(codes.contains(&expected), "{expected:?} in {codes:?}");
        }
        // A change that sends the address back as read keeps it, and leaves the secret alone.
        let body = json!({"kind": "feishu", "name": "飞书群", "url": "https://open.feishu.cn/open-apis/bot/v2/hook/2ab38ab9-0b2c-4f06-a2cd", "secret": "s1", "events": ["task.due"]});
        let (s, c) = a.post("/api/v1/channels", body).await;
        assert_eq!(s, 201, "{c}");
        let cid = c["id"].as_i64().unwrap();
        let mut change = c.clone();
        change["name"] = json!("飞书大群");
        change["events"] = json!(["task.due", "task.overdue"]);
        change.as_object_mut().unwrap().remove("secret");
        let (s, c2) = a.put(&format!("/api/v1/channels/{cid}"), change.clone()).await;
        assert_eq!(s, 200, "{c2}");
        assert_eq!((c2["url"].clone(), c2["signed"].clone()), (c["url"].clone(), json!(true)));
        let (s, _) = a.put(&format!("/api/v1/channels/{cid}"), change).await;
        assert_eq!(s, 409, "a stale version");
        let stored = jiedai_app::notify::channel(&app.app, jiedai_domain::ChannelId(cid as i32)).await.unwrap();
        assert_eq!(
            (stored.url.as_str(), stored.secret.as_str()),
            ("https://open.feishu.cn/open-apis/bot/v2/hook/2ab38ab9-0b2c-4f06-a2cd", "s1")
        );
        // Not for everyone.
        let staff = app.user("driver", &["staff"]).await;
        let (s, _) = api(&app, &staff).await.get("/api/v1/channels").await;
        assert_eq!(s, 403);
        let (s, _) = a.delete(&format!("/api/v1/channels/{cid}?version={}", c2["version"])).await;
        assert_eq!(s, 204);
        app.stop().await;
    }
}

/// The secrets of the `/l/…` links in a mail, in order (approve, then return).
fn link_secrets(text: &str) -> Vec<String> {
    text.match_indices("/l/")
        .map(|(i, _)| text[i + 3..].chars().take_while(|c| c.is_ascii_hexdigit()).collect())
        .collect()
}

#[tokio::test]
async fn an_approvers_mail_approves_once_and_a_link_about_a_changed_request_does_nothing() {
    use crate::harness::{browser, form_fields, sign_in, text_of};
    for engine in engines() {
        let (sink, port) = SmtpSink::start().await;
        let app = TestApp::start_with(TestDb::new(&engine).await, notifying(Some(port))).await;
        let host = app.host_department("市场部").await;
        let fang = person(&app, "fang", &["approver"], host.id, Language::ZhCn).await;
        let (id, _) = submitted(&app, &host.requester).await;
        eventually("the approver's mail", || sink.to("fang@example.com").len() == 1).await;
        let mail = sink.to("fang@example.com")[0].clone();
        let secrets = link_secrets(&mail.text);
        assert_eq!(secrets.len(), 2, "approve and return: {}", mail.text);
        assert!(mail.html.contains(&format!("/l/{}", secrets[0])));

        // Without a session: sign in first, then back to the link.
        let anon = browser();
        let res = anon.get(app.url(&format!("/l/{}", secrets[0]))).send().await.unwrap();
        assert_eq!(res.status(), 303);
        assert!(res.headers()["location"].to_str().unwrap().starts_with("/login?next="));
        // Someone else's link does nothing.
        let other = browser();
        sign_in(&app, &other, &host.head.username).await;
        let html = other.get(app.url(&format!("/l/{}", secrets[0]))).send().await.unwrap().text().await.unwrap();
        assert!(text_of(&html, "#link-state").is_some() && text_of(&html, "#link-confirm").is_none(), "{html}");
        assert!(text_of(&html, "#link-reception").is_none(), "a forwarded link names no request: {html}");

        // Approve from the mail: a confirmation page, then done once.
        let c = browser();
        sign_in(&app, &c, &fang.username).await;
        let html = c.get(app.url(&format!("/l/{}", secrets[0]))).send().await.unwrap().text().await.unwrap();
        let fields = form_fields(&html, "#link-confirm");
        let res = c.post(app.url(&format!("/l/{}", secrets[0]))).form(&fields).send().await.unwrap();
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()["location"], format!("/receptions/{id}"));
        let stored = app.store.get_reception(jiedai_domain::ReceptionId(id as i32)).await.unwrap();
        assert_eq!(jiedai_domain::Code::as_str(stored.state), "approved");
        // Used twice: nothing more; the return link of the same mail: the request changed.
        let res = c.post(app.url(&format!("/l/{}", secrets[0]))).form(&fields).send().await.unwrap();
        assert_eq!(res.status(), 409);
        let html = c.get(app.url(&format!("/l/{}", secrets[1]))).send().await.unwrap().text().await.unwrap();
        assert!(text_of(&html, "#link-state").unwrap().contains("变化"), "{html}");
        let after = app.store.get_reception(jiedai_domain::ReceptionId(id as i32)).await.unwrap();
        assert_eq!(after.version, stored.version, "nothing done");
        // A made-up link is not found.
        assert_eq!(c.get(app.url(&format!("/l/{}", "ab".repeat(32)))).send().await.unwrap().status(), 404);
        app.stop().await;
    }
}

#[tokio::test]
async fn reminders_are_made_once_however_often_they_are_computed() {
    for engine in engines() {
        let app = TestApp::start_with(TestDb::new(&engine).await, notifying(None)).await;
        let host = app.host_department("市场部").await;
        let driver = app.user("driver", &["staff"]).await;
        let (id, _) = submitted(&app, &host.requester).await;
        for (who, action) in [(&host.head, "approve"), (&host.coordinator, "take-on")] {
            let a = api(&app, who).await;
            let (_, r) = a.get(&format!("/api/v1/receptions/{id}")).await;
            let (s, r) = a.post(&format!("/api/v1/receptions/{id}/{action}"), json!({"version": r["version"]})).await;
            assert_eq!(s, 200, "{action}: {r}");
        }
        // The driver holds a task due yesterday (overdue) and one due on the next working day.
        let cal = jiedai_domain::Calendar::shipped_with([]).unwrap();
        let today = app.app.today();
        let next = cal.next_working_day(today);
        let mut tasks = Vec::new();
        for (title, due) in [("接站", today - chrono::Duration::days(1)), ("摆放桌牌", next)] {
            let planned = jiedai_domain::tasks::PlannedTask {
                phase: jiedai_domain::procedure::Phase::Before,
                group: jiedai_domain::procedure::Group::Driver,
                title_zh: title.into(),
                title_en: title.into(),
                duties_zh: String::new(),
                duties_en: String::new(),
                due,
                due_time: None,
            };
            let t = jiedai_store::NewTask {
                planned,
                group: "driver".into(),
                responsible_id: Some(driver.id),
                assistant_id: None,
            };
            tasks.push(
                app.store.add_task(jiedai_domain::ReceptionId(id as i32), &t, &Actor::system()).await.unwrap().id,
            );
        }
        // Computed again and again (as every instance does each minute): made once.
        for _ in 0..3 {
            jiedai_app::notify::make_reminders(&app.app, 0).await.unwrap();
        }
        let d = api(&app, &driver).await;
        let told_today = cal.is_working_day(today);
        let mut kinds: Vec<String> = Vec::new();
        for _ in 0..100 {
            let (_, list) = d.get("/api/v1/me/notifications").await;
            kinds = list["items"].as_array().unwrap().iter().map(|i| i["event"].as_str().unwrap().to_owned()).collect();
            let due = kinds.iter().filter(|k| *k == "task.due").count();
            if kinds.iter().any(|k| k == "task.overdue") && (!told_today || due > 0) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(kinds.iter().filter(|k| *k == "task.overdue").count(), 1, "{kinds:?}");
        assert_eq!(kinds.iter().filter(|k| *k == "task.due").count(), usize::from(told_today), "{kinds:?}");
        assert_eq!(kinds.iter().filter(|k| *k == "task.assigned").count(), 2, "{kinds:?}");
        // The coordinator is told of the overdue task too.
        let (_, list) = api(&app, &host.coordinator).await.get("/api/v1/me/notifications").await;
        assert!(list["items"].as_array().unwrap().iter().any(|i| i["event"] == "task.overdue"), "{list}");
        app.stop().await;
    }
}

#[tokio::test]
async fn the_day_before_a_visit_the_message_carries_its_agenda() {
    for engine in engines() {
        let (receiver, base) = Receiver::start().await;
        let app = TestApp::start_with(TestDb::new(&engine).await, notifying(None)).await;
        let host = app.host_department("市场部").await;
        let admin = app.user("boss", &["admin"]).await;
        let body = json!({"kind": "webhook", "name": "hook", "url": format!("{base}/webhook"), "secret": HOOK_SECRET, "events": ["visit.tomorrow"]});
        assert_eq!(api(&app, &admin).await.post("/api/v1/channels", body).await.0, 201);
        let (id, code) = submitted(&app, &host.requester).await;
        let e = jiedai_store::NewEvent {
            key: jiedai_domain::notify::EventKey::VisitTomorrow,
            reception_id: Some(jiedai_domain::ReceptionId(id as i32)),
            task_id: None,
            actor: None,
            data: json!({}),
            dedupe: Some(format!("visit.tomorrow:r{id}:test")),
        };
        assert!(app.store.emit_once(&e).await.unwrap());
        eventually("the webhook", || !receiver.of("webhook").is_empty()).await;
        let text = receiver.of("webhook")[0].body["text"].as_str().unwrap().to_owned();
        // The form's pickup at 08:30 and arrival at 09:30 lead the day (the starting agenda).
        assert!(text.contains("08:30") && text.contains("09:30"), "{text}");
        assert_eq!(
            receiver.of("webhook")[0].body["link"],
            format!("https://jiedai.example.com/receptions/{id}/run-sheet")
        );
        assert!(receiver.of("webhook")[0].body["title"].as_str().unwrap().contains(&code));
        app.stop().await;
    }
}
