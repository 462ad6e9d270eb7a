//! Layering: the file and the environment as figment layers, old spellings with warnings,
//! unknown keys warned about, and errors that name where a bad value came from.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, anyhow, bail};
use figment::providers::{Format, Toml};
use figment::value::{Dict, Map, Value};
use figment::{Figment, Metadata, Profile, Provider};
use secrecy::{ExposeSecret, SecretString};

use super::{DEFAULT_SQLITE_FILE, Settings};

pub(super) const DEFAULT_CONFIG_FILE: &str = "jiedai.toml";

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

/// The keys understood, by section.
pub(super) const KEYS: &[(&str, &[&str])] = &[
    (
        "server",
        &[
            "listen",
            "secure_cookies",
            "log_format",
            "header_timeout_seconds",
            "request_timeout_seconds",
            "max_connections",
            "public_url",
        ],
    ),
    ("database", &["url", "max_connections", "min_connections", "acquire_timeout_seconds", "sqlite_synchronous"]),
    ("company", &["name", "timezone"]),
    ("session", &["hours"]),
    ("login", &["max_failures_per_account", "max_failures_per_address", "window_minutes"]),
    ("proxy", &["trusted"]),
    ("mail", &["url", "from", "password"]),
    ("notify", &["poll_interval_ms", "reminder_hour", "send_timeout_seconds", "retry_base_seconds", "lease_seconds"]),
];

/// Short spellings of the environment, read like `JIEDAI_<SECTION>__<KEY>` without a warning:
/// (variable without `JIEDAI_`, section, key).
const SHORT_VARIABLES: &[(&str, &str, &str)] =
    &[("mail_url", "mail", "url"), ("mail_from", "mail", "from"), ("mail_password", "mail", "password")];

/// The flat spellings of earlier versions: (old key, section, key).
pub(super) const OLD_KEYS: &[(&str, &str, &str)] = &[
    ("listen", "server", "listen"),
    ("secure_cookies", "server", "secure_cookies"),
    ("log_format", "server", "log_format"),
    ("database_url", "database", "url"),
    ("session_hours", "session", "hours"),
    ("timezone", "company", "timezone"),
    ("company_name", "company", "name"),
    ("login_max_failures_per_account", "login", "max_failures_per_account"),
    ("login_max_failures_per_address", "login", "max_failures_per_address"),
    ("login_window_minutes", "login", "window_minutes"),
];

/// `JIEDAI_*` variables read elsewhere (`JIEDAI_CONFIG` by the command line), without a warning.
const OTHER_VARIABLES: &[&str] = &["config"];

/// The keys of a section, if it is one.
fn section_keys(section: &str) -> Option<&'static [&'static str]> {
    KEYS.iter().find(|(s, _)| *s == section).map(|(_, keys)| *keys)
}

/// Whether `[section] key` is understood.
fn is_key(section: &str, key: &str) -> bool {
    section_keys(section).is_some_and(|keys| keys.contains(&key))
}

/// The section and key an old flat key now is.
fn old_key(old: &str) -> Option<(&'static str, &'static str)> {
    OLD_KEYS.iter().find(|(o, _, _)| *o == old).map(|&(_, s, k)| (s, k))
}

/// The old flat spelling of `[section] key`, if it had one.
fn old_spelling(section: &str, key: &str) -> Option<&'static str> {
    OLD_KEYS.iter().find(|(_, s, k)| *s == section && *k == key).map(|&(o, _, _)| o)
}

impl Settings {
    /// Layers defaults, the file (`file`, which must exist, else `./jiedai.toml` when present)
    /// and the given environment; the process environment itself is not read. Flags are applied
    /// by the caller. A bad value is an error naming the key and where it came from; old
    /// spellings and unknown keys end up in [`Settings::warnings`].
    pub fn load(file: Option<&Path>, env: &BTreeMap<String, String>) -> anyhow::Result<Settings> {
        Self::load_with_default(file, Path::new(DEFAULT_CONFIG_FILE), env)
    }

