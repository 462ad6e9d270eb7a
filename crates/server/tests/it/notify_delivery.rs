//! Delivery under strain: a receiver that fails and then takes the message, an error in a
//! robot's body, a mail server that refuses, a recipient disabled since, a burst for a
//! rate-limited robot, and two instances sharing a burst of 500 events.

use std::collections::HashMap;
use std::time::Duration;

use jiedai_app::accounts;
use jiedai_domain::{Actor, Language};
use serde_json::{Value, json};

use crate::harness::{Engine, TestApp, TestDb, engines};
use crate::notify::{HOOK_SECRET, Receiver, eventually, notifying, person, submitted};
use crate::receptions::api;

#[tokio::test]
async fn a_failing_receiver_is_tried_again_until_it_takes_the_message_once_and_an_error_body_fails() {
    for engine in engines() {
        let (receiver, base) = Receiver::start().await;
        let app = TestApp::start_with(TestDb::new(&engine).await, notifying(None)).await;
        let host = app.host_department("市场部").await;
        let admin = app.user("boss", &["admin"]).await;
        let a = api(&app, &admin).await;
        for (name, path) in [("flaky", "flaky"), ("wrong key", "refuses")] {
            let body = json!({"kind": "wecom", "name": name, "url": format!("{base}/{path}"), "events": ["reception.submitted"]});
            assert_eq!(a.post("/api/v1/channels", body).await.0, 201);
        }
        let (_, code) = submitted(&app, &host.requester).await;
        eventually("the flaky receiver took it after three failures", || receiver.of("flaky").len() == 1).await;
        assert_eq!(receiver.of("flaky-failed").len(), 3);
        assert!(receiver.of("flaky")[0].body.to_string().contains(&code));
        // The robot that answers an error with HTTP 200 is a failure, listed with its error.
        let mut failed = Value::Null;
        for _ in 0..100 {
            let (_, list) = a.get("/api/v1/deliveries?status=failed").await;
            if let Some(d) = list["items"].as_array().and_then(|i| i.first()) {
                failed = d.clone();
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(failed["last_error"].as_str().unwrap_or_default().contains("93000"), "{failed}");
        assert!(!failed["last_error"].as_str().unwrap().contains(&base), "never the channel's address: {failed}");
        // Sent once: no more calls once it took it.
        tokio::time::sleep(Duration::from_secs(2)).await;
        assert_eq!(receiver.of("flaky").len(), 1);
        let (_, sent) = a.get("/api/v1/deliveries?status=sent").await;
        assert_eq!(sent["items"].as_array().unwrap().len(), 1, "{sent}");
        assert_eq!(sent["items"][0]["attempts"], 4);
        let m = reqwest::get(app.url("/metrics")).await.unwrap().text().await.unwrap();
        let channel = sent["items"][0]["channel_id"].as_i64().unwrap();
        assert!(
            m.contains(&format!("jiedai_notification_deliveries{{channel=\"channel-{channel}\",status=\"sent\"}} 1")),
            "{m}"
        );
        // A sent one is not retried by hand; a failed one is.
        let (s, _) = a.post(&format!("/api/v1/deliveries/{}/retry", sent["items"][0]["id"]), json!({})).await;
        assert_eq!(s, 409);
        let (s, d) = a.post(&format!("/api/v1/deliveries/{}/retry", failed["id"]), json!({})).await;
        assert_eq!((s, d["status"].as_str()), (200, Some("pending")), "{d}");
        let (_, audit) = a.get("/api/v1/audit?entity=delivery").await;
        assert_eq!(audit["items"][0]["action"], "retry", "a retry by hand is in the audit log: {audit}");
        app.stop().await;
    }
}

#[tokio::test]
async fn two_instances_on_one_database_deliver_a_burst_of_500_events_each_exactly_once() {
    let Some(engine) = engines().into_iter().find(|e| matches!(e, Engine::Postgres(_))) else {
        return;
    };
    let (receiver, base) = Receiver::start().await;
    let one = TestApp::start_with(TestDb::new(&engine).await, notifying(None)).await;
    let two = TestApp::start_with(TestDb::shared(one.database_url()), notifying(None)).await;
    let host = one.host_department("市场部").await;
    let admin = one.user("boss", &["admin"]).await;
    let body = json!({"kind": "webhook", "name": "hook", "url": format!("{base}/webhook"), "secret": HOOK_SECRET, "events": ["visit.tomorrow"]});
    assert_eq!(api(&one, &admin).await.post("/api/v1/channels", body).await.0, 201);
    let (id, _) = submitted(&one, &host.requester).await;
    // 500 events at once, as reminders of 500 days: each must arrive once.
    let events: Vec<_> = (0..500)
        .map(|i| jiedai_store::NewEvent {
            key: jiedai_domain::notify::EventKey::VisitTomorrow,
            reception_id: Some(jiedai_domain::ReceptionId(id as i32)),
            task_id: None,
            actor: None,
            data: json!({}),
            dedupe: Some(format!("burst:{i}")),
        })
        .collect();
    let writers = events.chunks(50).map(|chunk| {
        let store = one.store.clone();
        let chunk = chunk.to_vec();
        async move {
            for e in &chunk {
                assert!(store.emit_once(e).await.unwrap());
            }
        }
    });
    futures::future::join_all(writers).await;
    eventually("500 webhooks", || receiver.of("webhook").len() >= 500).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let calls = receiver.of("webhook");
    let mut per_event: HashMap<i64, usize> = HashMap::new();
    for c in &calls {
        assert!(c.signed_right);
        *per_event.entry(c.body["event_id"].as_i64().unwrap()).or_default() += 1;
    }
    assert_eq!(per_event.len(), 500);
    assert!(per_event.values().all(|n| *n == 1), "an event went out twice");
    two.stop().await;
    one.stop().await;
}

#[tokio::test]
async fn a_mail_server_that_refuses_fails_the_delivery_not_the_page_and_a_disabled_recipient_is_skipped() {
    for engine in engines() {
        // Nothing listens on the mail server's port; the worker looks only once a minute, so
        // the test fans out itself, after the approver was disabled.
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut settings = notifying(Some(closed));
        settings.notify.poll_interval_ms = 60_000;
        let app = TestApp::start_with(TestDb::new(&engine).await, settings).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let host = app.host_department("市场部").await;
        let fang = person(&app, "fang", &["approver"], host.id, Language::ZhCn).await;
        let gone = person(&app, "gone", &["approver"], host.id, Language::ZhCn).await;
        let admin = app.user("boss", &["admin"]).await;
        let (_, _) = submitted(&app, &host.requester).await;
        accounts::disable_user(&app.app, &gone, &Actor::system()).await.unwrap();
        assert!(jiedai_app::notify::fan_out_pending(&app.app).await.unwrap() >= 1);
        let a = api(&app, &admin).await;
        let (_, skipped) = a.get("/api/v1/deliveries?status=skipped").await;
        let skipped = skipped["items"].as_array().unwrap().clone();
        assert_eq!(skipped.len(), 1, "{skipped:?}");
        assert_eq!(
            (skipped[0]["user_id"].as_i64(), skipped[0]["last_error"].as_str()),
            (Some(i64::from(gone.id.get())), Some("recipient disabled"))
        );
        // The send fails (nothing listens), is recorded with why, and waits for another try.
        let jobs = jiedai_app::notify::due_jobs(&app.app).await.unwrap();
        let job = jobs.iter().find(|j| j.delivery.user_id == Some(fang.id)).expect("a mail to the approver");
        let sender = jiedai::notify::send::Sender::new(&notifying(Some(closed)).mail, Duration::from_secs(2)).unwrap();
        let out =
            jiedai::notify::send::Outgoing { title: "t", text: "t", markdown: "t", html: "<p>t</p>", json: &json!({}) };
        let err = sender.email("fang@example.com", "Fang", &out).await.unwrap_err();
        jiedai_app::notify::finish(&app.app, job, Err(err.0)).await.unwrap();
        let (_, failed) = a.get("/api/v1/deliveries?status=failed").await;
        let d = &failed["items"][0];
        assert!(d["last_error"].as_str().unwrap().starts_with("SMTP"), "{d}");
        assert!(d["next_at"].as_str().unwrap() > d["created_at"].as_str().unwrap(), "tried again later: {d}");
        // The in-app message is there all the same.
        let (_, n) = api(&app, &fang).await.get("/api/v1/me/notifications/unread-count").await;
        assert_eq!(n["count"], 1);
        app.stop().await;
    }
}

#[tokio::test]
async fn a_burst_for_a_robot_goes_as_one_digest_within_its_rate_limit() {
    for engine in engines() {
        let (receiver, base) = Receiver::start().await;
        let app = TestApp::start_with(TestDb::new(&engine).await, notifying(None)).await;
        let admin = app.user("boss", &["admin"]).await;
        let body = json!({"kind": "wecom", "name": "群", "url": format!("{base}/wecom?key=0123456789abcdef"), "events": ["visit.tomorrow"]});
        assert_eq!(api(&app, &admin).await.post("/api/v1/channels", body).await.0, 201);
        for i in 0..30 {
            let e = jiedai_store::NewEvent {
                key: jiedai_domain::notify::EventKey::VisitTomorrow,
                reception_id: None,
                task_id: None,
                actor: None,
                data: json!({}),
                dedupe: Some(format!("burst:{i}")),
            };
            app.store.emit_once(&e).await.unwrap();
        }
        let a = api(&app, &admin).await;
        for _ in 0..100 {
            let (_, sent) = a.get("/api/v1/deliveries?status=sent&limit=200").await;
            if sent["items"].as_array().unwrap().len() == 30 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let (_, sent) = a.get("/api/v1/deliveries?status=sent&limit=200").await;
        assert_eq!(sent["items"].as_array().unwrap().len(), 30, "every one delivered: {sent}");
        let calls = receiver.of("wecom");
        assert!(calls.len() <= 20, "{} messages to a robot that takes 20 a minute", calls.len());
        assert!(calls.iter().any(|c| c.body.to_string().contains("条通知")), "a digest: {calls:?}");
        app.stop().await;
    }
}
