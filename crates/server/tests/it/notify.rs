//! Notifications end to end: a real SMTP server and an HTTP receiver on 127.0.0.1 that
//! answers like the vendors and checks each robot's signature with the vendor's algorithm
//! (computed here on its own, with the `hmac` crate), the bell's API, retries, dead letters,
//! and two instances sharing the work.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::routing::post;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use jiedai::Settings;
use jiedai_app::accounts::{self, UserInput};
use jiedai_domain::{Actor, Language};
use serde_json::{Value, json};
use sha2::Sha256;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::harness::{Engine, PASSWORD, TestApp, TestDb, engines};
use crate::receptions::{api, visit_day, whole_form};

const DING_SECRET: &str = "SECding0123456789";
const FEISHU_SECRET: &str = "feishu-secret";
const HOOK_SECRET: &str = "hook-secret";

fn hmac_sha256(key: &[u8], msg: &[u8]) -> Vec<u8> {
    let mut m = Hmac::<Sha256>::new_from_slice(key).unwrap();
    m.update(msg);
    m.finalize().into_bytes().to_vec()
}

/// One call the receiver got.
#[derive(Clone, Debug)]
pub struct Call {
    pub robot: String,
    pub body: Value,
    pub signed_right: bool,
}

/// An HTTP receiver answering like WeCom, DingTalk, Feishu and a webhook, checking signatures.
#[derive(Clone, Default)]
pub struct Receiver {
    pub calls: Arc<Mutex<Vec<Call>>>,
    flaky: Arc<Mutex<u32>>,
}

