use chrono::{Duration, NaiveDate, TimeZone, Utc};

use super::*;
use crate::codec::assert_codes_round_trip;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 4, 8, 0, 0).unwrap()
}

fn report(group: &str, well: &str, short: &str) -> GroupReport {
    GroupReport { group: group.into(), went_well: well.into(), fell_short: short.into() }
}

fn minutes() -> MinutesInput {
    MinutesInput {
        held_at: Some(now() - Duration::hours(1)),
        attendee_ids: vec![UserId(3), UserId(4), UserId(3)],
        other_attendees: vec![" 王经理 ".into(), String::new()],
        reports: vec![report("logistics", "茶歇准备充分", "投影仪未提前测试"), report("driver", " ", "")],
        decisions: "下次提前一天测试设备".into(),
    }
}

#[test]
fn minutes_are_trimmed_and_blank_reports_and_names_dropped() {
    let m = minutes().check(now()).unwrap();
    assert_eq!(m.attendee_ids, vec![UserId(3), UserId(4)], "each person once");
    assert_eq!(m.other_attendees, vec!["王经理".to_owned()]);
    assert_eq!(m.reports.len(), 1, "the driver said nothing: no report");
    assert_eq!(m.reports[0].group, "logistics");
}

#[test]
fn minutes_tell_every_problem_at_once() {
    let bad = MinutesInput {
        held_at: Some(now() + Duration::hours(2)),
        attendee_ids: vec![],
        other_attendees: vec![" ".into()],
        reports: vec![
            report("logistics", "好", ""),
            report("logistics", "", "差"),
            report("kitchen", "好", ""),
            report("service", &"长".repeat(MAX_TEXT + 1), ""),
        ],
        decisions: "x".repeat(MAX_TEXT + 1),
    };
    let errs = bad.check(now()).unwrap_err();
    let codes: Vec<(&str, &str)> = errs.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
    for expected in [
        ("held_at", "in_future"),
        ("attendee_ids", "no_attendees"),
        ("group", "group_reported_twice"),
        ("group", "unknown_group"),
        ("went_well", "too_long"),
        ("decisions", "too_long"),
    ] {
        assert!(codes.contains(&expected), "{expected:?} in {codes:?}");
    }
}

#[test]
fn minutes_need_when_they_were_held_but_allow_a_few_minutes_of_clock_skew() {
    let mut m = minutes();
    m.held_at = None;
    assert_eq!(m.check(now()).unwrap_err().0[0].code, "required");
    m.held_at = Some(now() + Duration::minutes(4));
    assert!(m.check(now()).is_ok());
}

#[test]
fn other_names_alone_are_attendees_enough() {
    let mut m = minutes();
    m.attendee_ids.clear();
    assert!(m.check(now()).is_ok());
    m.other_attendees.clear();
    assert_eq!(m.check(now()).unwrap_err().0[0].code, "no_attendees");
}

#[test]
fn minutes_are_recorded_from_the_day_on_and_read_only_once_closed() {
    assert_eq!(may_record(State::OnSite), Ok(()));
    assert_eq!(may_record(State::Closing), Ok(()));
    assert_eq!(may_record(State::Planning), Err("review_too_early"));
    assert_eq!(may_record(State::Approved), Err("review_too_early"));
    assert_eq!(may_record(State::Cancelled), Err("review_stopped"));
    assert_eq!(may_record(State::Closed), Err("review_read_only"));
}

#[test]
fn an_action_is_not_overdue_on_its_due_day_only_after_it() {
    let due = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
    assert!(!is_overdue(ActionState::Open, due, due), "on the due day");
    assert!(!is_overdue(ActionState::Open, due, due - Duration::days(1)));
    assert!(is_overdue(ActionState::Open, due, due + Duration::days(1)));
    assert!(!is_overdue(ActionState::Done, due, due + Duration::days(30)), "done is never overdue");
}

#[test]
fn an_action_due_on_a_friday_is_overdue_on_the_monday_in_plain_calendar_days() {
    let friday = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
    assert_eq!(friday.format("%a").to_string(), "Fri");
    let saturday = friday + Duration::days(1);
    let monday = friday + Duration::days(3);
    assert!(is_overdue(ActionState::Open, friday, saturday), "calendar days: the weekend counts");
    assert!(is_overdue(ActionState::Open, friday, monday));
}

#[test]
fn an_action_needs_what_who_and_by_when() {
    let errs = ActionInput { what: " ".into(), owner_id: None, due_on: None }.check().unwrap_err();
    let fields: Vec<&str> = errs.0.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["what", "owner_id", "due_on"]);
    let far = NaiveDate::from_ymd_opt(1900, 1, 1);
    let errs = ActionInput { what: "x".repeat(MAX_WHAT + 1), owner_id: Some(UserId(1)), due_on: far }.check();
    let codes: Vec<&str> = errs.unwrap_err().0.iter().map(|e| e.code).collect();
    assert_eq!(codes, ["too_long", "date_out_of_range"]);
    let ok = ActionInput {
        what: " 提前测试投影仪 ".into(),
        owner_id: Some(UserId(2)),
        due_on: NaiveDate::from_ymd_opt(2026, 12, 10),
    };
    assert_eq!(ok.check().unwrap().what, "提前测试投影仪");
}

#[test]
fn done_needs_a_note_and_applied_may_have_one() {
    assert_eq!(done_note("  ").unwrap_err().0[0].code, "required");
    assert_eq!(done_note(" 已改 ").unwrap(), "已改");
    assert_eq!(applied_note("").unwrap(), "");
    assert_eq!(applied_note(&"x".repeat(MAX_NOTE + 1)).unwrap_err().0[0].code, "too_long");
}

#[test]
fn a_lesson_is_applied_on_another_reception_under_way() {
    let (a, b) = (ReceptionId(1), ReceptionId(2));
    assert_eq!(may_apply(a, a, State::Planning), Err("lesson_own_reception"));
    assert_eq!(may_apply(a, b, State::Closed), Err("reception_not_under_way"));
    assert_eq!(may_apply(a, b, State::Planning), Ok(()));
}

#[test]
fn action_codes_round_trip() {
    assert_codes_round_trip::<ActionState>();
    assert_codes_round_trip::<ActionFilter>();
}
