//! The two interface languages. Every user-facing string lives in
//! `locales/<lang>.toml`; a test fails when a key is missing from either. Keys made from
//! values come from [`keys`].

use std::collections::HashMap;
use std::sync::OnceLock;

pub mod keys;

use chrono::{DateTime, Datelike, Utc};
use jiedai_domain::{FieldError, Language};

const ZH_CN: &str = include_str!("../../locales/zh-CN.toml");
const EN: &str = include_str!("../../locales/en.toml");

type Catalog = HashMap<String, String>;

fn flatten(prefix: &str, table: &toml::Table, out: &mut Catalog) {
    for (k, v) in table {
        let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
        match v {
            toml::Value::Table(t) => flatten(&key, t, out),
            toml::Value::String(s) => {
                out.insert(key, s.clone());
            }
            other => {
                out.insert(key, other.to_string());
            }
        }
    }
}

/// Parses one locale file into flat `section.key` entries.
pub fn parse_catalog(text: &str) -> Result<Catalog, toml::de::Error> {
    let table: toml::Table = text.parse()?;
    let mut out = Catalog::new();
    flatten("", &table, &mut out);
    Ok(out)
}

fn catalogs() -> &'static [Catalog; 2] {
    static C: OnceLock<[Catalog; 2]> = OnceLock::new();
    C.get_or_init(|| {
        [parse_catalog(ZH_CN).expect("locales/zh-CN.toml parses"), parse_catalog(EN).expect("locales/en.toml parses")]
    })
}

/// The raw catalogs, for the completeness test.
pub fn raw_catalogs() -> [(&'static str, &'static str); 2] {
    [("zh-CN", ZH_CN), ("en", EN)]
}

/// A translator for one language.
#[derive(Clone, Copy, Debug)]
pub struct Tr {
    /// The language.
    pub lang: Language,
    catalog: &'static Catalog,
}

impl Tr {
    /// The translator for a language.
    pub fn new(lang: Language) -> Tr {
        let c = catalogs();
        let catalog = match lang {
            Language::ZhCn => &c[0],
            Language::En => &c[1],
        };
        Tr { lang, catalog }
    }

    /// The text of a key; a missing key shows itself, so it is noticed.
    pub fn t<'a>(&self, key: &'a str) -> &'a str
    where
        'static: 'a,
    {
        self.catalog.get(key).map(String::as_str).unwrap_or(key)
    }

    /// The text of a key with `{name}` placeholders filled.
    pub fn t_with(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut s = self.t(key).to_owned();
        for (k, v) in args {
            s = s.replace(&format!("{{{k}}}"), v);
        }
        s
    }

    /// The message for a field error.
    pub fn field_error(&self, e: &FieldError) -> String {
        let limit = e.limit.map(|l| l.to_string()).unwrap_or_default();
        let value = e.value.as_deref().unwrap_or("");
        let msg = self.t_with(&keys::field(e.code), &[("limit", &limit), ("value", value)]);
        match e.line {
            Some(line) => self.t_with("field.on_line", &[("line", &line.to_string()), ("message", &msg)]),
            None => msg,
        }
    }

    /// The message of a field error code alone (`field.<code>`).
    pub fn field_code(&self, code: &str) -> String {
        self.t(&keys::field(code)).to_owned()
    }

    /// An amount as people write money: `¥1,234.50` (the same in both languages).
    pub fn money(&self, amount: jiedai_domain::Fen) -> String {
        amount.to_string()
    }

    /// Items written as a list in the reader's language: `红茶、绿茶` in zh-CN,
    /// `black tea, green tea` in en.
    pub fn list(&self, items: &[String]) -> String {
        items.join(match self.lang {
            Language::ZhCn => "、",
            Language::En => ", ",
        })
    }

    /// A date and time in the company's time zone, as people there write it:
    /// `2026-11-27 (周五) 13:05` in zh-CN, `Fri 27 Nov 2026 13:05` in en.
    pub fn datetime(&self, at: DateTime<Utc>, tz: chrono_tz::Tz) -> String {
        let local = at.with_timezone(&tz);
        match self.lang {
            Language::ZhCn => {
                const WD: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];
                let wd = WD[local.weekday().num_days_from_monday() as usize];
                format!("{} ({wd}) {}", local.format("%Y-%m-%d"), local.format("%H:%M"))
            }
            Language::En => local.format("%a %-d %b %Y %H:%M").to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn both_locales_have_exactly_the_same_keys() {
        let zh = parse_catalog(ZH_CN).unwrap();
        let en = parse_catalog(EN).unwrap();
        let missing_en: Vec<_> = zh.keys().filter(|k| !en.contains_key(*k)).collect();
        let missing_zh: Vec<_> = en.keys().filter(|k| !zh.contains_key(*k)).collect();
        assert!(missing_en.is_empty(), "missing in en.toml: {missing_en:?}");
        assert!(missing_zh.is_empty(), "missing in zh-CN.toml: {missing_zh:?}");
        assert!(zh.values().chain(en.values()).all(|v| !v.trim().is_empty()), "empty translation");
    }

    #[test]
    fn every_key_used_in_templates_and_code_exists() {
        let zh = parse_catalog(ZH_CN).unwrap();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut missing = Vec::new();
        for dir in ["templates", "src"] {
            for path in walk(&root.join(dir)) {
                let text = std::fs::read_to_string(&path).unwrap();
                for key in used_keys(&text) {
                    if !zh.contains_key(&key) {
                        missing.push(format!("{}: {key}", path.display()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "keys used but not defined: {missing:#?}");
    }

    fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() { out.extend(walk(&p)) } else { out.push(p) }
        }
        out
    }

    /// Keys appear as calls of `t` with a literal key, in templates and code.
    fn used_keys(text: &str) -> Vec<String> {
        let mut keys = Vec::new();
        for part in text.split("t(\"").skip(1) {
            if let Some(end) = part.find('"') {
                let key = &part[..end];
                if key.contains('.') && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_') {
                    keys.push(key.to_owned());
                }
            }
        }
        keys
    }

    #[test]
    fn dates_follow_each_language_convention() {
        let at = Utc.with_ymd_and_hms(2026, 11, 27, 5, 5, 0).unwrap();
        let tz = chrono_tz::Asia::Shanghai;
        assert_eq!(Tr::new(Language::ZhCn).datetime(at, tz), "2026-11-27 (周五) 13:05");
        assert_eq!(Tr::new(Language::En).datetime(at, tz), "Fri 27 Nov 2026 13:05");
    }

    #[test]
    fn field_errors_name_their_limit() {
        let e = FieldError::with_limit("name", "too_long", 64);
        assert!(Tr::new(Language::En).field_error(&e).contains("64"));
        assert!(Tr::new(Language::ZhCn).field_error(&e).contains("64"));
    }
}
