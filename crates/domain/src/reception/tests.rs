use chrono::NaiveDate;

use super::*;
use crate::calendar::Calendar;
use crate::field::FieldErrors;
use crate::money::Fen;
use crate::procedure::{CONDITION_FIELDS, Procedure};
use crate::tier::Tier;
use crate::{Code, Role};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn cal() -> Calendar {
    Calendar::shipped_with([]).unwrap()
}

/// A request that passes the submission check for a visit on 2026-10-09.
fn complete() -> ReceptionForm {
    ReceptionForm {
        contact_person: "王芳".into(),
        guest_organization: "华东电力设计院".into(),
        purpose: "技术交流".into(),
        visit_start: Some(d(2026, 10, 9)),
        visit_end: Some(d(2026, 10, 9)),
        arrival_at: Some(d(2026, 10, 9).and_hms_opt(9, 30, 0).unwrap()),
        arrival_means: Some(ArrivalMeans::Car),
        licence_plate: "沪A·12345".into(),
        guest_name: "李明".into(),
        guest_title: "总工程师".into(),
        companion_count: 1,
        companions: vec![Person { name: "赵强".into(), title: "工程师".into(), ..Default::default() }],
        budget_fen: Some(Fen::new(16_000)),
        tier: Some(Tier::Business),
        ..Default::default()
    }
}

#[test]
fn every_state_and_action_round_trips_its_identifier() {
    crate::codec::assert_codes_round_trip::<State>();
    crate::codec::assert_codes_round_trip::<Action>();
    crate::codec::assert_codes_round_trip::<ArrivalMeans>();
    crate::codec::assert_codes_round_trip::<Grade>();
    crate::codec::assert_codes_round_trip::<StageStatus>();
    assert_eq!(Action::parse("take-on"), Some(Action::TakeOn));
    for a in Action::all() {
        assert!(State::all().iter().all(|s| a.next(*s).is_none_or(|t| t == a.target())), "{a:?}");
    }
}

#[test]
fn the_workflow_moves_only_along_its_arrows() {
    use State::*;
    assert_eq!(Action::Submit.next(Draft), Some(Submitted));
    assert_eq!(Action::Submit.next(Returned), Some(Submitted));
    assert_eq!(Action::Return.next(Submitted), Some(Returned));
    assert_eq!(Action::Approve.next(Submitted), Some(Approved));
    assert_eq!(Action::TakeOn.next(Approved), Some(Planning));
    assert_eq!(Action::Approve.next(Draft), None, "a draft is not approved before it is submitted");
    assert_eq!(Action::Submit.next(Submitted), None, "a double submit is not a second transition");
    assert_eq!(Action::TakeOn.next(Submitted), None);
    for closed in [Rejected, Cancelled] {
        assert!(Action::all().iter().all(|a| a.next(closed).is_none()), "{closed:?} is final");
    }
}

#[test]
fn who_may_do_what() {
    let requester = Standing {
        roles: [Role::Requester].into_iter().collect(),
        is_requester: true,
        in_department: true,
        heads_department: false,
        deputy_of: None,
        holds_task: false,
    };
    let head = Standing {
        roles: [Role::Approver].into_iter().collect(),
        is_requester: false,
        in_department: true,
        heads_department: true,
        deputy_of: None,
        holds_task: false,
    };
    let other_head = Standing { in_department: false, heads_department: false, ..head };
    let coordinator = Standing { roles: [Role::Coordinator].into_iter().collect(), ..Standing::default() };
    let staff = Standing { roles: [Role::Staff].into_iter().collect(), ..Standing::default() };
    assert!(requester.may(Action::Submit, State::Draft));
    assert!(!requester.may(Action::Approve, State::Submitted), "no approving one's own request");
    assert!(head.may(Action::Approve, State::Submitted));
    assert!(head.may(Action::Return, State::Submitted));
    assert!(!other_head.may(Action::Approve, State::Submitted), "another department's head");
    assert!(!other_head.may_view());
    assert!(coordinator.may(Action::TakeOn, State::Approved));
    assert!(!coordinator.may(Action::Cancel, State::Submitted));
    assert!(coordinator.may_view() && !coordinator.may_edit(State::Draft));
    assert!(!staff.may_view(), "staff see only what they are assigned to");
    assert!(requester.may_edit(State::Returned) && !requester.may_edit(State::Submitted));
    let finance = Standing { roles: [Role::Finance].into_iter().collect(), ..Standing::default() };
    assert!(finance.may_view() && !finance.sees_personal_data());
}

