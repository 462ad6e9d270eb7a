use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::load::{DEFAULT_CONFIG_FILE, KEYS, OLD_KEYS};
use super::*;

fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// A file in a fresh directory (kept alive by the returned guard).
fn file(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jiedai.toml");
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

/// Loads with no file unless one is given, never reading a stray ./jiedai.toml.
fn load(file: Option<&Path>, env: &BTreeMap<String, String>) -> anyhow::Result<Settings> {
    let dir = tempfile::tempdir().unwrap();
    Settings::load_with_default(file, &dir.path().join("jiedai.toml"), env)
}

fn error(file: Option<&Path>, env: &BTreeMap<String, String>) -> String {
    format!("{:#}", load(file, env).unwrap_err())
}

#[test]
fn without_a_file_the_defaults_apply() {
    let s = load(None, &env(&[])).unwrap();
    assert_eq!(s.server.listen, "127.0.0.1:8080".parse().unwrap());
    assert!(!s.server.secure_cookies);
    assert_eq!(s.server.log_format, LogFormat::Pretty);
    assert!(s.database.url.is_none());
    assert_eq!((s.database.max_connections, s.database.min_connections), (None, None));
    assert_eq!(s.database.acquire_timeout_seconds, 2);
    assert_eq!(s.database.sqlite_synchronous, super::Durability::Full);
    assert_eq!((s.server.header_timeout_seconds, s.server.request_timeout_seconds), (10, 30));
    assert_eq!(s.server.max_connections, 1024);
    assert_eq!(s.company.name, "Jiedai");
    assert_eq!(s.company.timezone, chrono_tz::Asia::Shanghai);
    assert_eq!(s.session.hours, 12);
    assert_eq!(s.login.max_failures_per_account, 5);
    assert_eq!(s.login.max_failures_per_address, 20);
    assert_eq!(s.login.window_minutes, 15);
    assert!(s.proxy.trusted.is_empty());
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    assert_eq!(s.database_url(), "sqlite://data/jiedai.db?mode=rwc");
    let d = Settings::default();
    assert_eq!((d.server.listen, d.session.hours, d.company.name), (s.server.listen, 12, s.company.name));
}

#[test]
fn the_default_file_is_read_when_present_and_no_file_is_named() {
    let (_dir, path) = file("[company]\nname = \"Acme\"\n");
    let s = Settings::load_with_default(None, &path, &env(&[])).unwrap();
    assert_eq!(s.company.name, "Acme");
    assert_eq!(DEFAULT_CONFIG_FILE, "jiedai.toml");
}

#[test]
fn a_named_file_that_does_not_exist_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.toml");
    let e = error(Some(&missing), &env(&[]));
    assert!(e.contains("not found") && e.contains("nope.toml"), "{e}");
}

#[test]
fn environment_overrides_file_and_defaults() {
    let (_dir, f) = file(
        "[server]\nlisten = \"127.0.0.1:9000\"\nsecure_cookies = true\n\
         [session]\nhours = 4\n[login]\nwindow_minutes = 30\n[company]\nname = \"Acme\"\n",
    );
    let s = load(
        Some(&f),
        &env(&[
            ("JIEDAI_SESSION__HOURS", "8"),
            ("JIEDAI_LOGIN__WINDOW_MINUTES", "45"),
            ("JIEDAI_SERVER__LOG_FORMAT", "json"),
            ("JIEDAI_COMPANY__TIMEZONE", "Europe/Paris"),
        ]),
    )
    .unwrap();
    assert_eq!(s.server.listen.port(), 9000, "file over default");
    assert!(s.server.secure_cookies, "file over default");
    assert_eq!(s.company.name, "Acme", "file over default");
    assert_eq!(s.session.hours, 8, "environment over file");
    assert_eq!(s.login.window_minutes, 45, "environment over file");
    assert_eq!(s.server.log_format, LogFormat::Json, "environment over default");
    assert_eq!(s.company.timezone, chrono_tz::Europe::Paris);
    assert_eq!(s.login.max_failures_per_account, 5, "default kept");
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
}

