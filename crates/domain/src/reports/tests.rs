use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn a_report_without_dates_covers_the_twelve_months_up_to_the_end_of_this_month() {
    let p = Period::check(None, None, None, d(2026, 12, 1)).unwrap();
    assert_eq!((p.from, p.to), (d(2026, 1, 1), d(2026, 12, 31)));
    assert_eq!(p.months().len(), 12);
    assert_eq!(p.months()[0].to_string(), "2026-01");
    let p = Period::check(None, None, None, d(2024, 2, 10)).unwrap();
    assert_eq!((p.from, p.to), (d(2023, 3, 1), d(2024, 2, 29)));
}

#[test]
fn one_date_given_makes_a_year_from_or_to_it() {
    let p = Period::check(Some(d(2026, 3, 15)), None, None, d(2026, 12, 1)).unwrap();
    assert_eq!(p.to, d(2027, 3, 14));
    let p = Period::check(None, Some(d(2026, 3, 15)), None, d(2026, 12, 1)).unwrap();
    assert_eq!(p.from, d(2025, 3, 16));
}

#[test]
fn a_period_ending_before_it_starts_or_too_long_is_refused() {
    let e = Period::check(Some(d(2026, 3, 2)), Some(d(2026, 3, 1)), None, d(2026, 12, 1)).unwrap_err();
    assert_eq!(e.0.iter().map(|e| e.code).collect::<Vec<_>>(), ["end_before_start"]);
    let e = Period::check(Some(d(2000, 1, 1)), Some(d(2026, 3, 1)), None, d(2026, 12, 1)).unwrap_err();
    assert_eq!(e.0.iter().map(|e| e.code).collect::<Vec<_>>(), ["period_too_long"]);
    assert!(Period::check(Some(d(2026, 3, 1)), Some(d(2026, 3, 1)), None, d(2026, 12, 1)).is_ok());
}

#[test]
fn months_cross_the_year() {
    let p = Period { from: d(2025, 11, 30), to: d(2026, 2, 1), department: None };
    let m: Vec<String> = p.months().iter().map(ToString::to_string).collect();
    assert_eq!(m, ["2025-11", "2025-12", "2026-01", "2026-02"]);
}

#[test]
fn shares_and_averages_round_half_away_from_zero_and_never_divide_by_zero() {
    assert_eq!(share_bp(1, 3), Some(3333));
    assert_eq!(share_bp(2, 3), Some(6667));
    assert_eq!(share_bp(-1, 8), Some(-1250));
    assert_eq!(share_bp(5, 0), None);
    assert_eq!(average_hundredths(33, 4), Some(825));
    assert_eq!(average_hundredths(1, 0), None);
    assert_eq!(per_guest(Fen::new(100), 3), Some(Fen::new(33)));
    assert_eq!(per_guest(Fen::new(200), 3), Some(Fen::new(67)));
    assert_eq!(per_guest(Fen::new(200), 0), None);
    // Each reception held to the standard in force on its visit day: 10 guests at ¥150 and
    // 30 at ¥80 allow ¥3,900, ¥97.50 a guest.
    let mixed = [(10, Some(Fen::new(15_000))), (30, Some(Fen::new(8_000)))];
    assert_eq!(standard_per_guest(&mixed), Some(Fen::new(9_750)));
    assert_eq!(standard_per_guest(&[(5, Some(Fen::new(5_000)))]), Some(Fen::new(5_000)));
    assert_eq!(standard_per_guest(&[(0, None)]), None, "no guests");
    assert_eq!(standard_per_guest(&[(4, Some(Fen::new(5_000))), (2, None)]), None, "a group without a standard");
}

#[test]
fn an_overrun_tells_the_amount_and_the_share() {
    let o = Overrun::of(Fen::new(80_000), Fen::new(100_000));
    assert_eq!(o.over_fen, Fen::new(20_000));
    assert_eq!(o.share_bp, Some(2500));
    assert!(o.is_over());
    let o = Overrun::of(Fen::ZERO, Fen::new(100));
    assert_eq!(o.share_bp, None);
    assert!(!Overrun::of(Fen::new(100), Fen::new(100)).is_over());
}

#[test]
fn shares_are_written_for_people() {
    assert_eq!(percent_text(1250), "12.5%");
    assert_eq!(percent_text(3333), "33.33%");
    assert_eq!(percent_text(10_000), "100%");
    assert_eq!(percent_text(-300), "-3%");
    assert_eq!(hundredths_text(825), "8.25");
    assert_eq!(hundredths_text(850), "8.5");
    assert_eq!(hundredths_text(900), "9");
}

proptest! {
    #[test]
    fn per_guest_amounts_times_the_guests_come_back_within_half_a_fen_a_guest(total in 0i64..1_000_000_000, guests in 1i64..500) {
        let p = per_guest(Fen::new(total), guests).unwrap().get();
        let back = p * guests;
        prop_assert!((back - total).abs() * 2 <= guests);
    }

    #[test]
    fn shares_of_parts_add_up_to_the_whole_within_rounding(parts in proptest::collection::vec(0i64..1_000_000, 1..12)) {
        let whole: i64 = parts.iter().sum();
        prop_assume!(whole > 0);
        let sum: i64 = parts.iter().map(|p| share_bp(*p, whole).unwrap()).sum();
        prop_assert!((sum - 10_000).abs() <= parts.len() as i64);
    }

    #[test]
    fn every_day_of_a_period_falls_in_one_of_its_months(from in 0u32..4000, len in 0i64..800) {
        let f = d(2015, 1, 1) + chrono::Days::new(u64::from(from));
        let t = f + chrono::Days::new(len as u64);
        let p = Period { from: f, to: t, department: None };
        let months = p.months();
        prop_assert_eq!(months.first().copied(), Some(Month::of(f)));
        prop_assert_eq!(months.last().copied(), Some(Month::of(t)));
        prop_assert!(months.windows(2).all(|w| w[0].next() == w[1]));
    }
}
