//! Accounts: users and their roles, departments and their heads, API tokens, browser
//! sessions, and failed sign-ins (for throttling).

mod departments;
mod sessions;
mod throttle;

pub use throttle::Attempt;
mod tokens;
mod users;

pub(crate) use users::hydrate;
pub use users::{NewUser, UserUpdate};
