//! The catalogues against the code: every key used exists in both languages, every key
//! exists for a reason, and counts and lists read as each language writes them.
//!
//! Keys in use are found three ways: string literals that look like keys in the server's
//! code and templates; the families of [`keys::every_key`]; and the field error codes
//! written at the places where field errors are made in the domain, the use cases and the
//! server (a code passed on in a variable must be listed in [`forwarded_codes`]).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{TimeZone, Utc};
use jiedai_domain::reception::Action;
use jiedai_domain::{Code, FieldError, Language};

use super::*;

mod source;

use source::{Tok, call_args, calls, literals, sources, struct_field_literals, template_code, text_of, tokens, word};

fn catalogues() -> [(&'static str, Catalog); 2] {
    [("zh-CN", parse_catalog(ZH_CN).unwrap()), ("en", parse_catalog(EN).unwrap())]
}

/// Field error codes passed on in a variable rather than written where the error is made:
/// the file and the expression passed, and every code that reaches it.
fn forwarded_codes() -> BTreeMap<(&'static str, &'static str), Vec<&'static str>> {
    BTreeMap::from([
        // `Error::field(field, code)`: its callers are read for their codes.
        (("crates/app/src/error.rs", "code"), Vec::new()),
        // A count that does not parse, said precisely.
        (
            ("crates/server/src/receptions/pages/form_state.rs", "code"),
            vec!["negative_number", "number_too_large", "not_whole_number", "invalid_number"],
        ),
        // What clashes with another reception (a 409 whose message names them).
        (("crates/server/src/render.rs", "clash"), vec!["booking_clash", "stock_short"]),
        // The problems of a calendar file, each with its own message.
        (
            ("crates/app/src/calendar.rs", "code"),
            jiedai_app::calendar::ENTRY_ERROR_CODES.iter().map(|(_, c)| *c).collect(),
        ),
    ])
}

/// Every field error code the program can produce, with where it is written; and the
/// places that pass on a code they were given (file, expression).
fn field_codes() -> (BTreeMap<String, String>, BTreeSet<(String, String)>) {
    let mut codes = BTreeMap::new();
    let mut forwarding = BTreeSet::new();
    for krate in ["domain", "app", "server"] {
        for (path, code) in sources(krate) {
            let toks = tokens(&code);
            let makers =
                [("FieldError", "new"), ("FieldError", "with_limit"), ("FieldError", "on_line"), ("Error", "field")];
            for (ty, f) in makers {
                for open in calls(&toks, ty, f) {
                    let args = call_args(&toks, open);
                    let Some(arg) = args.get(1) else { continue };
                    let found = literals(arg);
                    if found.is_empty() {
                        forwarding.insert((path.clone(), text_of(arg)));
                    }
                    for c in found {
                        codes.entry(c.to_owned()).or_insert_with(|| path.clone());
                    }
                }
            }
            // A conflict's code is shown as a field error's message.
            for c in struct_field_literals(&toks, "Conflict", "code") {
                codes.entry(c.to_owned()).or_insert_with(|| path.clone());
            }
        }
    }
    for ((path, _), passed) in forwarded_codes() {
        for c in passed {
            codes.entry(c.to_owned()).or_insert_with(|| path.to_owned());
        }
    }
    (codes, forwarding)
}

/// The catalogues' sections (`reception`, `field`…): a literal that starts with one and a dot
/// is a key.
fn sections() -> BTreeSet<String> {
    let table: toml::Table = ZH_CN.parse().unwrap();
    table.keys().cloned().collect()
}

/// Literals shaped like keys that are file names.
const FILE_EXTENSIONS: [&str; 8] = ["css", "js", "html", "svg", "toml", "csv", "ics", "xlsx"];

fn looks_like_key(s: &str, sections: &BTreeSet<String>) -> bool {
    let Some((section, rest)) = s.split_once('.') else { return false };
    let last = s.rsplit('.').next().unwrap_or("");
    sections.contains(section)
        && !rest.is_empty()
        // A prefix of keys (`flash.error_`), not a key.
        && !s.ends_with(['.', '_'])
        && !FILE_EXTENSIONS.contains(&last)
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
}

