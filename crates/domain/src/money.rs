//! Money in fen (分): exact integers in storage and rules, written as yuan at the edges.

use crate::field::FieldError;

/// Largest amount accepted anywhere: ¥10,000,000.00.
pub const MAX_FEN: i64 = 1_000_000_000;

/// Parses an amount in yuan as people type it: `150`, `150.5`, `1,234.50`, `¥80`.
/// Negative amounts, more than two decimals and amounts over ¥10 million are refused.
pub fn parse_yuan(field: &str, raw: &str) -> Result<i64, FieldError> {
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
    let total = yuan
        .checked_mul(100)
        .and_then(|y| y.checked_add(fen))
        .ok_or_else(|| FieldError::new(field, "amount_too_large"))?;
    if total > MAX_FEN {
        return Err(FieldError::new(field, "amount_too_large"));
    }
    Ok(total)
}

/// Writes fen as a plain yuan amount for a form field: `150.00`.
pub fn yuan_plain(fen: i64) -> String {
    format!("{}{}.{:02}", if fen < 0 { "-" } else { "" }, fen.unsigned_abs() / 100, fen.unsigned_abs() % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_amounts_parse_to_exact_fen() {
        assert_eq!(parse_yuan("a", "150"), Ok(15000));
        assert_eq!(parse_yuan("a", "150.5"), Ok(15050));
        assert_eq!(parse_yuan("a", " ¥1,234.56 "), Ok(123456));
        assert_eq!(parse_yuan("a", "0.05"), Ok(5));
        assert_eq!(yuan_plain(15050), "150.50");
    }

    #[test]
    fn bad_amounts_are_refused_with_a_reason() {
        assert_eq!(parse_yuan("a", "").unwrap_err().code, "required");
        assert_eq!(parse_yuan("a", "-3").unwrap_err().code, "negative_amount");
        assert_eq!(parse_yuan("a", "1.234").unwrap_err().code, "invalid_amount");
        assert_eq!(parse_yuan("a", "abc").unwrap_err().code, "invalid_amount");
        assert_eq!(parse_yuan("a", "10000000.01").unwrap_err().code, "amount_too_large");
        assert_eq!(parse_yuan("a", "99999999999999999").unwrap_err().code, "invalid_amount");
    }
}
