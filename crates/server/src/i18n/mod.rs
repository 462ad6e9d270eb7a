//! The two interface languages. Every user-facing string lives in `locales/<lang>.toml`;
//! the tests in `tests/` fail when a key used in code or templates (or made from values,
//! see [`keys`]) is missing from either catalogue, or when a catalogue key is used nowhere.
//! A message that shows a count has plural forms (`{ one = "…", other = "…" }`), read with
//! [`Tr::plural`].

use std::collections::HashMap;
use std::sync::OnceLock;

mod audit_keys;
pub mod keys;
#[cfg(test)]
mod tests;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use jiedai_domain::{FieldError, Language};

const ZH_CN: &str = include_str!("../../locales/zh-CN.toml");
const EN: &str = include_str!("../../locales/en.toml");

/// The plural forms a catalogue may write for a count: CLDR's categories for integers in
/// English (`one` for 1, `other` for every other number); Chinese has `other` alone.
const PLURAL_FORMS: [&str; 2] = ["one", "other"];

/// The days of the week as Chinese writes them, Monday first.
const ZH_WEEKDAYS: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];

/// One message of a catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Message {
    /// The text; for a count, the form for every number without a form of its own.
    other: String,
    /// For a count, the form for exactly one, in a language that has one.
    one: Option<String>,
}

type Catalog = HashMap<String, Message>;

/// The plural forms of a count, if the table is one: `other` and nothing but plural forms.
fn plural_forms(table: &toml::Table) -> Option<Message> {
    let other = table.get("other")?.as_str()?.to_owned();
    if !table.keys().all(|k| PLURAL_FORMS.contains(&k.as_str())) {
        return None;
    }
    let one = match table.get("one") {
        Some(v) => Some(v.as_str()?.to_owned()),
        None => None,
    };
    Some(Message { other, one })
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut Catalog) {
    for (k, v) in table {
        let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
        let message = match v {
            toml::Value::Table(t) => match plural_forms(t) {
                Some(m) => m,
                None => {
                    flatten(&key, t, out);
                    continue;
                }
            },
            toml::Value::String(s) => Message { other: s.clone(), one: None },
            other => Message { other: other.to_string(), one: None },
        };
        out.insert(key, message);
    }
}

/// Parses one locale file into flat `section.key` entries.
fn parse_catalog(text: &str) -> Result<Catalog, toml::de::Error> {
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

/// Fills `{name}` placeholders in one pass, so a value is never read as a placeholder.
fn fill(text: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let arg = after.find('}').and_then(|close| {
            let name = &after[..close];
            args.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v, close))
        });
        match arg {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
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

    /// The text of a key; a missing key shows itself, so it is noticed. (A count's message
    /// is read with [`Tr::plural`]; here it gives its `other` form.)
    pub fn t<'a>(&self, key: &'a str) -> &'a str
    where
        'static: 'a,
    {
        self.catalog.get(key).map(|m| m.other.as_str()).unwrap_or(key)
    }

    /// The text of a key with `{name}` placeholders filled.
    pub fn t_with(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill(self.t(key), args)
    }

    /// The form of a count's message for `n`, placeholders left as they are (for a script
    /// that fills them): `{n} night` for 1 and `{n} nights` otherwise in English.
    pub fn plural_form<'a>(&self, key: &'a str, n: i64) -> &'a str
    where
        'static: 'a,
    {
        match self.catalog.get(key) {
            Some(Message { one: Some(one), .. }) if self.is_one(n) => one,
            Some(m) => &m.other,
            None => key,
        }
    }

    /// A count in words: the message's form for `n`, with `{n}` filled (`1 night`,
    /// `2 nights`; `2 晚`).
    pub fn plural(&self, key: &str, n: i64) -> String {
        self.plural_with(key, n, &[])
    }

    /// A count in words with more placeholders filled.
    pub fn plural_with(&self, key: &str, n: i64, args: &[(&str, &str)]) -> String {
        let n_text = n.to_string();
        let mut all = vec![("n", n_text.as_str())];
        all.extend_from_slice(args);
        fill(self.plural_form(key, n), &all)
    }

    /// True when `n` takes the `one` form in this language.
    fn is_one(&self, n: i64) -> bool {
        match self.lang {
            Language::En => n == 1,
            Language::ZhCn => false,
        }
    }

    /// The message for a field error; a limit is the count its plural form follows.
    pub fn field_error(&self, e: &FieldError) -> String {
        let key = keys::field(e.code);
        let value = e.value.as_deref().unwrap_or("");
        let msg = match e.limit {
            Some(l) => self.plural_with(
                &key,
                i64::try_from(l).unwrap_or(i64::MAX),
                &[("limit", &l.to_string()), ("value", value)],
            ),
            None => self.t_with(&key, &[("limit", ""), ("value", value)]),
        };
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

    /// A day as people read it: `Wed 9 Dec 2026` in en; `12月9日 周三` in zh-CN, with the
    /// year first when it is not `today`'s (`2027年1月5日 周二`). Only for reading: the API,
    /// exports and form inputs keep ISO dates.
    pub fn date(&self, d: NaiveDate, today: NaiveDate) -> String {
        match self.lang {
            Language::ZhCn => {
                let wd = ZH_WEEKDAYS[d.weekday().num_days_from_monday() as usize];
                if d.year() == today.year() {
                    format!("{}月{}日 {wd}", d.month(), d.day())
                } else {
                    format!("{}年{}月{}日 {wd}", d.year(), d.month(), d.day())
                }
            }
            Language::En => d.format("%a %-d %b %Y").to_string(),
        }
    }

    /// A day without its weekday or year, where both are shown beside it (a week's
    /// calendar): `9 Dec` in en, `12月9日` in zh-CN.
    pub fn day_month(&self, d: NaiveDate) -> String {
        match self.lang {
            Language::ZhCn => format!("{}月{}日", d.month(), d.day()),
            Language::En => d.format("%-d %b").to_string(),
        }
    }

    /// A span of days as people read it: one day as [`Tr::date`], two as `Wed 9 Dec – Fri
    /// 11 Dec 2026` (the year once when both share it) or `12月9日 周三 – 12月11日 周五`.
    pub fn date_range(&self, start: NaiveDate, end: NaiveDate, today: NaiveDate) -> String {
        if start == end {
            return self.date(start, today);
        }
        let same_year = start.year() == end.year();
        let (first, last) = match self.lang {
            // English writes the shared year once, at the end.
            Language::En if same_year => (start.format("%a %-d %b").to_string(), self.date(end, today)),
            // Chinese writes a year (not this one) once, at the start.
            Language::ZhCn if same_year => (self.date(start, today), self.date(end, end)),
            _ => (self.date(start, today), self.date(end, today)),
        };
        format!("{first} – {last}")
    }

    /// A date and time in the company's time zone, as people there read it: the day as
    /// [`Tr::date`], then the time: `11月27日 周五 13:05` in zh-CN (with the year when it is
    /// not this year's), `Fri 27 Nov 2026 13:05` in en.
    pub fn datetime(&self, at: DateTime<Utc>, tz: chrono_tz::Tz) -> String {
        self.datetime_on(at, tz, Utc::now().with_timezone(&tz).date_naive())
    }

    /// [`Tr::datetime`] read on the day `today`.
    pub fn datetime_on(&self, at: DateTime<Utc>, tz: chrono_tz::Tz, today: NaiveDate) -> String {
        let local = at.with_timezone(&tz);
        format!("{} {}", self.date(local.date_naive(), today), local.format("%H:%M"))
    }
}