#[test]
fn a_complete_request_passes_and_an_empty_one_lists_what_is_missing() {
    let p = Procedure::default_procedure();
    let today = d(2026, 9, 1);
    let f = complete();
    assert_eq!(f.check(Check::Submit, today, &p).errors, FieldErrors::new());
    let empty = ReceptionForm { visit_start: Some(d(2026, 10, 9)), ..Default::default() };
    assert!(empty.check(Check::Draft, today, &p).errors.is_empty(), "a draft may be incomplete");
    let errs = empty.check(Check::Submit, today, &p).errors;
    for field in ["contact_person", "guest_organization", "purpose", "guest_name", "tier", "budget_fen"] {
        assert!(errs.get(field).is_some_and(|e| e.code == "required"), "{field}: {errs:?}");
    }
}

#[test]
fn bad_input_is_named_by_field() {
    let p = Procedure::default_procedure();
    let today = d(2026, 9, 1);
    let mut f = complete();
    f.visit_end = Some(d(2026, 10, 8));
    f.departure_at = Some(d(2026, 10, 9).and_hms_opt(8, 0, 0).unwrap());
    f.budget_fen = Some(Fen::new(Fen::MAX.get() + 1));
    f.hotel.budget_fen = Some(Fen::new(-1));
    f.companion_count = 3;
    f.guest_organization = "x".repeat(101);
    f.companions[0].phone = "12ab".into();
    f.licence_plate = "!!".into();
    let found = f.check(Check::Draft, today, &p);
    // A count that disagrees with the rows only warns in a draft; it stops a submission.
    assert!(found.warnings.0.iter().any(|w| w.field == "companion_count" && w.code == "count_disagrees"));
    assert!(f.check(Check::Submit, today, &p).errors.0.iter().any(|e| e.code == "count_disagrees"));
    let errs = found.errors;
    let got: Vec<(&str, &str)> = errs.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
    for want in [
        ("visit_end", "end_before_start"),
        ("departure_at", "departure_before_arrival"),
        ("budget_fen", "amount_too_large"),
        ("hotel.budget_fen", "negative_amount"),
        ("guest_organization", "too_long"),
        ("companions[0].phone", "invalid_phone"),
        ("licence_plate", "invalid_plate"),
    ] {
        assert!(got.contains(&want), "{want:?} missing from {got:?}");
    }
}

#[test]
fn a_visit_in_the_past_cannot_be_submitted_but_can_be_kept_as_a_draft() {
    let p = Procedure::default_procedure();
    let f = complete();
    let after = d(2026, 10, 10);
    assert!(f.check(Check::Draft, after, &p).errors.is_empty());
    assert_eq!(f.check(Check::Submit, after, &p).errors.0[0].code, "in_the_past");
}

#[test]
fn unusual_plates_and_numbers_warn_without_blocking() {
    let p = Procedure::default_procedure();
    let today = d(2026, 9, 1);
    let mut f = complete();
    f.licence_plate = "WJ12345".into();
    let found = f.check(Check::Submit, today, &p);
    assert!(found.errors.is_empty(), "{:?}", found.errors);
    assert_eq!(found.warnings.0[0].code, "unusual_plate");
    for plate in ["京A12345", "粤B D12345", "沪A·1234学"] {
        f.licence_plate = plate.into();
        let w = f.check(Check::Submit, today, &p).warnings;
        assert!(w.is_empty(), "{plate} is an ordinary plate: {w:?}");
    }
    f.arrival_means = Some(ArrivalMeans::Train);
    f.transport_number = "G1234".into();
    assert!(f.check(Check::Submit, today, &p).warnings.is_empty());
    f.transport_number = "Eurostar 9".into();
    assert_eq!(f.check(Check::Submit, today, &p).warnings.0[0].code, "unusual_train_number");
}

