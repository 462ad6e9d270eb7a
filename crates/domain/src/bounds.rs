//! The ranges every input must fall in, checked where input enters (forms, the API, imports,
//! the command line), so that nothing is stored that a reader cannot show and no arithmetic
//! can overflow. Readers still survive a value outside (a row written before these checks,
//! or by hand): they show it as damaged.

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use crate::field::FieldError;

/// First year any date may fall in.
pub const FIRST_YEAR: i32 = 2000;
/// Last year any date may fall in.
pub const LAST_YEAR: i32 = 2100;
/// Most working days a calendar shift may move a date (ten years).
pub const MAX_WORKING_DAY_OFFSET: i32 = 3660;

/// The first date accepted.
pub fn first_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(FIRST_YEAR, 1, 1).expect("valid date")
}

/// The last date accepted.
pub fn last_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(LAST_YEAR, 12, 31).expect("valid date")
}

/// True when a date lies in the accepted years.
pub fn date_in_range(d: NaiveDate) -> bool {
    (FIRST_YEAR..=LAST_YEAR).contains(&d.year())
}

/// A date within [`FIRST_YEAR`]..=[`LAST_YEAR`], or `date_out_of_range` naming the field.
pub fn date(field: &str, d: NaiveDate) -> Result<NaiveDate, FieldError> {
    if date_in_range(d) {
        Ok(d)
    } else {
        Err(FieldError::on_line(field, "date_out_of_range", None, format!("{FIRST_YEAR}–{LAST_YEAR}")))
    }
}

/// A date written `YYYY-MM-DD` within the accepted years: `invalid_date` or
/// `date_out_of_range` naming the field.
pub fn parse_date(field: &str, s: &str) -> Result<NaiveDate, FieldError> {
    let d = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| FieldError::new(field, "invalid_date"))?;
    date(field, d)
}

/// A date and time within the accepted years.
pub fn date_time(field: &str, t: NaiveDateTime) -> Result<NaiveDateTime, FieldError> {
    date(field, t.date()).map(|_| t)
}

/// A number of working days within ±[`MAX_WORKING_DAY_OFFSET`] (no `abs()`: it overflows on
/// the smallest integer).
pub fn working_day_offset(field: &str, n: i64) -> Result<i32, FieldError> {
    if (-i64::from(MAX_WORKING_DAY_OFFSET)..=i64::from(MAX_WORKING_DAY_OFFSET)).contains(&n) {
        Ok(n as i32)
    } else {
        Err(FieldError::with_limit(field, "offset_out_of_range", MAX_WORKING_DAY_OFFSET as usize))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_accepted_years_are_2000_to_2100() {
        let d = |y| NaiveDate::from_ymd_opt(y, 6, 1).unwrap();
        assert!(date("d", d(2000)).is_ok() && date("d", d(2100)).is_ok());
        assert_eq!(date("d", d(1999)).unwrap_err().code, "date_out_of_range");
        assert_eq!(date("d", d(2101)).unwrap_err().code, "date_out_of_range");
        assert!(date("d", NaiveDate::MAX).is_err() && date("d", NaiveDate::MIN).is_err());
        assert!(date_time("t", NaiveDate::MAX.and_hms_opt(23, 59, 59).unwrap()).is_err());
    }

    proptest! {
        #[test]
        fn offsets_never_overflow_and_stay_within_bounds(n in any::<i64>()) {
            match working_day_offset("n", n) {
                Ok(k) => prop_assert!(k.unsigned_abs() <= MAX_WORKING_DAY_OFFSET as u32),
                Err(e) => prop_assert_eq!(e.code, "offset_out_of_range"),
            }
        }

        #[test]
        fn any_date_is_either_accepted_or_refused_with_a_code(days in any::<i32>()) {
            if let Some(d) = NaiveDate::from_num_days_from_ce_opt(days) {
                prop_assert_eq!(date("d", d).is_ok(), (2000..=2100).contains(&d.year()));
            }
        }
    }
}
