//! Accounts: signing in and out, first-run set-up, one's own account and API tokens, and
//! the administration of users and departments — pages and API.

pub mod api;
pub mod pages;
pub mod routes;

pub use routes::routes;
