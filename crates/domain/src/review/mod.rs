//! The review meeting (总结例会) after a reception and the improvement actions it decides:
//! what minutes must say (when, who attended, each group's report, the decisions), when
//! they may be written, what an action must be, and when an open action is overdue.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::field::{FieldError, FieldErrors};
use crate::ids::{ReceptionId, UserId};
use crate::procedure::Group;
use crate::reception::State;

#[cfg(test)]
mod tests;

/// Longest report of a group (what went well, what fell short), decisions or done note.
pub const MAX_TEXT: usize = 2000;
/// Longest name of an attendee from outside the user list.
pub const MAX_NAME: usize = 64;
/// Most attendees (users and other names together).
pub const MAX_ATTENDEES: usize = 200;
/// Longest improvement action.
pub const MAX_WHAT: usize = 200;
/// Longest note of an action (done, applied).
pub const MAX_NOTE: usize = 500;

/// One group's report at the meeting.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupReport {
    /// The group (`driver`, `guest`, `logistics`, `process`, `service`).
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "logistics"))]
    pub group: String,
    /// What went well.
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub went_well: String,
    /// What fell short.
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub fell_short: String,
}

/// The minutes of a review meeting, as written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MinutesInput {
    /// When the meeting was held (RFC 3339); not in the future.
    pub held_at: Option<DateTime<Utc>>,
    /// The people of the company who attended (user ids).
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<i32>))]
    pub attendee_ids: Vec<UserId>,
    /// Others who attended, by name.
    pub other_attendees: Vec<String>,
    /// Each group's report, one per group.
    pub reports: Vec<GroupReport>,
    /// What was decided.
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub decisions: String,
}

/// Trims a text and checks it: required or not, at most `max` characters, no control
/// characters but line breaks.
fn text(errs: &mut FieldErrors, field: &str, raw: &str, required: bool, max: usize) -> String {
    let s = raw.trim();
    if required && s.is_empty() {
        errs.push(FieldError::new(field, "required"));
    } else if s.chars().count() > max {
        errs.push(FieldError::with_limit(field, "too_long", max));
    } else if s.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        errs.push(FieldError::new(field, "control_chars"));
    }
    s.to_owned()
}

impl MinutesInput {
    /// Trimmed and checked, every problem at once: held not later than `now` (five minutes'
    /// grace for clocks), at least one attendee, each group reported once, lengths. Blank
    /// reports and blank names are dropped.
    pub fn check(&self, now: DateTime<Utc>) -> Result<MinutesInput, FieldErrors> {
        let mut errs = FieldErrors::new();
        match self.held_at {
            None => errs.push(FieldError::new("held_at", "required")),
            Some(t) if t > now + Duration::minutes(5) => errs.push(FieldError::new("held_at", "in_future")),
            Some(_) => {}
        }
        let mut ids: Vec<UserId> = Vec::new();
        for id in &self.attendee_ids {
            if !ids.contains(id) {
                ids.push(*id);
            }
        }
        let mut others: Vec<String> = Vec::new();
        for name in &self.other_attendees {
            let n = text(&mut errs, "other_attendees", name, false, MAX_NAME);
            if !n.is_empty() && !others.contains(&n) {
                others.push(n);
            }
        }
        if ids.is_empty() && others.is_empty() {
            errs.push(FieldError::new("attendee_ids", "no_attendees"));
        } else if ids.len() + others.len() > MAX_ATTENDEES {
            errs.push(FieldError::with_limit("attendee_ids", "too_many", MAX_ATTENDEES));
        }
        let mut reports: Vec<GroupReport> = Vec::new();
        for r in &self.reports {
            let went_well = text(&mut errs, "went_well", &r.went_well, false, MAX_TEXT);
            let fell_short = text(&mut errs, "fell_short", &r.fell_short, false, MAX_TEXT);
            let group = r.group.trim();
            if went_well.is_empty() && fell_short.is_empty() {
                continue;
            }
            match <Group as crate::Code>::parse(group) {
                None => errs.push(FieldError::new("group", "unknown_group")),
                Some(_) if reports.iter().any(|o| o.group == group) => {
                    errs.push(FieldError::new("group", "group_reported_twice"));
                }
                Some(_) => reports.push(GroupReport { group: group.to_owned(), went_well, fell_short }),
            }
        }
        let decisions = text(&mut errs, "decisions", &self.decisions, false, MAX_TEXT);
        let m = MinutesInput { held_at: self.held_at, attendee_ids: ids, other_attendees: others, reports, decisions };
        errs.into_result().map(|()| m)
    }
}

