//! A reception's history: every change and action, newest first, from the audit log, read
//! with the reception itself.

use chrono::{DateTime, Utc};

use jiedai_domain::ReceptionId;
use jiedai_domain::reception::Viewer;

use super::view::{ReceptionView, standing_to_see, view_of};
use crate::{App, Result};

/// How many entries a history shows at most.
const MAX_ENTRIES: u64 = 100;

/// One entry of a reception's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    /// When.
    pub at: DateTime<Utc>,
    /// Who (their username, or `cli`, `system`).
    pub actor: String,
    /// What: `create`, `update`, or an action (`submit`, `take-on`…).
    pub action: String,
    /// The comment given with it, if any.
    pub comment: String,
}

/// One reception, if the viewer may see it, and its history (newest first, at most
/// [`MAX_ENTRIES`]), read together: its page shows both.
pub async fn get_with_history(
    app: &App,
    viewer: &Viewer,
    id: ReceptionId,
) -> Result<(ReceptionView, Vec<HistoryEntry>)> {
    let (r, history) = app.store().get_reception_with_history(id, MAX_ENTRIES).await?;
    standing_to_see(viewer, &r)?;
    let history = history
        .into_iter()
        .map(|h| HistoryEntry {
            at: h.at,
            actor: h.actor_label,
            action: h.action,
            comment: h.comment.unwrap_or_default(),
        })
        .collect();
    Ok((view_of(app, viewer, r).await?, history))
}

/// Who approved a request and when: the paper form's "部门负责人是否已批准" answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    /// The approver's name (display name, else the username the history keeps).
    pub by: String,
    /// When they approved (the latest approval in the history).
    pub at: DateTime<Utc>,
}

/// One reception, if the viewer may see it, and its approval (if it was approved), read
/// with its history: the print view answers the paper's approval line with both.
pub async fn get_with_approval(
    app: &App,
    viewer: &Viewer,
    id: ReceptionId,
) -> Result<(ReceptionView, Option<Approval>)> {
    let (v, history) = get_with_history(app, viewer, id).await?;
    let approve = jiedai_domain::Code::as_str(jiedai_domain::reception::Action::Approve);
    // Newest first: the first approval found is the one in force.
    let Some(entry) = history.iter().find(|h| h.action == approve) else {
        return Ok((v, None));
    };
    let by = match v.r.approver_id {
        Some(id) => Some(crate::accounts::display_name(app, id).await?).filter(|n| !n.is_empty()),
        None => None,
    };
    let approval = Approval { by: by.unwrap_or_else(|| entry.actor.clone()), at: entry.at };
    Ok((v, Some(approval)))
}
