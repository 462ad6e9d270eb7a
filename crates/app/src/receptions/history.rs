//! A reception's history: every change and action, newest first, from the audit log.

use chrono::{DateTime, Utc};

use super::ReceptionView;
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

/// The history of a reception the viewer sees (the view is the proof that they may).
pub async fn history(app: &App, view: &ReceptionView) -> Result<Vec<HistoryEntry>> {
    Ok(app
        .store()
        .history("reception", &view.r.id.to_string(), MAX_ENTRIES)
        .await?
        .into_iter()
        .map(|h| HistoryEntry {
            at: h.at,
            actor: h.actor_label,
            action: h.action,
            comment: h.comment.unwrap_or_default(),
        })
        .collect())
}