/// Whether minutes may be written on a reception in `state`: once its day has begun (on
/// site, closing); read-only once closed; never on one stopped (cancelled, rejected) or not
/// yet on its day. The error is the conflict's code.
pub fn may_record(state: State) -> Result<(), &'static str> {
    match state {
        State::OnSite | State::Closing => Ok(()),
        State::Closed => Err("review_read_only"),
        State::Cancelled | State::Rejected => Err("review_stopped"),
        _ => Err("review_too_early"),
    }
}

/// Where an improvement action stands.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ActionState {
    /// Still to do.
    #[default]
    Open,
    /// Done, with a note.
    Done,
}

/// Which actions a list shows.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ActionFilter {
    /// Not done (overdue ones too).
    Open,
    /// Not done, and due before today.
    Overdue,
    /// Done.
    Done,
}

/// An action is overdue when it is not done and its due day is before `today`: on the due
/// day itself it is not. Plain calendar days, not working days — an action due on a Friday
/// is overdue on the Saturday, and so on the Monday after.
pub fn is_overdue(state: ActionState, due_on: NaiveDate, today: NaiveDate) -> bool {
    state == ActionState::Open && due_on < today
}

/// An improvement action as written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionInput {
    /// What is to be done (improved next time).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub what: String,
    /// Who sees to it (a user id).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i32>))]
    pub owner_id: Option<UserId>,
    /// By when (a day).
    pub due_on: Option<NaiveDate>,
}

/// An action checked: every value there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    /// What is to be done.
    pub what: String,
    /// Who sees to it.
    pub owner_id: UserId,
    /// By when.
    pub due_on: NaiveDate,
}

impl ActionInput {
    /// Trimmed and checked, every problem at once (whether the owner is an active person is
    /// looked up by the caller).
    pub fn check(&self) -> Result<Action, FieldErrors> {
        let mut errs = FieldErrors::new();
        let what = text(&mut errs, "what", &self.what, true, MAX_WHAT);
        if self.owner_id.is_none() {
            errs.push(FieldError::new("owner_id", "required"));
        }
        let due = match self.due_on {
            None => {
                errs.push(FieldError::new("due_on", "required"));
                None
            }
            Some(d) => errs.check(crate::bounds::date("due_on", d)),
        };
        errs.into_result()?;
        match (self.owner_id, due) {
            (Some(owner_id), Some(due_on)) => Ok(Action { what, owner_id, due_on }),
            _ => Err(FieldErrors::new()),
        }
    }
}

/// The note of an action marked done: required, at most [`MAX_NOTE`] characters.
pub fn done_note(raw: &str) -> Result<String, FieldErrors> {
    let mut errs = FieldErrors::new();
    let note = text(&mut errs, "done_note", raw, true, MAX_NOTE);
    errs.into_result().map(|()| note)
}

/// The note of a lesson applied on a later reception: optional, at most [`MAX_NOTE`].
pub fn applied_note(raw: &str) -> Result<String, FieldErrors> {
    let mut errs = FieldErrors::new();
    let note = text(&mut errs, "note", raw, false, MAX_NOTE);
    errs.into_result().map(|()| note)
}

/// A lesson may be applied on a reception other than the one it came from, while that one
/// is still being prepared or carried out.
pub fn may_apply(action_from: ReceptionId, on: ReceptionId, state: State) -> Result<(), &'static str> {
    if action_from == on {
        return Err("lesson_own_reception");
    }
    if !state.is_under_way() {
        return Err("reception_not_under_way");
    }
    Ok(())
}