    /// [`Settings::load`], with the file read when none is named given.
    pub(super) fn load_with_default(
        file: Option<&Path>,
        default_file: &Path,
        env: &BTreeMap<String, String>,
    ) -> anyhow::Result<Settings> {
        let mut warnings = Vec::new();
        let mut figment = Figment::new();
        let path = match file {
            Some(p) if !p.exists() => bail!("configuration file {} not found", p.display()),
            Some(p) => Some(p.to_path_buf()),
            None => default_file.is_file().then(|| default_file.to_path_buf()),
        };
        if let Some(path) = path {
            let (old, current) = file_layers(&path, &mut warnings)?;
            figment = figment.merge(old).merge(current);
        }
        for layer in env_layers(env, &mut warnings) {
            figment = figment.merge(layer);
        }
        let mut settings: Settings = figment.extract().map_err(explain)?;
        if let (Some(min), Some(max)) = (settings.database.min_connections, settings.database.max_connections)
            && min > max
        {
            bail!("[database] min_connections ({min}) is more than max_connections ({max})");
        }
        if settings.notify.lease_seconds <= i64::try_from(settings.notify.send_timeout_seconds).unwrap_or(i64::MAX) {
            bail!(
                "[notify] lease_seconds ({}) must be more than send_timeout_seconds ({})",
                settings.notify.lease_seconds,
                settings.notify.send_timeout_seconds
            );
        }
        settings.warnings = warnings;
        Ok(settings)
    }

    /// The database URL to connect with: the configured one (the only place its secret is
    /// exposed), else SQLite at [`DEFAULT_SQLITE_FILE`].
    pub fn database_url(&self) -> String {
        match &self.database.url {
            Some(url) => url.expose_secret().to_owned(),
            None => format!("sqlite://{}?mode=rwc", Path::new(DEFAULT_SQLITE_FILE).display()),
        }
    }

    /// Sets the database URL (from `--database-url`); an empty one means the SQLite default.
    pub fn set_database_url(&mut self, url: String) {
        self.database.url = (!url.trim().is_empty()).then(|| SecretString::from(url));
    }
}

/// One layer of settings, tagged with where it came from.
struct Layer {
    metadata: Metadata,
    data: Dict,
}

impl Provider for Layer {
    fn metadata(&self) -> Metadata {
        self.metadata.clone()
    }

    fn data(&self) -> Result<Map<Profile, Dict>, figment::Error> {
        Ok(Map::from([(Profile::Default, self.data.clone())]))
    }
}

/// Sets `[section] key` in a layer's data.
fn put(data: &mut Dict, section: &str, key: &str, value: Value) {
    let table = data.entry(section.to_owned()).or_insert_with(|| Value::from(Dict::new()));
    if let Value::Dict(_, table) = table {
        table.insert(key.to_owned(), value);
    }
}

/// Reads the file into two layers: its old flat keys, then its sections (which win).
fn file_layers(path: &Path, warnings: &mut Vec<String>) -> anyhow::Result<(Layer, Layer)> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let shown = path.display().to_string();
    // The parser's own message quotes the offending line, which may hold the database
    // password: name the line only.
    let table: Dict = Toml::from_str(&text).map_err(|e| {
        let line = e.span().and_then(|s| text.get(..s.start)).map(|before| before.matches('\n').count() + 1);
        match line {
            Some(n) => anyhow!("{shown}: line {n}: {}", e.message().trim()),
            None => anyhow!("{shown}: {}", e.message().trim()),
        }
    })?;
    let (mut old, mut current) = (Dict::new(), Dict::new());
    for (name, value) in table {
        if let Some(keys) = section_keys(&name) {
            match value {
                Value::Dict(_, entries) => {
                    for (key, value) in entries {
                        if keys.contains(&key.as_str()) {
                            put(&mut current, &name, &key, value);
                        } else {
                            warnings.push(format!("{shown}: unknown key `[{name}] {key}` ignored"));
                        }
                    }
                }
                _ => bail!("{shown}: `{name}` must be a section, written `[{name}]`"),
            }
        } else if let Some((section, key)) = old_key(&name) {
            warnings.push(format!("{shown}: `{name}` is now `[{section}] {key}`; the old spelling still works"));
            put(&mut old, section, key, value);
        } else if matches!(value, Value::Dict(..)) {
            warnings.push(format!("{shown}: unknown section `[{name}]` ignored"));
        } else {
            warnings.push(format!("{shown}: unknown key `{name}` ignored"));
        }
    }
    let old_shown = shown.clone();
    let old = Layer {
        metadata: Metadata::from("configuration file", path).interpolater(
            move |_: &Profile, keys: &[&str]| match keys {
                [section, key, ..] => match old_spelling(section, key) {
                    Some(old) => format!("{old_shown}: {old}"),
                    None => format!("{old_shown}: [{section}] {key}"),
                },
                [section] => format!("{old_shown}: [{section}]"),
                [] => old_shown.clone(),
            },
        ),
        data: old,
    };
    let current = Layer {
        metadata: Metadata::from("configuration file", path).interpolater(
            move |_: &Profile, keys: &[&str]| match keys {
                [section, key, ..] => format!("{shown}: [{section}] {key}"),
                [section] => format!("{shown}: [{section}]"),
                [] => shown.clone(),
            },
        ),
        data: current,
    };
    Ok((old, current))
}

