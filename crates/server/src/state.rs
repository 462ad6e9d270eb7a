//! The state every handler reaches: the application (use cases, caches), the settings in
//! force and the request counters.

use std::sync::Arc;

use jiedai_app::App;

use crate::config::Settings;
use crate::ops::metrics::Metrics;

/// What the server holds.
pub struct ServerState {
    /// The use cases.
    pub app: App,
    /// Settings in force.
    pub settings: Settings,
    /// Request counters for `/metrics`.
    pub metrics: Metrics,
    /// The company's name, shared by every request's context.
    pub company: Arc<str>,
    /// Where notifications leave (the mail server, the HTTP client of robots).
    pub sender: crate::notify::send::Sender,
}

/// The state extractor: a cheap handle on [`ServerState`].
#[derive(Clone)]
pub struct AppState(pub Arc<ServerState>);

impl std::ops::Deref for AppState {
    type Target = ServerState;
    fn deref(&self) -> &ServerState {
        &self.0
    }
}

impl AppState {
    /// The state over an opened application.
    pub fn new(app: App, settings: Settings) -> AppState {
        let company = Arc::from(settings.company.name.as_str());
        let timeout = std::time::Duration::from_secs(settings.notify.send_timeout_seconds);
        // `serve` checks the mail settings before it starts: here a bad one only turns mail off.
        let sender = crate::notify::send::Sender::new(&settings.mail, timeout).unwrap_or_else(|e| {
            tracing::error!(error = %e, "e-mail is off");
            crate::notify::send::Sender::without_mail(timeout)
        });
        AppState(Arc::new(ServerState { app, settings, metrics: Metrics::default(), company, sender }))
    }

    /// Whether cookies set in answer are marked `Secure`.
    pub fn secure_cookies(&self) -> bool {
        self.settings.server.secure_cookies
    }

    /// The company's time zone.
    pub fn tz(&self) -> chrono_tz::Tz {
        self.settings.company.timezone
    }
}

/// The use cases' configuration from the settings.
pub fn app_config(s: &Settings) -> jiedai_app::Config {
    jiedai_app::Config {
        timezone: s.company.timezone,
        session_ttl: chrono::Duration::hours(s.session.hours),
        login: jiedai_app::LoginLimits {
            per_account: s.login.max_failures_per_account,
            per_address: s.login.max_failures_per_address,
            window: chrono::Duration::minutes(s.login.window_minutes),
        },
        retry_base: chrono::Duration::seconds(s.notify.retry_base_seconds),
        mail_enabled: s.mail.url.is_some(),
        delivery_lease: chrono::Duration::seconds(s.notify.lease_seconds),
        ..jiedai_app::Config::default()
    }
}

/// The connection pool's sizes from the settings.
pub fn pool_options(s: &Settings) -> jiedai_app::PoolOptions {
    jiedai_app::PoolOptions {
        max_connections: s.database.max_connections,
        min_connections: s.database.min_connections,
        acquire_timeout: std::time::Duration::from_secs(s.database.acquire_timeout_seconds),
        sqlite_full_sync: s.database.sqlite_synchronous == crate::config::Durability::Full,
    }
}
