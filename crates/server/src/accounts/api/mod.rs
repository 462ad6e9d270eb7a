//! Accounts in the API: one's own account, users, departments and tokens.

pub mod departments;
pub mod me;
pub mod tokens;
pub mod types;
pub mod users;
