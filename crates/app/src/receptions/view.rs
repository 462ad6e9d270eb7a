//! One reception as a viewer sees it: its stages on the calendar, the warnings of its form,
//! what the viewer may do now, and the names of its department and requester.

use std::sync::Arc;

use jiedai_domain::procedure::Procedure;
use jiedai_domain::reception::{Action, Check, Standing, TimelineEntry, Viewer, proposal_deadline, timeline};
use jiedai_domain::{Fen, FieldErrors, ReceptionId};
use jiedai_store::{AttachmentMeta, StoredReception};

use crate::{App, Error, Result, accounts};

/// A reception as a viewer sees it.
pub struct ReceptionView {
    /// The stored reception.
    pub r: StoredReception,
    /// The viewer's standing.
    pub standing: Standing,
    /// The stages with their days.
    pub timeline: Vec<TimelineEntry>,
    /// The procedure version it is planned under.
    pub procedure: Arc<Procedure>,
    /// The recommended budget (standard × headcount), when a tier is chosen.
    pub recommended_budget: Option<Fen>,
    /// Unusual values that were accepted.
    pub warnings: FieldErrors,
    /// Years of the timeline whose statutory plan is not in the calendar.
    pub uncovered_years: Vec<i32>,
    /// Actions the viewer may take now.
    pub actions: Vec<Action>,
    /// The requesting department's name.
    pub department: String,
    /// The requester's name.
    pub requester: String,
    /// The proposal deadline (T-5 working days under the procedure in force), when the
    /// first visit day is known.
    pub proposal_deadline: Option<chrono::NaiveDate>,
    /// Submitted today, the request would be late (after its proposal deadline).
    pub late_if_submitted_today: bool,
    /// The files attached to it.
    pub attachments: Vec<AttachmentMeta>,
    /// The approver's name, once approved.
    pub approver: Option<String>,
}

impl ReceptionView {
    /// True when the viewer may change the request's content.
    pub fn editable(&self) -> bool {
        self.standing.may_edit(self.r.state)
    }
}

/// The view of a stored reception for a viewer (who may see it).
pub async fn view_of(app: &App, viewer: &Viewer, r: StoredReception) -> Result<ReceptionView> {
    let standing = standing_of(app, viewer, &r).await?;
    let procedure = app.procedure(r.procedure_version).await?;
    let cal = app.calendar().await?;
    let today = app.today();
    // A copy whose dates are still to be written has no timeline yet.
    let timeline = match r.form.visit_start {
        Some(_) => timeline(&cal, &procedure, r.visit_start, r.visit_end, r.state, today),
        None => Vec::new(),
    };
    // Lateness is judged by the procedure in force (the one a submission today is under).
    let current = app.current_procedure().await?;
    let deadline = r.form.visit_start.map(|start| proposal_deadline(&cal, &current.procedure, start));
    let approver = match r.approver_id {
        Some(a) if r.state.is_approved() => Some(accounts::display_name(app, a).await?),
        _ => None,
    };
    let mut uncovered_years: Vec<i32> =
        timeline.iter().map(|t| chrono::Datelike::year(&t.due)).filter(|y| !cal.covers_year(*y)).collect();
    uncovered_years.dedup();
    Ok(ReceptionView {
        warnings: r.form.check(Check::Draft, today, &procedure).warnings,
        actions: standing.available_actions(r.state, r.form.visit_start.unwrap_or(chrono::NaiveDate::MAX), today),
        proposal_deadline: deadline,
        late_if_submitted_today: deadline.is_some_and(|d| today > d),
        // Most receptions hold none: their count says so without a query.
        attachments: if r.attachment_count > 0 { app.store().list_attachments(r.id).await? } else { Vec::new() },
        approver,
        department: accounts::department_name(app, r.department_id).await?,
        requester: accounts::display_name(app, r.requester_id).await?,
        recommended_budget: r.form.recommended_budget(&procedure),
        r,
        standing,
        timeline,
        procedure,
        uncovered_years,
    })
}

/// A stored reception and the viewer's standing, if the viewer may see it (else "not
/// found": its existence is not told).
pub(crate) async fn visible(app: &App, viewer: &Viewer, id: ReceptionId) -> Result<(StoredReception, Standing)> {
    let r = app.store().get_reception(id).await?;
    let standing = standing_to_see(app, viewer, &r).await?;
    Ok((r, standing))
}

/// How the viewer stands towards a reception: by their roles and department, and — only
/// when these do not let them see it — whether they hold one of its tasks.
async fn standing_of(app: &App, viewer: &Viewer, r: &StoredReception) -> Result<Standing> {
    let mut standing = viewer.standing(r.requester_id, r.department_id);
    if !standing.may_view() {
        standing.holds_task = app.store().holds_task_in(viewer.user_id, r.id).await?;
    }
    Ok(standing)
}

/// The viewer's standing towards a reception they may see; else "not found".
pub(super) async fn standing_to_see(app: &App, viewer: &Viewer, r: &StoredReception) -> Result<Standing> {
    let standing = standing_of(app, viewer, r).await?;
    if !standing.may_view() {
        return Err(Error::NotFound);
    }
    Ok(standing)
}

/// One reception, if the viewer may see it.
pub async fn get(app: &App, viewer: &Viewer, id: ReceptionId) -> Result<ReceptionView> {
    let (r, _) = visible(app, viewer, id).await?;
    view_of(app, viewer, r).await
}
