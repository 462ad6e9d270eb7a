//! Delegation (委托): an approver names a deputy for a period; while it lasts, the requests
//! the approver decides on go to the deputy as well, and the history says who acted for
//! whom.

use chrono::NaiveDate;

use crate::ids::UserId;
use crate::{FieldError, FieldErrors};

/// Longest delegation, in days (a year).
pub const MAX_DELEGATION_DAYS: i64 = 366;

/// An approver's deputy for a period, both days included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delegation {
    /// The approver who is away.
    pub user_id: UserId,
    /// Who decides for them meanwhile.
    pub deputy_id: UserId,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub until: NaiveDate,
}

impl Delegation {
    /// In force on `day`.
    pub fn is_active(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.until
    }

    /// What is wrong with a delegation being set on `today`, every problem at once: the
    /// deputy must be someone else, the period must not end before it begins nor before
    /// today, and it lasts a year at most. (That the deputy exists and is active is the
    /// store's to say.)
    pub fn check(&self, today: NaiveDate) -> FieldErrors {
        let mut errs = FieldErrors::new();
        if self.deputy_id == self.user_id {
            errs.push(FieldError::new("deputy_id", "self_deputy"));
        }
        if self.until < self.from {
            errs.push(FieldError::new("until", "end_before_start"));
        } else if self.until < today {
            errs.push(FieldError::new("until", "delegation_in_past"));
        } else if (self.until - self.from).num_days() >= MAX_DELEGATION_DAYS {
            errs.push(FieldError::with_limit("until", "delegation_too_long", MAX_DELEGATION_DAYS as usize));
        }
        errs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_delegation_is_in_force_on_both_its_days() {
        let x = Delegation { user_id: UserId(1), deputy_id: UserId(2), from: d("2026-12-01"), until: d("2026-12-03") };
        assert!(x.is_active(d("2026-12-01")) && x.is_active(d("2026-12-03")));
        assert!(!x.is_active(d("2026-11-30")) && !x.is_active(d("2026-12-04")));
    }

    #[test]
    fn nobody_is_their_own_deputy_and_every_problem_is_told_at_once() {
        let x = Delegation { user_id: UserId(1), deputy_id: UserId(1), from: d("2026-12-05"), until: d("2026-12-01") };
        let codes: Vec<_> = x.check(d("2026-12-01")).0.iter().map(|e| (e.field.clone(), e.code)).collect();
        assert_eq!(codes, vec![("deputy_id".into(), "self_deputy"), ("until".into(), "end_before_start")]);
    }

    #[test]
    fn a_delegation_ends_today_or_later_and_lasts_a_year_at_most() {
        let past =
            Delegation { user_id: UserId(1), deputy_id: UserId(2), from: d("2026-11-01"), until: d("2026-11-30") };
        assert_eq!(past.check(d("2026-12-01")).0[0].code, "delegation_in_past");
        let long = Delegation { until: d("2027-12-05"), from: d("2026-12-01"), ..past };
        assert_eq!(long.check(d("2026-12-01")).0[0].code, "delegation_too_long");
        let fine = Delegation { until: d("2026-12-10"), from: d("2026-12-01"), ..past };
        assert!(fine.check(d("2026-12-01")).is_empty());
    }
}
