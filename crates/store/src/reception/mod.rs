//! Receptions: the columns lists filter and sort on (`receptions`), and each request's
//! form in a table beside them (`reception_forms`) as its own versioned record
//! ([`form_record`]). Every change checks the version the caller read and writes its audit
//! record in the same transaction; the audit keeps only the fields that changed.

mod attachment;
mod delegation;
pub mod form_record;
mod list;
mod repo;

pub use attachment::{AttachmentMeta, NewAttachment};

use chrono::{DateTime, NaiveDate, Utc};
use jiedai_domain::reception::{ReceptionForm, State};
use jiedai_domain::{DepartmentId, Fen, ReceptionId, Tier, UserId};

/// A stored reception.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReception {
    /// Id.
    pub id: ReceptionId,
    /// Human code, `JD-2026-0042`.
    pub code: String,
    /// Where it stands.
    pub state: State,
    /// The requesting (host) department.
    pub department_id: DepartmentId,
    /// Who created the request.
    pub requester_id: UserId,
    /// The request as written.
    pub form: ReceptionForm,
    /// First visit day (also inside `form`; kept here for lists).
    pub visit_start: NaiveDate,
    /// Last visit day.
    pub visit_end: NaiveDate,
    /// Submitted after the proposal deadline.
    pub late: bool,
    /// By how many working days.
    pub late_working_days: i32,
    /// When it was (last) submitted.
    pub submitted_at: Option<DateTime<Utc>>,
    /// The procedure version it is planned under.
    pub procedure_version: i32,
    /// The comment of the last return, rejection or cancellation.
    pub state_note: String,
    /// Why it comes after its proposal deadline (asked for when it will be late).
    pub late_reason: String,
    /// Who approved it.
    pub approver_id: Option<UserId>,
    /// The coordinator who took it on.
    pub coordinator_id: Option<UserId>,
    /// Optimistic-locking version.
    pub version: i32,
    /// How many files are attached.
    pub attachment_count: i32,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// A reception as lists show it: its columns, without the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceptionRow {
    /// Id.
    pub id: ReceptionId,
    /// Human code.
    pub code: String,
    /// State.
    pub state: State,
    /// Requesting department.
    pub department_id: DepartmentId,
    /// Requester.
    pub requester_id: UserId,
    /// First visit day.
    pub visit_start: NaiveDate,
    /// Last visit day.
    pub visit_end: NaiveDate,
    /// 来宾单位.
    pub guest_organization: String,
    /// 来宾姓名.
    pub guest_name: String,
    /// 来访目的.
    pub purpose: String,
    /// Tier.
    pub tier: Option<Tier>,
    /// Guests.
    pub headcount: i32,
    /// Budget.
    pub budget: Option<Fen>,
    /// Late request.
    pub late: bool,
    /// Working days late.
    pub late_working_days: i32,
    /// Submitted.
    pub submitted_at: Option<DateTime<Utc>>,
    /// Procedure version.
    pub procedure_version: i32,
    /// Version.
    pub version: i32,
    /// A stored value of the row could not be read (it was written before the checks at the
    /// edge, or by hand): the other fields hold placeholders where it could not.
    pub damaged: bool,
}

/// Which receptions a reader may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every reception (coordinators, finance, administrators).
    All,
    /// Those of these departments, and those the reader requested.
    Limited {
        /// Departments the reader belongs to or heads.
        departments: Vec<DepartmentId>,
        /// The reader.
        requester: UserId,
    },
}

/// Sort orders of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Earliest visit first.
    #[default]
    VisitAsc,
    /// Latest visit first.
    VisitDesc,
    /// Newest request first.
    Newest,
}

/// Where a page starts: after the row a page ended with (the next page), or before the row
/// a page began with (the previous page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    /// That row's first visit day.
    pub visit: NaiveDate,
    /// That row's id.
    pub id: ReceptionId,
    /// True for the rows before it (the previous page), false for those after it.
    pub before: bool,
}

/// Filters of the reception list; all optional.
#[derive(Debug, Clone, Default)]
pub struct ReceptionFilter {
    /// Any of these states (all when empty).
    pub states: Vec<State>,
    /// Visits ending on or after this day.
    pub from: Option<NaiveDate>,
    /// Visits starting on or before this day.
    pub until: Option<NaiveDate>,
    /// The requesting department.
    pub department_id: Option<DepartmentId>,
    /// The tier.
    pub tier: Option<Tier>,
    /// Late requests only (true) or on-time only (false).
    pub late: Option<bool>,
    /// Words (separated by white space) each of which the code, the guest organisation or
    /// the principal guest's name contains: every word must match somewhere.
    pub q: Option<String>,
    /// Requested by this user.
    pub requester_id: Option<UserId>,
    /// Of any of these departments.
    pub departments: Option<Vec<DepartmentId>>,
}

/// Columns a change sets besides the form.
#[derive(Debug, Clone, Default)]
pub struct ReceptionChange {
    /// New form.
    pub form: Option<ReceptionForm>,
    /// New state.
    pub state: Option<State>,
    /// New late flag and working days.
    pub late: Option<(bool, i32)>,
    /// Submission time.
    pub submitted_at: Option<DateTime<Utc>>,
    /// Procedure version.
    pub procedure_version: Option<i32>,
    /// Comment of the transition (return, reject, cancel) shown on the reception until the
    /// next transition, which clears it.
    pub state_note: Option<String>,
    /// What the person acting wrote, on any transition: kept in the history (the audit
    /// record's `comment`), with its line breaks.
    pub comment: Option<String>,
    /// Approver.
    pub approver_id: Option<UserId>,
    /// Coordinator.
    pub coordinator_id: Option<UserId>,
    /// Why the request is late.
    pub late_reason: Option<String>,
    /// The approver a deputy acted for (kept in the history's record as `on_behalf_of`).
    pub on_behalf_of: Option<UserId>,
    /// Tasks to write with the change (the task division generated when it is taken on).
    pub tasks: Vec<crate::NewTask>,
    /// Events the change causes, written into the outbox in its transaction.
    pub events: Vec<crate::NewEvent>,
    /// The item list to write with the change (generated when it is taken on): lines from
    /// stock are reserved if enough is free, else to be rented or bought.
    pub items: Vec<crate::NewItemLine>,
    /// Bookings proposed from the form when it is taken on: each written if it clashes
    /// with nothing, else left for the coordinator.
    pub bookings: Vec<crate::NewBooking>,
    /// A change loaded as history (demo data of the past): its tasks are assigned without
    /// telling anyone.
    pub quiet: bool,
}
