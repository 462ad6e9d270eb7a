//! Sending: e-mail over SMTP (lettre) and group robots and webhooks over HTTP (reqwest), each
//! with a timeout, so a slow or hanging server only ever holds the worker, never a page. A
//! robot's error in its JSON body (`errcode` ≠ 0, `code` ≠ 0) is a failure even with HTTP 200.

use std::time::Duration;

use jiedai_app::notify::StoredChannel;
use jiedai_app::notify::sign;
use jiedai_domain::notify::ChannelKind;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use secrecy::ExposeSecret;

use crate::config::MailSettings;

/// Where notifications leave the server.
#[derive(Clone)]
pub struct Sender {
    http: reqwest::Client,
    mail: Option<(AsyncSmtpTransport<Tokio1Executor>, Mailbox)>,
}

/// One message as a channel or a mail carries it.
pub struct Outgoing<'a> {
    /// Title (a mail's subject, a DingTalk message's title).
    pub title: &'a str,
    /// Plain text.
    pub text: &'a str,
    /// Markdown (WeCom, DingTalk).
    pub markdown: &'a str,
    /// HTML (e-mail).
    pub html: &'a str,
    /// The event as JSON (webhooks).
    pub json: &'a serde_json::Value,
}

/// Why a try failed, as the list of deliveries shows it (never with a channel's address).
#[derive(Debug)]
pub struct SendError(pub String);

impl Sender {
    /// A sender with the mail server of the settings (none: no e-mail) and a timeout on
    /// every call.
    pub fn new(mail: &MailSettings, timeout: Duration) -> anyhow::Result<Sender> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("Jiedai/", env!("CARGO_PKG_VERSION")))
            .build()?;
        let mail = match &mail.url {
            Some(url) => {
                let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret())
                    .map_err(|e| anyhow::anyhow!("[mail] url: {e}"))?
                    .timeout(Some(timeout));
                if let Some(password) = &mail.password {
                    let user = url::Url::parse(url.expose_secret())
                        .ok()
                        .map(|u| percent_decode(u.username()))
                        .filter(|u| !u.is_empty());
                    if let Some(user) = user {
                        builder = builder.credentials(lettre::transport::smtp::authentication::Credentials::new(
                            user,
                            password.expose_secret().to_owned(),
                        ));
                    }
                }
                let from = if mail.from.trim().is_empty() { "Jiedai <jiedai@localhost>" } else { mail.from.trim() };
                let from: Mailbox = from.parse().map_err(|e| anyhow::anyhow!("[mail] from `{from}`: {e}"))?;
                Some((builder.build(), from))
            }
            None => None,
        };
        Ok(Sender { http, mail })
    }

    /// A sender without e-mail (robots and webhooks only).
    pub fn without_mail(timeout: Duration) -> Sender {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default();
        Sender { http, mail: None }
    }

    /// Whether e-mail is set up.
    pub fn mails(&self) -> bool {
        self.mail.is_some()
    }

    /// Mails a message to one address.
    pub async fn email(&self, to: &str, name: &str, m: &Outgoing<'_>) -> Result<(), SendError> {
        let Some((transport, from)) = &self.mail else {
            return Err(SendError("no mail server is configured ([mail] url)".into()));
        };
        let to: Mailbox = format!("{} <{}>", quote_name(name), to.trim())
            .parse()
            .or_else(|_| to.trim().parse())
            .map_err(|e| SendError(format!("the address `{to}` is not valid: {e}")))?;
        let email = lettre::Message::builder()
            .from(from.clone())
            .to(to)
            .subject(m.title)
            .multipart(MultiPart::alternative_plain_html(m.text.to_owned(), m.html.to_owned()))
            .map_err(|e| SendError(format!("building the message: {e}")))?;
        transport.send(email).await.map(|_| ()).map_err(|e| SendError(format!("SMTP: {e}")))
    }

    /// Posts a message to a channel, signed as its kind wants; checks the answer.
    pub async fn channel(&self, c: &StoredChannel, m: &Outgoing<'_>) -> Result<(), SendError> {
        let now = chrono::Utc::now();
        let secret = c.secret.as_str();
        let (url, body) = match c.kind {
            ChannelKind::Wecom => (
                c.url.clone(),
                serde_json::json!({"msgtype": "markdown", "markdown": {"content": cut(m.markdown, 4000)}}),
            ),
            ChannelKind::Dingtalk => {
                let url = if secret.is_empty() {
                    c.url.clone()
                } else {
                    sign::dingtalk_url(&c.url, secret, now.timestamp_millis())
                };
                (
                    url,
                    serde_json::json!({"msgtype": "markdown",
                        "markdown": {"title": cut(m.title, 100), "text": cut(m.markdown, 4000)}}),
                )
            }
            ChannelKind::Feishu => {
                let mut body = serde_json::json!({"msg_type": "text", "content": {"text": cut(m.text, 4000)}});
                if !secret.is_empty() {
                    let ts = now.timestamp();
                    body["timestamp"] = ts.to_string().into();
                    body["sign"] = sign::feishu_sign(secret, ts).into();
                }
                (c.url.clone(), body)
            }
            ChannelKind::Webhook => (c.url.clone(), m.json.clone()),
        };
        let bytes = serde_json::to_vec(&body).map_err(|e| SendError(e.to_string()))?;
        let mut req = self.http.post(&url).header(reqwest::header::CONTENT_TYPE, "application/json");
        if c.kind == ChannelKind::Webhook {
            if let Some(event) = m.json.get("event").and_then(|e| e.as_str()) {
                req = req.header("X-Jiedai-Event", event);
            }
            if !secret.is_empty() {
                req = req.header("X-Jiedai-Signature", sign::webhook_signature(secret, &bytes));
            }
        }
        let res = req.body(bytes).send().await.map_err(|e| SendError(describe(e)))?;
        let status = res.status();
        let text = res.text().await.unwrap_or_default();
        answer(c.kind, status.as_u16(), &text)
    }
}

