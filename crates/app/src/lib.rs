//! The use cases of Jiedai, shared by the pages, the API, the command line and (later)
//! background jobs: parse input into domain values, check who may do what, call the store,
//! keep the caches. One module per feature; nothing here knows HTTP.

pub mod accounts;
pub mod audit;
mod cache;
pub mod calendar;
pub mod demo;
mod demo_form;
mod demo_history;
pub mod error;
pub mod idempotency;
pub mod notify;
pub mod procedure;
pub mod receptions;
pub mod reports;
pub mod resources;
pub mod review;
pub mod secrets;
pub mod settlement;
pub mod survey;
pub mod tasks;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock, Weak};
use std::time::Duration;

use chrono::NaiveDate;
use jiedai_domain::procedure::Procedure;
use jiedai_domain::{Calendar, UserId};
use jiedai_store::{Store, Topic};

pub use accounts::password::Hashing;
pub use error::{Error, Result};
pub use jiedai_store::{PoolOptions, ProcedureVersion};

/// Failed sign-ins allowed before throttling, and the window they are counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginLimits {
    /// Failures for one username within the window before 429.
    pub per_account: u32,
    /// Failures from one client address within the window before 429.
    pub per_address: u32,
    /// The window.
    pub window: chrono::Duration,
}

impl Default for LoginLimits {
    fn default() -> Self {
        Self { per_account: 5, per_address: 20, window: chrono::Duration::minutes(15) }
    }
}

/// What the use cases need to know of the installation.
#[derive(Debug, Clone)]
pub struct Config {
    /// The company's time zone: dates and deadlines are local.
    pub timezone: chrono_tz::Tz,
    /// Idle lifetime of a browser session.
    pub session_ttl: chrono::Duration,
    /// Sign-in throttling.
    pub login: LoginLimits,
    /// How new passwords are hashed.
    pub hashing: Hashing,
    /// How often the change marks of cached data are looked at (see `cache`).
    pub epoch_refresh: Duration,
    /// The first wait before a failed delivery is tried again (doubling each time).
    pub retry_base: chrono::Duration,
    /// A mail server is set up: notifications are also mailed to those who want it.
    pub mail_enabled: bool,
    /// How long an instance holds the events and deliveries it leased (longer than any send
    /// may take): those of an instance that died are taken by another once it has passed.
    pub delivery_lease: chrono::Duration,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            timezone: chrono_tz::Asia::Shanghai,
            session_ttl: chrono::Duration::hours(12),
            login: LoginLimits::default(),
            hashing: Hashing::default(),
            epoch_refresh: Duration::from_millis(200),
            retry_base: chrono::Duration::seconds(jiedai_domain::notify::RETRY_BASE_SECONDS),
            mail_enabled: false,
            delivery_lease: chrono::Duration::seconds(120),
        }
    }
}

/// The application: the database, the configuration and the caches. Cheap to clone.
#[derive(Clone)]
pub struct App(Arc<Inner>);

struct Inner {
    store: Store,
    config: Config,
    /// Set once any user exists; until then pages lead to first-run set-up.
    has_users: AtomicBool,
    calendar: cache::Cached<Calendar>,
    procedure: cache::Cached<ProcedureVersion>,
    /// Procedure versions read so far: a version never changes once made.
    versions: RwLock<HashMap<i32, Arc<Procedure>>>,
    auth: cache::AuthCache,
    /// The reception list's totals.
    counts: cache::CountCache,
    /// Each person's tasks, and the board (per coordinator filter), while no task or
    /// reception is written.
    held: cache::Snapshots<UserId, Vec<jiedai_store::PersonTask>>,
    boards: cache::Snapshots<Option<UserId>, Vec<(jiedai_store::BoardReception, Vec<jiedai_store::StoredTask>)>>,
    /// Each person's unread notifications, while none is written or read.
    unread: cache::Snapshots<UserId, u64>,
    /// The key that signs CSRF tokens, shared by every instance of the database.
    csrf_key: Vec<u8>,
    /// The key guests' survey links are derived with, shared by every instance likewise.
    survey_key: String,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App").field("engine", &self.0.store.engine()).finish_non_exhaustive()
    }
}

