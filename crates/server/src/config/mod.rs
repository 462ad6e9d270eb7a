//! Settings, layered by figment: defaults < `jiedai.toml` < `JIEDAI_*` environment (and
//! `DATABASE_URL`) < command-line flags (applied by the caller). Every value remembers where it
//! came from, so a bad one is refused naming the file key or the environment variable. The flat
//! spellings of earlier versions still work, with a warning; unknown keys are warned about and
//! ignored. The database URL is held as a secret and redacted whenever settings are printed.

mod load;
mod parse;

use std::fmt;
use std::net::SocketAddr;

use ipnet::IpNet;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

pub use load::redact_url;
use parse::{
    address, durability, flag, hour, log_format, mail_url, networks, optional_count, optional_positive, positive,
    public_url, secret_text, secret_url, text, time_zone,
};

/// How logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    /// Human-readable, for a terminal.
    #[default]
    Pretty,
    /// One JSON object per line, for log collectors.
    Json,
}

/// Every setting, after layering.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// `[server]`: where to listen, cookies, logs.
    pub server: ServerSettings,
    /// `[database]`: which database, and its connection pool.
    pub database: DatabaseSettings,
    /// `[company]`: the company's name and time zone.
    pub company: CompanySettings,
    /// `[session]`: browser sessions.
    pub session: SessionSettings,
    /// `[login]`: sign-in throttling.
    pub login: LoginSettings,
    /// `[proxy]`: reverse proxies in front of the server.
    pub proxy: ProxySettings,
    /// `[mail]`: the SMTP server notifications are mailed through.
    pub mail: MailSettings,
    /// `[notify]`: the delivery worker.
    pub notify: NotifySettings,
    /// Warnings met while layering (old spellings, unknown keys), logged by the caller once
    /// logging is up.
    #[serde(skip)]
    pub warnings: Vec<String>,
}

/// `[server]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct ServerSettings {
    /// Address to listen on.
    #[serde(deserialize_with = "address")]
    pub listen: SocketAddr,
    /// Mark cookies `Secure` (set when served over https).
    #[serde(deserialize_with = "flag")]
    pub secure_cookies: bool,
    /// Log format.
    #[serde(deserialize_with = "log_format")]
    pub log_format: LogFormat,
    /// Seconds a client has to send a request's headers; also how long an idle kept-alive
    /// connection stays open waiting for the next request.
    #[serde(deserialize_with = "positive")]
    pub header_timeout_seconds: u64,
    /// Seconds a request may take in all, from its headers to the answer (then 503).
    #[serde(deserialize_with = "positive")]
    pub request_timeout_seconds: u64,
    /// Most connections open at once; further clients wait to be accepted.
    #[serde(deserialize_with = "positive")]
    pub max_connections: usize,
    /// The address people reach the site at, for the links in e-mails and robot messages
    /// (`https://jiedai.example.com`); empty: `http://` and the listening address.
    #[serde(deserialize_with = "public_url")]
    pub public_url: String,
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            secure_cookies: false,
            log_format: LogFormat::Pretty,
            header_timeout_seconds: 10,
            request_timeout_seconds: 30,
            max_connections: 1024,
            public_url: String::new(),
        }
    }
}

/// `[database]`. Its `Debug` shows the URL with the password replaced by `***`.
#[derive(Clone, Deserialize)]
#[serde(default)]
pub struct DatabaseSettings {
    /// Database URL (`sqlite://…` or `postgres://user:password@host/db`); `None` means the
    /// SQLite default under the working directory. Secret: read it through
    /// [`Settings::database_url`].
    #[serde(deserialize_with = "secret_url")]
    pub url: Option<SecretString>,
    /// Most connections the pool opens; `None` leaves the store's default for the engine.
    #[serde(deserialize_with = "optional_positive")]
    pub max_connections: Option<u32>,
    /// Connections the pool keeps open even when idle; `None` leaves the store's default.
    #[serde(deserialize_with = "optional_count")]
    pub min_connections: Option<u32>,
    /// How long to wait for a free connection before failing, in seconds: during an outage
    /// requests answer 503 after this long.
    #[serde(deserialize_with = "positive")]
    pub acquire_timeout_seconds: u64,
    /// SQLite only: `full` (the default: an acknowledged write survives power loss) or
    /// `normal` (faster writes; survives a crash of the process, but power loss may drop
    /// the last writes).
    #[serde(deserialize_with = "durability")]
    pub sqlite_synchronous: Durability,
}

/// How SQLite makes a commit durable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Durability {
    /// `synchronous=FULL`: survives power loss.
    #[default]
    Full,
    /// `synchronous=NORMAL`: survives a crash of the process (kill -9), not of the machine.
    Normal,
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        Self {
            url: None,
            max_connections: None,
            min_connections: None,
            acquire_timeout_seconds: 2,
            sqlite_synchronous: Durability::Full,
        }
    }
}