#[test]
fn the_recommended_budget_is_the_standard_times_the_guests() {
    let p = Procedure::default_procedure();
    let mut f = complete();
    f.support_staff.push(Person { name: "司机".into(), ..Default::default() });
    f.budget_fen = Some(Fen::new(30_000));
    assert_eq!(f.headcount(), 3);
    assert_eq!(f.recommended_budget(&p), Some(Fen::new(3 * 8000)));
    let found = f.check(Check::Submit, d(2026, 9, 1), &p);
    let w = found.warnings.get("budget_fen").expect("30000 fen is over 24000");
    assert_eq!((w.code, w.value.as_deref()), ("over_recommended_budget", Some("240.00")));
}

#[test]
fn five_working_days_before_2026_10_09_is_the_proposal_deadline() {
    let p = Procedure::default_procedure();
    let c = cal();
    let t = d(2026, 10, 9);
    assert_eq!(proposal_deadline(&c, &p, t), d(2026, 9, 24));
    assert_eq!(late_working_days(&c, &p, t, d(2026, 9, 24)), 0, "on the deadline is on time");
    assert_eq!(late_working_days(&c, &p, t, d(2026, 9, 25)), 1);
    // 9-25..27 are the Mid-autumn days off; 9-28 (Monday) is the first working day after.
    assert_eq!(late_working_days(&c, &p, t, d(2026, 9, 27)), 1, "a weekend after the deadline counts once");
    assert_eq!(late_working_days(&c, &p, t, d(2026, 9, 28)), 1);
    assert_eq!(late_working_days(&c, &p, t, d(2026, 9, 29)), 2);
}

#[test]
fn the_timeline_puts_each_stage_on_its_working_day() {
    let p = Procedure::default_procedure();
    let c = cal();
    let (start, end) = (d(2026, 10, 9), d(2026, 10, 9));
    let tl = timeline(&c, &p, start, end, State::Planning, d(2026, 9, 25));
    let days: Vec<(&str, NaiveDate)> = tl.iter().map(|e| (e.stage.as_str(), e.due)).collect();
    assert_eq!(
        days,
        vec![
            ("proposal", d(2026, 9, 24)),
            ("assignment", d(2026, 9, 28)),
            ("preparation", d(2026, 9, 30)),
            ("on_site", d(2026, 10, 9)),
            ("close_down", d(2026, 10, 9)),
            ("review", d(2026, 10, 10)),
        ],
        "across the Mid-autumn and National Day days off; 10-10 is a make-up working day"
    );
    assert_eq!(tl[0].status, StageStatus::Done);
    assert_eq!(tl[1].status, StageStatus::Next);
    assert_eq!(tl[2].status, StageStatus::Upcoming);
    let later = timeline(&c, &p, start, end, State::Planning, d(2026, 10, 8));
    assert_eq!((later[1].status, later[2].status), (StageStatus::Overdue, StageStatus::Overdue));
    assert_eq!(later[3].status, StageStatus::Next);
    let stopped = timeline(&c, &p, start, end, State::Cancelled, d(2026, 9, 1));
    assert!(stopped.iter().all(|e| e.status == StageStatus::Stopped));
}

#[test]
fn a_visit_of_several_days_closes_after_its_last_day() {
    let p = Procedure::default_procedure();
    let tl = timeline(&cal(), &p, d(2026, 11, 2), d(2026, 11, 4), State::Approved, d(2026, 10, 1));
    assert_eq!(tl[0].due, d(2026, 10, 26));
    // On site from the first day to the last; the close-down on the last day.
    assert_eq!((tl[3].due, tl[3].until), (d(2026, 11, 2), d(2026, 11, 4)));
    assert_eq!((tl[4].due, tl[4].until), (d(2026, 11, 4), d(2026, 11, 4)));
    assert_eq!(tl[5].due, d(2026, 11, 5));
}

#[test]
fn every_condition_field_is_answered_by_the_form() {
    let none = ReceptionForm::default();
    assert!(CONDITION_FIELDS.iter().all(|c| !none.asks_for(c)));
    let mut all = ReceptionForm {
        parking: true,
        red_carpet: true,
        welcome_message: true,
        fruit: Some(Grade::Fine),
        meals: true,
        gifts: Some(Grade::Simple),
        leader_appointment: true,
        ..Default::default()
    };
    all.tea.water = true;
    for w in [
        &mut all.pickup_car.wanted,
        &mut all.train_tickets.wanted,
        &mut all.hotel.wanted,
        &mut all.lunch.wanted,
        &mut all.dinner.wanted,
        &mut all.entertainment.wanted,
        &mut all.meeting_room.wanted,
        &mut all.meeting_room.computer,
        &mut all.meeting_room.paper,
        &mut all.meeting_room.pencils,
        &mut all.meeting_room.pens,
        &mut all.meeting_room.projector,
        &mut all.meeting_room.clicker,
    ] {
        *w = true;
    }
    for c in CONDITION_FIELDS {
        assert!(all.asks_for(c), "{c} is not answered");
    }
}

