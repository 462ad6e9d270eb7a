//! A short-lived cache of who stands behind a token or session, which departments they
//! head, and the departments' names.
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

/// Department names by id.
type Names = Vec<(i32, String)>;

#[derive(Default)]
pub(crate) struct AuthCache {
    map: Mutex<HashMap<String, (Instant, Entry)>>,
    /// The departments each user heads (every reception page and list asks).
    heads: Mutex<HashMap<i32, (Instant, Vec<i32>)>>,
    /// Department names by id (lists label rows with them).
    names: Mutex<Option<(Instant, Names)>>,
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

    pub(crate) fn heads(&self, user: i32) -> Option<Vec<i32>> {
        let map = self.heads.lock().unwrap_or_else(|p| p.into_inner());
        map.get(&user).filter(|(at, _)| at.elapsed() < TTL).map(|(_, v)| v.clone())
    }

    pub(crate) fn put_heads(&self, user: i32, v: Vec<i32>) {
        let mut map = self.heads.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= MAX_ENTRIES {
            map.clear();
        }
        map.insert(user, (Instant::now(), v));
    }

    pub(crate) fn names(&self) -> Option<Vec<(i32, String)>> {
        let names = self.names.lock().unwrap_or_else(|p| p.into_inner());
        names.as_ref().filter(|(at, _)| at.elapsed() < TTL).map(|(_, v)| v.clone())
    }

    pub(crate) fn put_names(&self, v: Vec<(i32, String)>) {
        *self.names.lock().unwrap_or_else(|p| p.into_inner()) = Some((Instant::now(), v));
    }

    /// Forgets everything: called by every committed change.
    pub(crate) fn clear(&self) {
        self.map.lock().unwrap_or_else(|p| p.into_inner()).clear();
        self.heads.lock().unwrap_or_else(|p| p.into_inner()).clear();
        *self.names.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }
}
