//! The procedure's stages on the working-day calendar: each stage's day, the proposal
//! deadline and the late rule, and where each stage stands.

use chrono::NaiveDate;
use serde::Serialize;

use super::State;
use crate::calendar::Calendar;
use crate::procedure::Procedure;

/// The day a stage is due: stages before the visit count back from its first day, the
/// others from its last day. (See [`stage_days`] for the on-site stage of a visit of
/// several days.)
pub fn stage_due(cal: &Calendar, offset: i32, visit_start: NaiveDate, visit_end: NaiveDate) -> NaiveDate {
    if offset < 0 { cal.add_working_days(visit_start, offset) } else { cal.add_working_days(visit_end, offset) }
}

/// The first and last day of stage `index` of a procedure, as the procedure means them:
/// stages before the visit count back from its first day; the first stage at T (offset
/// 0, on site) runs from the visit's first day to its last — the venue is set up on the
/// first day; later stages at T (the close-down) fall on the last day, and stages after
/// the visit count on from it.
pub fn stage_days(
    cal: &Calendar,
    procedure: &Procedure,
    index: usize,
    visit_start: NaiveDate,
    visit_end: NaiveDate,
) -> (NaiveDate, NaiveDate) {
    let stages = &procedure.stages;
    let offset = stages.get(index).map_or(0, |s| s.offset_working_days);
    let on_site = offset == 0 && !stages[..index.min(stages.len())].iter().any(|s| s.offset_working_days == 0);
    if on_site {
        (visit_start, visit_end.max(visit_start))
    } else {
        let due = stage_due(cal, offset, visit_start, visit_end);
        (due, due)
    }
}

/// The proposal deadline (the first stage's, T-5 working days in the company's procedure).
pub fn proposal_deadline(cal: &Calendar, procedure: &Procedure, visit_start: NaiveDate) -> NaiveDate {
    let offset = procedure.stages.first().map(|s| s.offset_working_days).unwrap_or(-5);
    cal.add_working_days(visit_start, offset.min(0))
}

/// Working days a request submitted on `submitted` is late for a visit starting
/// `visit_start`: 0 when on time (on or before the proposal deadline).
pub fn late_working_days(cal: &Calendar, procedure: &Procedure, visit_start: NaiveDate, submitted: NaiveDate) -> u32 {
    let deadline = proposal_deadline(cal, procedure, visit_start);
    if submitted <= deadline {
        return 0;
    }
    // At least one: a request made on a day off after the deadline is still late.
    cal.working_days_between(deadline, submitted).max(1) as u32
}

/// Where a stage stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, strum::IntoStaticStr, strum::VariantArray)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum StageStatus {
    /// Finished.
    Done,
    /// Past its day and not finished.
    Overdue,
    /// The first unfinished stage.
    Next,
    /// Later.
    Upcoming,
    /// The reception was cancelled or rejected.
    Stopped,
}

/// One stage on a reception's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineEntry {
    /// The stage key.
    pub stage: String,
    /// Its day (its first day, for the on-site stage of a visit of several days).
    pub due: NaiveDate,
    /// Its last day: the visit's last day for the on-site stage, else `due`.
    pub until: NaiveDate,
    /// Finished.
    pub done: bool,
    /// Where it stands today.
    pub status: StageStatus,
}

/// The stages a state has finished: approval finishes the proposal; opening the day
/// finishes every stage before the on-site one, wrapping up finishes the on-site stage,
/// and closing finishes them all.
fn stages_done(procedure: &Procedure, state: State) -> usize {
    let on_site = procedure.stages.iter().position(|s| s.key == "on_site").unwrap_or(procedure.stages.len());
    match state {
        State::Closed => procedure.stages.len(),
        State::Closing => (on_site + 1).min(procedure.stages.len()),
        State::OnSite => on_site,
        s if s.is_approved() => 1,
        _ => 0,
    }
}

/// The timeline of a reception: every stage of its procedure version with its day on
/// the working-day calendar.
pub fn timeline(
    cal: &Calendar,
    procedure: &Procedure,
    visit_start: NaiveDate,
    visit_end: NaiveDate,
    state: State,
    today: NaiveDate,
) -> Vec<TimelineEntry> {
    let done = stages_done(procedure, state);
    let mut next_given = false;
    procedure
        .stages
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let (due, until) = stage_days(cal, procedure, i, visit_start, visit_end);
            let is_done = i < done;
            let status = if is_done {
                StageStatus::Done
            } else if state.is_stopped() {
                StageStatus::Stopped
            } else if until < today {
                StageStatus::Overdue
            } else if !next_given {
                next_given = true;
                StageStatus::Next
            } else {
                StageStatus::Upcoming
            };
            TimelineEntry { stage: s.key.clone(), due, until, done: is_done, status }
        })
        .collect()
}