#[test]
fn every_key_can_be_set_from_the_environment() {
    let s = load(
        None,
        &env(&[
            ("JIEDAI_SERVER__LISTEN", "0.0.0.0:81"),
            ("JIEDAI_SERVER__SECURE_COOKIES", "yes"),
            ("JIEDAI_SERVER__LOG_FORMAT", "JSON"),
            ("JIEDAI_SERVER__HEADER_TIMEOUT_SECONDS", "3"),
            ("JIEDAI_SERVER__REQUEST_TIMEOUT_SECONDS", "9"),
            ("JIEDAI_SERVER__MAX_CONNECTIONS", "50"),
            ("JIEDAI_DATABASE__SQLITE_SYNCHRONOUS", "Normal"),
            ("JIEDAI_DATABASE__URL", "postgres://jd:pw@db/jiedai"),
            ("JIEDAI_DATABASE__MAX_CONNECTIONS", "7"),
            ("JIEDAI_DATABASE__MIN_CONNECTIONS", "0"),
            ("JIEDAI_DATABASE__ACQUIRE_TIMEOUT_SECONDS", "5"),
            ("JIEDAI_COMPANY__NAME", " Acme "),
            ("JIEDAI_COMPANY__TIMEZONE", "UTC"),
            ("JIEDAI_SESSION__HOURS", "1"),
            ("JIEDAI_LOGIN__MAX_FAILURES_PER_ACCOUNT", "2"),
            ("JIEDAI_LOGIN__MAX_FAILURES_PER_ADDRESS", "3"),
            ("JIEDAI_LOGIN__WINDOW_MINUTES", "4"),
            ("JIEDAI_PROXY__TRUSTED", "10.0.0.0/8"),
            ("JIEDAI_SERVER__PUBLIC_URL", "https://jiedai.example.com/"),
            ("JIEDAI_MAIL__URL", "smtps://jd@mail.example.com:465"),
            ("JIEDAI_MAIL__FROM", "Jiedai <jiedai@example.com>"),
            ("JIEDAI_MAIL__PASSWORD", "s3cret pw"),
            ("JIEDAI_NOTIFY__POLL_INTERVAL_MS", "500"),
            ("JIEDAI_NOTIFY__REMINDER_HOUR", "9"),
            ("JIEDAI_NOTIFY__SEND_TIMEOUT_SECONDS", "4"),
            ("JIEDAI_NOTIFY__RETRY_BASE_SECONDS", "2"),
            ("JIEDAI_NOTIFY__LEASE_SECONDS", "60"),
        ]),
    )
    .unwrap();
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    assert_eq!(s.server.public_url, "https://jiedai.example.com");
    use secrecy::ExposeSecret;
    assert_eq!(
        s.mail.url.as_ref().map(|u| u.expose_secret().to_owned()).as_deref(),
        Some("smtps://jd@mail.example.com:465")
    );
    assert_eq!(s.mail.from, "Jiedai <jiedai@example.com>");
    assert_eq!(s.mail.password.as_ref().map(|p| p.expose_secret().to_owned()).as_deref(), Some("s3cret pw"));
    assert_eq!((s.notify.poll_interval_ms, s.notify.reminder_hour, s.notify.send_timeout_seconds), (500, 9, 4));
    assert_eq!((s.notify.retry_base_seconds, s.notify.lease_seconds), (2, 60));
    assert!(!format!("{:?}", s.mail).contains("s3cret"), "the mail password never shows");
    assert_eq!(s.server.listen, "0.0.0.0:81".parse().unwrap());
    assert!(s.server.secure_cookies);
    assert_eq!(s.server.log_format, LogFormat::Json);
    assert_eq!(s.database_url(), "postgres://jd:pw@db/jiedai");
    assert_eq!((s.database.max_connections, s.database.min_connections), (Some(7), Some(0)));
    assert_eq!(s.database.acquire_timeout_seconds, 5);
    assert_eq!(s.database.sqlite_synchronous, super::Durability::Normal);
    assert_eq!((s.server.header_timeout_seconds, s.server.request_timeout_seconds), (3, 9));
    assert_eq!(s.server.max_connections, 50);
    assert_eq!(s.company.name, "Acme");
    assert_eq!(s.company.timezone, chrono_tz::UTC);
    assert_eq!(s.session.hours, 1);
    assert_eq!((s.login.max_failures_per_account, s.login.max_failures_per_address), (2, 3));
    assert_eq!(s.login.window_minutes, 4);
    assert_eq!(s.proxy.trusted, vec!["10.0.0.0/8".parse::<IpNet>().unwrap()]);
    let count: usize = KEYS.iter().map(|(_, keys)| keys.len()).sum();
    assert_eq!(count, 27, "a key was added: set it above too");
}

