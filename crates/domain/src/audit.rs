//! The audit log's records: who did something, and one line of the log.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::ids::{AuditId, UserId};

/// Who did something, for the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Actor {
    /// The acting user, if a user acted.
    pub user_id: Option<UserId>,
    /// A label: the username, or `cli`, `system`, `setup`.
    pub label: String,
    /// The client address, for web requests.
    pub ip: Option<String>,
}

impl Actor {
    /// The command-line tool, run by an operator on the server.
    pub fn cli() -> Self {
        Self { user_id: None, label: "cli".into(), ip: None }
    }

    /// The program itself (demo data, maintenance).
    pub fn system() -> Self {
        Self { user_id: None, label: "system".into(), ip: None }
    }
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    /// Id, increasing with time.
    pub id: AuditId,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// Acting user id.
    pub actor_user_id: Option<UserId>,
    /// Acting label.
    pub actor_label: String,
    /// Kind of entity: `user`, `department`, `token`, `session`.
    pub entity: String,
    /// Which one.
    pub entity_id: Option<String>,
    /// What was done: `create`, `update`, `login`, `login_failed`…
    pub action: String,
    /// JSON of the entity before, if it existed.
    pub before: Option<String>,
    /// JSON of the entity after, if it still exists.
    pub after: Option<String>,
    /// Client address.
    pub ip: Option<String>,
}
