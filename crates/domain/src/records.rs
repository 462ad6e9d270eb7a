//! Plain records that the store returns and the server shows: accounts, tokens,
//! audit entries. They carry no behaviour beyond what their data implies.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::{Language, RoleSet};

/// A person who signs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Numeric id.
    pub id: i32,
    /// Login name (lower-case).
    pub username: String,
    /// Name as shown.
    pub display_name: String,
    /// Department, if any.
    pub department_id: Option<i32>,
    /// Department name, for display.
    pub department_name: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Preferred interface language.
    pub language: Language,
    /// Disabled users cannot sign in or use tokens.
    pub active: bool,
    /// Roles held.
    pub roles: RoleSet,
    /// When the account was made.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// Optimistic-concurrency version, bumped on every change.
    pub version: i32,
}

/// A department of the company.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Department {
    /// Numeric id.
    pub id: i32,
    /// Name, unique.
    pub name: String,
    /// The head (approver of its requests), if set.
    pub head_user_id: Option<i32>,
    /// The head's display name, for display.
    pub head_name: Option<String>,
    /// How many active users belong to it.
    pub member_count: i64,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// Optimistic-concurrency version.
    pub version: i32,
}

/// A bearer token for the API, without its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    /// Numeric id (used to revoke).
    pub id: i32,
    /// Owner.
    pub user_id: i32,
    /// Owner's username, for display.
    pub username: String,
    /// A label the owner chose.
    pub name: String,
    /// The first characters of the secret, to recognise it.
    pub prefix: String,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it last authenticated a request (to the minute).
    pub last_used_at: Option<DateTime<Utc>>,
    /// When it was revoked, if it was.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Who did something, for the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Actor {
    /// The acting user, if a user acted.
    pub user_id: Option<i32>,
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
    /// Numeric id, increasing with time.
    pub id: i32,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// Acting user id.
    pub actor_user_id: Option<i32>,
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
