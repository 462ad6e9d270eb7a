//! Money as [`Fen`] (分): exact integers in storage and rules, written as yuan at the edges.
//! Arithmetic is checked: an amount never wraps around.

use serde::{Deserialize, Serialize};

use crate::field::FieldError;

/// An amount of money in fen. Serialized as the plain integer (`15000` is ¥150.00), so
/// JSON fields keep their `_fen` names and meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Fen(i64);

impl Fen {
    /// Nothing.
    pub const ZERO: Fen = Fen(0);
    /// Largest amount accepted anywhere: ¥10,000,000.00.
    pub const MAX: Fen = Fen(1_000_000_000);

    /// An amount of this many fen.
    pub const fn new(fen: i64) -> Fen {
        Fen(fen)
    }

    /// The number of fen.
    pub const fn get(self) -> i64 {
        self.0
    }

    /// Whole yuan as fen, if it fits.
    pub fn from_yuan(yuan: i64) -> Option<Fen> {
        yuan.checked_mul(100).map(Fen)
    }

    /// The sum, or `None` on overflow.
    pub fn checked_add(self, other: Fen) -> Option<Fen> {
        self.0.checked_add(other.0).map(Fen)
    }

    /// The difference, or `None` on overflow.
    pub fn checked_sub(self, other: Fen) -> Option<Fen> {
        self.0.checked_sub(other.0).map(Fen)
    }

    /// The amount times a count (a standard per person times the guests), or `None` on overflow.
    pub fn checked_mul(self, n: i64) -> Option<Fen> {
        self.0.checked_mul(n).map(Fen)
    }

    /// The total of several amounts, or `None` on overflow.
    pub fn checked_sum(amounts: impl IntoIterator<Item = Fen>) -> Option<Fen> {
        amounts.into_iter().try_fold(Fen::ZERO, Fen::checked_add)
    }

    /// True below zero.
    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// Parses an amount in yuan as people type it: `150`, `150.5`, `1,234.50`, `¥80`.
    /// Negative amounts, more than two decimals and amounts over ¥10 million are refused.
    pub fn parse_yuan(field: &str, raw: &str) -> Result<Fen, FieldError> {
        let s: String = raw.trim().trim_start_matches(['¥', '￥']).chars().filter(|c| *c != ',' && *c != ' ').collect();
        if s.is_empty() {
            return Err(FieldError::new(field, "required"));
        }
        if s.starts_with('-') {
            return Err(FieldError::new(field, "negative_amount"));
        }
        let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
        if whole.is_empty() && frac.is_empty()
            || !whole.chars().all(|c| c.is_ascii_digit())
            || !frac.chars().all(|c| c.is_ascii_digit())
            || frac.len() > 2
            || whole.len() > 12
        {
            return Err(FieldError::new(field, "invalid_amount"));
        }
        let yuan: i64 =
            if whole.is_empty() { 0 } else { whole.parse().map_err(|_| FieldError::new(field, "invalid_amount"))? };
        let fen: i64 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().unwrap_or(0) * 10,
            _ => frac.parse::<i64>().unwrap_or(0),
        };
        let total = Fen::from_yuan(yuan)
            .and_then(|y| y.checked_add(Fen(fen)))
            .ok_or_else(|| FieldError::new(field, "amount_too_large"))?;
        if total > Fen::MAX {
            return Err(FieldError::new(field, "amount_too_large"));
        }
        Ok(total)
    }

    /// The amount as a form field shows it: `150.00`.
    pub fn yuan_plain(self) -> String {
        let abs = self.0.unsigned_abs();
        format!("{}{}.{:02}", if self.0 < 0 { "-" } else { "" }, abs / 100, abs % 100)
    }

    /// The amount in yuan as a spreadsheet number (exact for every amount up to 2^53 fen).
    pub fn as_yuan_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }
}

/// Written as people write money in both interface languages: `¥1,234.50`.
impl std::fmt::Display for Fen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let yuan = (abs / 100).to_string();
        let mut grouped = String::with_capacity(yuan.len() + yuan.len() / 3);
        for (i, ch) in yuan.chars().enumerate() {
            if i > 0 && (yuan.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        write!(f, "{sign}¥{grouped}.{:02}", abs % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_amounts_parse_to_exact_fen() {
        assert_eq!(Fen::parse_yuan("a", "150"), Ok(Fen(15000)));
        assert_eq!(Fen::parse_yuan("a", "150.5"), Ok(Fen(15050)));
        assert_eq!(Fen::parse_yuan("a", " ¥1,234.56 "), Ok(Fen(123456)));
        assert_eq!(Fen::parse_yuan("a", "0.05"), Ok(Fen(5)));
        assert_eq!(Fen(15050).yuan_plain(), "150.50");
    }

    #[test]
    fn bad_amounts_are_refused_with_a_reason() {
        assert_eq!(Fen::parse_yuan("a", "").unwrap_err().code, "required");
        assert_eq!(Fen::parse_yuan("a", "-3").unwrap_err().code, "negative_amount");
        assert_eq!(Fen::parse_yuan("a", "1.234").unwrap_err().code, "invalid_amount");
        assert_eq!(Fen::parse_yuan("a", "abc").unwrap_err().code, "invalid_amount");
        assert_eq!(Fen::parse_yuan("a", "10000000.01").unwrap_err().code, "amount_too_large");
        assert_eq!(Fen::parse_yuan("a", "99999999999999999").unwrap_err().code, "invalid_amount");
    }

    #[test]
    fn amounts_are_written_with_yuan_sign_grouping_and_fen() {
        assert_eq!(Fen(15000).to_string(), "¥150.00");
        assert_eq!(Fen(123450).to_string(), "¥1,234.50");
        assert_eq!(Fen::MAX.to_string(), "¥10,000,000.00");
        assert_eq!(Fen(-5).to_string(), "-¥0.05");
        assert_eq!(Fen(i64::MIN).to_string(), "-¥92,233,720,368,547,758.08");
    }

    #[test]
    fn arithmetic_is_checked_and_never_wraps() {
        assert_eq!(Fen(i64::MAX).checked_add(Fen(1)), None);
        assert_eq!(Fen(8000).checked_mul(3), Some(Fen(24000)));
        assert_eq!(Fen(i64::MAX / 2).checked_mul(3), None);
        assert_eq!(Fen::checked_sum([Fen(1), Fen(2)]), Some(Fen(3)));
        assert_eq!(Fen::checked_sum([Fen(i64::MAX), Fen(1)]), None);
        assert_eq!(serde_json::to_string(&Fen(15000)).unwrap(), "15000");
    }
}