impl Receiver {
    pub async fn start() -> (Receiver, String) {
        let r = Receiver::default();
        let app = axum::Router::new().route("/{robot}", post(receive)).with_state(r.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (r, base)
    }

    pub fn of(&self, robot: &str) -> Vec<Call> {
        self.calls.lock().unwrap().iter().filter(|c| c.robot == robot).cloned().collect()
    }
}

async fn receive(
    State(r): State<Receiver>,
    Path(robot): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> (axum::http::StatusCode, String) {
    let b64 = base64::engine::general_purpose::STANDARD;
    let json: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let fresh = |ts: i64, unit_ms: bool| {
        let now = chrono::Utc::now().timestamp_millis();
        let ts_ms = if unit_ms { ts } else { ts * 1000 };
        (now - ts_ms).abs() < 3_600_000
    };
    let (signed_right, answer) = match robot.as_str() {
        "wecom" => (json["msgtype"] == "markdown", r#"{"errcode":0,"errmsg":"ok"}"#.to_owned()),
        "dingtalk" => {
            // DingTalk: sign = Base64(HMAC-SHA256(secret, timestamp + "\n" + secret)), URL-encoded.
            let ts = q.get("timestamp").cloned().unwrap_or_default();
            let expected = b64.encode(hmac_sha256(DING_SECRET.as_bytes(), format!("{ts}\n{DING_SECRET}").as_bytes()));
            let ok = q.get("sign") == Some(&expected) && ts.parse().is_ok_and(|t| fresh(t, true));
            let answer =
                if ok { r#"{"errcode":0,"errmsg":"ok"}"# } else { r#"{"errcode":310000,"errmsg":"sign not match"}"# };
            (ok, answer.to_owned())
        }
        "feishu" => {
            // Feishu: sign = Base64(HMAC-SHA256(timestamp + "\n" + secret, "")), in the body.
            let ts = json["timestamp"].as_str().unwrap_or_default().to_owned();
            let expected = b64.encode(hmac_sha256(format!("{ts}\n{FEISHU_SECRET}").as_bytes(), b""));
            let ok = json["sign"] == expected && ts.parse().is_ok_and(|t| fresh(t, false));
            let answer = if ok { r#"{"code":0,"msg":"success"}"# } else { r#"{"code":19021,"msg":"sign match fail"}"# };
            (ok, answer.to_owned())
        }
        "webhook" => {
            let hex: String = hmac_sha256(HOOK_SECRET.as_bytes(), &body).iter().map(|b| format!("{b:02x}")).collect();
            let expected = format!("sha256={hex}");
            let ok = headers.get("x-jiedai-signature").and_then(|v| v.to_str().ok()) == Some(expected.as_str());
            (ok, String::new())
        }
        "flaky" => {
            let mut n = r.flaky.lock().unwrap();
            *n += 1;
            if *n <= 3 {
                r.calls.lock().unwrap().push(Call { robot: "flaky-failed".into(), body: json, signed_right: true });
                return (axum::http::StatusCode::BAD_GATEWAY, "down".into());
            }
            (true, r#"{"errcode":0,"errmsg":"ok"}"#.to_owned())
        }
        // An error in the body with HTTP 200, as WeCom answers a wrong key.
        _ => (true, r#"{"errcode":93000,"errmsg":"invalid webhook url"}"#.to_owned()),
    };
    r.calls.lock().unwrap().push(Call { robot: robot.clone(), body: json, signed_right });
    let status = if robot == "webhook" && !signed_right {
        axum::http::StatusCode::UNAUTHORIZED
    } else if robot == "webhook" {
        axum::http::StatusCode::NO_CONTENT
    } else {
        axum::http::StatusCode::OK
    };
    (status, answer)
}

/// A mail the SMTP sink received.
#[derive(Clone, Debug)]
pub struct Mail {
    pub to: Vec<String>,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// A small SMTP server on 127.0.0.1 (what the protocol needs to take a message, nothing more).
#[derive(Clone, Default)]
pub struct SmtpSink {
    pub mails: Arc<Mutex<Vec<Mail>>>,
}

impl SmtpSink {
    pub async fn start() -> (SmtpSink, u16) {
        let sink = SmtpSink::default();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let s = sink.clone();
        tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else { return };
                let s = s.clone();
                tokio::spawn(async move { s.session(socket).await });
            }
        });
        (sink, port)
    }

    async fn session(&self, socket: tokio::net::TcpStream) {
        let (read, mut write) = socket.into_split();
        let mut lines = BufReader::new(read);
        let _ = write.write_all(b"220 sink ESMTP\r\n").await;
        let mut to = Vec::new();
        loop {
            let mut line = String::new();
            if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                return;
            }
            let upper = line.to_ascii_uppercase();
            let reply: &[u8] = if upper.starts_with("EHLO") {
                b"250-sink\r\n250 8BITMIME\r\n"
            } else if upper.starts_with("RCPT TO:") {
                to.push(line[8..].trim().trim_matches(['<', '>']).to_owned());
                b"250 ok\r\n"
            } else if upper.starts_with("DATA") {
                let _ = write.write_all(b"354 go on\r\n").await;
                let mut raw = Vec::new();
                loop {
                    let mut l = String::new();
                    if lines.read_line(&mut l).await.unwrap_or(0) == 0 {
                        return;
                    }
                    if l == ".\r\n" {
                        break;
                    }
                    raw.extend_from_slice(l.strip_prefix('.').unwrap_or(&l).as_bytes());
                }
                let m = mail_parser::MessageParser::default().parse(&raw).expect("a mail");
                self.mails.lock().unwrap().push(Mail {
                    to: std::mem::take(&mut to),
                    subject: m.subject().unwrap_or_default().to_owned(),
                    text: m.body_text(0).map(|t| t.into_owned()).unwrap_or_default(),
                    html: m.body_html(0).map(|t| t.into_owned()).unwrap_or_default(),
                });
                b"250 queued\r\n"
            } else if upper.starts_with("QUIT") {
                let _ = write.write_all(b"221 bye\r\n").await;
                return;
            } else {
                b"250 ok\r\n"
            };
            let _ = write.write_all(reply).await;
        }
    }

    pub fn to(&self, address: &str) -> Vec<Mail> {
        self.mails.lock().unwrap().iter().filter(|m| m.to.iter().any(|t| t == address)).cloned().collect()
    }
}

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

async fn person(
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
async fn submitted(app: &TestApp, requester: &jiedai_domain::User) -> (i64, String) {
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
