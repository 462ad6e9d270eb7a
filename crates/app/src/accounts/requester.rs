//! Who stands behind a request: the person of an API token or a browser session, read
//! through the auth cache (see `cache`), with the session's idle expiry slid forward.

use chrono::{Duration, Utc};
use jiedai_domain::User;
use jiedai_store::Topic;

use crate::cache::Requester as Cached;
use crate::{App, Result, secrets};

/// How long a session may sit unused before its expiry is pushed forward again.
const TOUCH_AFTER: Duration = Duration::minutes(5);

/// The person behind a session, and the stored hash of the session's id.
#[derive(Debug, Clone)]
pub struct Requester {
    /// The signed-in, active person.
    pub user: User,
    /// SHA-256 of the session id (the key of the session's row).
    pub session_hash: String,
}

/// The active person behind a live API token, if any.
pub async fn by_token(app: &App, secret: &str) -> Result<Option<User>> {
    let hash = secrets::sha256_hex(secret);
    let key = format!("t:{hash}");
    let generation = app.store().generation(Topic::Auth);
    if let Some(r) = app.auth_cache().requester(generation, &key) {
        return Ok(Some(r.user));
    }
    let Some(user) = app.store().token_user(&hash).await? else {
        return Ok(None);
    };
    app.auth_cache().put_requester(generation, key, Cached { user: user.clone(), session: None });
    Ok(Some(user))
}

/// The active person behind a live session, if any; the session's idle expiry moves
/// forward when it was last moved more than a few minutes ago.
pub async fn by_session(app: &App, secret: &str) -> Result<Option<Requester>> {
    let hash = secrets::sha256_hex(secret);
    let key = format!("s:{hash}");
    let generation = app.store().generation(Topic::Auth);
    let now = Utc::now();
    let cached = app.auth_cache().requester(generation, &key);
    let (user, last_seen, expires) = match cached {
        Some(Cached { user, session: Some((seen, expires)) }) => (user, seen, expires),
        _ => match app.store().session_user(&hash).await? {
            Some(found) => found,
            None => return Ok(None),
        },
    };
    if expires <= now {
        return Ok(None);
    }
    let session = if now - last_seen > TOUCH_AFTER {
        let ttl = app.config().session_ttl;
        if let Err(e) = app.store().touch_session(&hash, ttl).await {
            tracing::warn!(error = %e, "could not extend session");
        }
        (now, now + ttl)
    } else {
        (last_seen, expires)
    };
    app.auth_cache().put_requester(generation, key, Cached { user: user.clone(), session: Some(session) });
    Ok(Some(Requester { user, session_hash: hash }))
}
