//! The working-day calendar (工作日). Weekends are days off unless declared make-up
//! working days (调休); statutory holidays and company closures are days off even on
//! weekdays. Deadlines of the procedure count working days before or after the visit.
//!
//! Stepping convention: `add_working_days(d, n)` lands on the n-th working day after
//! `d` (n > 0) or the |n|-th working day before it (n < 0), never counting `d` itself;
//! `working_days_between(a, b)` counts the working days stepped on going from `a` to
//! `b`, the landing day included and the start excluded, negative going back. So
//! `working_days_between(d, add_working_days(d, n)) == n` for every `d` and `n`.
//!
//! Answers come from a table of prefix sums over [`TABLE_FIRST_YEAR`, `TABLE_LAST_YEAR`]:
//! a shift or a count is a lookup, not a walk. Outside, only weekends are days off, counted in closed form.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Serialize;

/// The official calendar shipped with the product: date, kind, English and Chinese name.
pub const SHIPPED_CSV: &str = include_str!("../../data/cn-statutory-calendar.csv");

/// First year of the lookup table.
pub const TABLE_FIRST_YEAR: i32 = 2000;
/// Last year of the lookup table.
pub const TABLE_LAST_YEAR: i32 = 2100;

/// What a declared day is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, strum::IntoStaticStr, strum::VariantArray)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum EntryKind {
    /// A statutory holiday: a day off, even on a weekday.
    Holiday,
    /// A make-up working day (调休): a working day, even on a weekend.
    Workday,
    /// A company closure (e.g. an annual shutdown): a day off.
    Closure,
}

impl EntryKind {
    /// True when statutory (published by the State Council), as opposed to the company's own.
    pub fn is_statutory(self) -> bool {
        matches!(self, EntryKind::Holiday | EntryKind::Workday)
    }
}

/// One declared day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// The date.
    pub date: NaiveDate,
    /// Holiday, make-up working day or closure.
    pub kind: EntryKind,
    /// Name in English (e.g. "Spring Festival").
    pub name_en: String,
    /// Name in Chinese (e.g. "春节").
    pub name_zh: String,
}

/// What any date is, for display and the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, strum::IntoStaticStr, strum::VariantArray)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum DayKind {
    /// A make-up working day on a weekend.
    Workday,
    /// A statutory holiday.
    Holiday,
    /// A company closure.
    Closure,
    /// An ordinary Saturday or Sunday.
    Weekend,
    /// An ordinary weekday.
    Normal,
}

/// A problem in a calendar file or entry list, naming its line (1-based) when known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryError {
    /// Line of the file (1-based), if the entry came from a file.
    pub line: Option<usize>,
    /// Stable code: `bad_date`, `unknown_kind`, `duplicate_date`, `missing_field`,
    /// `no_dates`, `name_too_long`.
    pub code: &'static str,
    /// The offending text.
    pub value: String,
}

/// The calendar: declared days over the weekend rule.
#[derive(Debug, Clone)]
pub struct Calendar {
    entries: BTreeMap<NaiveDate, Entry>,
    statutory_years: BTreeSet<i32>,
    first: NaiveDate,
    /// `prefix[i]` = working days among the table's first `i` days.
    prefix: Vec<u32>,
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

impl Calendar {
    /// A calendar of the given entries; two entries for one date are refused.
    pub fn new(entries: impl IntoIterator<Item = Entry>) -> Result<Calendar, EntryError> {
        let mut map = BTreeMap::new();
        for e in entries {
            let date = e.date;
            if map.insert(date, e).is_some() {
                return Err(EntryError { line: None, code: "duplicate_date", value: date.to_string() });
            }
        }
        let statutory_years = map.values().filter(|e| e.kind.is_statutory()).map(|e| e.date.year()).collect();
        let first = NaiveDate::from_ymd_opt(TABLE_FIRST_YEAR, 1, 1).expect("valid date");
        let last = NaiveDate::from_ymd_opt(TABLE_LAST_YEAR, 12, 31).expect("valid date");
        let days = (last - first).num_days() as usize + 1;
        let mut cal = Calendar { entries: map, statutory_years, first, prefix: Vec::with_capacity(days + 1) };
        let mut acc = 0u32;
        cal.prefix.push(0);
        let mut d = first;
        for _ in 0..days {
            acc += u32::from(cal.declared_working(d));
            cal.prefix.push(acc);
            d = d.succ_opt().expect("in range");
        }
        Ok(cal)
    }

    /// The official calendar shipped with the product, plus further entries (later years,
    /// company closures).
    pub fn shipped_with(extra: impl IntoIterator<Item = Entry>) -> Result<Calendar, EntryError> {
        let shipped = parse_csv(SHIPPED_CSV).map_err(|mut e| e.remove(0))?;
        Calendar::new(shipped.into_iter().chain(extra))
    }

    fn declared_working(&self, d: NaiveDate) -> bool {
        match self.entries.get(&d).map(|e| e.kind) {
            Some(EntryKind::Workday) => true,
            Some(EntryKind::Holiday | EntryKind::Closure) => false,
            None => !is_weekend(d),
        }
    }

    fn index(&self, d: NaiveDate) -> Option<usize> {
        let i = (d - self.first).num_days();
        (i >= 0 && (i as usize) < self.prefix.len() - 1).then_some(i as usize)
    }

    /// True on a working day.
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        match self.index(d) {
            Some(i) => self.prefix[i + 1] > self.prefix[i],
            None => self.declared_working(d),
        }
    }