#[test]
fn mail_settings_take_the_short_variables_and_refuse_what_is_not_smtp() {
    let s = load(None, &env(&[("JIEDAI_MAIL_URL", "smtp://127.0.0.1:2525"), ("JIEDAI_MAIL_FROM", "a@b.c")])).unwrap();
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    assert!(s.mail.url.is_some());
    assert_eq!(s.mail.from, "a@b.c");
    let err = load(None, &env(&[("JIEDAI_MAIL_URL", "http://mail:25")])).unwrap_err().to_string();
    assert!(err.contains("smtp://"), "{err}");
    let err = load(None, &env(&[("JIEDAI_NOTIFY__REMINDER_HOUR", "24")])).unwrap_err().to_string();
    assert!(err.contains("hour"), "{err}");
    let err = load(None, &env(&[("JIEDAI_NOTIFY__LEASE_SECONDS", "5")])).unwrap_err().to_string();
    assert!(err.contains("lease_seconds"), "a lease shorter than a send could repeat messages: {err}");
    let defaults = load(None, &env(&[])).unwrap();
    assert!(defaults.mail.url.is_none());
    assert_eq!((defaults.notify.poll_interval_ms, defaults.notify.reminder_hour), (1000, 16));
}

#[test]
fn old_flat_keys_in_the_file_still_work_with_a_warning_naming_the_new_spelling() {
    let (_dir, f) = file(
        "listen = \"127.0.0.1:9000\"\nsecure_cookies = true\nlog_format = \"json\"\n\
         database_url = \"postgres://jd:pw@db/jiedai\"\nsession_hours = 4\ntimezone = \"UTC\"\n\
         company_name = \"Acme\"\nlogin_max_failures_per_account = 2\n\
         login_max_failures_per_address = 3\nlogin_window_minutes = 9\n",
    );
    let s = load(Some(&f), &env(&[])).unwrap();
    assert_eq!(s.server.listen.port(), 9000);
    assert!(s.server.secure_cookies);
    assert_eq!(s.server.log_format, LogFormat::Json);
    assert_eq!(s.database_url(), "postgres://jd:pw@db/jiedai");
    assert_eq!(s.session.hours, 4);
    assert_eq!(s.company.timezone, chrono_tz::UTC);
    assert_eq!(s.company.name, "Acme");
    assert_eq!((s.login.max_failures_per_account, s.login.max_failures_per_address), (2, 3));
    assert_eq!(s.login.window_minutes, 9);
    assert_eq!(s.warnings.len(), OLD_KEYS.len(), "{:?}", s.warnings);
    let shown = f.display().to_string();
    assert!(
        s.warnings.contains(&format!("{shown}: `company_name` is now `[company] name`; the old spelling still works")),
        "{:?}",
        s.warnings
    );
    assert!(s.warnings.iter().any(|w| w.contains("`database_url` is now `[database] url`")), "{:?}", s.warnings);
}

#[test]
fn old_flat_variables_still_work_with_a_warning_naming_the_new_spelling() {
    let s = load(
        None,
        &env(&[
            ("JIEDAI_COMPANY_NAME", "Acme"),
            ("JIEDAI_LISTEN", "127.0.0.1:9001"),
            ("JIEDAI_SESSION_HOURS", "3"),
            ("JIEDAI_DATABASE_URL", "postgres://jd:pw@db/jiedai"),
            ("JIEDAI_LOGIN_WINDOW_MINUTES", "20"),
        ]),
    )
    .unwrap();
    assert_eq!(s.company.name, "Acme");
    assert_eq!(s.server.listen.port(), 9001);
    assert_eq!(s.session.hours, 3);
    assert_eq!(s.database_url(), "postgres://jd:pw@db/jiedai");
    assert_eq!(s.login.window_minutes, 20);
    assert_eq!(s.warnings.len(), 5, "{:?}", s.warnings);
    assert!(
        s.warnings.contains(&"JIEDAI_COMPANY_NAME is now JIEDAI_COMPANY__NAME; the old spelling still works".into()),
        "{:?}",
        s.warnings
    );
    assert!(s.warnings.contains(&"JIEDAI_LISTEN is now JIEDAI_SERVER__LISTEN; the old spelling still works".into()));
}

