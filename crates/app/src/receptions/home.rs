//! The home page's content: what waits for this person first, then this week's receptions
//! day by day on the working-day calendar.

use chrono::{Datelike, Duration, NaiveDate};
use jiedai_domain::reception::{State, Viewer};
use jiedai_domain::{CalendarEntry, Role};
use jiedai_store::{ReceptionFilter, ReceptionRow, Sort};

use super::list::{self, ListRequest, ListView, apply_view};
use crate::{App, Result};

/// Receptions shown for each kind of waiting work.
const SHOWN: u64 = 5;

/// A kind of work that waits for someone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitingKind {
    /// Requests submitted to the viewer for approval.
    ToApprove,
    /// Approved requests waiting for General Management.
    ToTakeOn,
    /// The viewer's requests returned to them.
    ReturnedToMe,
    /// The viewer's drafts.
    MyDrafts,
    /// Receptions in planning whose first visit day has come: the day is to be opened.
    ToOpenDay,
    /// Receptions closing down: to be closed once every task is settled.
    ToClose,
}

/// One kind of work waiting, with its first few receptions.
pub struct Waiting {
    /// The kind.
    pub kind: WaitingKind,
    /// How many in all.
    pub count: u64,
    /// The first few, earliest visit first.
    pub rows: Vec<ReceptionRow>,
}

/// A day of this week.
pub struct WeekDay {
    /// The date.
    pub date: NaiveDate,
    /// It is today.
    pub today: bool,
    /// It is a working day.
    pub working: bool,
    /// The holiday, make-up day or closure declared for it.
    pub declared: Option<CalendarEntry>,
    /// Open receptions visiting that day.
    pub rows: Vec<ReceptionRow>,
}

/// The home page's content.
pub struct Dashboard {
    /// What waits for the viewer, kinds with nothing waiting left out.
    pub waiting: Vec<Waiting>,
    /// Monday to Sunday of the week of `today`.
    pub week: Vec<WeekDay>,
}

/// What waits for the viewer and this week's receptions.
pub async fn dashboard(app: &App, viewer: &Viewer, today: NaiveDate) -> Result<Dashboard> {
    let mut kinds = vec![
        (WaitingKind::ToApprove, apply_view(viewer, ListView::ToApprove, ReceptionFilter::default())),
        (WaitingKind::ToTakeOn, apply_view(viewer, ListView::ToTakeOn, ReceptionFilter::default())),
    ];
    if viewer.roles.contains(Role::Requester) || viewer.roles.contains(Role::Approver) {
        let mine =
            |state| ReceptionFilter { states: vec![state], requester_id: Some(viewer.user_id), ..Default::default() };
        kinds.push((WaitingKind::ReturnedToMe, Some(mine(State::Returned))));
        kinds.push((WaitingKind::MyDrafts, Some(mine(State::Draft))));
    }
    if viewer.takes_on() {
        let state = |s| ReceptionFilter { states: vec![s], ..Default::default() };
        kinds.push((WaitingKind::ToOpenDay, Some(ReceptionFilter { until: Some(today), ..state(State::Planning) })));
        kinds.push((WaitingKind::ToClose, Some(state(State::Closing))));
    }
    let mut waiting = Vec::new();
    for (kind, filter) in kinds {
        let Some(f) = filter else { continue };
        let count = list::count(app, viewer, &f).await?;
        if count > 0 {
            waiting.push(Waiting { kind, count, rows: list::first(app, viewer, &f, SHOWN).await? });
        }
    }

    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let sunday = monday + Duration::days(6);
    let req = ListRequest {
        view: ListView::All,
        filter: ReceptionFilter {
            states: State::OPEN.to_vec(),
            from: Some(monday),
            until: Some(sunday),
            ..Default::default()
        },
        sort: Sort::VisitAsc,
        cursor: None,
        limit: 200,
    };
    let (rows, _) = list::list(app, viewer, &req).await?;
    let cal = app.calendar().await?;
    let week = (0..7)
        .map(|i| {
            let date = monday + Duration::days(i);
            WeekDay {
                date,
                today: date == today,
                working: cal.is_working_day(date),
                declared: cal.day(date).1.cloned(),
                rows: rows.iter().filter(|r| r.visit_start <= date && date <= r.visit_end).cloned().collect(),
            }
        })
        .collect();
    Ok(Dashboard { waiting, week })
}
