//! The application state shared by every handler.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use jiedai_store::Store;

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
}

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
}
