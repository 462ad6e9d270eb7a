//! Receptions: the list, the application form, one reception at a glance, the actions of
//! the workflow, the print view and exports, and the API.

pub mod api;
pub mod api_copy;
pub mod api_history;
pub mod attachments;
pub mod delegation;
pub mod pages;
pub mod paper;
pub mod query;
pub mod routes;
pub mod view;
pub mod workbook;

pub use routes::routes;
