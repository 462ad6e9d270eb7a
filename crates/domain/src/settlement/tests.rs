use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;
use crate::Code;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
}

fn input(amount: i64) -> ExpenseInput {
    ExpenseInput {
        category: Some(ExpenseCategory::Dinner),
        amount_fen: amount,
        date: Some(day(10)),
        vendor: " 全聚德 ".into(),
        ..Default::default()
    }
}

#[test]
fn categories_states_and_actions_have_stable_codes() {
    crate::codec::assert_codes_round_trip::<ExpenseCategory>();
    crate::codec::assert_codes_round_trip::<SettlementState>();
    crate::codec::assert_codes_round_trip::<SettlementAction>();
    assert_eq!(ExpenseCategory::FruitTea.as_str(), "fruit_tea");
    assert_eq!(ExpenseCategory::all().len(), 11);
}

#[test]
fn paid_by_reads_company_or_a_user_id_and_null_as_the_company() {
    assert_eq!(serde_json::to_string(&PaidBy::Company).unwrap(), "\"company\"");
    assert_eq!(serde_json::from_str::<PaidBy>("null").unwrap(), PaidBy::Company);
    assert!(serde_json::from_str::<PaidBy>("\"someone\"").is_err());
    assert_eq!(serde_json::to_string(&PaidBy::Person(UserId(7))).unwrap(), "7");
    assert_eq!(serde_json::from_str::<PaidBy>("7").unwrap(), PaidBy::Person(UserId(7)));
    assert_eq!(serde_json::from_str::<PaidBy>("\"company\"").unwrap(), PaidBy::Company);
    assert_eq!(serde_json::from_str::<PaidBy>("\"12\"").unwrap(), PaidBy::Person(UserId(12)));
    assert!(serde_json::from_str::<PaidBy>("\"bank\"").is_err());
    assert_eq!(PaidBy::parse(&PaidBy::Person(UserId(3)).code()), Some(PaidBy::Person(UserId(3))));
}

#[test]
fn an_expense_is_checked_with_every_problem_at_once() {
    let visit = (day(10), day(11));
    let ok = input(12_345).check(false, visit).unwrap();
    assert_eq!(ok.amount, Fen::new(12_345));
    assert_eq!(ok.vendor, "全聚德");
    let bad = ExpenseInput { category: None, amount_fen: -5, date: None, vendor: "x".repeat(65), ..Default::default() };
    let errs = bad.check(false, visit).unwrap_err();
    let codes: Vec<_> = errs.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
    assert_eq!(
        codes,
        vec![("category", "required"), ("amount_fen", "negative_amount"), ("date", "required"), ("vendor", "too_long")]
    );
    assert_eq!(input(0).check(false, visit).unwrap_err().0[0].code, "zero_amount");
    assert_eq!(input(Fen::MAX.get() + 1).check(false, visit).unwrap_err().0[0].code, "amount_too_large");
    let far = ExpenseInput { date: NaiveDate::from_ymd_opt(2027, 6, 1), ..input(100) };
    assert_eq!(far.check(false, visit).unwrap_err().0[0].code, "expense_date_out_of_range");
}

#[test]
fn an_adjusting_line_may_be_negative_and_needs_a_reason() {
    let visit = (day(10), day(11));
    assert_eq!(input(-500).check(true, visit).unwrap_err().0[0].field, "reason");
    let line = ExpenseInput { reason: "退款".into(), ..input(-500) }.check(true, visit).unwrap();
    assert!(line.adjusting);
    assert_eq!(line.amount, Fen::new(-500));
    assert_eq!(input(-Fen::MAX.get() - 1).check(true, visit).unwrap_err().0[0].code, "amount_too_large");
    assert_eq!(parse_signed_yuan("a", "-120.5"), Ok(Fen::new(-12_050)));
    assert_eq!(parse_signed_yuan("a", "8"), Ok(Fen::new(800)));
}

#[test]
fn the_workflow_goes_submit_then_approve_or_return() {
    use SettlementAction as A;
    use SettlementState as S;
    assert_eq!(S::Open.after(A::Submit), Some(S::Submitted));
    assert_eq!(S::Returned.after(A::Submit), Some(S::Submitted));
    assert_eq!(S::Submitted.after(A::Approve), Some(S::Approved));
    assert_eq!(S::Submitted.after(A::Return), Some(S::Returned));
    assert_eq!(S::Open.after(A::Approve), None);
    assert_eq!(S::Approved.after(A::Submit), None);
    assert_eq!(S::Approved.after(A::Return), None);
    assert!(S::Open.editable() && S::Returned.editable());
    assert!(!S::Submitted.editable() && !S::Approved.editable());
    assert_eq!(A::Return.check_comment("  ").unwrap_err().0[0].code, "required");
    assert_eq!(A::Approve.check_comment("").unwrap(), "");
}

#[test]
fn overruns_carry_the_amount_and_the_share() {
    let o = Overrun::of(Fen::new(11_250), Fen::new(10_000)).unwrap();
    assert_eq!(o.amount, Fen::new(1_250));
    assert_eq!(o.share_bp, Some(1_250));
    assert_eq!(o.percent().as_deref(), Some("12.50"));
    assert_eq!(Overrun::of(Fen::new(100), Fen::new(100)), None);
    assert_eq!(Overrun::of(Fen::new(100), Fen::ZERO).unwrap().share_bp, None);
    assert_eq!(Overrun::of(Fen::new(2), Fen::new(3)), None);
    assert_eq!(Overrun::of(Fen::new(4), Fen::new(3)).unwrap().share_bp, Some(3_333));
}