/// Reads a receiver's answer: a 2xx, and for robots no error code in the body.
pub fn answer(kind: ChannelKind, status: u16, body: &str) -> Result<(), SendError> {
    let shown: String = body.chars().take(300).collect();
    if !(200..300).contains(&status) {
        return Err(SendError(format!("HTTP {status}: {shown}")));
    }
    if kind == ChannelKind::Webhook {
        return Ok(());
    }
    let json: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    let code = ["errcode", "code", "StatusCode"].iter().find_map(|k| json.get(*k).and_then(serde_json::Value::as_i64));
    match code {
        Some(0) => Ok(()),
        Some(code) => Err(SendError(format!("HTTP {status}, error {code}: {shown}"))),
        None => Err(SendError(format!("HTTP {status}, an answer without a result code: {shown}"))),
    }
}

/// A request error without the URL (it carries the robot's key), with its causes.
fn describe(e: reqwest::Error) -> String {
    let timeout = e.is_timeout();
    let connect = e.is_connect();
    let e = e.without_url();
    let mut text = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    if timeout {
        format!("timed out ({text})")
    } else if connect {
        format!("could not connect ({text})")
    } else {
        text
    }
}

/// At most `max` bytes, cut on a character boundary, with an ellipsis when cut.
pub fn cut(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_owned();
    }
    let mut end = max.saturating_sub(3);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

fn quote_name(name: &str) -> String {
    let clean: String = name.chars().filter(|c| !matches!(c, '"' | '\\' | '<' | '>' | '\r' | '\n')).collect();
    format!("\"{clean}\"")
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len() + 1
            && let Some(b) = s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_robot_error_in_the_body_fails_even_with_http_200() {
        assert!(answer(ChannelKind::Wecom, 200, r#"{"errcode":0,"errmsg":"ok"}"#).is_ok());
        assert!(answer(ChannelKind::Dingtalk, 200, r#"{"errcode":310000,"errmsg":"sign not match"}"#).is_err());
        assert!(answer(ChannelKind::Feishu, 200, r#"{"code":0,"msg":"success"}"#).is_ok());
        assert!(answer(ChannelKind::Feishu, 200, r#"{"StatusCode":0}"#).is_ok());
        assert!(answer(ChannelKind::Feishu, 400, r#"{"code":19021,"msg":"sign match fail"}"#).is_err());
        assert!(answer(ChannelKind::Wecom, 200, "<html>proxy</html>").is_err());
        assert!(answer(ChannelKind::Webhook, 204, "").is_ok());
        assert!(answer(ChannelKind::Webhook, 500, "oops").is_err());
    }

    #[test]
    fn long_texts_are_cut_on_a_character_boundary() {
        let s = "接待".repeat(1000);
        let c = cut(&s, 100);
        assert!(c.len() <= 100 && c.ends_with('…'));
        assert_eq!(cut("short", 100), "short");
    }
}
