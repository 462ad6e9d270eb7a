use chrono::{Duration, NaiveDate};
use proptest::prelude::*;

use super::*;
use crate::Code;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn shipped() -> &'static Calendar {
    static C: std::sync::OnceLock<Calendar> = std::sync::OnceLock::new();
    C.get_or_init(|| Calendar::shipped_with([]).unwrap())
}

#[test]
fn make_up_saturdays_of_spring_festival_2026_are_working_days() {
    let c = shipped();
    for day in ["2026-02-14", "2026-02-28"] {
        assert!(c.is_working_day(d(day)), "{day}");
        assert_eq!(c.day(d(day)).0, DayKind::Workday);
    }
    assert!(!c.is_working_day(d("2026-02-07")), "an ordinary Saturday is off");
    assert_eq!(c.day(d("2026-02-07")).0, DayKind::Weekend);
    assert_eq!(c.day(d("2026-02-16")).1.unwrap().name_zh, "春节");
}

#[test]
fn national_day_2025_is_off_from_the_first_to_the_eighth() {
    let c = shipped();
    let mut day = d("2025-10-01");
    while day <= d("2025-10-08") {
        assert!(!c.is_working_day(day), "{day}");
        day += Duration::days(1);
    }
    assert!(c.is_working_day(d("2025-10-09")));
    assert!(c.is_working_day(d("2025-10-11")), "make-up Saturday");
    assert_eq!(c.day(d("2025-10-06")).1.unwrap().name_en, "Mid-autumn Festival");
}

#[test]
fn five_working_days_before_9_october_2026_is_24_september() {
    let c = shipped();
    assert_eq!(c.add_working_days(d("2026-10-09"), -5), d("2026-09-24"));
    assert_eq!(c.working_days_between(d("2026-10-09"), d("2026-09-24")), -5);
}

#[test]
fn the_next_working_day_skips_weekends_and_holidays() {
    let c = shipped();
    assert_eq!(c.next_working_day(d("2026-09-30")), d("2026-10-08"));
    assert_eq!(c.next_working_day(d("2026-11-27")), d("2026-11-30"), "Friday to Monday");
    assert_eq!(c.next_working_day(d("2026-09-19")), d("2026-09-20"), "a make-up Sunday");
    assert_eq!(c.add_working_days(d("2026-11-27"), 0), d("2026-11-27"));
}

#[test]
fn every_date_in_the_shipped_file_round_trips() {
    let entries = parse_csv(SHIPPED_CSV).unwrap();
    assert!(entries.len() > 700);
    let c = Calendar::new(entries.clone()).unwrap();
    for e in &entries {
        let (kind, found) = c.day(e.date);
        assert_eq!(found, Some(e), "{}", e.date);
        assert_eq!(c.is_working_day(e.date), e.kind == EntryKind::Workday, "{}", e.date);
        assert_eq!(kind.as_str(), e.kind.as_str());
    }
    for y in 2004..=2026 {
        assert!(c.covers_year(y), "{y}");
    }
    assert!(!c.covers_year(2027));
}

#[test]
fn a_year_without_data_counts_weekends_only() {
    let c = shipped();
    assert!(!c.covers_year(2027));
    // 1 January 2027 is a Friday: without the plan it is an ordinary working day.
    assert!(c.is_working_day(d("2027-01-01")));
    assert_eq!(c.add_working_days(d("2027-01-01"), 1), d("2027-01-04"));
}

#[test]
fn closures_are_days_off_and_later_years_can_be_added() {
    let extra = vec![
        Entry {
            date: d("2027-01-01"),
            kind: EntryKind::Holiday,
            name_en: "New Year's Day".into(),
            name_zh: "元旦".into(),
        },
        Entry {
            date: d("2026-12-30"),
            kind: EntryKind::Closure,
            name_en: "Shutdown".into(),
            name_zh: "年终停工".into(),
        },
    ];
    let c = Calendar::shipped_with(extra).unwrap();
    assert!(c.covers_year(2027));
    assert!(!c.is_working_day(d("2026-12-30")));
    assert_eq!(c.day(d("2026-12-30")).0, DayKind::Closure);
    assert_eq!(c.next_working_day(d("2026-12-29")), d("2026-12-31"));
    assert_eq!(c.next_working_day(d("2026-12-31")), d("2027-01-04"));
}

#[test]
fn two_entries_for_one_date_are_refused() {
    let e = Entry { date: d("2026-10-01"), kind: EntryKind::Closure, name_en: String::new(), name_zh: String::new() };
    let err = Calendar::shipped_with([e]).unwrap_err();
    assert_eq!(err.code, "duplicate_date");
}