/// Keys written out in the server's code and templates, with where.
fn literal_keys() -> BTreeMap<String, String> {
    let sections = sections();
    let mut out = BTreeMap::new();
    for (path, code) in sources("server").into_iter().chain(template_code()) {
        for t in tokens(&code) {
            if let Tok::Str(s) = t
                && looks_like_key(&s, &sections)
            {
                out.entry(s).or_insert_with(|| path.clone());
            }
        }
    }
    out
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
fn every_key_written_in_code_and_templates_exists_in_both_catalogues() {
    let keys = literal_keys();
    assert!(keys.len() > 300, "the reader finds the keys in use ({} found)", keys.len());
    for (lang, cat) in catalogues() {
        let missing: Vec<String> =
            keys.iter().filter(|(k, _)| !cat.contains_key(*k)).map(|(k, at)| format!("{at}: {k}")).collect();
        assert!(missing.is_empty(), "keys used but not in {lang}: {missing:#?}");
    }
}

#[test]
fn every_key_made_from_values_exists_in_both_catalogues() {
    for (lang, cat) in catalogues() {
        let missing: Vec<String> = keys::every_key()
            .into_iter()
            .filter(|(_, k)| !cat.contains_key(k))
            .map(|(family, k)| format!("{family}: {k}"))
            .collect();
        assert!(missing.is_empty(), "keys made from values but not in {lang}: {missing:#?}");
    }
}

#[test]
fn every_field_error_code_has_a_message_in_both_catalogues() {
    let (codes, forwarding) = field_codes();
    assert!(codes.contains_key("required") && codes.contains_key("calendar_bad_date"), "{codes:?}");
    let known: BTreeSet<(String, String)> =
        forwarded_codes().keys().map(|(p, e)| ((*p).to_owned(), (*e).to_owned())).collect();
    let unknown: Vec<&(String, String)> = forwarding.difference(&known).collect();
    assert!(
        unknown.is_empty(),
        "field error codes passed on in variables; list their codes in forwarded_codes: {unknown:?}"
    );
    for (lang, cat) in catalogues() {
        let missing: Vec<String> = codes
            .iter()
            .filter(|(c, _)| !cat.contains_key(&keys::field(c)))
            .map(|(c, at)| format!("{at}: {c}"))
            .collect();
        assert!(missing.is_empty(), "field error codes without a message in {lang}: {missing:#?}");
    }
}

#[test]
fn every_problem_of_a_calendar_file_has_its_field_error_code() {
    let mapped: Vec<&str> = jiedai_app::calendar::ENTRY_ERROR_CODES.iter().map(|(c, _)| *c).collect();
    let mut used = BTreeSet::new();
    for (path, code) in sources("domain") {
        for c in struct_field_literals(&tokens(&code), "EntryError", "code") {
            assert!(mapped.contains(&c), "{path}: `{c}` is not in jiedai_app::calendar::ENTRY_ERROR_CODES");
            used.insert(c.to_owned());
        }
    }
    assert_eq!(used.len(), mapped.len(), "codes no parser uses: {mapped:?} against {used:?}");
}

#[test]
fn every_catalogue_key_is_used() {
    let mut used: BTreeSet<String> = literal_keys().into_keys().collect();
    used.extend(keys::every_key().into_iter().map(|(_, k)| k));
    used.extend(field_codes().0.into_keys().map(|c| keys::field(&c)));
    let [(_, zh), _] = catalogues();
    let mut unused: Vec<&String> = zh.keys().filter(|k| !used.contains(*k)).collect();
    unused.sort();
    assert!(unused.is_empty(), "catalogue keys that nothing uses: {unused:#?}");
}

#[test]
fn every_audit_entity_and_action_the_store_records_has_a_label() {
    let (mut entities, mut actions) = (BTreeSet::new(), BTreeSet::new());
    for (path, code) in sources("store").into_iter().chain(sources("app")) {
        let toks = tokens(&code);
        for i in 1..toks.len().saturating_sub(1) {
            // `record(c, actor, entity, id, action, …)`, `record_event(actor, entity, id, action, …)`
            let first = match &toks[i] {
                Tok::Word(w) if w == "record" => 2,
                Tok::Word(w) if w == "record_event" => 1,
                _ => continue,
            };
            if toks[i + 1] != Tok::Punct('(') || word(&toks[i - 1], "fn") {
                continue;
            }
            let args = call_args(&toks, i + 1);
            for (set, at) in [(&mut entities, first), (&mut actions, first + 2)] {
                for l in args.get(at).map(|a| literals(a)).unwrap_or_default() {
                    set.insert((l.to_owned(), path.clone()));
                }
            }
        }
    }
    assert!(entities.len() >= 7 && actions.len() >= 10, "the reader finds the records: {entities:?} {actions:?}");
    for (e, path) in &entities {
        assert!(keys::audit_entity(e).is_some(), "{path}: entity `{e}` is not in keys::AUDIT_ENTITIES");
    }
    for (a, path) in &actions {
        assert!(keys::audit_action(a).is_some(), "{path}: action `{a}` is not in keys::AUDIT_ACTIONS");
    }
    // Every label is for something recorded: a literal above, or an action on a reception or a task.
    let recorded: BTreeSet<&str> = entities.iter().chain(&actions).map(|(c, _)| c.as_str()).collect();
    for (code, _) in keys::AUDIT_ENTITIES.iter().chain(keys::AUDIT_ACTIONS) {
        let step = Action::parse(code).is_some() || jiedai_domain::tasks::TaskAction::parse(code).is_some();
        assert!(recorded.contains(code) || step, "`{code}` is never recorded");
    }
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
fn lists_are_written_as_each_language_writes_them() {
    let items = ["红茶".to_owned(), "绿茶".to_owned()];
    assert_eq!(Tr::new(Language::ZhCn).list(&items), "红茶、绿茶");
    assert_eq!(Tr::new(Language::En).list(&["Tea".into(), "Coffee".into()]), "Tea, Coffee");
}

#[test]
fn english_never_shows_the_chinese_list_comma() {
    let [_, (_, en)] = catalogues();
    for (key, m) in &en {
        for text in std::iter::once(&m.other).chain(&m.one) {
            assert!(!text.contains(['、', '，', '。', '：']), "{key}: {text}");
        }
    }
    let labels: Vec<String> =
        jiedai_domain::Role::all().iter().map(|r| Tr::new(Language::En).t(keys::role(*r)).to_owned()).collect();
    assert!(!Tr::new(Language::En).list(&labels).contains('、'));
}

#[test]
fn dates_follow_each_language_convention() {
    let at = Utc.with_ymd_and_hms(2026, 11, 27, 5, 5, 0).unwrap();
    let tz = chrono_tz::Asia::Shanghai;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    assert_eq!(Tr::new(Language::ZhCn).datetime_on(at, tz, today), "11月27日 周五 13:05");
    let next_year = chrono::NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
    assert_eq!(Tr::new(Language::ZhCn).datetime_on(at, tz, next_year), "2026年11月27日 周五 13:05");
    assert_eq!(Tr::new(Language::En).datetime_on(at, tz, today), "Fri 27 Nov 2026 13:05");
}

#[test]
fn days_read_as_people_write_them() {
    let d = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let (zh, en) = (Tr::new(Language::ZhCn), Tr::new(Language::En));
    let today = d(2026, 12, 1);
    assert_eq!(en.date(d(2026, 12, 9), today), "Wed 9 Dec 2026");
    assert_eq!(zh.date(d(2026, 12, 9), today), "12月9日 周三");
    assert_eq!(zh.date(d(2027, 1, 5), today), "2027年1月5日 周二", "another year is written");
    assert_eq!(en.date(d(2027, 1, 5), today), "Tue 5 Jan 2027");
    assert_eq!(en.date_range(d(2026, 12, 9), d(2026, 12, 9), today), "Wed 9 Dec 2026");
    assert_eq!(en.date_range(d(2026, 12, 9), d(2026, 12, 11), today), "Wed 9 Dec – Fri 11 Dec 2026");
    assert_eq!(zh.date_range(d(2026, 12, 9), d(2026, 12, 11), today), "12月9日 周三 – 12月11日 周五");
    assert_eq!(zh.date_range(d(2027, 1, 5), d(2027, 1, 6), today), "2027年1月5日 周二 – 1月6日 周三");
    assert_eq!(zh.date_range(d(2026, 12, 31), d(2027, 1, 1), today), "12月31日 周四 – 2027年1月1日 周五");
    assert_eq!(en.date_range(d(2026, 12, 31), d(2027, 1, 1), today), "Thu 31 Dec 2026 – Fri 1 Jan 2027");
    assert_eq!((en.day_month(d(2026, 12, 9)), zh.day_month(d(2026, 12, 9))), ("9 Dec".into(), "12月9日".into()));
}

#[test]
fn counts_and_lists_read_as_each_language_writes_them() {
    let (zh, en) = (Tr::new(Language::ZhCn), Tr::new(Language::En));
    assert_eq!(en.plural("reception.nights", 1), "1 night");
    assert_eq!(en.plural("reception.nights", 2), "2 nights");
    assert_eq!(en.plural("reception.guests", 1), "1 guest");
    assert_eq!(en.plural("reception.guests", 0), "0 guests");
    assert_eq!(en.plural("reception.total", 123), "123 receptions");
    assert_eq!(zh.plural("reception.total", 123), "共 123 条");
    let items = vec!["a".to_owned(), "b".to_owned()];
    assert_eq!(en.list(&items), "a, b");
    assert_eq!(zh.list(&items), "a、b");
}

#[test]
fn field_errors_name_their_limit() {
    let e = FieldError::with_limit("name", "too_long", 64);
    assert!(Tr::new(Language::En).field_error(&e).contains("64"));
    assert!(Tr::new(Language::ZhCn).field_error(&e).contains("64"));
}
