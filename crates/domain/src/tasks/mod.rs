//! The task division (分工推进表, Attachment 2): the tasks a reception's form asks for, from
//! the task template of the procedure version it was planned under, each due on the
//! working-day calendar; a task's status and how it moves; what makes it overdue.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::field::{FieldError, FieldErrors};
use crate::ids::UserId;
use crate::procedure::{Group, Phase, Procedure, TaskTemplate};
use crate::reception::ReceptionForm;

#[cfg(test)]
mod tests;

/// Where a task stands.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum TaskStatus {
    /// Not started.
    Todo,
    /// Under way.
    Doing,
    /// Finished.
    Done,
    /// Not needed after all (with a reason).
    Waived,
}

impl TaskStatus {
    /// Finished or waived: nothing is left to do.
    pub fn is_settled(self) -> bool {
        matches!(self, TaskStatus::Done | TaskStatus::Waived)
    }
}

/// What the people of a task do with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantArray)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum TaskAction {
    /// To do → under way.
    Start,
    /// To do or under way → finished.
    Done,
    /// Finished or waived → to do again.
    Reopen,
    /// To do or under way → waived (a reason is needed).
    Waive,
}

impl TaskAction {
    /// The status the action leads to from `from`, if it applies there.
    pub fn next(self, from: TaskStatus) -> Option<TaskStatus> {
        use TaskStatus::*;
        match (self, from) {
            (TaskAction::Start, Todo) => Some(Doing),
            (TaskAction::Done, Todo | Doing) => Some(Done),
            (TaskAction::Reopen, Done | Waived) => Some(Todo),
            (TaskAction::Waive, Todo | Doing) => Some(Waived),
            _ => None,
        }
    }
}

/// The day a task is due, `offset` working days from the visit: tasks before the visit
/// count back from its first day; at T, tasks before the visit and on site fall on its first
/// day (the venue is set up on the first day) and close-down tasks on its last day; tasks
/// after the visit count on from its last day.
pub fn task_due(cal: &Calendar, phase: Phase, offset: i32, visit_start: NaiveDate, visit_end: NaiveDate) -> NaiveDate {
    let visit_end = visit_end.max(visit_start);
    match offset {
        o if o < 0 => cal.add_working_days(visit_start, o),
        0 if phase == Phase::CloseDown => visit_end,
        0 => visit_start,
        o => cal.add_working_days(visit_end, o),
    }
}

/// A task as the template and the form make it, before anyone is assigned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedTask {
    /// Phase.
    pub phase: Phase,
    /// Group.
    pub group: Group,
    /// Work item, in Chinese.
    pub title_zh: String,
    /// Work item, in English.
    pub title_en: String,
    /// Duties, in Chinese.
    pub duties_zh: String,
    /// Duties, in English.
    pub duties_en: String,
    /// Due day.
    pub due: NaiveDate,
    /// Due time of day, if any.
    pub due_time: Option<NaiveTime>,
}

/// The tasks a reception's form asks for, in the template's order: each template task
/// without a condition, or whose condition the form asks for, due on the working-day
/// calendar. The driver's pickup is due when the form says the guests are picked up.
pub fn plan_tasks(cal: &Calendar, procedure: &Procedure, form: &ReceptionForm) -> Vec<PlannedTask> {
    let (Some(start), end) = (form.visit_start, form.visit_end) else {
        return Vec::new();
    };
    let end = end.unwrap_or(start);
    procedure
        .tasks
        .iter()
        .filter(|t| t.when.as_deref().is_none_or(|w| form.asks_for(w)))
        .map(|t| planned(cal, t, form, start, end))
        .collect()
}

fn planned(cal: &Calendar, t: &TaskTemplate, form: &ReceptionForm, start: NaiveDate, end: NaiveDate) -> PlannedTask {
    let pickup = (t.when.as_deref() == Some("pickup_car")).then_some(form.pickup_car.at).flatten();
    let (due, due_time) = match pickup {
        Some(at) => (at.date(), Some(at.time())),
        None => (task_due(cal, t.phase, t.due_offset_working_days, start, end), t.due_time),
    };
    PlannedTask {
        phase: t.phase,
        group: t.group,
        title_zh: t.item_zh.clone(),
        title_en: t.item_en.clone(),
        duties_zh: t.duties_zh.clone(),
        duties_en: t.duties_en.clone(),
        due,
        due_time,
    }
}

/// A task is overdue when it is not finished or waived and its moment has passed: its time
/// on its day, or the end of its day when it has no time.
pub fn is_overdue(status: TaskStatus, due: NaiveDate, due_time: Option<NaiveTime>, now: NaiveDateTime) -> bool {
    if status.is_settled() {
        return false;
    }
    match due_time {
        Some(t) => now > due.and_time(t),
        None => now.date() > due,
    }
}

/// Where a task stands in a person's week: what "my tasks" groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum Bucket {
    /// Past its moment, not done or waived.
    Overdue,
    /// Due today.
    Today,
    /// Due later this week (to Sunday).
    ThisWeek,
    /// Due after this week.
    Later,
    /// Done or waived.
    Settled,
}

/// The bucket of a task at `now` (the company's local time).
pub fn bucket(status: TaskStatus, due: NaiveDate, due_time: Option<NaiveTime>, now: NaiveDateTime) -> Bucket {
    use chrono::Datelike;
    let today = now.date();
    if status.is_settled() {
        Bucket::Settled
    } else if is_overdue(status, due, due_time, now) || due < today {
        Bucket::Overdue
    } else if due == today {
        Bucket::Today
    } else if due.iso_week() == today.iso_week() {
        Bucket::ThisWeek
    } else {
        Bucket::Later
    }
}

/// Who does a task: the responsible (责任人) and the assistant (辅助人).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Assignment {
    /// 责任人.
    pub responsible: Option<UserId>,
    /// 辅助人.
    pub assistant: Option<UserId>,
}

impl Assignment {
    /// The problems of an assignment: an assistant who is the responsible, an assistant
    /// without a responsible.
    pub fn check(&self) -> FieldErrors {
        let mut errs = FieldErrors::new();
        if self.assistant.is_some() && self.assistant == self.responsible {
            errs.push(FieldError::new("assistant_id", "assistant_is_responsible"));
        }
        if self.assistant.is_some() && self.responsible.is_none() {
            errs.push(FieldError::new("responsible_id", "responsible_needed_with_assistant"));
        }
        errs
    }

    /// The person holds this task (as responsible or assistant).
    pub fn holds(&self, user: UserId) -> bool {
        self.responsible == Some(user) || self.assistant == Some(user)
    }
}

/// A task's place in time, for finding one person's on-site tasks that overlap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    /// Day.
    pub day: NaiveDate,
    /// Time, if any (a task without a time takes its whole day).
    pub time: Option<NaiveTime>,
}

/// Two on-site tasks of one person clash when they fall on the same day at the same time,
/// or on the same day when either has no time (it may take the whole day).
pub fn slots_clash(a: Slot, b: Slot) -> bool {
    a.day == b.day && (a.time.is_none() || b.time.is_none() || a.time == b.time)
}