#[test]
fn csv_problems_name_their_lines_and_nothing_is_taken() {
    let text = "date,kind,name_en,name_zh\n2027-01-01,holiday,New Year,元旦\n2027-13-01,holiday,x,x\n2027-01-02,party,x,x\n2027-01-01,holiday,again,再\n";
    let errs = parse_csv(text).unwrap_err();
    let got: Vec<_> = errs.iter().map(|e| (e.line, e.code)).collect();
    assert_eq!(got, vec![(Some(3), "bad_date"), (Some(4), "unknown_kind"), (Some(5), "duplicate_date")]);
}

#[test]
fn ics_all_day_events_become_entries_and_an_empty_file_is_refused() {
    let ics = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270210\r\nDTEND;VALUE=DATE:20270213\r\nSUMMARY:春节\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270207\r\nSUMMARY:春节补班\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let entries = parse_ics(ics, false).unwrap();
    let got: Vec<_> = entries.iter().map(|e| (e.date.to_string(), e.kind)).collect();
    assert_eq!(
        got,
        vec![
            ("2027-02-10".into(), EntryKind::Holiday),
            ("2027-02-11".into(), EntryKind::Holiday),
            ("2027-02-12".into(), EntryKind::Holiday),
            ("2027-02-07".into(), EntryKind::Workday),
        ]
    );
    assert_eq!(parse_ics("BEGIN:VCALENDAR\nEND:VCALENDAR\n", false).unwrap_err()[0].code, "no_dates");
    let closures = parse_ics(ics, true).unwrap();
    assert!(closures.iter().all(|e| e.kind == EntryKind::Closure));
}

/// The definition, stepped day by day.
fn walk(c: &Calendar, d: NaiveDate, n: i32) -> NaiveDate {
    let step = if n > 0 { 1 } else { -1 };
    let (mut left, mut cur) = (n.unsigned_abs(), d);
    while left > 0 {
        cur += Duration::days(step);
        if c.is_working_day(cur) {
            left -= 1;
        }
    }
    cur
}

#[test]
fn lookups_agree_with_a_day_by_day_walk_inside_and_across_the_table_edges() {
    let c = shipped();
    for start in ["2025-12-20", "1999-12-20", "2000-01-01", "2100-12-20", "2101-01-03", "1990-05-05"] {
        let start = d(start);
        for n in -40..=40 {
            assert_eq!(c.add_working_days(start, n), walk(c, start, n), "{start} n = {n}");
        }
    }
}

fn any_date() -> impl Strategy<Value = NaiveDate> {
    // 1995..2105: inside the table and on both sides of it.
    (0i64..(110 * 366)).prop_map(|o| NaiveDate::from_ymd_opt(1995, 1, 1).unwrap() + Duration::days(o))
}

proptest! {
    #[test]
    fn shifting_then_counting_gives_back_the_shift(date in any_date(), n in -400i32..400) {
        let c = shipped();
        let to = c.add_working_days(date, n);
        prop_assert_eq!(c.working_days_between(date, to), i64::from(n));
        if n != 0 {
            prop_assert!(c.is_working_day(to));
        }
    }
}

proptest! {
    /// Any date chrono can hold and any offset, however extreme: an answer, no overflow and
    /// no day-by-day walk over millions of days; the round trip holds unless the answer hit
    /// the end of representable dates.
    #[test]
    fn extreme_dates_and_offsets_answer_without_overflow(days in any::<i32>(), n in any::<i32>()) {
        let c = shipped();
        let Some(from) = NaiveDate::from_num_days_from_ce_opt(days) else { return Ok(()) };
        let to = c.add_working_days(from, n);
        if to != NaiveDate::MAX && to != NaiveDate::MIN {
            prop_assert_eq!(c.working_days_between(from, to), i64::from(n));
        }
        let _ = c.working_days_between(NaiveDate::MIN, from);
        let _ = c.working_days_between(from, NaiveDate::MAX);
    }
}

#[test]
fn the_smallest_and_largest_offsets_saturate_at_the_ends_of_time() {
    let c = shipped();
    assert_eq!(c.add_working_days(d("2026-01-05"), i32::MIN), c.add_working_days(d("2026-01-05"), i32::MIN));
    let far = c.add_working_days(d("2026-01-05"), i32::MAX);
    assert!(far > d("2026-01-05"));
    assert!(c.working_days_between(NaiveDate::MIN, NaiveDate::MAX) > 0);
}

#[test]
fn closed_form_weekday_counts_agree_with_counting_day_by_day() {
    let c = Calendar::shipped_with([]).unwrap();
    // Far outside the table only weekends are days off, so both ways must agree.
    let a = d("2300-03-01");
    for n in [1, 2, 5, 6, 7, 100, 10_001, 12_345] {
        let to = c.add_working_days(a, n);
        assert!(c.is_working_day(to), "{n} → {to}");
        assert_eq!(c.working_days_between(a, to), i64::from(n), "{n}");
        let back = c.add_working_days(a, -n);
        assert_eq!(c.working_days_between(a, back), -i64::from(n), "{n}");
    }
}