/// An opened application and how many migrations its start applied.
pub struct Opened {
    /// The application.
    pub app: App,
    /// Migrations applied at this start (0 when the schema was current).
    pub migrations_applied: usize,
}

impl App {
    /// Opens the database at `url`, applies pending migrations (once, however many
    /// instances start together) and starts looking for changes made by other instances.
    pub async fn open(url: &str, pool: PoolOptions, config: Config) -> Result<Opened> {
        let store = Store::connect(url, pool).await?;
        let migrations_applied = store.migrate().await?;
        Ok(Opened { app: App::new(store, config).await?, migrations_applied })
    }

    async fn new(store: Store, config: Config) -> Result<App> {
        let has_users = store.count_users().await? > 0;
        store.refresh_epochs().await?;
        let csrf_key = store.server_secret("csrf", &secrets::random_hex()).await?.into_bytes();
        let survey_key = store.server_secret("survey_links", &secrets::random_hex()).await?;
        let app = App(Arc::new(Inner {
            store,
            config,
            has_users: AtomicBool::new(has_users),
            calendar: cache::Cached::default(),
            procedure: cache::Cached::default(),
            versions: RwLock::new(HashMap::new()),
            auth: cache::AuthCache::default(),
            counts: cache::CountCache::default(),
            held: cache::Snapshots::default(),
            boards: cache::Snapshots::default(),
            unread: cache::Snapshots::default(),
            csrf_key,
            survey_key,
        }));
        watch_changes(Arc::downgrade(&app.0));
        Ok(app)
    }

    pub(crate) fn store(&self) -> &Store {
        &self.0.store
    }

    pub(crate) fn counts(&self) -> &cache::CountCache {
        &self.0.counts
    }

    /// The generation of everything tasks are read with: tasks and receptions.
    pub(crate) fn tasks_generation(&self) -> u64 {
        self.0.store.generation(jiedai_store::Topic::Tasks) + self.0.store.generation(jiedai_store::Topic::Receptions)
    }

    /// The tasks a person holds (with their receptions), read once per generation.
    pub(crate) async fn held_tasks(&self, user: UserId) -> Result<Arc<Vec<jiedai_store::PersonTask>>> {
        let generation = self.tasks_generation();
        if let Some(v) = self.0.held.get(generation, &user) {
            return Ok(v);
        }
        let v = Arc::new(self.0.store.tasks_of_person(user).await?);
        self.0.held.put(generation, user, v.clone());
        Ok(v)
    }

    /// The receptions under way with their tasks (of one coordinator, or all), read once per
    /// generation.
    #[allow(clippy::type_complexity)]
    pub(crate) async fn board_rows(
        &self,
        coordinator: Option<UserId>,
        limit: u64,
    ) -> Result<Arc<Vec<(jiedai_store::BoardReception, Vec<jiedai_store::StoredTask>)>>> {
        let generation = self.tasks_generation();
        if let Some(v) = self.0.boards.get(generation, &coordinator) {
            return Ok(v);
        }
        let v = Arc::new(self.0.store.planning_board(coordinator, limit).await?);
        self.0.boards.put(generation, coordinator, v.clone());
        Ok(v)
    }

    pub(crate) fn unread(&self) -> &cache::Snapshots<UserId, u64> {
        &self.0.unread
    }

    pub(crate) fn auth_cache(&self) -> &cache::AuthCache {
        &self.0.auth
    }

    /// The CSRF token bound to `binding` (a session, or an anonymous visitor's cookie): a
    /// signature under the database's shared key, so a value an attacker plants in a cookie
    /// and a form never passes, and a token of one session is worthless in another.
    pub fn csrf_token(&self, binding: &str) -> String {
        secrets::hmac_hex(&self.0.csrf_key, binding.as_bytes())
    }