#[test]
fn normalising_drops_blank_rows_and_writes_plates_as_on_the_plate() {
    let mut f = complete();
    f.companions.push(Person::default());
    f.licence_plate = " 沪a·123 45 ".into();
    f.visit_end = None;
    f.normalize();
    assert_eq!(f.companions.len(), 1);
    assert_eq!(f.licence_plate, "沪A12345");
    assert_eq!(f.visit_end, f.visit_start);
}

#[test]
fn a_submitted_request_is_typed_and_complete() {
    let p = Procedure::default_procedure();
    let today = d(2026, 9, 1);
    let s = complete().submitted(today, &p).expect("complete");
    assert_eq!(
        (s.visit_start, s.visit_end, s.tier, s.budget),
        (d(2026, 10, 9), d(2026, 10, 9), Tier::Business, Fen::new(16_000))
    );
    assert_eq!(s.arrival, Arrival::Car { plate: "沪A12345".into() });
    assert_eq!(s.headcount, 2);
    let missing = ReceptionForm { visit_start: Some(d(2026, 10, 9)), ..Default::default() };
    let findings = missing.submitted(today, &p).unwrap_err();
    assert!(findings.errors.get("tier").is_some() && findings.errors.get("arrival_at").is_some());
}

#[test]
fn a_huge_companion_count_never_overflows_the_headcount() {
    let f = ReceptionForm { companion_count: u32::MAX, ..Default::default() };
    assert_eq!(f.headcount(), u32::MAX);
}

#[test]
fn the_viewer_lists_their_department_and_approves_for_the_ones_they_head() {
    use crate::ids::{DepartmentId, UserId};
    let v = Viewer {
        user_id: UserId(7),
        roles: [Role::Requester].into_iter().collect(),
        department_id: Some(DepartmentId(3)),
        heads: vec![],
        deputy_for: vec![],
    };
    assert_eq!(v.listed_departments(), Some(vec![DepartmentId(3)]));
    assert!(v.approves_for().is_empty());
    let head = Viewer { roles: [Role::Approver].into_iter().collect(), heads: vec![DepartmentId(5)], ..v.clone() };
    assert_eq!(head.approves_for(), vec![DepartmentId(5), DepartmentId(3)]);
    assert!(head.may_file_for(DepartmentId(5)) && !head.may_file_for(DepartmentId(9)));
    let gm = Viewer { roles: [Role::Coordinator].into_iter().collect(), ..v };
    assert_eq!(gm.listed_departments(), None);
    assert!(gm.may_file_for(DepartmentId(9)));
}

#[test]
fn nobody_decides_on_their_own_request_not_even_a_head_or_an_administrator() {
    use crate::ids::{DepartmentId, UserId};
    let head = Viewer {
        user_id: UserId(7),
        roles: [Role::Approver, Role::Requester].into_iter().collect(),
        department_id: Some(DepartmentId(3)),
        heads: vec![DepartmentId(3)],
        deputy_for: vec![],
    };
    let own = head.standing(UserId(7), DepartmentId(3));
    for a in [Action::Approve, Action::Return, Action::Reject] {
        assert!(!own.may(a, State::Submitted), "{a:?}");
    }
    assert!(own.may(Action::Withdraw, State::Submitted));
    let other = head.standing(UserId(8), DepartmentId(3));
    assert!(other.may(Action::Approve, State::Submitted));
    assert!(!other.may(Action::Withdraw, State::Submitted));
    let admin = Viewer { roles: [Role::Admin].into_iter().collect(), heads: vec![], ..head.clone() };
    assert!(!admin.standing(UserId(7), DepartmentId(3)).may(Action::Approve, State::Submitted));
    // The head's own request goes to the next level: an administrator.
    assert!(admin.standing(UserId(8), DepartmentId(3)).may(Action::Approve, State::Submitted));
}