/// Reads the environment into three layers, each winning over the one before: `DATABASE_URL`,
/// the old flat `JIEDAI_<KEY>` variables, then `JIEDAI_<SECTION>__<KEY>`.
fn env_layers(env: &BTreeMap<String, String>, warnings: &mut Vec<String>) -> [Layer; 3] {
    let (mut standard, mut old, mut current) = (Dict::new(), Dict::new(), Dict::new());
    for (name, value) in env {
        if name == "DATABASE_URL" {
            if !value.trim().is_empty() {
                put(&mut standard, "database", "url", Value::from(value.as_str()));
            }
            continue;
        }
        let Some(rest) = name.strip_prefix("JIEDAI_") else {
            continue;
        };
        let rest = rest.to_ascii_lowercase();
        if let Some((section, key)) = rest.split_once("__") {
            if is_key(section, key) {
                put(&mut current, section, key, Value::from(value.as_str()));
                continue;
            }
        } else if OTHER_VARIABLES.contains(&rest.as_str()) {
            continue;
        } else if let Some(&(_, section, key)) = SHORT_VARIABLES.iter().find(|(v, _, _)| *v == rest) {
            put(&mut current, section, key, Value::from(value.as_str()));
            continue;
        } else if let Some((section, key)) = old_key(&rest) {
            warnings.push(format!(
                "{name} is now JIEDAI_{}__{}; the old spelling still works",
                section.to_ascii_uppercase(),
                key.to_ascii_uppercase()
            ));
            put(&mut old, section, key, Value::from(value.as_str()));
            continue;
        }
        warnings.push(format!("unknown environment variable {name} ignored"));
    }
    [
        Layer {
            metadata: Metadata::named("environment")
                .interpolater(|_: &Profile, _: &[&str]| "environment DATABASE_URL".to_owned()),
            data: standard,
        },
        Layer {
            metadata: Metadata::named("environment").interpolater(|_: &Profile, keys: &[&str]| match keys {
                [section, key, ..] => match old_spelling(section, key) {
                    Some(old) => format!("environment JIEDAI_{}", old.to_ascii_uppercase()),
                    None => variable(section, key),
                },
                _ => "environment".to_owned(),
            }),
            data: old,
        },
        Layer {
            metadata: Metadata::named("environment").interpolater(|_: &Profile, keys: &[&str]| match keys {
                [section, key, ..] => variable(section, key),
                _ => "environment".to_owned(),
            }),
            data: current,
        },
    ]
}

/// What names `[section] key` in the environment.
fn variable(section: &str, key: &str) -> String {
    format!("environment JIEDAI_{}__{}", section.to_ascii_uppercase(), key.to_ascii_uppercase())
}

/// Turns figment's error into one naming where each bad value came from, such as
/// "environment JIEDAI_SERVER__LISTEN: `nowhere` is not an address like 127.0.0.1:8080".
fn explain(error: figment::Error) -> anyhow::Error {
    let lines: Vec<String> = error
        .into_iter()
        .map(|e| {
            let place = match &e.metadata {
                Some(md) if !e.path.is_empty() => md.interpolate(&e.profile.clone().unwrap_or_default(), &e.path),
                Some(md) => md.name.to_string(),
                None if !e.path.is_empty() => e.path.join("."),
                None => "configuration".to_owned(),
            };
            format!("{place}: {}", e.kind)
        })
        .collect();
    anyhow!("{}", lines.join("; "))
}