#[test]
fn the_new_spelling_wins_over_the_old_and_the_warning_stays() {
    let (_dir, f) = file("company_name = \"Old\"\n[company]\nname = \"New\"\n");
    let s =
        load(Some(&f), &env(&[("JIEDAI_LISTEN", "127.0.0.1:1"), ("JIEDAI_SERVER__LISTEN", "127.0.0.1:2")])).unwrap();
    assert_eq!(s.company.name, "New");
    assert_eq!(s.server.listen.port(), 2);
    assert!(s.warnings.iter().any(|w| w.contains("`company_name` is now `[company] name`")), "{:?}", s.warnings);
    assert!(s.warnings.iter().any(|w| w.starts_with("JIEDAI_LISTEN is now JIEDAI_SERVER__LISTEN")));
    // An old spelling in the environment still wins over the file.
    let s = load(Some(&f), &env(&[("JIEDAI_COMPANY_NAME", "Env")])).unwrap();
    assert_eq!(s.company.name, "Env");
}

#[test]
fn database_url_from_the_environment_and_its_precedence() {
    let (_dir, f) = file("[database]\nurl = \"sqlite://file.db\"\n");
    let s = load(Some(&f), &env(&[("DATABASE_URL", "postgres://a@h/standard")])).unwrap();
    assert_eq!(s.database_url(), "postgres://a@h/standard", "DATABASE_URL over the file");
    assert!(s.warnings.is_empty(), "DATABASE_URL is accepted silently: {:?}", s.warnings);
    let s = load(Some(&f), &env(&[("DATABASE_URL", "")])).unwrap();
    assert_eq!(s.database_url(), "sqlite://file.db", "an empty DATABASE_URL is ignored");
    let s = load(
        Some(&f),
        &env(&[("DATABASE_URL", "postgres://a@h/standard"), ("JIEDAI_DATABASE__URL", "postgres://a@h/ours")]),
    )
    .unwrap();
    assert_eq!(s.database_url(), "postgres://a@h/ours", "JIEDAI_DATABASE__URL over DATABASE_URL");
    let s = load(Some(&f), &env(&[("JIEDAI_DATABASE__URL", "")])).unwrap();
    assert_eq!(s.database_url(), "sqlite://data/jiedai.db?mode=rwc", "empty means the default");
    let mut s = load(None, &env(&[])).unwrap();
    s.set_database_url("postgres://a@h/flag".into());
    assert_eq!(s.database_url(), "postgres://a@h/flag");
    s.set_database_url(String::new());
    assert_eq!(s.database_url(), "sqlite://data/jiedai.db?mode=rwc");
}

#[test]
fn unknown_keys_sections_and_variables_are_warned_about_and_ignored() {
    let (_dir, f) = file(
        "bogus = 1\n[server]\nlisten = \"127.0.0.1:9000\"\nport = 3\n[mailer]\nhost = \"smtp\"\n\
         [database]\npasword = \"x\"\n",
    );
    let s = load(
        Some(&f),
        &env(&[
            ("JIEDAI_CONFIG", "elsewhere.toml"),
            ("JIEDAI_FOO", "1"),
            ("JIEDAI_SERVER__PORT", "1"),
            ("JIEDAI_MAILER__HOST", "x"),
            ("JIEDAI_SERVER__LISTEN__X", "1"),
            ("JIEDAI_TEST_DATABASE_URL", "postgres://t@h/t"),
            ("JIEDAI_REQUIRE_POSTGRES", "1"),
            ("HOME", "/root"),
            ("PATH", "/bin"),
        ]),
    )
    .unwrap();
    assert_eq!(s.server.listen.port(), 9000, "known keys beside unknown ones are read");
    let shown = f.display().to_string();
    for expected in [
        format!("{shown}: unknown key `bogus` ignored"),
        format!("{shown}: unknown key `[server] port` ignored"),
        format!("{shown}: unknown section `[mailer]` ignored"),
        format!("{shown}: unknown key `[database] pasword` ignored"),
        "unknown environment variable JIEDAI_FOO ignored".into(),
        "unknown environment variable JIEDAI_SERVER__PORT ignored".into(),
        "unknown environment variable JIEDAI_MAILER__HOST ignored".into(),
        "unknown environment variable JIEDAI_SERVER__LISTEN__X ignored".into(),
        "unknown environment variable JIEDAI_TEST_DATABASE_URL ignored".into(),
        "unknown environment variable JIEDAI_REQUIRE_POSTGRES ignored".into(),
    ] {
        assert!(s.warnings.contains(&expected), "missing {expected:?} in {:?}", s.warnings);
    }
    assert_eq!(s.warnings.len(), 10, "JIEDAI_CONFIG and other variables are not warned about: {:?}", s.warnings);
}

