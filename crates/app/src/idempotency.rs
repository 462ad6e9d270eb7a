//! Idempotency keys: a request that creates something may carry a key (the API's
//! `Idempotency-Key` header, a form's hidden field). The first request with a key does the
//! work and its answer is kept; a repeat with the same key and the same content — a double
//! click, a client's retry, sent to any instance — gets that answer and creates nothing;
//! a repeat with other content is refused. A repeat that arrives while the first is still
//! running waits for it. Only successful answers are kept: after a failure the key may be
//! sent again.

use std::time::{Duration, Instant};

use jiedai_domain::UserId;
use jiedai_store::Claim;
pub use jiedai_store::StoredResponse;

use crate::{App, Error, Result};

/// A claim left running this long is taken to be abandoned (its process died).
const ABANDONED_AFTER: chrono::Duration = chrono::Duration::seconds(60);

/// How long a repeat waits for the first request to finish.
const WAIT_AT_MOST: Duration = Duration::from_secs(30);

/// Longest key accepted.
pub const MAX_KEY: usize = 128;

/// What a request with a key should do.
#[derive(Debug)]
pub enum Begin {
    /// Do the work, then [`finish`] (or [`release`] on failure).
    Proceed,
    /// Answer this, as the first request did.
    Replay(StoredResponse),
}

/// Claims `key` for a request of `user` whose method, path and body hash to `fingerprint`.
pub async fn begin(app: &App, user: UserId, key: &str, fingerprint: &str) -> Result<Begin> {
    if key.is_empty() || key.len() > MAX_KEY || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::field("idempotency_key", "invalid_idempotency_key"));
    }
    let started = Instant::now();
    loop {
        match app.store().claim_idempotency(user, key, fingerprint, ABANDONED_AFTER).await? {
            Claim::Fresh => return Ok(Begin::Proceed),
            Claim::Done { fingerprint: first, response } if first == fingerprint => {
                return Ok(Begin::Replay(response));
            }
            Claim::Done { .. } => return Err(Error::field("idempotency_key", "idempotency_key_reused")),
            Claim::Running { fingerprint: first } if first != fingerprint => {
                return Err(Error::field("idempotency_key", "idempotency_key_reused"));
            }
            Claim::Running { .. } if started.elapsed() > WAIT_AT_MOST => {
                return Err(Error::Conflict { code: "request_in_progress", field: "idempotency_key" });
            }
            Claim::Running { .. } => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
}

/// Keeps the answer of a request that proceeded.
pub async fn finish(app: &App, user: UserId, key: &str, response: &StoredResponse) -> Result<()> {
    Ok(app.store().finish_idempotency(user, key, response).await?)
}

/// Gives the key up after a failure, so the request may be sent again.
pub async fn release(app: &App, user: UserId, key: &str) -> Result<()> {
    Ok(app.store().release_idempotency(user, key).await?)
}
