//! Property tests over every parser and every piece of arithmetic of the domain with extreme
//! and arbitrary input: each answers (a value or a field error), never panics, never
//! overflows, and what it accepts lies within the bounds of [`crate::bounds`].

use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;

use crate::accounts::{DisplayName, Email, Password, Phone, Username};
use crate::calendar::{Calendar, parse_csv, parse_ics};
use crate::money::Fen;
use crate::procedure::Procedure;
use crate::reception::{Check, ReceptionForm};
use crate::{Code, Tier, bounds};

/// Any date chrono can hold, weighted towards the ends and the accepted range's edges.
fn any_date() -> impl Strategy<Value = NaiveDate> {
    prop_oneof![
        Just(NaiveDate::MIN),
        Just(NaiveDate::MAX),
        Just(NaiveDate::from_ymd_opt(1999, 12, 31).unwrap()),
        Just(NaiveDate::from_ymd_opt(2101, 1, 1).unwrap()),
        any::<i32>().prop_filter_map("representable", NaiveDate::from_num_days_from_ce_opt),
        (0i64..40_000).prop_map(|d| NaiveDate::from_ymd_opt(1990, 1, 1).unwrap() + chrono::Duration::days(d)),
    ]
}

fn shipped() -> &'static Calendar {
    static C: std::sync::OnceLock<Calendar> = std::sync::OnceLock::new();
    C.get_or_init(|| Calendar::shipped_with([]).unwrap())
}

proptest! {
    #[test]
    fn text_parsers_answer_any_input(s in ".{0,300}") {
        let _ = Username::parse("u", &s);
        let _ = DisplayName::parse("n", &s);
        let _ = Password::parse("p", &s);
        let _ = Email::parse_optional("e", &s);
        let _ = Phone::parse_optional("t", &s);
        let _ = Tier::parse(&s);
        if let Ok(d) = bounds::parse_date("d", &s) {
            prop_assert!(bounds::date_in_range(d));
        }
        if let Ok(f) = Fen::parse_yuan("a", &s) {
            prop_assert!(f >= Fen::ZERO && f <= Fen::MAX);
        }
    }

    #[test]
    fn amounts_typed_with_many_digits_never_overflow(whole in "[0-9]{0,25}", frac in "[0-9]{0,4}") {
        if let Ok(f) = Fen::parse_yuan("a", &format!("{whole}.{frac}")) {
            prop_assert!(f <= Fen::MAX);
        }
    }

    #[test]
    fn calendar_files_of_any_text_are_parsed_or_refused_line_by_line(s in "(.{0,40}\n){0,40}") {
        for entries in [parse_csv(&s), parse_ics(&s, false)].into_iter().flatten() {
            prop_assert!(entries.iter().all(|e| bounds::date_in_range(e.date)));
        }
    }

    #[test]
    fn ics_events_of_any_span_are_bounded(a in any_date(), b in any_date()) {
        let text = format!(
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:{}\nDTEND;VALUE=DATE:{}\nSUMMARY:x\nEND:VEVENT\nEND:VCALENDAR\n",
            a.format("%Y%m%d"), b.format("%Y%m%d"));
        if let Ok(entries) = parse_ics(&text, false) {
            prop_assert!(entries.len() as i64 <= crate::calendar::MAX_EVENT_DAYS);
        }
    }

    #[test]
    fn a_form_with_any_dates_and_numbers_is_checked_without_panicking(
        start in any_date(), end in any_date(), arrive in any_date(), count in any::<u32>(), fen in any::<i64>(),
    ) {
        let form = ReceptionForm {
            visit_start: Some(start),
            visit_end: Some(end),
            arrival_at: arrive.and_hms_opt(23, 59, 59),
            departure_at: end.and_hms_opt(0, 0, 0),
            companion_count: count,
            budget_fen: Some(Fen::new(fen)),
            ..ReceptionForm::default()
        };
        let p = Procedure::default_procedure();
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        for mode in [Check::Draft, Check::Submit] {
            let findings = form.check(mode, today, &p);
            if findings.errors.is_empty() {
                prop_assert!(bounds::date_in_range(start) && bounds::date_in_range(end));
            }
        }
        let _ = form.submitted(today, &p);
    }

    #[test]
    fn deadlines_of_any_visit_are_computed_without_overflow(start in any_date(), offset in any::<i32>()) {
        let cal = shipped();
        let due = crate::reception::stage_due(cal, offset, start, start);
        let _ = crate::reception::late_working_days(cal, &Procedure::default_procedure(), start, due);
        let _ = due.year();
    }
}
