//! A short-lived cache of who stands behind a token or session.
//!
//! Resolving a requester takes several queries (token or session, user, roles,
//! department); doing them on every request made an authenticated API call many times
//! dearer than a trivial one. Entries live for [`TTL`]: every change this process makes
//! to users, departments, tokens or sessions empties the cache at once, and changes made
//! elsewhere (the command line, another instance) are seen within [`TTL`].

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use jiedai_domain::User;

/// How long an entry is trusted without asking the database again.
pub const TTL: Duration = Duration::from_millis(500);

/// Bound on entries; past it the cache starts afresh.
const MAX_ENTRIES: usize = 10_000;

/// A cached requester: the user, and for sessions when it was last extended.
#[derive(Clone)]
pub(crate) struct Entry {
    pub(crate) user: User,
    pub(crate) last_seen: Option<DateTime<Utc>>,
}

#[derive(Default)]
pub(crate) struct AuthCache {
    map: Mutex<HashMap<String, (Instant, Entry)>>,
}

impl AuthCache {
    pub(crate) fn get(&self, key: &str) -> Option<Entry> {
        let map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        map.get(key).filter(|(at, _)| at.elapsed() < TTL).map(|(_, e)| e.clone())
    }

    pub(crate) fn put(&self, key: String, entry: Entry) {
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= MAX_ENTRIES {
            map.clear();
        }
        map.insert(key, (Instant::now(), entry));
    }

    /// Forgets everything: called by every change to accounts.
    pub(crate) fn clear(&self) {
        self.map.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }
}
