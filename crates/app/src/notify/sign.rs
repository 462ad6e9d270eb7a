//! The signatures the robots' vendors document, and ours for plain webhooks.
//!
//! - DingTalk custom robot with 加签: `timestamp` (milliseconds) and `sign` = Base64 of
//!   HMAC-SHA256 keyed with the secret over `timestamp + "\n" + secret`, URL-encoded, both
//!   added to the robot's address.
//! - Feishu custom bot with 签名校验: `timestamp` (seconds) and `sign` = Base64 of
//!   HMAC-SHA256 keyed with `timestamp + "\n" + secret` over an empty message, in the body.
//! - Webhook: `X-Jiedai-Signature: sha256=<hex HMAC-SHA256 of the body keyed with the secret>`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::secrets::{hmac_hex, hmac_sha256};

/// DingTalk's `sign` for a timestamp in milliseconds, not yet URL-encoded.
pub fn dingtalk_sign(secret: &str, timestamp_ms: i64) -> String {
    let text = format!("{timestamp_ms}\n{secret}");
    STANDARD.encode(hmac_sha256(secret.as_bytes(), text.as_bytes()))
}

/// A DingTalk robot's address with `timestamp` and `sign` added.
pub fn dingtalk_url(url: &str, secret: &str, timestamp_ms: i64) -> String {
    let sign: String = form_urlencoded(&dingtalk_sign(secret, timestamp_ms));
    let joiner = if url.contains('?') { '&' } else { '?' };
    format!("{url}{joiner}timestamp={timestamp_ms}&sign={sign}")
}

/// Feishu's `sign` for a timestamp in seconds.
pub fn feishu_sign(secret: &str, timestamp_s: i64) -> String {
    let key = format!("{timestamp_s}\n{secret}");
    STANDARD.encode(hmac_sha256(key.as_bytes(), b""))
}

/// The `X-Jiedai-Signature` header of a webhook body.
pub fn webhook_signature(secret: &str, body: &[u8]) -> String {
    format!("sha256={}", hmac_hex(secret.as_bytes(), body))
}

/// `application/x-www-form-urlencoded` encoding of a value (what DingTalk's examples use).
fn form_urlencoded(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => out.push(char::from(b)),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // The expected values were computed apart, with Python's hmac, hashlib and base64.
    #[test]
    fn dingtalk_signs_the_timestamp_and_secret_and_url_encodes_it() {
        let secret = "SEC000000000000000000000";
        assert_eq!(dingtalk_sign(secret, 1_577_262_236_757), "xOJIB8eNoYWeLy26EMZOlc2RjOJbtPv9HYjm+E3uALU=");
        assert_eq!(
            dingtalk_url("https://oapi.dingtalk.com/robot/send?access_token=abc", secret, 1_577_262_236_757),
            "https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1577262236757\
             &sign=xOJIB8eNoYWeLy26EMZOlc2RjOJbtPv9HYjm%2BE3uALU%3D"
        );
    }

    #[test]
    fn feishu_keys_the_hmac_with_timestamp_and_secret_over_nothing() {
        assert_eq!(feishu_sign("demo", 1_599_360_473), "l1N0gAcBjdwBvGm1xMjOF0XSyaLRpR7tuO5dHfhAYc8=");
    }

    #[test]
    fn a_webhook_body_is_signed_in_hex() {
        assert_eq!(
            webhook_signature("k3y", br#"{"a":1}"#),
            "sha256=32db719f172c48e89dbfa56ed20d9e19cdbfdbe9f652ccdf5fa03494d2444853"
        );
    }
}