#[test]
fn bad_values_are_refused_naming_the_key_and_its_source() {
    let e = error(None, &env(&[("JIEDAI_SERVER__LISTEN", "nowhere")]));
    assert_eq!(e, "environment JIEDAI_SERVER__LISTEN: `nowhere` is not an address like 127.0.0.1:8080");
    let e = error(None, &env(&[("JIEDAI_LISTEN", "nowhere")]));
    assert_eq!(e, "environment JIEDAI_LISTEN: `nowhere` is not an address like 127.0.0.1:8080");
    let e = error(None, &env(&[("JIEDAI_SESSION__HOURS", "0")]));
    assert_eq!(e, "environment JIEDAI_SESSION__HOURS: `0` is not a positive whole number");
    let e = error(None, &env(&[("JIEDAI_LOGIN__MAX_FAILURES_PER_ACCOUNT", "-1")]));
    assert_eq!(e, "environment JIEDAI_LOGIN__MAX_FAILURES_PER_ACCOUNT: `-1` is not a positive whole number");
    let e = error(None, &env(&[("JIEDAI_LOGIN__MAX_FAILURES_PER_ADDRESS", "99999999999")]));
    assert!(e.contains("JIEDAI_LOGIN__MAX_FAILURES_PER_ADDRESS: `99999999999`"), "{e}");
    let e = error(None, &env(&[("JIEDAI_SERVER__SECURE_COOKIES", "maybe")]));
    assert_eq!(e, "environment JIEDAI_SERVER__SECURE_COOKIES: `maybe` is not true or false");
    let e = error(None, &env(&[("JIEDAI_SERVER__LOG_FORMAT", "xml")]));
    assert_eq!(e, "environment JIEDAI_SERVER__LOG_FORMAT: `xml` is not pretty or json");
    let e = error(None, &env(&[("JIEDAI_COMPANY__TIMEZONE", "Mars/Olympus")]));
    assert_eq!(e, "environment JIEDAI_COMPANY__TIMEZONE: `Mars/Olympus` is not a time zone like Asia/Shanghai");

    let (_dir, f) = file("[server]\nlisten = 8080\n");
    let e = error(Some(&f), &env(&[]));
    assert_eq!(e, format!("{}: [server] listen: `8080` is not an address like 127.0.0.1:8080", f.display()));
    let (_dir, f) = file("session_hours = \"many\"\n");
    let e = error(Some(&f), &env(&[]));
    assert_eq!(e, format!("{}: session_hours: `many` is not a positive whole number", f.display()));
    let (_dir, f) = file("[login]\nwindow_minutes = 1.5\n");
    let e = error(Some(&f), &env(&[]));
    assert_eq!(e, format!("{}: [login] window_minutes: `1.5` is not a positive whole number", f.display()));
    let (_dir, f) = file("server = \"0.0.0.0:80\"\n");
    let e = error(Some(&f), &env(&[]));
    assert_eq!(e, format!("{}: `server` must be a section, written `[server]`", f.display()));
    // Only the value in force is checked: one overridden by the environment is not.
    let (_dir, f) = file("[server]\nlisten = \"nowhere\"\n");
    assert!(load(Some(&f), &env(&[("JIEDAI_SERVER__LISTEN", "127.0.0.1:1")])).is_ok());
}

#[test]
fn malformed_toml_is_refused_by_line_without_quoting_it() {
    let (_dir, f) = file("[server]\nlisten = \"127.0.0.1:1\"\n[database]\nurl = \"postgres://jd:hunter2@db/x\n");
    let e = error(Some(&f), &env(&[]));
    assert!(e.starts_with(&format!("{}: line 4: ", f.display())), "{e}");
    assert!(!e.contains("hunter2"), "{e}");
    let (_dir, f) = file("x = 1\nx = 2\n");
    assert!(error(Some(&f), &env(&[])).starts_with(&format!("{}: line 2: ", f.display())));
}

#[test]
fn the_database_password_never_appears_in_debug_output() {
    let s = load(None, &env(&[("DATABASE_URL", "postgres://jd:hunter2@db/jiedai")])).unwrap();
    let shown = format!("{s:?}");
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(shown.contains("postgres://jd:***@db/jiedai"), "{shown}");
    let shown = format!("{s:#?}");
    assert!(!shown.contains("hunter2"), "{shown}");
    let (_dir, f) = file("[database]\nurl = \"postgres://jd:hunter2@db/jiedai\"\n");
    let mut s = load(Some(&f), &env(&[])).unwrap();
    assert!(!format!("{s:?}").contains("hunter2"));
    s.set_database_url("postgres://jd:s3cret@db/jiedai".into());
    assert!(!format!("{s:?}").contains("s3cret"));
    assert!(!format!("{:?}", s.database.url).contains("s3cret"), "SecretString prints redacted");
    assert_eq!(s.database_url(), "postgres://jd:s3cret@db/jiedai");
}

