//! Settings, layered: defaults < `jiedai.toml` < `JIEDAI_*` environment (and
//! `DATABASE_URL`) < command-line flags. Unknown keys are warned about; secrets are
//! redacted whenever settings are printed.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

/// How logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum LogFormat {
    /// Human-readable, for a terminal.
    #[default]
    Pretty,
    /// One JSON object per line, for log collectors.
    Json,
}

/// Every setting, after layering.
#[derive(Clone)]
pub struct Settings {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// Database URL; `None` means the SQLite default under the working directory.
    pub database_url: Option<String>,
    /// Mark cookies `Secure` (set when served over https).
    pub secure_cookies: bool,
    /// Log format.
    pub log_format: LogFormat,
    /// Idle lifetime of a browser session, in hours.
    pub session_hours: i64,
    /// The company's time zone, for dates and deadlines.
    pub timezone: chrono_tz::Tz,
    /// Shown in the header and on print views.
    pub company_name: String,
    /// Failed sign-ins per account within the window before 429.
    pub login_max_failures_per_account: usize,
    /// Failed sign-ins per client address within the window before 429.
    pub login_max_failures_per_address: usize,
    /// The throttling window, in minutes.
    pub login_window_minutes: i64,
    /// Warnings met while layering (unknown keys…), logged once logging is up.
    pub warnings: Vec<String>,
}

/// The SQLite file used when no database URL is given.
pub const DEFAULT_SQLITE_FILE: &str = "data/jiedai.db";

impl Default for Settings {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".parse().expect("valid default address"),
            database_url: None,
            secure_cookies: false,
            log_format: LogFormat::Pretty,
            session_hours: 12,
            timezone: chrono_tz::Asia::Shanghai,
            company_name: "Jiedai".into(),
            login_max_failures_per_account: 5,
            login_max_failures_per_address: 20,
            login_window_minutes: 15,
            warnings: Vec::new(),
        }
    }
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("listen", &self.listen)
            .field("database_url", &self.database_url.as_deref().map(redact_url))
            .field("secure_cookies", &self.secure_cookies)
            .field("log_format", &self.log_format)
            .field("session_hours", &self.session_hours)
            .field("timezone", &self.timezone)
            .field("company_name", &self.company_name)
            .finish_non_exhaustive()
    }
}

/// Hides the password of a URL such as `postgres://user:secret@host/db`.
pub fn redact_url(url: &str) -> String {
    if let Some((scheme, rest)) = url.split_once("://")
        && let Some((creds, host)) = rest.rsplit_once('@')
        && let Some((user, _)) = creds.split_once(':')
    {
        return format!("{scheme}://{user}:***@{host}");
    }
    url.to_owned()
}

/// The keys understood in `jiedai.toml` and as `JIEDAI_<KEY>`.
const KEYS: &[&str] = &[
    "listen",
    "database_url",
    "secure_cookies",
    "log_format",
    "session_hours",
    "timezone",
    "company_name",
    "login_max_failures_per_account",
    "login_max_failures_per_address",
    "login_window_minutes",
];

impl Settings {
    /// Layers defaults, the file, and the given environment. Flags are applied by the caller.
    pub fn load(file: Option<&Path>, env: &BTreeMap<String, String>) -> anyhow::Result<Settings> {
        let mut s = Settings::default();
        let explicit = file.is_some();
        let path = file.map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("jiedai.toml"));
        if path.exists() {
            let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
            let table: toml::Table = text.parse().with_context(|| format!("parsing {}", path.display()))?;
            for (k, v) in table {
                let raw = match v {
                    toml::Value::String(s) => s,
                    other => other.to_string(),
                };
                if KEYS.contains(&k.as_str()) {
                    s.apply(&k, &raw).with_context(|| format!("{}: key {k}", path.display()))?;
                } else {
                    s.warnings.push(format!("{}: unknown key `{k}` ignored", path.display()));
                }
            }
        } else if explicit {
            bail!("configuration file {} not found", path.display());
        }
        if let Some(url) = env.get("DATABASE_URL").filter(|v| !v.is_empty()) {
            s.database_url = Some(url.clone());
        }
        for (k, v) in env {
            let Some(key) = k.strip_prefix("JIEDAI_") else {
                continue;
            };
            let key = key.to_ascii_lowercase();
            if KEYS.contains(&key.as_str()) {
                s.apply(&key, v).with_context(|| format!("environment {k}"))?;
            } else if !matches!(key.as_str(), "config" | "test_database_url" | "require_postgres" | "require_browser") {
                s.warnings.push(format!("unknown environment variable {k} ignored"));
            }
        }
        Ok(s)
    }

    /// Sets one key from its text form.
    pub fn apply(&mut self, key: &str, raw: &str) -> anyhow::Result<()> {
        let raw = raw.trim();
        match key {
            "listen" => {
                self.listen = raw.parse().with_context(|| format!("`{raw}` is not an address like 127.0.0.1:8080"))?
            }
            "database_url" => self.database_url = (!raw.is_empty()).then(|| raw.to_owned()),
            "secure_cookies" => self.secure_cookies = parse_bool(raw)?,
            "log_format" => {
                self.log_format = match raw {
                    "json" => LogFormat::Json,
                    "pretty" => LogFormat::Pretty,
                    _ => bail!("`{raw}` is not pretty or json"),
                }
            }
            "session_hours" => self.session_hours = positive(raw)?,
            "timezone" => self.timezone = raw.parse().map_err(|_| anyhow::anyhow!("`{raw}` is not a time zone"))?,
            "company_name" => self.company_name = raw.to_owned(),
            "login_max_failures_per_account" => self.login_max_failures_per_account = positive(raw)? as usize,
            "login_max_failures_per_address" => self.login_max_failures_per_address = positive(raw)? as usize,
            "login_window_minutes" => self.login_window_minutes = positive(raw)?,
            _ => bail!("unknown key {key}"),
        }
        Ok(())
    }

    /// The database URL in force: the configured one, or the SQLite default.
    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| jiedai_store::sqlite_url(Path::new(DEFAULT_SQLITE_FILE)))
    }
}

fn parse_bool(raw: &str) -> anyhow::Result<bool> {
    match raw.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => bail!("`{raw}` is not true or false"),
    }
}

fn positive(raw: &str) -> anyhow::Result<i64> {
    match raw.parse::<i64>() {
        Ok(n) if n > 0 => Ok(n),
        _ => bail!("`{raw}` is not a positive whole number"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn environment_overrides_file_and_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("jiedai.toml");
        std::fs::write(&f, "listen = \"127.0.0.1:9000\"\nsession_hours = 4\nbogus = 1\n").unwrap();
        let s = Settings::load(Some(&f), &env(&[("JIEDAI_SESSION_HOURS", "8")])).unwrap();
        assert_eq!(s.listen.port(), 9000);
        assert_eq!(s.session_hours, 8);
        assert!(s.warnings.iter().any(|w| w.contains("bogus")));
    }

    #[test]
    fn database_url_password_is_redacted_in_debug() {
        let s = Settings::load(None, &env(&[("DATABASE_URL", "postgres://jd:hunter2@db/jiedai")])).unwrap();
        let shown = format!("{s:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("postgres://jd:***@db/jiedai"));
    }

    #[test]
    fn bad_values_are_refused_with_the_key_named() {
        let err = Settings::load(None, &env(&[("JIEDAI_LISTEN", "nowhere")])).unwrap_err();
        assert!(format!("{err:#}").contains("JIEDAI_LISTEN"));
    }
}
