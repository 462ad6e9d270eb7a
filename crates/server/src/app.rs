//! The application state shared by every handler.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use std::collections::HashMap;

use jiedai_domain::Calendar;
use jiedai_domain::procedure::Procedure;
use jiedai_store::Store;
use tokio::sync::RwLock;

use crate::config::Settings;
use crate::metrics::Metrics;

/// Everything a request may need.
pub struct App {
    /// The database.
    pub store: Store,
    /// Settings in force.
    pub settings: Settings,
    /// Request counters for `/metrics`.
    pub metrics: Metrics,
    /// Set once any user exists; until then pages lead to first-run set-up.
    has_users: AtomicBool,
    /// The working-day calendar: the shipped one plus added days, rebuilt after a change
    /// here and at least every [`CALENDAR_REFRESH`] (changes by other instances).
    calendar: RwLock<Option<(Instant, Arc<Calendar>)>>,
    /// Procedure versions read so far: a version never changes once made.
    procedures: RwLock<HashMap<i32, Arc<Procedure>>>,
    /// Forms that created something, by their one-time token, for an hour: a second
    /// click on "create" leads to what the first made instead of making it twice.
    forms_done: std::sync::Mutex<HashMap<String, (Option<i32>, Instant)>>,
}

/// How long a built calendar is used before the added days are read again.
pub const CALENDAR_REFRESH: Duration = Duration::from_secs(10);

/// What became of a form's one-time token.
pub enum FormClaim {
    /// Not seen: go on.
    First,
    /// Being handled by an earlier request.
    Busy,
    /// Already made this.
    Done(i32),
}

/// How long a form's one-time token is remembered.
const FORM_TOKEN_TTL: Duration = Duration::from_secs(3600);

/// The state extractor: a cheap handle on [`App`].
#[derive(Clone)]
pub struct AppState(pub Arc<App>);

impl std::ops::Deref for AppState {
    type Target = App;
    fn deref(&self) -> &App {
        &self.0
    }
}

impl AppState {
    /// Builds the state over an opened, migrated store.
    pub async fn new(store: Store, settings: Settings) -> anyhow::Result<AppState> {
        let has_users = store.count_users().await? > 0;
        Ok(AppState(Arc::new(App {
            store,
            settings,
            metrics: Metrics::default(),
            has_users: AtomicBool::new(has_users),
            calendar: RwLock::new(None),
            procedures: RwLock::new(HashMap::new()),
            forms_done: std::sync::Mutex::new(HashMap::new()),
        })))
    }
}

impl App {
    /// True once any user exists. Asks the database again while none was seen, so a
    /// user added by the command line or another instance is noticed.
    pub async fn has_users(&self) -> bool {
        if self.has_users.load(Ordering::Relaxed) {
            return true;
        }
        let yes = self.store.count_users().await.map(|n| n > 0).unwrap_or(false);
        if yes {
            self.has_users.store(true, Ordering::Relaxed);
        }
        yes
    }

    /// The working-day calendar in force.
    pub async fn calendar(&self) -> anyhow::Result<Arc<Calendar>> {
        if let Some((at, cal)) = self.calendar.read().await.as_ref()
            && at.elapsed() < CALENDAR_REFRESH
        {
            return Ok(cal.clone());
        }
        let added = self.store.list_calendar_days().await?;
        let cal = match Calendar::shipped_with(added.into_iter().map(|d| d.entry)) {
            Ok(c) => Arc::new(c),
            Err(e) => {
                // Cannot happen through the product (imports are checked against the
                // calendar); never let a bad row stop deadlines from being computed.
                tracing::error!(date = %e.value, "added calendar day clashes with the shipped calendar; ignoring added days");
                Arc::new(Calendar::shipped_with([]).map_err(|e| anyhow::anyhow!("shipped calendar: {}", e.code))?)
            }
        };
        *self.calendar.write().await = Some((Instant::now(), cal.clone()));
        Ok(cal)
    }

    /// Claims a form's one-time token: the first sender goes on; a second sees what
    /// the first made (or that it is still being made).
    pub fn form_claim(&self, token: &str) -> FormClaim {
        if token.is_empty() {
            return FormClaim::First;
        }
        let mut map = self.forms_done.lock().unwrap_or_else(|e| e.into_inner());
        map.retain(|_, (_, at)| at.elapsed() < FORM_TOKEN_TTL);
        match map.get(token) {
            Some((Some(id), _)) => FormClaim::Done(*id),
            Some((None, _)) => FormClaim::Busy,
            None => {
                map.insert(token.to_owned(), (None, Instant::now()));
                FormClaim::First
            }
        }
    }

    /// Records what a claimed form made (`None`: it failed; the token may be sent again).
    pub fn form_finished(&self, token: &str, made: Option<i32>) {
        if token.is_empty() {
            return;
        }
        let mut map = self.forms_done.lock().unwrap_or_else(|e| e.into_inner());
        match made {
            Some(id) => {
                map.insert(token.to_owned(), (Some(id), Instant::now()));
            }
            None => {
                map.remove(token);
            }
        }
    }

    /// The company's date today (in its time zone).
    pub fn today(&self) -> chrono::NaiveDate {
        chrono::Utc::now().with_timezone(&self.settings.timezone).date_naive()
    }

    /// A procedure version, read once and kept (versions never change).
    pub async fn procedure(&self, version: i32) -> Result<Arc<Procedure>, jiedai_store::StoreError> {
        if let Some(p) = self.procedures.read().await.get(&version) {
            return Ok(p.clone());
        }
        let p = Arc::new(self.store.procedure_version(version).await?.procedure);
        self.procedures.write().await.insert(version, p.clone());
        Ok(p)
    }

    /// Forgets the built calendar after a change.
    pub async fn calendar_changed(&self) {
        *self.calendar.write().await = None;
    }
}
