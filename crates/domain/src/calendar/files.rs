//! Calendar files: the CSV the product ships (and administrators import), and iCalendar
//! files of all-day events.

use std::collections::BTreeSet;

use chrono::{Duration, NaiveDate};

use super::{Entry, EntryError, EntryKind};
use crate::{Code, bounds};

/// Most days one file, form or request may add: a few years of plans and closures. (An
/// unbounded import once added 355,000 days and slowed every page that reads the calendar.)
pub const MAX_DAYS_PER_IMPORT: usize = 1000;
/// Most days one all-day event of an .ics file may span.
pub const MAX_EVENT_DAYS: i64 = 62;

/// The problem with a date outside the accepted years, if it is.
fn out_of_range(line: Option<usize>, d: NaiveDate) -> Option<EntryError> {
    (!bounds::date_in_range(d)).then(|| EntryError { line, code: "out_of_range", value: d.to_string() })
}

/// Refuses more than [`MAX_DAYS_PER_IMPORT`] days.
fn too_many(out: &[Entry], errs: &mut Vec<EntryError>) {
    if out.len() > MAX_DAYS_PER_IMPORT {
        errs.push(EntryError { line: None, code: "too_many_days", value: MAX_DAYS_PER_IMPORT.to_string() });
    }
}

/// Parses a calendar CSV (`date,kind,name_en,name_zh`, header optional). All lines are
/// checked; every problem is reported with its line.
pub fn parse_csv(text: &str) -> Result<Vec<Entry>, Vec<EntryError>> {
    let mut out = Vec::new();
    let mut errs = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let l = raw.trim().trim_start_matches('\u{feff}');
        if l.is_empty() || l.starts_with('#') || (line == 1 && l.starts_with("date,")) {
            continue;
        }
        let cols: Vec<&str> = l.split(',').map(str::trim).collect();
        if cols.len() < 2 {
            errs.push(EntryError { line: Some(line), code: "missing_field", value: l.to_owned() });
            continue;
        }
        let Ok(date) = NaiveDate::parse_from_str(cols[0], "%Y-%m-%d") else {
            errs.push(EntryError { line: Some(line), code: "bad_date", value: cols[0].to_owned() });
            continue;
        };
        if let Some(e) = out_of_range(Some(line), date) {
            errs.push(e);
            continue;
        }
        let Some(kind) = EntryKind::parse(cols[1].trim()) else {
            errs.push(EntryError { line: Some(line), code: "unknown_kind", value: cols[1].to_owned() });
            continue;
        };
        let name_en = cols.get(2).copied().unwrap_or("").to_owned();
        let name_zh = cols.get(3).copied().unwrap_or("").to_owned();
        if name_en.chars().count() > 64 || name_zh.chars().count() > 64 {
            errs.push(EntryError { line: Some(line), code: "name_too_long", value: l.to_owned() });
            continue;
        }
        if !seen.insert(date) {
            errs.push(EntryError { line: Some(line), code: "duplicate_date", value: cols[0].to_owned() });
            continue;
        }
        out.push(Entry { date, kind, name_en, name_zh });
        if out.len() > MAX_DAYS_PER_IMPORT {
            break;
        }
    }
    too_many(&out, &mut errs);
    if errs.is_empty() { Ok(out) } else { Err(errs) }
}

/// Parses an iCalendar file of all-day events: each day of each VEVENT becomes an entry.
/// A summary with 班 or "work" marks make-up working days; any other event is a
/// holiday, unless `as_closures` (a company's own calendar).
pub fn parse_ics(text: &str, as_closures: bool) -> Result<Vec<Entry>, Vec<EntryError>> {
    // Unfold continuation lines (RFC 5545 §3.1).
    let mut lines: Vec<(usize, String)> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        if (raw.starts_with(' ') || raw.starts_with('\t')) && !lines.is_empty() {
            if let Some(last) = lines.last_mut() {
                last.1.push_str(&raw[1..]);
            }
        } else {
            lines.push((i + 1, raw.trim_end().to_owned()));
        }
    }
    let mut out = Vec::new();
    let mut errs = Vec::new();
    let mut seen = BTreeSet::new();
    let mut in_event = false;
    let (mut start, mut end, mut summary, mut event_line) = (None, None, String::new(), 0);
    let date_of = |v: &str| NaiveDate::parse_from_str(v.get(..8).unwrap_or(v), "%Y%m%d").ok();
    for (line, l) in &lines {
        let (name, value) = match l.split_once(':') {
            Some((n, v)) => (n.split(';').next().unwrap_or("").to_ascii_uppercase(), v.trim()),
            None => continue,
        };
        match (name.as_str(), value) {
            ("BEGIN", "VEVENT") => {
                in_event = true;
                (start, end, summary, event_line) = (None, None, String::new(), *line);
            }
            ("DTSTART", v) if in_event => match date_of(v) {
                Some(d) => start = Some(d),
                None => errs.push(EntryError { line: Some(*line), code: "bad_date", value: v.to_owned() }),
            },
            ("DTEND", v) if in_event => match date_of(v) {
                Some(d) => end = Some(d),
                None => errs.push(EntryError { line: Some(*line), code: "bad_date", value: v.to_owned() }),
            },
            ("SUMMARY", v) if in_event => summary = v.replace("\\,", ",").chars().take(64).collect(),
            ("END", "VEVENT") if in_event => {
                in_event = false;
                let Some(s) = start else {
                    errs.push(EntryError { line: Some(event_line), code: "missing_field", value: "DTSTART".into() });
                    continue;
                };
                // DTEND of an all-day event is exclusive; without it the event is one day.
                let e = end.filter(|e| *e > s).unwrap_or_else(|| s.succ_opt().unwrap_or(s));
                if let Some(err) = out_of_range(Some(event_line), s).or_else(|| out_of_range(Some(event_line), e)) {
                    errs.push(err);
                    continue;
                }
                if (e - s).num_days() > MAX_EVENT_DAYS {
                    errs.push(EntryError {
                        line: Some(event_line),
                        code: "event_too_long",
                        value: format!("{s} – {e}"),
                    });
                    continue;
                }
                let work = summary.contains('班') || summary.to_lowercase().contains("work");
                let kind = if as_closures {
                    EntryKind::Closure
                } else if work {
                    EntryKind::Workday
                } else {
                    EntryKind::Holiday
                };
                let mut d = s;
                while d < e {
                    if !seen.insert(d) {
                        errs.push(EntryError { line: Some(event_line), code: "duplicate_date", value: d.to_string() });
                    } else {
                        out.push(Entry { date: d, kind, name_en: summary.clone(), name_zh: summary.clone() });
                    }
                    d += Duration::days(1);
                }
                if out.len() > MAX_DAYS_PER_IMPORT {
                    break;
                }
            }
            _ => {}
        }
    }
    too_many(&out, &mut errs);
    if out.is_empty() && errs.is_empty() {
        errs.push(EntryError { line: None, code: "no_dates", value: String::new() });
    }
    if errs.is_empty() { Ok(out) } else { Err(errs) }
}