#[test]
fn redact_url_hides_the_password_only() {
    assert_eq!(redact_url("postgres://jd:p@ss@db:5432/x"), "postgres://jd:***@db:5432/x");
    assert_eq!(redact_url("postgres://jd@db/x"), "postgres://jd@db/x");
    assert_eq!(redact_url("sqlite://data/jiedai.db?mode=rwc"), "sqlite://data/jiedai.db?mode=rwc");
}

#[test]
fn trusted_proxies_accept_networks_and_plain_addresses() {
    let s = load(None, &env(&[("JIEDAI_PROXY__TRUSTED", "10.0.0.0/8, 192.168.0.0/16,127.0.0.1,::1,")])).unwrap();
    let expected: Vec<IpNet> =
        ["10.0.0.0/8", "192.168.0.0/16", "127.0.0.1/32", "::1/128"].iter().map(|n| n.parse().unwrap()).collect();
    assert_eq!(s.proxy.trusted, expected);
    let (_dir, f) = file("[proxy]\ntrusted = [\"10.1.2.3/8\", \"fd00::/8\", \"172.16.0.1\"]\n");
    let s = load(Some(&f), &env(&[])).unwrap();
    let expected: Vec<IpNet> = ["10.0.0.0/8", "fd00::/8", "172.16.0.1/32"].iter().map(|n| n.parse().unwrap()).collect();
    assert_eq!(s.proxy.trusted, expected);
    let (_dir, f) = file("[proxy]\ntrusted = \"10.0.0.0/8\"\n");
    assert_eq!(load(Some(&f), &env(&[])).unwrap().proxy.trusted.len(), 1);
    let s = load(Some(&f), &env(&[("JIEDAI_PROXY__TRUSTED", "")])).unwrap();
    assert!(s.proxy.trusted.is_empty(), "an empty variable clears the list");
}

#[test]
fn a_bad_trusted_proxy_is_refused() {
    let e = error(None, &env(&[("JIEDAI_PROXY__TRUSTED", "10.0.0.0/8,10.0.0.0/33")]));
    assert_eq!(
        e,
        "environment JIEDAI_PROXY__TRUSTED: `10.0.0.0/33` is not a network like 10.0.0.0/8 or an address like 127.0.0.1"
    );
    let (_dir, f) = file("[proxy]\ntrusted = [\"10.0.0.0/8\", \"proxy.local\"]\n");
    let e = error(Some(&f), &env(&[]));
    assert!(e.starts_with(&format!("{}: [proxy] trusted: `proxy.local` is not a network", f.display())), "{e}");
    let (_dir, f) = file("[proxy]\ntrusted = [10]\n");
    assert!(error(Some(&f), &env(&[])).contains("`10` is not a network"));
}

#[test]
fn pool_sizes_are_read() {
    let (_dir, f) = file("[database]\nmax_connections = 20\nmin_connections = 2\nacquire_timeout_seconds = 10\n");
    let s = load(Some(&f), &env(&[])).unwrap();
    assert_eq!((s.database.max_connections, s.database.min_connections), (Some(20), Some(2)));
    assert_eq!(s.database.acquire_timeout_seconds, 10);
    let s = load(Some(&f), &env(&[("JIEDAI_DATABASE__MAX_CONNECTIONS", "40")])).unwrap();
    assert_eq!(s.database.max_connections, Some(40));
    let s = load(Some(&f), &env(&[("JIEDAI_DATABASE__MAX_CONNECTIONS", "")])).unwrap();
    assert_eq!(s.database.max_connections, None, "empty means the driver's default");
    let e = error(Some(&f), &env(&[("JIEDAI_DATABASE__MAX_CONNECTIONS", "0")]));
    assert_eq!(e, "environment JIEDAI_DATABASE__MAX_CONNECTIONS: `0` is not a positive whole number");
    let e = error(Some(&f), &env(&[("JIEDAI_DATABASE__MAX_CONNECTIONS", "1")]));
    assert_eq!(e, "[database] min_connections (2) is more than max_connections (1)");
    let e = error(None, &env(&[("JIEDAI_DATABASE__ACQUIRE_TIMEOUT_SECONDS", "0")]));
    assert!(e.contains("JIEDAI_DATABASE__ACQUIRE_TIMEOUT_SECONDS: `0`"), "{e}");
}
