//! The rules of the reports across receptions: the period and department they cover, the
//! months of a trend, and the arithmetic of their figures — shares in basis points, amounts
//! per guest rounded to the fen, over-runs against a budget or a standard. Money stays in
//! [`Fen`]; a share or an average is an integer of hundredths, so every figure on a page,
//! in the JSON and in a workbook is the same number.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::field::{FieldError, FieldErrors};
use crate::ids::DepartmentId;
use crate::money::Fen;

mod summary;
#[cfg(test)]
mod tests;

pub use summary::*;

/// The longest period a report covers: ten years and a bit.
pub const MAX_REPORT_DAYS: i64 = 3700;

/// What a report covers: receptions whose visit begins from `from` to `to` (both included),
/// of one department or all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    /// First visit day counted.
    pub from: NaiveDate,
    /// Last visit day counted.
    pub to: NaiveDate,
    /// Only this host department, or all.
    pub department: Option<DepartmentId>,
}

/// A span of days read back over (reports, finance's settlements): it ends on or after its
/// start (`end_before_start`) and is at most ten years long (`period_too_long`).
pub fn check_span(from: NaiveDate, to: NaiveDate) -> Result<(), FieldErrors> {
    let mut errs = FieldErrors::new();
    if to < from {
        errs.push(FieldError::new("to", "end_before_start"));
    } else if (to - from).num_days() > MAX_REPORT_DAYS {
        errs.push(FieldError::with_limit("to", "period_too_long", MAX_REPORT_DAYS as usize));
    }
    errs.into_result()
}

impl Period {
    /// The period asked for, every problem at once. Without dates it is the twelve months
    /// up to the end of today's month; with one date the other is a year from (or to) it.
    pub fn check(
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        department: Option<DepartmentId>,
        today: NaiveDate,
    ) -> Result<Period, FieldErrors> {
        let year = Months::new(12);
        let month_end = end_of_month(today);
        let (from, to) = match (from, to) {
            (Some(f), Some(t)) => (f, t),
            (Some(f), None) => (f, f.checked_add_months(year).and_then(|d| d.pred_opt()).unwrap_or(f)),
            (None, Some(t)) => (t.checked_sub_months(year).and_then(|d| d.succ_opt()).unwrap_or(t), t),
            (None, None) => (month_end.checked_sub_months(year).and_then(|d| d.succ_opt()).unwrap_or(today), month_end),
        };
        check_span(from, to)?;
        Ok(Period { from, to, department })
    }

    /// The months the period touches, first to last.
    pub fn months(&self) -> Vec<Month> {
        let mut out = Vec::new();
        let mut m = Month::of(self.from);
        let last = Month::of(self.to);
        while m <= last {
            out.push(m);
            m = m.next();
        }
        out
    }
}

/// The last day of a date's month.
pub fn end_of_month(d: NaiveDate) -> NaiveDate {
    let first = NaiveDate::from_ymd_opt(d.year(), d.month(), 1).unwrap_or(d);
    first.checked_add_months(Months::new(1)).and_then(|n| n.pred_opt()).unwrap_or(d)
}

/// A calendar month, written `2026-03`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    /// The year.
    pub year: i32,
    /// The month, 1…12.
    pub month: u32,
}

impl Month {
    /// The month of a day.
    pub fn of(d: NaiveDate) -> Month {
        Month { year: d.year(), month: d.month() }
    }

    /// The month after.
    pub fn next(self) -> Month {
        if self.month == 12 { Month { year: self.year + 1, month: 1 } } else { Month { month: self.month + 1, ..self } }
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for Month {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// `part` of `whole` in basis points (1 % = 100), rounded half away from zero; `None` when
/// the whole is zero (nothing to compare with).
pub fn share_bp(part: i64, whole: i64) -> Option<i64> {
    if whole == 0 {
        return None;
    }
    let (p, w) = (i128::from(part) * 10_000, i128::from(whole));
    let q = div_round(p, w);
    i64::try_from(q).ok()
}

/// `sum / n` in hundredths (an average score of 8.25 is 825), rounded half away from zero;
/// `None` when nothing was counted.
pub fn average_hundredths(sum: i64, n: i64) -> Option<i64> {
    if n == 0 {
        return None;
    }
    i64::try_from(div_round(i128::from(sum) * 100, i128::from(n))).ok()
}

/// An amount per guest, rounded to the fen; `None` for a reception with no guests counted.
pub fn per_guest(total: Fen, guests: i64) -> Option<Fen> {
    if guests <= 0 {
        return None;
    }
    i64::try_from(div_round(i128::from(total.get()), i128::from(guests))).ok().map(Fen::new)
}

/// The standard per guest of receptions held to different standards: what the standards
/// allow all of them together (each group's guests × the standard in force on its visit day),
/// per guest; `None` without guests or when a group has guests and no standard.
pub fn standard_per_guest(groups: &[(i64, Option<Fen>)]) -> Option<Fen> {
    let mut allowed: i128 = 0;
    let mut guests: i64 = 0;
    for (n, standard) in groups.iter().filter(|(n, _)| *n > 0) {
        allowed += i128::from(*n) * i128::from(standard.as_ref()?.get());
        guests = guests.checked_add(*n)?;
    }
    if guests == 0 {
        return None;
    }
    i64::try_from(div_round(allowed, i128::from(guests))).ok().map(Fen::new)
}

fn div_round(n: i128, d: i128) -> i128 {
    let (q, r) = (n / d, n % d);
    if 2 * r.abs() >= d.abs() { q + if (n < 0) == (d < 0) { 1 } else { -1 } } else { q }
}

/// How far an actual amount runs over what was allowed for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Overrun {
    /// Actual minus allowed, in fen (negative: under).
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub over_fen: Fen,
    /// The over-run as a share of what was allowed, in basis points (`None` with nothing
    /// allowed).
    pub share_bp: Option<i64>,
}

impl Overrun {
    /// The over-run of `actual` against `allowed`.
    pub fn of(allowed: Fen, actual: Fen) -> Overrun {
        let over = actual.get().saturating_sub(allowed.get());
        Overrun { over_fen: Fen::new(over), share_bp: share_bp(over, allowed.get()) }
    }

    /// True when the actual amount is above what was allowed.
    pub fn is_over(&self) -> bool {
        self.over_fen.get() > 0
    }
}

/// A share in basis points written for people: `12.5%`, `-3%`, `100%`.
pub fn percent_text(bp: i64) -> String {
    let sign = if bp < 0 { "-" } else { "" };
    let a = bp.unsigned_abs();
    let (whole, frac) = (a / 100, a % 100);
    match frac {
        0 => format!("{sign}{whole}%"),
        f if f % 10 == 0 => format!("{sign}{whole}.{}%", f / 10),
        f => format!("{sign}{whole}.{f:02}%"),
    }
}

/// Hundredths written for people: `8.25`, `8.5`, `9`.
pub fn hundredths_text(h: i64) -> String {
    let sign = if h < 0 { "-" } else { "" };
    let a = h.unsigned_abs();
    let (whole, frac) = (a / 100, a % 100);
    match frac {
        0 => format!("{sign}{whole}"),
        f if f % 10 == 0 => format!("{sign}{whole}.{}", f / 10),
        f => format!("{sign}{whole}.{f:02}"),
    }
}