    /// The key guests' survey links are derived with (read once at start).
    pub(crate) fn survey_key(&self) -> &str {
        &self.0.survey_key
    }

    /// The configuration in force.
    pub fn config(&self) -> &Config {
        &self.0.config
    }

    /// `sqlite` or `postgres`.
    pub fn engine(&self) -> &'static str {
        self.store().engine()
    }

    /// Checks the database answers (for readiness).
    pub async fn ping(&self) -> Result<()> {
        Ok(self.store().ping().await?)
    }

    /// Closes the database (graceful shutdown).
    pub async fn close(&self) -> Result<()> {
        Ok(self.store().clone().close().await?)
    }

    /// The company's date today (in its time zone).
    pub fn today(&self) -> NaiveDate {
        chrono::Utc::now().with_timezone(&self.0.config.timezone).date_naive()
    }

    /// True once any user exists. Asks the database again while none was seen, so a
    /// user added by the command line or another instance is noticed.
    pub async fn has_users(&self) -> bool {
        if self.0.has_users.load(Ordering::Relaxed) {
            return true;
        }
        match self.store().count_users().await {
            Ok(n) if n > 0 => {
                self.0.has_users.store(true, Ordering::Relaxed);
                true
            }
            Ok(_) => false,
            // Unknown during an outage: not sent to first-run set-up, and not remembered.
            Err(_) => true,
        }
    }

    /// The working-day calendar in force: the shipped one plus the added days.
    pub async fn calendar(&self) -> Result<Arc<Calendar>> {
        let generation = self.store().generation(Topic::Calendar);
        self.0
            .calendar
            .get_or_build(generation, || async {
                let added = self.store().list_calendar_days().await?;
                Ok(match Calendar::shipped_with(added.into_iter().map(|d| d.entry)) {
                    Ok(c) => c,
                    Err(e) => {
                        // Cannot happen through the product (imports are checked against the
                        // calendar); never let a bad row stop deadlines from being computed.
                        tracing::error!(date = %e.value, "added calendar day clashes with the shipped calendar; ignoring added days");
                        Calendar::shipped_with([]).map_err(|e| anyhow::anyhow!("shipped calendar: {}", e.code))?
                    }
                })
            })
            .await
    }

    /// A procedure version, read once and kept (versions never change).
    pub async fn procedure(&self, version: i32) -> Result<Arc<Procedure>> {
        if let Some(p) = self.0.versions.read().unwrap_or_else(|p| p.into_inner()).get(&version) {
            return Ok(p.clone());
        }
        let p = Arc::new(self.store().procedure_version(version).await?.procedure);
        self.0.versions.write().unwrap_or_else(|p| p.into_inner()).insert(version, p.clone());
        Ok(p)
    }

    /// The procedure version in force; the first call on a new installation seeds version
    /// 1 from the company's procedure.
    pub async fn current_procedure(&self) -> Result<Arc<ProcedureVersion>> {
        let generation = self.store().generation(Topic::Procedure);
        self.0.procedure.get_or_build(generation, || procedure::read_or_seed(self.store())).await
    }
}

/// Looks at the change marks of cached data every `epoch_refresh` while the application
/// lives, so that caches drop what other instances changed.
fn watch_changes(app: Weak<Inner>) {
    tokio::spawn(async move {
        let mut failing = false;
        loop {
            let Some(inner) = app.upgrade() else { return };
            let period = inner.config.epoch_refresh;
            match inner.store.refresh_epochs().await {
                Ok(()) => failing = false,
                Err(e) if !failing => {
                    failing = true;
                    tracing::warn!(error = %e, "cannot look for changes made by other instances");
                }
                Err(_) => {}
            }
            drop(inner);
            tokio::time::sleep(period).await;
        }
    });
}
