//! The reception's life after planning: opening the day, wrapping up, closing.

use chrono::NaiveDate;

use super::*;
use crate::calendar::Calendar;
use crate::procedure::Procedure;
use crate::{Code, Role};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn cal() -> Calendar {
    Calendar::shipped_with([]).unwrap()
}

#[test]
fn after_planning_the_day_is_opened_wrapped_up_and_closed_in_that_order_only() {
    use State::*;
    assert_eq!(Action::OpenDay.next(Planning), Some(OnSite));
    assert_eq!(Action::WrapUp.next(OnSite), Some(Closing));
    assert_eq!(Action::Close.next(Closing), Some(Closed));
    for s in State::all() {
        if *s != Planning {
            assert_eq!(Action::OpenDay.next(*s), None, "{s:?}");
        }
        if *s != Closing {
            assert_eq!(Action::Close.next(*s), None, "{s:?}");
        }
    }
    // Nothing leaves a closed reception, and the day cannot be cancelled once opened.
    for a in Action::all() {
        assert_eq!(a.next(Closed), None, "{a:?}");
    }
    assert_eq!(Action::Cancel.next(OnSite), None);
    assert!(Closed.is_closed() && !Closed.is_stopped() && Closed.is_approved());
    assert!(OnSite.is_under_way() && Closing.is_under_way() && !Closed.is_under_way());
}

#[test]
fn only_general_management_opens_the_day_and_not_before_the_first_visit_day() {
    let coordinator = Standing { roles: [Role::Coordinator].into_iter().collect(), ..Standing::default() };
    let requester =
        Standing { roles: [Role::Requester].into_iter().collect(), is_requester: true, ..Standing::default() };
    let start = d(2026, 12, 7);
    assert!(!coordinator.available_actions(State::Planning, start, d(2026, 12, 4)).contains(&Action::OpenDay));
    assert!(coordinator.available_actions(State::Planning, start, start).contains(&Action::OpenDay));
    assert!(coordinator.available_actions(State::OnSite, start, start).contains(&Action::WrapUp));
    assert!(coordinator.available_actions(State::Closing, start, d(2026, 12, 8)).contains(&Action::Close));
    for s in [State::Planning, State::OnSite, State::Closing] {
        assert!(requester.available_actions(s, start, start).iter().all(|a| !a.is_carrying_out()), "{s:?}");
    }
}

#[test]
fn the_timeline_moves_on_as_the_day_is_opened_wrapped_up_and_closed() {
    let p = Procedure::default_procedure();
    let (start, end) = (d(2026, 12, 7), d(2026, 12, 7));
    let done = |s: State| {
        timeline(&cal(), &p, start, end, s, start)
            .iter()
            .filter(|t| t.done)
            .map(|t| t.stage.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(done(State::Planning), ["proposal"]);
    assert_eq!(done(State::OnSite), ["proposal", "assignment", "preparation"]);
    assert_eq!(done(State::Closing), ["proposal", "assignment", "preparation", "on_site"]);
    assert_eq!(done(State::Closed).len(), p.stages.len());
    let closed = timeline(&cal(), &p, start, end, State::Closed, d(2027, 1, 4));
    assert!(closed.iter().all(|t| t.status == StageStatus::Done));
}
