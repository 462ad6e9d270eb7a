//! One million working-day computations over the shipped calendar, timed.
//! Run with `cargo bench -p jiedai-domain` (release build); bench/calendar.sh records
//! the figures in docs/benchmarks.md.

use std::hint::black_box;
use std::time::Instant;

use chrono::{Duration, NaiveDate};
use jiedai_domain::Calendar;

fn main() {
    let started = Instant::now();
    let cal = Calendar::shipped_with([]).expect("shipped calendar");
    let build = started.elapsed();

    let base = NaiveDate::from_ymd_opt(2004, 1, 1).unwrap();
    let n = 1_000_000u64;
    // Dates spread over 2004-2026, shifts of -30..=30 working days (the procedure's range
    // and more), each followed by a count back: two computations per iteration.
    let t = Instant::now();
    let mut acc = 0i64;
    for i in 0..n / 2 {
        let d = base + Duration::days((i * 7919 % 8400) as i64);
        let shift = (i % 61) as i32 - 30;
        let to = cal.add_working_days(black_box(d), black_box(shift));
        acc += cal.working_days_between(d, to);
    }
    let mixed = t.elapsed();
    black_box(acc);

    let t = Instant::now();
    let mut working = 0u32;
    for i in 0..n {
        working += u32::from(cal.is_working_day(black_box(base + Duration::days((i % 8400) as i64))));
    }
    let checks = t.elapsed();
    black_box(working);

    println!("calendar build (parse + table 2000-2100): {:.2} ms", build.as_secs_f64() * 1e3);
    println!(
        "1,000,000 shifts and counts: {:.1} ms ({:.0} ns each)",
        mixed.as_secs_f64() * 1e3,
        mixed.as_nanos() as f64 / n as f64
    );
    println!(
        "1,000,000 is-working-day checks: {:.1} ms ({:.0} ns each)",
        checks.as_secs_f64() * 1e3,
        checks.as_nanos() as f64 / n as f64
    );
}