#[test]
fn per_person_rounds_to_the_fen_and_nobody_divides_by_zero() {
    assert_eq!(per_person(Fen::new(1_000), 3), Some(Fen::new(333)));
    assert_eq!(per_person(Fen::new(1_001), 2), Some(Fen::new(501)));
    assert_eq!(per_person(Fen::new(-1_001), 2), Some(Fen::new(-501)));
    assert_eq!(per_person(Fen::new(1_000), 0), None);
    let s = Summary::compute(&[], &Budgets::default(), 0, Some(Fen::new(15_000)), Fen::ZERO).unwrap();
    assert_eq!((s.per_person, s.per_person_overrun), (None, None));
}

#[test]
fn a_summary_compares_categories_the_whole_and_the_standard() {
    let lines = [
        SumLine { category: ExpenseCategory::Dinner, amount: Fen::new(120_000), adjusting: false },
        SumLine { category: ExpenseCategory::Hotel, amount: Fen::new(50_000), adjusting: false },
        SumLine { category: ExpenseCategory::Dinner, amount: Fen::new(-10_000), adjusting: true },
    ];
    let budgets = Budgets {
        total: Some(Fen::new(150_000)),
        by_category: vec![(ExpenseCategory::Dinner, Fen::new(100_000)), (ExpenseCategory::Hotel, Fen::new(60_000))],
    };
    let s = Summary::compute(&lines, &budgets, 4, Some(Fen::new(15_000)), Fen::new(3_000)).unwrap();
    assert_eq!(s.total, Fen::new(160_000));
    assert_eq!(s.adjustments, Fen::new(-10_000));
    let dinner = s.by_category.iter().find(|r| r.category == ExpenseCategory::Dinner).unwrap();
    assert_eq!(dinner.actual, Fen::new(110_000));
    assert_eq!(dinner.overrun.unwrap().amount, Fen::new(10_000));
    assert_eq!(dinner.overrun.unwrap().share_bp, Some(1_000));
    let hotel = s.by_category.iter().find(|r| r.category == ExpenseCategory::Hotel).unwrap();
    assert_eq!(hotel.overrun, None);
    assert_eq!(s.overrun.unwrap().amount, Fen::new(10_000));
    assert_eq!(s.per_person, Some(Fen::new(40_000)));
    assert_eq!(s.per_person_overrun.unwrap().amount, Fen::new(25_000));
    assert_eq!(s.saving, Fen::new(3_000));
    assert_eq!(saving([(3, Fen::new(1_000)), (2, Fen::new(250))]), Some(Fen::new(3_500)));
    assert_eq!(saving([(2, Fen::new(i64::MAX))]), None);
}

fn category() -> impl Strategy<Value = ExpenseCategory> {
    (0..ExpenseCategory::all().len()).prop_map(|i| ExpenseCategory::all()[i])
}

fn lines() -> impl Strategy<Value = Vec<SumLine>> {
    prop::collection::vec(
        (category(), 1..=Fen::MAX.get(), any::<bool>(), any::<bool>()).prop_map(|(category, n, adjusting, neg)| {
            SumLine { category, amount: Fen::new(if adjusting && neg { -n } else { n }), adjusting }
        }),
        0..40,
    )
}

proptest! {
    #[test]
    fn the_categories_add_up_to_the_total(lines in lines(), headcount in 0u32..500) {
        let s = Summary::compute(&lines, &Budgets::default(), headcount, None, Fen::ZERO).unwrap();
        let by_category = Fen::checked_sum(s.by_category.iter().map(|r| r.actual)).unwrap();
        prop_assert_eq!(by_category, s.total);
        let plain = Fen::checked_sum(lines.iter().filter(|l| !l.adjusting).map(|l| l.amount)).unwrap();
        prop_assert_eq!(plain.checked_add(s.adjustments).unwrap(), s.total);
    }

    #[test]
    fn per_person_times_headcount_is_the_total_within_rounding(total in -Fen::MAX.get()..=Fen::MAX.get() * 40, headcount in 1u32..10_000) {
        let p = per_person(Fen::new(total), headcount).unwrap();
        let back = i128::from(p.get()) * i128::from(headcount);
        let diff = (back - i128::from(total)).abs();
        prop_assert!(2 * diff <= i128::from(headcount), "{} × {} vs {}", p.get(), headcount, total);
    }

    #[test]
    fn an_overrun_is_exactly_actual_less_budget(actual in 0..=Fen::MAX.get(), budget in 0..=Fen::MAX.get()) {
        match Overrun::of(Fen::new(actual), Fen::new(budget)) {
            None => prop_assert!(actual <= budget),
            Some(o) => {
                prop_assert_eq!(o.amount.get(), actual - budget);
                if let Some(bp) = o.share_bp {
                    let exact = (actual - budget) as f64 * 10_000.0 / budget as f64;
                    prop_assert!((bp as f64 - exact).abs() <= 0.5 + 1e-6);
                }
            }
        }
    }
}
