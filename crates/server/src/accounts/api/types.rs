//! Request and response bodies of the API.

use chrono::{DateTime, Utc};
use jiedai_domain::{ApiToken, Code, Department, Role, User};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A user.
#[derive(Serialize, ToSchema)]
pub struct UserResponse {
    /// Numeric id.
    pub id: i32,
    /// Login name.
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// Department id.
    pub department_id: Option<i32>,
    /// Department name.
    pub department: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Preferred language: `zh-CN` or `en`.
    #[schema(pattern = "^(?:zh-CN|en)$")]
    pub language: String,
    /// Role identifiers: requester, approver, coordinator, staff, finance, admin.
    #[schema(value_type = Vec<Role>)]
    pub roles: Vec<String>,
    /// False when disabled.
    pub active: bool,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
    /// Version; send it back when updating.
    pub version: i32,
}

impl From<User> for UserResponse {
    fn from(u: User) -> Self {
        Self {
            id: u.id.get(),
            username: u.username,
            display_name: u.display_name,
            department_id: u.department_id.map(|d| d.get()),
            department: u.department_name,
            phone: u.phone,
            email: u.email,
            language: u.language.tag().to_owned(),
            roles: u.roles.iter().map(|r: Role| r.as_str().to_owned()).collect(),
            active: u.active,
            created_at: u.created_at,
            updated_at: u.updated_at,
            version: u.version,
        }
    }
}

/// A list of users.
#[derive(Serialize, ToSchema)]
pub struct UserList {
    /// The users, by username.
    pub items: Vec<UserResponse>,
    /// Cursor of the next page; always null (the list is whole).
    pub next: Option<String>,
}

/// A new user.
#[derive(Deserialize, ToSchema)]
pub struct CreateUserRequest {
    /// Login name: 2–32 of a-z, 0-9, `.`, `_`, `-`, starting with a letter or digit; trimmed and
    /// stored lower-cased (upper-case letters are taken and lowered); unique.
    #[schema(
        pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*[A-Za-z0-9][A-Za-z0-9._-]{1,31}[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$"
    )]
    pub username: String,
    /// Name shown: 1–64 characters once trimmed, no control characters.
    #[schema(
        pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000](?:[^\\x00-\\x1f\\x7f-\\x9f]{0,62}[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000])?[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$"
    )]
    pub display_name: String,
    /// Initial password, 8–128 characters, not only spaces; without one (null or empty) the
    /// user cannot sign in yet.
    #[serde(default)]
    #[schema(max_length = 128, pattern = "^(?:|[^\\x00]{8,})$")]
    pub password: Option<String>,
    /// Department id.
    #[serde(default)]
    pub department_id: Option<i32>,
    /// Phone, optional: a mainland mobile (11 digits, 1[3-9]…), a landline with its area code
    /// (0…, 10–16 digits), or `+` and 7–15 digits; spaces and dashes may separate the digits; at
    /// most 24 characters once trimmed.
    #[serde(default)]
    #[schema(
        pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*(?:\\+(?:[ -]*[0-9]){7,15}[ -]*|1 *[3-9](?: *[0-9]){9}|[ -]*0(?:[ -]*[0-9]){9,15}[ -]*)?[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$"
    )]
    pub phone: Option<String>,
    /// E-mail, optional: one `@`, a dotted domain, no spaces; at most 254 bytes.
    #[serde(default)]
    #[schema(
        pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*(?:[^@\\s\\x00-\\x1f\\x7f-\\x9f]+@[^@.\\s\\x00-\\x1f\\x7f-\\x9f]+(?:\\.[^@.\\s\\x00-\\x1f\\x7f-\\x9f]+)+)?[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$"
    )]
    pub email: Option<String>,
    /// `zh-CN` (default) or `en`; any `zh-…` or `en-…` tag, in any case, is read as one of them.
    #[serde(default)]
    #[schema(
        pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*(?:(?:[zZ][hH]|[eE][nN])(?:-[^\\x00]*)?[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*)?$"
    )]
    pub language: Option<String>,
    /// Role identifiers.
    #[serde(default)]
    #[schema(value_type = Vec<Role>)]
    pub roles: Vec<String>,
}

