use chrono::{NaiveDate, NaiveTime};

use super::*;
use crate::reception::{MeetingRoom, PickupCar, Tea};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn cal() -> Calendar {
    Calendar::shipped_with([]).unwrap()
}

fn form(start: NaiveDate, end: NaiveDate) -> ReceptionForm {
    ReceptionForm {
        visit_start: Some(start),
        visit_end: Some(end),
        tea: Tea { green: true, ..Default::default() },
        meeting_room: MeetingRoom { wanted: true, ..Default::default() },
        ..Default::default()
    }
}

fn due_of<'a>(tasks: &'a [PlannedTask], title_en: &str) -> Option<&'a PlannedTask> {
    tasks.iter().find(|t| t.title_en == title_en)
}

#[test]
fn only_the_tasks_the_form_asks_for_are_planned_in_the_templates_order() {
    let p = Procedure::default_procedure();
    let tasks = plan_tasks(&cal(), &p, &form(day(2026, 12, 9), day(2026, 12, 9)));
    let titles: Vec<&str> = tasks.iter().map(|t| t.title_en.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Invite the leaders",
            "Rent tea sets",
            "Confirm venue, time and flow",
            "Set up the room",
            "Prepare other material",
            "Serve in the room",
            "Tidy the room"
        ],
        "no pickup, no gifts: not asked for"
    );
    assert_eq!(due_of(&tasks, "Set up the room").unwrap().due_time, NaiveTime::from_hms_opt(8, 30, 0));
    let none = plan_tasks(&cal(), &p, &ReceptionForm::default());
    assert!(none.is_empty(), "no visit day, no plan");
}

#[test]
fn tasks_before_a_visit_after_a_holiday_count_back_over_it() {
    // Friday 9 October 2026, after the National Day holiday (1–7 October).
    let p = Procedure::default_procedure();
    let tasks = plan_tasks(&cal(), &p, &form(day(2026, 10, 9), day(2026, 10, 9)));
    assert_eq!(due_of(&tasks, "Rent tea sets").unwrap().due, day(2026, 9, 30), "T-2: 8 October, then 30 September");
    assert_eq!(due_of(&tasks, "Invite the leaders").unwrap().due, day(2026, 9, 28), "T-4");
}

#[test]
fn a_make_up_working_day_counts_as_a_working_day() {
    // Monday 12 October 2026: Saturday 10 October is a make-up working day.
    let p = Procedure::default_procedure();
    let tasks = plan_tasks(&cal(), &p, &form(day(2026, 10, 12), day(2026, 10, 12)));
    assert_eq!(due_of(&tasks, "Rent tea sets").unwrap().due, day(2026, 10, 9), "T-1 is Saturday the 10th, T-2 the 9th");
}

#[test]
fn a_visit_of_three_days_is_set_up_on_its_first_day_and_tidied_on_its_last() {
    let p = Procedure::default_procedure();
    let tasks = plan_tasks(&cal(), &p, &form(day(2026, 12, 9), day(2026, 12, 11)));
    assert_eq!(due_of(&tasks, "Set up the room").unwrap().due, day(2026, 12, 9));
    assert_eq!(due_of(&tasks, "Serve in the room").unwrap().due, day(2026, 12, 9));
    assert_eq!(due_of(&tasks, "Tidy the room").unwrap().due, day(2026, 12, 11));
    assert_eq!(task_due(&cal(), Phase::CloseDown, 1, day(2026, 12, 9), day(2026, 12, 11)), day(2026, 12, 14));
}

#[test]
fn the_pickup_is_due_when_the_guests_are_picked_up() {
    let p = Procedure::default_procedure();
    let mut f = form(day(2026, 12, 9), day(2026, 12, 10));
    f.pickup_car = PickupCar { wanted: true, at: day(2026, 12, 8).and_hms_opt(18, 45, 0), ..Default::default() };
    let tasks = plan_tasks(&cal(), &p, &f);
    let pickup = due_of(&tasks, "Pick up the clients").unwrap();
    assert_eq!((pickup.due, pickup.due_time), (day(2026, 12, 8), NaiveTime::from_hms_opt(18, 45, 0)));
    assert_eq!(pickup.group, Group::Driver);
    f.pickup_car.at = None;
    let tasks = plan_tasks(&cal(), &p, &f);
    assert_eq!(due_of(&tasks, "Pick up the clients").unwrap().due, day(2026, 12, 9), "no time given: the first day");
}