impl fmt::Debug for DatabaseSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DatabaseSettings")
            .field("url", &self.url.as_ref().map(|u| redact_url(u.expose_secret())))
            .field("max_connections", &self.max_connections)
            .field("min_connections", &self.min_connections)
            .field("acquire_timeout_seconds", &self.acquire_timeout_seconds)
            .field("sqlite_synchronous", &self.sqlite_synchronous)
            .finish()
    }
}

/// `[company]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct CompanySettings {
    /// Shown in the header and on print views.
    #[serde(deserialize_with = "text")]
    pub name: String,
    /// The company's time zone, for dates and deadlines.
    #[serde(deserialize_with = "time_zone")]
    pub timezone: chrono_tz::Tz,
}

impl Default for CompanySettings {
    fn default() -> Self {
        Self { name: "Jiedai".into(), timezone: chrono_tz::Asia::Shanghai }
    }
}

/// `[session]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct SessionSettings {
    /// Idle lifetime of a browser session, in hours (more than 0).
    #[serde(deserialize_with = "positive")]
    pub hours: i64,
}

impl Default for SessionSettings {
    fn default() -> Self {
        Self { hours: 12 }
    }
}

/// `[login]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct LoginSettings {
    /// Failed sign-ins per account within the window before 429 (more than 0).
    #[serde(deserialize_with = "positive")]
    pub max_failures_per_account: u32,
    /// Failed sign-ins per client address within the window before 429 (more than 0).
    #[serde(deserialize_with = "positive")]
    pub max_failures_per_address: u32,
    /// The throttling window, in minutes (more than 0).
    #[serde(deserialize_with = "positive")]
    pub window_minutes: i64,
}

impl Default for LoginSettings {
    fn default() -> Self {
        Self { max_failures_per_account: 5, max_failures_per_address: 20, window_minutes: 15 }
    }
}

/// `[proxy]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ProxySettings {
    /// Reverse proxies trusted to tell the client's address: networks such as `10.0.0.0/8`, or
    /// single addresses such as `127.0.0.1` (a /32, or /128 for IPv6). Empty: none.
    #[serde(deserialize_with = "networks")]
    pub trusted: Vec<IpNet>,
}

/// `[mail]`. Its `Debug` hides the URL's password and the password.
#[derive(Clone, Default, Deserialize)]
#[serde(default)]
pub struct MailSettings {
    /// `smtp://host:587` (STARTTLS when the server offers it), `smtps://host:465` (TLS from
    /// the start), with `user:password@` if the server wants them; `None`: no e-mail (in-app
    /// messages and channels still work).
    #[serde(deserialize_with = "mail_url")]
    pub url: Option<SecretString>,
    /// The sender (`Jiedai <jiedai@example.com>`).
    #[serde(deserialize_with = "text")]
    pub from: String,
    /// The password, when not in the URL (`JIEDAI_MAIL_PASSWORD`).
    #[serde(deserialize_with = "secret_text")]
    pub password: Option<SecretString>,
}

impl fmt::Debug for MailSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MailSettings")
            .field("url", &self.url.as_ref().map(|u| redact_url(u.expose_secret())))
            .field("from", &self.from)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .finish()
    }
}

/// `[notify]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct NotifySettings {
    /// How often the delivery worker looks for work, in milliseconds.
    #[serde(deserialize_with = "positive")]
    pub poll_interval_ms: u64,
    /// The hour (company time) at which the working day before is told of tasks due and
    /// visits starting on the next working day.
    #[serde(deserialize_with = "hour")]
    pub reminder_hour: u32,
    /// Seconds a send (one SMTP conversation, one robot call) may take before it fails.
    #[serde(deserialize_with = "positive")]
    pub send_timeout_seconds: u64,
    /// Seconds before a failed delivery is tried again the first time (doubling each time, at
    /// most an hour apart, for a day).
    #[serde(deserialize_with = "positive")]
    pub retry_base_seconds: i64,
    /// Seconds an instance holds the deliveries it took (more than `send_timeout_seconds`):
    /// those of an instance that died are sent by another once this has passed.
    #[serde(deserialize_with = "positive")]
    pub lease_seconds: i64,
}

impl Default for NotifySettings {
    fn default() -> Self {
        Self {
            poll_interval_ms: 1000,
            reminder_hour: 16,
            send_timeout_seconds: 10,
            retry_base_seconds: 30,
            lease_seconds: 120,
        }
    }
}

/// The SQLite file used when no database URL is given.
pub const DEFAULT_SQLITE_FILE: &str = "data/jiedai.db";

/// The configuration file read when none is named, relative to the working directory.
#[cfg(test)]
mod tests;
