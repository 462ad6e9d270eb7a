//! The catalogues: both languages have the same keys, every key used exists, and counts
//! read as each language writes them.

use chrono::{TimeZone, Utc};
use jiedai_domain::{FieldError, Language};

use super::*;

fn catalogues() -> [(&'static str, Catalog); 2] {
    [("zh-CN", parse_catalog(ZH_CN).unwrap()), ("en", parse_catalog(EN).unwrap())]
}

#[test]
fn both_locales_have_exactly_the_same_keys() {
    let [(_, zh), (_, en)] = catalogues();
    let missing_en: Vec<_> = zh.keys().filter(|k| !en.contains_key(*k)).collect();
    let missing_zh: Vec<_> = en.keys().filter(|k| !zh.contains_key(*k)).collect();
    assert!(missing_en.is_empty(), "missing in en.toml: {missing_en:?}");
    assert!(missing_zh.is_empty(), "missing in zh-CN.toml: {missing_zh:?}");
    let texts = zh.values().chain(en.values()).flat_map(|m| std::iter::once(&m.other).chain(&m.one));
    assert!(texts.into_iter().all(|v| !v.trim().is_empty()), "empty translation");
}

#[test]
fn every_key_used_in_templates_and_code_exists() {
    let [(_, zh), _] = catalogues();
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
fn english_counts_have_a_singular_and_a_plural_form() {
    let [(_, zh), (_, en)] = catalogues();
    for (key, m) in &en {
        if m.other.contains("{n}") {
            assert!(m.one.as_deref().is_some_and(|one| one.contains("{n}")), "{key}: en needs `one` and `other`");
        }
    }
    for (key, m) in &zh {
        assert!(m.one.is_none(), "{key}: zh-CN has one form for every number (write `other` only)");
    }
}

#[test]
fn counts_read_one_night_two_nights() {
    let en = Tr::new(Language::En);
    assert_eq!(en.plural("reception.nights", 1), "1 night");
    assert_eq!(en.plural("reception.nights", 2), "2 nights");
    assert_eq!(en.plural("reception.nights", 0), "0 nights");
    assert_eq!(en.plural("reception.persons", 1), "1 person");
    assert_eq!(en.plural("reception.persons", 8), "8 people");
    assert_eq!(en.plural("reception.late_by", 1), "Late by 1 working day");
    assert_eq!(en.plural("reception.late_by", 3), "Late by 3 working days");
    assert_eq!(en.plural_form("reception.recommended_is", 1), "Recommended budget: {amount} ({n} guest)");
    let zh = Tr::new(Language::ZhCn);
    assert_eq!(zh.plural("reception.nights", 1), "1 晚");
    assert_eq!(zh.plural("reception.nights", 2), "2 晚");
    assert_eq!(zh.plural("reception.late_by", 1), "逾期 1 个工作日");
    assert_eq!(zh.plural_with("reception.recommended_is", 1, &[("amount", "¥300.00")]), "推荐预算：¥300.00（1 人）");
}

#[test]
fn field_limits_are_counted_too() {
    let one = FieldError::with_limit("name", "too_long", 1);
    let many = FieldError::with_limit("name", "too_long", 64);
    assert_eq!(Tr::new(Language::En).field_error(&one), "At most 1 character.");
    assert_eq!(Tr::new(Language::En).field_error(&many), "At most 64 characters.");
    assert_eq!(Tr::new(Language::ZhCn).field_error(&many), "最多 64 个字符。");
}

#[test]
fn placeholders_are_filled_once() {
    let e = FieldError::on_line("file", "malformed_toml", Some(3), "{line} {n} {message}".into());
    assert_eq!(Tr::new(Language::En).field_error(&e), "Line 3: The file is not valid: {line} {n} {message}");
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