#[test]
fn withdrawing_is_only_for_a_submitted_request_nobody_acted_on() {
    assert_eq!(Action::Withdraw.next(State::Submitted), Some(State::Draft));
    for s in [State::Draft, State::Returned, State::Approved, State::Planning, State::Rejected, State::Cancelled] {
        assert_eq!(Action::Withdraw.next(s), None, "{s:?}");
    }
}

#[test]
fn a_deputy_decides_for_the_approver_they_stand_in_for_and_says_so() {
    use crate::ids::{DepartmentId, UserId};
    use crate::reception::Deputyship;
    let deputy = Viewer {
        user_id: UserId(9),
        roles: [Role::Requester].into_iter().collect(),
        department_id: Some(DepartmentId(4)),
        heads: vec![],
        deputy_for: vec![Deputyship { approver: UserId(7), departments: vec![DepartmentId(3)] }],
    };
    assert_eq!(deputy.approves_for(), vec![DepartmentId(3)]);
    assert_eq!(deputy.listed_departments(), Some(vec![DepartmentId(3), DepartmentId(4)]));
    let st = deputy.standing(UserId(8), DepartmentId(3));
    assert!(st.may_view() && st.may(Action::Approve, State::Submitted));
    assert_eq!(st.acting_for(), Some(UserId(7)));
    // Not the approver's own request: that goes to the next level.
    assert!(!deputy.standing(UserId(7), DepartmentId(3)).may(Action::Approve, State::Submitted));
    // Nor another department's.
    assert!(!deputy.standing(UserId(8), DepartmentId(5)).may_view());
}

#[test]
fn a_visit_of_several_days_is_on_site_from_its_first_day_to_its_last() {
    let p = Procedure::default_procedure();
    let (start, end) = (d(2026, 12, 7), d(2026, 12, 9));
    let tl = timeline(&cal(), &p, start, end, State::Approved, d(2026, 12, 8));
    let on_site = tl.iter().find(|t| t.stage == "on_site").expect("on-site stage");
    assert_eq!((on_site.due, on_site.until), (start, end));
    // On the second day the stage is under way, not overdue.
    assert_ne!(on_site.status, StageStatus::Overdue);
    let prep = tl.iter().find(|t| t.stage == "preparation").expect("preparation stage");
    assert_eq!(prep.due, d(2026, 12, 3));
    let close = tl.iter().find(|t| t.stage == "close_down").expect("close-down stage");
    assert_eq!(close.due, end);
}

#[test]
fn the_inputs_marked_required_are_the_ones_the_submission_check_requires() {
    let mut f = ReceptionForm {
        visit_start: Some(d(2026, 10, 9)),
        arrival_means: Some(ArrivalMeans::Train),
        ..Default::default()
    };
    f.pickup_car.wanted = true;
    f.train_tickets.wanted = true;
    f.hotel.wanted = true;
    f.lunch.wanted = true;
    f.dinner.wanted = true;
    f.entertainment.wanted = true;
    f.welcome_message = true;
    f.leader_appointment = true;
    f.companions = vec![Person { title: "x".into(), ..Default::default() }];
    f.companion_count = 1;
    let p = Procedure::default_procedure();
    let found = f.check(Check::Submit, d(2026, 10, 1), &p).errors;
    for e in found.0.iter().filter(|e| e.code == "required") {
        assert!(required_on_submit(&e.field), "{} is required but not marked", e.field);
    }
    // A licence plate is often unknown five days ahead: not required.
    let by_car = ReceptionForm { arrival_means: Some(ArrivalMeans::Car), ..f };
    assert!(!by_car.check(Check::Submit, d(2026, 10, 1), &p).errors.0.iter().any(|e| e.field == "licence_plate"));
    assert!(!required_on_submit("licence_plate"));
}

#[test]
fn whoever_holds_a_task_sees_the_reception_and_decides_nothing() {
    let driver = Standing { roles: [Role::Staff].into_iter().collect(), holds_task: true, ..Standing::default() };
    assert!(driver.may_view() && driver.sees_personal_data());
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let later = chrono::NaiveDate::from_ymd_opt(2026, 12, 20).unwrap();
    for s in State::all() {
        assert!(driver.available_actions(*s, later, today).is_empty(), "{s:?}");
        assert!(!driver.may_edit(*s));
    }
    let stranger = Standing { roles: [Role::Staff].into_iter().collect(), ..Standing::default() };
    assert!(!stranger.may_view());
}
