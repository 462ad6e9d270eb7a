//! The peers of the notification tests, on 127.0.0.1: a small SMTP server whose mails are
//! parsed with `mail-parser`, and an HTTP receiver that answers like WeCom, DingTalk, Feishu
//! and a webhook and checks each signature with the vendor's documented algorithm, computed
//! here on its own (the `hmac` crate), never with the product's code.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::routing::post;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

pub const DING_SECRET: &str = "SECding0123456789";
pub const FEISHU_SECRET: &str = "feishu-secret";
pub const HOOK_SECRET: &str = "hook-secret";

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
