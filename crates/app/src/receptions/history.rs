//! A reception's history: every change and action, newest first, from the audit log.

use chrono::{DateTime, Utc};

use super::ReceptionView;
use crate::{App, Result, audit};

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
    let q = audit::AuditQuery {
        entity: Some("reception".into()),
        entity_id: Some(view.r.id.to_string()),
        ..Default::default()
    };
    Ok(audit::list(app, &q, MAX_ENTRIES)
        .await?
        .into_iter()
        .map(|a| {
            let after: serde_json::Value =
                a.after.as_deref().and_then(|s| serde_json::from_str(s).ok()).unwrap_or_default();
            HistoryEntry {
                at: a.at,
                actor: a.actor_label,
                action: a.action,
                comment: after.get("comment").and_then(|c| c.as_str()).unwrap_or("").to_owned(),
            }
        })
        .collect())
}
