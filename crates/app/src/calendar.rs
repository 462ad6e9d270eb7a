//! The working-day calendar: answering questions about days, and adding days (later
//! years' plans, company closures) by form, API, CSV or .ics — all or nothing.

use chrono::NaiveDate;
use jiedai_domain::calendar::{Entry, EntryError, EntryKind, MAX_DAYS_PER_IMPORT, parse_csv, parse_ics};
use jiedai_domain::{Actor, Code, FieldError, FieldErrors};
use serde::{Deserialize, Serialize};

use crate::{App, Error, Result};

/// The format of an imported file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportFormat {
    /// `date,kind,name_en,name_zh`, as the shipped file.
    Csv,
    /// iCalendar all-day events.
    Ics,
}

impl ImportFormat {
    /// Guesses the format from a file name or content type, else from the text.
    pub fn detect(hint: &str, text: &str) -> ImportFormat {
        let h = hint.to_ascii_lowercase();
        if h.ends_with(".ics") || h.contains("calendar") || text.trim_start().starts_with("BEGIN:VCALENDAR") {
            ImportFormat::Ics
        } else {
            ImportFormat::Csv
        }
    }
}

/// The field error code of each problem a calendar file can have (`EntryError::code`); the
/// server's tests check that each has a message and that the parsers use no other.
pub const ENTRY_ERROR_CODES: &[(&str, &str)] = &[
    ("bad_date", "calendar_bad_date"),
    ("unknown_kind", "calendar_unknown_kind"),
    ("duplicate_date", "calendar_duplicate_date"),
    ("no_dates", "calendar_no_dates"),
    ("name_too_long", "calendar_name_too_long"),
    ("missing_field", "calendar_missing_field"),
    ("out_of_range", "calendar_date_out_of_range"),
    ("event_too_long", "calendar_event_too_long"),
    ("too_many_days", "calendar_too_many_days"),
];

/// Turns entry problems into field errors: the field is `file` (or `entries`), and the
/// message names the line and the value.
pub fn entry_errors(field: &str, errs: &[EntryError]) -> Error {
    Error::Validation(FieldErrors(
        errs.iter()
            .take(50)
            .map(|e| {
                let code = ENTRY_ERROR_CODES
                    .iter()
                    .find(|(c, _)| *c == e.code)
                    .map_or("calendar_missing_field", |(_, code)| *code);
                FieldError::on_line(field, code, e.line, e.value.clone())
            })
            .collect(),
    ))
}

/// Adds days after checking them against the calendar in force: a date it already
/// declares (shipped or added) is refused, and nothing is added.
pub async fn add_days(app: &App, entries: Vec<Entry>, source: &str, field: &str, actor: &Actor) -> Result<usize> {
    if entries.is_empty() {
        return Err(entry_errors(field, &[EntryError { line: None, code: "no_dates", value: String::new() }]));
    }
    if entries.len() > MAX_DAYS_PER_IMPORT {
        let value = MAX_DAYS_PER_IMPORT.to_string();
        return Err(entry_errors(field, &[EntryError { line: None, code: "too_many_days", value }]));
    }
    let cal = app.calendar().await?;
    let clashes: Vec<EntryError> = entries
        .iter()
        .filter(|e| cal.day(e.date).1.is_some())
        .map(|e| EntryError { line: None, code: "duplicate_date", value: e.date.to_string() })
        .collect();
    if !clashes.is_empty() {
        return Err(entry_errors(field, &clashes));
    }
    let n = entries.len();
    match app.store().add_calendar_days(&entries, source, actor).await {
        Err(jiedai_store::StoreError::Conflict(_)) => {
            Err(entry_errors(field, &[EntryError { line: None, code: "duplicate_date", value: String::new() }]))
        }
        other => other.map(|()| n).map_err(Error::from),
    }
}

