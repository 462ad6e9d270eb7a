//! In-process caches of data that changes rarely and is read on most requests. Every cache
//! here is only a cache: the database is the truth, and each cache states its bound.
//!
//! | cache | holds | dropped when | bound on staleness |
//! |---|---|---|---|
//! | calendar | the working-day calendar (shipped + added days) | `calendar` epoch moves | one refresh period (200 ms) after another instance's change; at once after this one's |
//! | procedure | the version in force | `procedure` epoch moves | as above |
//! | procedure versions | each version read | never (a version never changes) | none needed |
//! | auth | who stands behind a token or session, the departments each person heads, department names, people's names, whom each person deputises for today | `auth` epoch moves, and each entry after 30 s | as above; a session's end time is checked on every use |
//! | list counts | how many receptions each scope and filter of the list holds (at most 1,024 of them) | `receptions` epoch moves (any reception written) | as above |
//!
//! A change bumps its topic's epoch in the database in the same transaction (see
//! `jiedai_store::Topic`); [`crate::App`] looks at the epochs every 200 ms. A rebuild
//! happens once however many requests ask at the same moment: the first builds, the others
//! wait for its result.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use jiedai_domain::reception::Deputyship;
use jiedai_domain::{DepartmentId, User, UserId};

/// One value built from the database, kept while its topic's generation is unchanged.
pub(crate) struct Cached<T> {
    slot: RwLock<Option<(u64, Arc<T>)>>,
    building: tokio::sync::Mutex<()>,
}

impl<T> Default for Cached<T> {
    fn default() -> Self {
        Self { slot: RwLock::new(None), building: tokio::sync::Mutex::new(()) }
    }
}

impl<T> Cached<T> {
    fn current(&self, generation: u64) -> Option<Arc<T>> {
        let slot = self.slot.read().unwrap_or_else(|p| p.into_inner());
        // A newer value serves a request that read an older generation too.
        slot.as_ref().filter(|(g, _)| *g >= generation).map(|(_, v)| v.clone())
    }

    /// The value of this generation, built by `build` if needed (once, however many ask).
    pub(crate) async fn get_or_build<E, F>(&self, generation: u64, build: impl FnOnce() -> F) -> Result<Arc<T>, E>
    where
        F: Future<Output = Result<T, E>>,
    {
        if let Some(v) = self.current(generation) {
            return Ok(v);
        }
        let _turn = self.building.lock().await;
        if let Some(v) = self.current(generation) {
            return Ok(v);
        }
        let v = Arc::new(build().await?);
        let mut slot = self.slot.write().unwrap_or_else(|p| p.into_inner());
        if slot.as_ref().is_none_or(|(g, _)| *g <= generation) {
            *slot = Some((generation, v.clone()));
        }
        Ok(v)
    }
}

/// How long an auth entry is used without asking the database, at most.
pub(crate) const AUTH_TTL: Duration = Duration::from_secs(30);

/// Bound on the entries of each auth map; past it the map starts afresh.
const MAX_ENTRIES: usize = 10_000;

/// Who stands behind a token or a session.
#[derive(Clone)]
pub(crate) struct Requester {
    pub(crate) user: User,
    /// Sessions: when it was last extended, and when it ends.
    pub(crate) session: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

struct Map<K, V> {
    generation: u64,
    entries: HashMap<K, (Instant, V)>,
}

impl<K: std::hash::Hash + Eq, V: Clone> Map<K, V> {
    fn new() -> Self {
        Self { generation: 0, entries: HashMap::new() }
    }

    /// Moves to a newer generation (forgetting everything); false for an older one.
    fn at(&mut self, generation: u64) -> bool {
        if generation > self.generation {
            self.generation = generation;
            self.entries.clear();
        }
        generation == self.generation
    }

    fn get(&mut self, generation: u64, k: &K) -> Option<V> {
        if !self.at(generation) {
            return None;
        }
        self.entries.get(k).filter(|(at, _)| at.elapsed() < AUTH_TTL).map(|(_, v)| v.clone())
    }