/// A user's new profile, roles and state.
#[derive(Deserialize, ToSchema)]
pub struct UpdateUserRequest {
    /// Name shown: 1–64 characters once trimmed, no control characters.
    #[schema(
        pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000](?:[^\\x00-\\x1f\\x7f-\\x9f]{0,62}[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000])?[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$"
    )]
    pub display_name: String,
    /// Department id.
    #[serde(default)]
    pub department_id: Option<i32>,
    /// Phone, optional: a mainland mobile (11 digits, 1[3-9]…), a landline with its area code
    /// (0…, 10–16 digits), or `+` and 7–15 digits; spaces and dashes may separate the digits; at
    /// most 24 characters once trimmed.
    #[serde(default)]
    #[schema(
        pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*(?:\\+(?:[ -]*[0-9]){7,15}[ -]*|1 *[3-9](?: *[0-9]){9}|[ -]*0(?:[ -]*[0-9]){9,15}[ -]*)?[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$"
    )]
    pub phone: Option<String>,
    /// E-mail, optional: one `@`, a dotted domain, no spaces; at most 254 bytes.
    #[serde(default)]
    #[schema(
        pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*(?:[^@\\s\\x00-\\x1f\\x7f-\\x9f]+@[^@.\\s\\x00-\\x1f\\x7f-\\x9f]+(?:\\.[^@.\\s\\x00-\\x1f\\x7f-\\x9f]+)+)?[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$"
    )]
    pub email: Option<String>,
    /// `zh-CN` (default) or `en`; any `zh-…` or `en-…` tag, in any case, is read as one of them.
    #[serde(default)]
    #[schema(
        pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*(?:(?:[zZ][hH]|[eE][nN])(?:-[^\\x00]*)?[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*)?$"
    )]
    pub language: Option<String>,
    /// Role identifiers; one's own `admin` cannot be dropped.
    #[serde(default)]
    #[schema(value_type = Vec<Role>)]
    pub roles: Vec<String>,
    /// False disables the account and ends its sessions (not one's own).
    pub active: bool,
    /// The version read; a stale one answers 409.
    pub version: i32,
}

/// Changes to one's own account.
#[derive(Deserialize, ToSchema)]
pub struct UpdateMeRequest {
    /// `zh-CN` or `en`; any `zh-…` or `en-…` tag, in any case, is read as one of them.
    #[schema(
        pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*(?:[zZ][hH]|[eE][nN])(?:-[^\\x00]*)?[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$"
    )]
    pub language: String,
}

/// A password change.
#[derive(Deserialize, ToSchema)]
pub struct ChangePasswordRequest {
    /// The current password.
    #[schema(pattern = "^[^\\x00]*$")]
    pub current_password: String,
    /// The new password, 8–128 characters, not only spaces.
    #[schema(
        min_length = 8,
        max_length = 128,
        pattern = "^[^\\x00]*[^\\x00\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\x00]*$"
    )]
    pub new_password: String,
}

/// A department.
#[derive(Serialize, ToSchema)]
pub struct DepartmentResponse {
    /// Numeric id.
    pub id: i32,
    /// Name.
    pub name: String,
    /// Head's user id.
    pub head_user_id: Option<i32>,
    /// Head's name.
    pub head_name: Option<String>,
    /// Active members.
    pub member_count: i64,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
    /// Version; send it back when updating.
    pub version: i32,
}

impl From<Department> for DepartmentResponse {
    fn from(d: Department) -> Self {
        Self {
            id: d.id.get(),
            name: d.name,
            head_user_id: d.head_user_id.map(|u| u.get()),
            head_name: d.head_name,
            member_count: d.member_count,
            updated_at: d.updated_at,
            version: d.version,
        }
    }
}

/// A list of departments.
#[derive(Serialize, ToSchema)]
pub struct DepartmentList {
    /// The departments, by name.
    pub items: Vec<DepartmentResponse>,
    /// Always null (the list is whole).
    pub next: Option<String>,
}

/// A new or changed department.
#[derive(Deserialize, ToSchema)]
pub struct DepartmentRequest {
    /// Name: 1–64 characters once trimmed, no control characters; unique.
    #[schema(
        pattern = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000](?:[^\\x00-\\x1f\\x7f-\\x9f]{0,62}[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000])?[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$"
    )]
    pub name: String,
    /// Head's user id.
    #[serde(default)]
    pub head_user_id: Option<i32>,
    /// The version read (updates only).
    #[serde(default)]
    pub version: Option<i32>,
}

/// An API token, without its secret.
#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    /// Numeric id (to revoke).
    pub id: i32,
    /// Owner's username.
    pub username: String,
    /// Label.
    pub name: String,
    /// First characters of the secret.
    pub prefix: String,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last used (to the minute).
    pub last_used_at: Option<DateTime<Utc>>,
    /// Revoked at.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<ApiToken> for TokenResponse {
    fn from(t: ApiToken) -> Self {
        Self {
            id: t.id.get(),
            username: t.username,
            name: t.name,
            prefix: t.prefix,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            revoked_at: t.revoked_at,
        }
    }
}

/// A list of tokens.
#[derive(Serialize, ToSchema)]
pub struct TokenList {
    /// Newest first.
    pub items: Vec<TokenResponse>,
    /// Always null.
    pub next: Option<String>,
}

/// A new token's label.
#[derive(Deserialize, ToSchema)]
pub struct CreateTokenRequest {
    /// Label: up to 64 characters once trimmed, no control characters; empty or only spaces
    /// (the default): `api`.
    #[serde(default)]
    #[schema(
        pattern = "^(?:[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*|[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000](?:[^\\x00-\\x1f\\x7f-\\x9f]{0,62}[^\\x00-\\x1f\\x7f-\\x9f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000])?[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*)$"
    )]
    pub name: String,
}

/// A new token: the secret is shown this once.
#[derive(Serialize, ToSchema)]
pub struct CreatedToken {
    /// The stored token.
    pub token: TokenResponse,
    /// The secret for `Authorization: Bearer`; null when a repeat with the same
    /// `Idempotency-Key` answers again (the secret is shown once).
    pub secret: Option<String>,
}
