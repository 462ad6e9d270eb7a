//! Accounts' pages: signing in, set-up, one's account and tokens, users and departments.

pub mod account;
pub mod departments;
pub mod signin;
pub mod users;

pub use crate::i18n::keys::role as role_key;
