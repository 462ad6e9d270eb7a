//! Plain records of accounts that the store returns and the server shows: people,
//! departments, API tokens. They carry no behaviour beyond what their data implies.

use chrono::{DateTime, Utc};

use super::RoleSet;
use crate::Language;
use crate::ids::{DepartmentId, TokenId, UserId};

/// A person who signs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Id.
    pub id: UserId,
    /// Login name (lower-case).
    pub username: String,
    /// Name as shown.
    pub display_name: String,
    /// Department, if any.
    pub department_id: Option<DepartmentId>,
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
    /// Id.
    pub id: DepartmentId,
    /// Name, unique.
    pub name: String,
    /// The head (approver of its requests), if set.
    pub head_user_id: Option<UserId>,
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
    /// Id (used to revoke).
    pub id: TokenId,
    /// Owner.
    pub user_id: UserId,
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