    fn put(&mut self, generation: u64, k: K, v: V) {
        if !self.at(generation) {
            return;
        }
        if self.entries.len() >= MAX_ENTRIES {
            self.entries.clear();
        }
        self.entries.insert(k, (Instant::now(), v));
    }
}

/// Department names by id.
pub(crate) type DepartmentNames = Arc<Vec<(DepartmentId, String)>>;

/// The auth cache: requesters by token or session hash, departments headed by person,
/// department names.
pub(crate) struct AuthCache {
    requesters: Mutex<Map<String, Requester>>,
    heads: Mutex<Map<UserId, Vec<DepartmentId>>>,
    names: Mutex<Map<(), DepartmentNames>>,
    people: Mutex<Map<UserId, String>>,
    deputies: Mutex<Map<(UserId, chrono::NaiveDate), Vec<Deputyship>>>,
}

impl Default for AuthCache {
    fn default() -> Self {
        Self {
            requesters: Mutex::new(Map::new()),
            heads: Mutex::new(Map::new()),
            names: Mutex::new(Map::new()),
            people: Mutex::new(Map::new()),
            deputies: Mutex::new(Map::new()),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl AuthCache {
    pub(crate) fn requester(&self, generation: u64, key: &str) -> Option<Requester> {
        lock(&self.requesters).get(generation, &key.to_owned())
    }

    pub(crate) fn put_requester(&self, generation: u64, key: String, r: Requester) {
        lock(&self.requesters).put(generation, key, r);
    }

    pub(crate) fn heads(&self, generation: u64, user: UserId) -> Option<Vec<DepartmentId>> {
        lock(&self.heads).get(generation, &user)
    }

    pub(crate) fn put_heads(&self, generation: u64, user: UserId, v: Vec<DepartmentId>) {
        lock(&self.heads).put(generation, user, v);
    }

    /// Whom a person is the deputy of on a day (and for which departments).
    pub(crate) fn deputies(&self, generation: u64, user: UserId, day: chrono::NaiveDate) -> Option<Vec<Deputyship>> {
        lock(&self.deputies).get(generation, &(user, day))
    }

    pub(crate) fn put_deputies(&self, generation: u64, user: UserId, day: chrono::NaiveDate, v: Vec<Deputyship>) {
        lock(&self.deputies).put(generation, (user, day), v);
    }

    pub(crate) fn names(&self, generation: u64) -> Option<DepartmentNames> {
        lock(&self.names).get(generation, &())
    }

    pub(crate) fn put_names(&self, generation: u64, v: DepartmentNames) {
        lock(&self.names).put(generation, (), v);
    }

    pub(crate) fn display_name(&self, generation: u64, user: UserId) -> Option<String> {
        lock(&self.people).get(generation, &user)
    }

    pub(crate) fn put_display_name(&self, generation: u64, user: UserId, name: String) {
        lock(&self.people).put(generation, user, name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_value_is_built_once_per_generation_however_many_ask() {
        let cache: Arc<Cached<u32>> = Arc::default();
        let builds = Arc::new(std::sync::atomic::AtomicU32::new(0));
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let (cache, builds) = (cache.clone(), builds.clone());
            tasks.push(tokio::spawn(async move {
                cache
                    .get_or_build(1, || async {
                        builds.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        Ok::<_, ()>(7)
                    })
                    .await
            }));
        }
        for t in tasks {
            assert_eq!(*t.await.unwrap().unwrap(), 7);
        }
        assert_eq!(builds.load(std::sync::atomic::Ordering::SeqCst), 1, "no rebuild stampede");
        let v = cache.get_or_build(2, || async { Ok::<_, ()>(8) }).await.unwrap();
        assert_eq!(*v, 8, "a new generation rebuilds");
    }

    #[test]
    fn a_new_generation_forgets_every_auth_entry() {
        let c = AuthCache::default();
        c.put_heads(1, UserId(3), vec![DepartmentId(4)]);
        assert_eq!(c.heads(1, UserId(3)), Some(vec![DepartmentId(4)]));
        assert_eq!(c.heads(2, UserId(3)), None);
        assert_eq!(c.heads(1, UserId(3)), None, "the old generation is gone");
    }
}

/// The reception list's totals per scope and filter (a key of the caller's making), kept
/// while no reception is written; at most [`CountCache::MAX`] of them.
#[derive(Default)]
pub(crate) struct CountCache {
    slot: Mutex<(u64, HashMap<String, u64>)>,
    /// One count at a time per key: requests asking for the same total at the same moment
    /// wait for the first (as many as [`CountCache::MAX`], then forgotten).
    turns: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl CountCache {
    /// The most totals kept; when full, every one is dropped.
    pub(crate) const MAX: usize = 1024;

    /// The total counted at this generation, if any.
    pub(crate) fn get(&self, generation: u64, key: &str) -> Option<u64> {
        let slot = self.slot.lock().unwrap_or_else(|p| p.into_inner());
        (slot.0 == generation).then(|| slot.1.get(key).copied()).flatten()
    }

    /// The turn of a key: whoever holds it counts; the others wait, then find the total.
    pub(crate) fn turn(&self, key: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut turns = self.turns.lock().unwrap_or_else(|p| p.into_inner());
        if turns.len() >= Self::MAX && !turns.contains_key(key) {
            turns.clear();
        }
        turns.entry(key.to_owned()).or_default().clone()
    }

    /// Keeps a total counted at `generation` (read before the count began): a newer
    /// generation drops the older totals; a total of an older one is not kept.
    pub(crate) fn put(&self, generation: u64, key: String, total: u64) {
        let mut slot = self.slot.lock().unwrap_or_else(|p| p.into_inner());
        if generation < slot.0 {
            return;
        }
        if generation > slot.0 || slot.1.len() >= Self::MAX {
            *slot = (generation, HashMap::new());
        }
        slot.1.insert(key, total);
    }
}

/// Reads kept per key while nothing they depend on was written (the generation the caller
/// gives: the sum of the generations of the topics read), at most [`Snapshots::MAX`] keys.
pub(crate) struct Snapshots<K, V> {
    slot: Mutex<(u64, HashMap<K, Arc<V>>)>,
}

impl<K, V> Default for Snapshots<K, V> {
    fn default() -> Self {
        Self { slot: Mutex::new((0, HashMap::new())) }
    }
}

impl<K: std::hash::Hash + Eq, V> Snapshots<K, V> {
    /// The most keys kept; when full, every one is dropped.
    pub(crate) const MAX: usize = 1024;

    /// What was read at this generation, if anything.
    pub(crate) fn get(&self, generation: u64, key: &K) -> Option<Arc<V>> {
        let slot = self.slot.lock().unwrap_or_else(|p| p.into_inner());
        (slot.0 == generation).then(|| slot.1.get(key).cloned()).flatten()
    }

    /// Keeps what was read at `generation` (taken before the read began): a newer generation
    /// drops the older reads; a read of an older one is not kept.
    pub(crate) fn put(&self, generation: u64, key: K, v: Arc<V>) {
        let mut slot = self.slot.lock().unwrap_or_else(|p| p.into_inner());
        if generation < slot.0 {
            return;
        }
        if generation > slot.0 || slot.1.len() >= Self::MAX {
            *slot = (generation, HashMap::new());
        }
        slot.1.insert(key, v);
    }
}

#[cfg(test)]
mod count_tests {
    use super::CountCache;

    #[test]
    fn a_total_is_kept_until_a_reception_is_written_and_an_old_one_never_returns() {
        let c = CountCache::default();
        c.put(1, "all".into(), 10);
        assert_eq!(c.get(1, "all"), Some(10));
        assert_eq!(c.get(2, "all"), None, "a reception was written since");
        c.put(1, "late".into(), 3);
        c.put(2, "all".into(), 11);
        c.put(1, "all".into(), 10);
        assert_eq!(c.get(2, "all"), Some(11), "a count begun before the write is not kept");
        for i in 0..CountCache::MAX + 1 {
            c.put(2, i.to_string(), 1);
        }
        assert!(c.slot.lock().unwrap().1.len() <= CountCache::MAX);
    }

    #[test]
    fn a_snapshot_is_kept_until_what_it_read_is_written_and_an_old_one_never_returns() {
        use super::Snapshots;
        use std::sync::Arc;
        let c: Snapshots<u32, Vec<u8>> = Snapshots::default();
        c.put(3, 7, Arc::new(vec![1]));
        assert_eq!(c.get(3, &7).as_deref(), Some(&vec![1]));
        assert!(c.get(4, &7).is_none(), "written since");
        c.put(4, 7, Arc::new(vec![2]));
        c.put(3, 7, Arc::new(vec![1]));
        assert_eq!(c.get(4, &7).as_deref(), Some(&vec![2]), "a read begun before the write is not kept");
    }
}