#[test]
fn a_task_moves_only_where_its_status_allows() {
    use TaskStatus::*;
    assert_eq!(TaskAction::Start.next(Todo), Some(Doing));
    assert_eq!(TaskAction::Done.next(Doing), Some(Done));
    assert_eq!(TaskAction::Done.next(Todo), Some(Done), "one tap from to do to done");
    assert_eq!(TaskAction::Done.next(Done), None, "two people finishing at once: the second is told");
    assert_eq!(TaskAction::Waive.next(Done), None);
    assert_eq!(TaskAction::Reopen.next(Waived), Some(Todo));
    assert_eq!(TaskAction::Start.next(Doing), None);
}

#[test]
fn a_task_is_overdue_once_its_moment_has_passed_unless_it_is_settled() {
    let d = day(2026, 12, 9);
    let at = |h: u32, m: u32| d.and_hms_opt(h, m, 0).unwrap();
    let t = NaiveTime::from_hms_opt(8, 30, 0);
    assert!(!is_overdue(TaskStatus::Todo, d, t, at(8, 30)));
    assert!(is_overdue(TaskStatus::Doing, d, t, at(8, 31)));
    assert!(!is_overdue(TaskStatus::Todo, d, None, at(23, 59)), "a day's task is due by the day's end");
    assert!(is_overdue(TaskStatus::Todo, d, None, day(2026, 12, 10).and_hms_opt(0, 0, 0).unwrap()));
    assert!(!is_overdue(TaskStatus::Waived, d, None, day(2027, 1, 1).and_hms_opt(0, 0, 0).unwrap()));
}

#[test]
fn an_assignment_names_two_different_people() {
    let (a, b) = (UserId(1), UserId(2));
    assert!(Assignment { responsible: Some(a), assistant: Some(b) }.check().is_empty());
    let same = Assignment { responsible: Some(a), assistant: Some(a) }.check();
    assert_eq!(same.0[0].code, "assistant_is_responsible");
    let alone = Assignment { responsible: None, assistant: Some(b) }.check();
    assert_eq!(alone.0[0].code, "responsible_needed_with_assistant");
    assert!(Assignment { responsible: Some(a), assistant: None }.holds(a));
}

#[test]
fn on_site_tasks_of_one_person_clash_on_the_same_day_and_time() {
    let d = day(2026, 12, 9);
    let t = |h| Some(NaiveTime::from_hms_opt(h, 0, 0).unwrap());
    assert!(slots_clash(Slot { day: d, time: t(9) }, Slot { day: d, time: t(9) }));
    assert!(!slots_clash(Slot { day: d, time: t(9) }, Slot { day: d, time: t(14) }));
    assert!(slots_clash(Slot { day: d, time: None }, Slot { day: d, time: t(14) }));
    assert!(!slots_clash(Slot { day: d, time: None }, Slot { day: day(2026, 12, 10), time: None }));
}

#[test]
fn task_codes_read_back() {
    crate::codec::assert_codes_round_trip::<TaskStatus>();
    crate::codec::assert_codes_round_trip::<TaskAction>();
}

#[test]
fn my_tasks_fall_into_overdue_today_this_week_later_and_settled() {
    // Wednesday 9 December 2026, 10:00.
    let now = day(2026, 12, 9).and_hms_opt(10, 0, 0).unwrap();
    let nine = NaiveTime::from_hms_opt(9, 0, 0);
    assert_eq!(bucket(TaskStatus::Todo, day(2026, 12, 9), nine, now), Bucket::Overdue, "09:00 has passed");
    assert_eq!(bucket(TaskStatus::Doing, day(2026, 12, 9), None, now), Bucket::Today);
    assert_eq!(bucket(TaskStatus::Todo, day(2026, 12, 13), None, now), Bucket::ThisWeek, "Sunday");
    assert_eq!(bucket(TaskStatus::Todo, day(2026, 12, 14), None, now), Bucket::Later, "next Monday");
    assert_eq!(bucket(TaskStatus::Todo, day(2026, 12, 8), None, now), Bucket::Overdue);
    assert_eq!(bucket(TaskStatus::Done, day(2026, 12, 8), None, now), Bucket::Settled);
}
