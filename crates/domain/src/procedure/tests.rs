use super::*;
use crate::Code;

#[test]
fn a_new_standard_keeps_the_old_one_for_earlier_days() {
    let p = Procedure::default_procedure();
    let from = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
    let q = p.with_tier_standard(Tier::HighEnd, Fen::new(16000), from);
    q.validate().unwrap();
    assert_eq!(q.tier_on(Tier::HighEnd, from).unwrap().standard_per_person, Fen::new(16000));
    assert_eq!(q.tier_on(Tier::HighEnd, from.pred_opt().unwrap()).unwrap().standard_per_person, Fen::new(15000));
    let again = q.with_tier_standard(Tier::HighEnd, Fen::new(17000), from);
    assert_eq!(again.tiers.len(), q.tiers.len(), "same day: replaced, not added");
}

#[test]
fn a_comparison_names_only_the_settings_that_changed() {
    let p = Procedure::default_procedure();
    let mut q = p.with_tier_standard(Tier::HighEnd, Fen::new(16000), NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
    q.stages[1].offset_working_days = -3;
    q.tasks.remove(0);
    q.items[2].name_en = "Rented tea set (changed)".into();
    let changes = compare(&p, &q);
    let of = |list: &str| changes.iter().find(|c| c.list == list).unwrap();
    let stages = of("stages");
    assert_eq!(stages.rows.len(), 1);
    assert_eq!(stages.rows[0].settings, vec![("offset_working_days", "-4".to_owned(), "-3".to_owned())]);
    assert_eq!(stages.unchanged.len(), p.stages.len() - 1);
    let tiers = of("tiers");
    assert_eq!(tiers.rows.len(), 1, "one tier added from 2027: {tiers:?}");
    assert!(tiers.rows[0].old.is_none());
    assert!(tiers.rows[0].settings.contains(&("standard_per_person_fen", String::new(), "16000".into())));
    let tasks = of("tasks");
    assert_eq!(
        (tasks.rows.len(), tasks.rows[0].old, tasks.rows[0].new),
        (1, Some(0), None),
        "a removed row: {tasks:?}"
    );
    let items = of("items");
    assert_eq!(items.rows.len(), 1);
    assert_eq!((items.rows[0].old, items.rows[0].new), (Some(2), Some(2)));
    assert_eq!(items.rows[0].settings.len(), 1);
    assert!(of("survey").rows.is_empty() && of("survey.items").rows.is_empty());
    assert!(compare(&p, &p).iter().all(|c| c.rows.is_empty()));
}

#[test]
fn the_shipped_procedure_follows_the_company_document() {
    let p = Procedure::default_procedure();
    let stages: Vec<(&str, i32)> = p.stages.iter().map(|s| (s.name_zh.as_str(), s.offset_working_days)).collect();
    assert_eq!(
        stages,
        vec![("接待定案", -5), ("工作分配", -4), ("准备工作", -2), ("现场工作", 0), ("接待后总结", 0), ("工作总结", 1)]
    );
    assert_eq!(p.stages[0].owner, Role::Requester);
    let day = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
    let standards: Vec<i64> =
        Tier::all().iter().map(|k| p.tier_on(*k, day).unwrap().standard_per_person.get()).collect();
    assert_eq!(standards, vec![15000, 8000, 5000]);
    assert!(p.items.iter().any(|i| i.name_zh == "投影仪" && i.when.as_deref() == Some("projector")));
    assert_eq!(p.survey.items.iter().map(|s| s.reference_score).sum::<u32>(), p.survey.total);
    assert_eq!(&p.survey.items[0].text_zh, "客户对此次来访的满意度");
}

#[test]
fn export_then_import_gives_the_same_procedure() {
    let p = Procedure::default_procedure();
    assert_eq!(Procedure::from_toml(&p.to_toml()).unwrap(), p);
}

#[test]
fn older_receptions_keep_the_standard_they_were_planned_under() {
    let mut p = Procedure::default_procedure();
    let later = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
    p.tiers.push(TierStandard { effective_from: later, standard_per_person: Fen::new(9000), ..p.tiers[1].clone() });
    p.validate().unwrap();
    assert_eq!(p.tier_on(Tier::Business, later.pred_opt().unwrap()).unwrap().standard_per_person, Fen::new(8000));
    assert_eq!(p.tier_on(Tier::Business, later).unwrap().standard_per_person, Fen::new(9000));
}

#[test]
fn bad_edits_are_refused_with_the_field_named() {
    let mut p = Procedure::default_procedure();
    p.stages[2].offset_working_days = -6;
    p.tiers[0].standard_per_person = Fen::new(-1);
    p.tasks[0].when = Some("helicopter".into());
    p.survey.total = 90;
    let errs = p.validate().unwrap_err();
    let got: Vec<(&str, &str)> = errs.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
    assert!(got.contains(&("stages[2].offset_working_days", "stage_before_previous")), "{got:?}");
    assert!(got.contains(&("tiers[0].standard_per_person_fen", "negative_amount")));
    assert!(got.contains(&("tasks[0].when", "unknown_condition")));
    assert!(got.contains(&("survey.total", "survey_total_mismatch")));
}

#[test]
fn malformed_toml_is_a_field_error_not_a_panic() {
    let errs = Procedure::from_toml("stages = 3").unwrap_err();
    assert_eq!(errs.0[0].code, "malformed_toml");
}

#[test]
fn phase_and_group_identifiers_round_trip() {
    crate::codec::assert_codes_round_trip::<Phase>();
    crate::codec::assert_codes_round_trip::<Group>();
}