    /// What a date is, with its name when declared.
    pub fn day(&self, d: NaiveDate) -> (DayKind, Option<&Entry>) {
        match self.entries.get(&d) {
            Some(e) => {
                let k = match e.kind {
                    EntryKind::Workday => DayKind::Workday,
                    EntryKind::Holiday => DayKind::Holiday,
                    EntryKind::Closure => DayKind::Closure,
                };
                (k, Some(e))
            }
            None if is_weekend(d) => (DayKind::Weekend, None),
            None => (DayKind::Normal, None),
        }
    }

    /// True when the State Council's plan for the year is known; otherwise the calendar
    /// counts weekends only for that year, and pages say so.
    pub fn covers_year(&self, year: i32) -> bool {
        self.statutory_years.contains(&year)
    }

    /// The years whose statutory plan is known.
    pub fn covered_years(&self) -> impl Iterator<Item = i32> + '_ {
        self.statutory_years.iter().copied()
    }

    /// Every declared day of a year, in date order.
    pub fn entries_of_year(&self, year: i32) -> impl Iterator<Item = &Entry> + '_ {
        let from = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN);
        let to = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX);
        self.entries.range(from..=to).map(|(_, e)| e)
    }

    /// Working days in `[table start, d]` (negative before the table: minus those in
    /// `(d, table start)`). Exact everywhere: outside the table only weekends are days off,
    /// counted in closed form, so no question walks day by day however far it reaches.
    fn rank(&self, d: NaiveDate) -> i64 {
        let len = self.prefix.len() - 1;
        let total = i64::from(self.prefix[len]);
        match self.index(d) {
            Some(i) => i64::from(self.prefix[i + 1]),
            None if d < self.first => weekdays_upto(d) - weekdays_before(self.first),
            None => total + weekdays_upto(d) - weekdays_before(self.first) - len_weekdays(self.first, len),
        }
    }

    /// The first day whose [`rank`](Self::rank) reaches `target` (a working day), saturating
    /// at the ends of representable dates.
    fn day_of_rank(&self, target: i64) -> NaiveDate {
        let len = self.prefix.len() - 1;
        let total = i64::from(self.prefix[len]);
        if target >= 1 && target <= total {
            // The first k with prefix[k] == target: day k-1 is the target-th working day.
            let k = self.prefix.partition_point(|&p| i64::from(p) < target);
            return self.first + Duration::days(k as i64 - 1);
        }
        let base = weekdays_before(self.first) + if target > total { len_weekdays(self.first, len) } else { 0 };
        let upto = base + target - if target > total { total } else { 0 };
        weekday_of_rank(upto - 1).unwrap_or(if target > total { NaiveDate::MAX } else { NaiveDate::MIN })
    }

    /// The n-th working day after `d` (n > 0), the |n|-th before it (n < 0), or `d` (n = 0).
    /// Never overflows: an answer beyond representable dates stops at the last one.
    pub fn add_working_days(&self, d: NaiveDate, n: i32) -> NaiveDate {
        if n == 0 {
            return d;
        }
        // Forward, the answer x has rank(x) = rank(d) + n; backward, [x, d) holds |n|
        // working days with x working: rank(x) = rank(d - 1) + n + 1.
        let target = if n > 0 {
            self.rank(d) + i64::from(n)
        } else {
            d.pred_opt().map_or(i64::MIN / 2, |p| self.rank(p)) + i64::from(n) + 1
        };
        self.day_of_rank(target)
    }

    /// Working days stepped on from `a` to `b`: `(a, b]` going forward, `[b, a)` negated
    /// going back.
    pub fn working_days_between(&self, a: NaiveDate, b: NaiveDate) -> i64 {
        if b >= a {
            self.rank(b) - self.rank(a)
        } else {
            // [b, a) = (b - 1, a - 1]
            let before =
                |d: NaiveDate| d.pred_opt().map_or_else(|| self.rank(d) - i64::from(is_weekday(d)), |p| self.rank(p));
            before(b) - before(a)
        }
    }

    /// The first working day after `d`.
    pub fn next_working_day(&self, d: NaiveDate) -> NaiveDate {
        self.add_working_days(d, 1)
    }
}

fn is_weekday(d: NaiveDate) -> bool {
    !is_weekend(d)
}

/// How many weekdays (Monday to Friday) come before `d`, counted from 0001-01-01 (a Monday);
/// negative before it.
fn weekdays_before(d: NaiveDate) -> i64 {
    let k = i64::from(d.num_days_from_ce()) - 1;
    k.div_euclid(7) * 5 + k.rem_euclid(7).min(5)
}

/// Weekdays up to and including `d`.
fn weekdays_upto(d: NaiveDate) -> i64 {
    weekdays_before(d) + i64::from(is_weekday(d))
}

/// Weekdays among the `len` days from `first`.
fn len_weekdays(first: NaiveDate, len: usize) -> i64 {
    weekdays_before(first + Duration::days(len as i64)) - weekdays_before(first)
}

/// The weekday that has `rank` weekdays before it (the inverse of [`weekdays_before`]).
fn weekday_of_rank(rank: i64) -> Option<NaiveDate> {
    let k = rank.checked_div_euclid(5)?.checked_mul(7)? + rank.rem_euclid(5);
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(k.checked_add(1)?).ok()?)
}

mod files;

pub use files::{MAX_DAYS_PER_IMPORT, MAX_EVENT_DAYS, parse_csv, parse_ics};

#[cfg(test)]
mod tests;