/// Parses and adds a file.
pub async fn import(
    app: &App,
    text: &str,
    format: ImportFormat,
    closures: bool,
    source: &str,
    actor: &Actor,
) -> Result<usize> {
    let parsed = match format {
        ImportFormat::Csv => parse_csv(text),
        ImportFormat::Ics => parse_ics(text, closures),
    };
    let entries = parsed.map_err(|errs| entry_errors("file", &errs))?;
    let entries = if closures && format == ImportFormat::Csv {
        entries.into_iter().map(|e| Entry { kind: EntryKind::Closure, ..e }).collect()
    } else {
        entries
    };
    add_days(app, entries, source, "file", actor).await
}

/// One day as submitted by a form or JSON.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(
    feature = "openapi",
    schema(description = "One day as submitted: its date and kind, and a name in at least one language.")
)]
pub struct DayInput {
    /// YYYY-MM-DD.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = chrono::NaiveDate, required = true))]
    pub date: String,
    /// `holiday`, `workday` (make-up working day) or `closure`.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*(?:holiday|workday|closure)[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$",
            required = true
        )
    )]
    pub kind: String,
    /// Name in English: at most 64 characters once trimmed.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*(?:[^\\x00\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000](?:[^\\x00]{0,62}[^\\x00\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000])?)?[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$"
        )
    )]
    pub name_en: String,
    /// Name in Chinese: at most 64 characters once trimmed; one of the names is needed.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*(?:[^\\x00\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000](?:[^\\x00]{0,62}[^\\x00\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000])?)?[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$"
        )
    )]
    pub name_zh: String,
}

/// Parses one submitted day; every problem is reported at once.
pub fn parse_day(i: &DayInput) -> Result<Entry, FieldErrors> {
    let mut errs = FieldErrors::new();
    let date = if i.date.trim().is_empty() {
        errs.push(FieldError::new("date", "required"));
        None
    } else {
        errs.check(jiedai_domain::bounds::parse_date("date", &i.date))
    };
    let kind = EntryKind::parse(i.kind.trim());
    if kind.is_none() {
        errs.push(FieldError::new("kind", "calendar_unknown_kind"));
    }
    let name_en = i.name_en.trim().to_owned();
    let name_zh = i.name_zh.trim().to_owned();
    for (f, v) in [("name_en", &name_en), ("name_zh", &name_zh)] {
        if v.chars().count() > 64 {
            errs.push(FieldError::with_limit(f, "too_long", 64));
        }
    }
    if name_en.is_empty() && name_zh.is_empty() {
        errs.push(FieldError::new("name_zh", "required"));
    }
    match (date, kind, errs.is_empty()) {
        (Some(date), Some(kind), true) => Ok(Entry { date, kind, name_en, name_zh }),
        _ => Err(errs),
    }
}

/// Removes an added day.
pub async fn delete_day(app: &App, date: NaiveDate, actor: &Actor) -> Result<()> {
    Ok(app.store().delete_calendar_day(date, actor).await?)
}

/// One declared day of a year.
#[derive(Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeclaredDay {
    /// The date.
    pub date: NaiveDate,
    /// `holiday`, `workday` or `closure`.
    pub kind: String,
    /// Name in English.
    pub name_en: String,
    /// Name in Chinese.
    pub name_zh: String,
    /// `shipped` (the official calendar in the product) or `added` (by an administrator).
    pub source: String,
}

/// The declared days of a year.
#[derive(Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct YearResponse {
    /// The year.
    pub year: i32,
    /// False when the statutory plan of the year is not in the calendar.
    pub covered: bool,
    /// Declared days, in date order.
    pub items: Vec<DeclaredDay>,
}

/// The declared days of a year, marked shipped or added.
pub async fn year_of(app: &App, year: i32) -> Result<YearResponse> {
    let cal = app.calendar().await?;
    let added: std::collections::HashSet<NaiveDate> =
        app.store().list_calendar_days().await?.into_iter().map(|d| d.entry.date).collect();
    let items = cal
        .entries_of_year(year)
        .map(|e| DeclaredDay {
            date: e.date,
            kind: e.kind.as_str().to_owned(),
            name_en: e.name_en.clone(),
            name_zh: e.name_zh.clone(),
            source: if added.contains(&e.date) { "added" } else { "shipped" }.to_owned(),
        })
        .collect();
    Ok(YearResponse { year, covered: cal.covers_year(year), items })
}
