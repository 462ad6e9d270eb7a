//! The working-day calendar: the year's page, the administrators' additions (later years,
//! company closures, files), and the API.

pub mod api;
pub mod pages;
pub mod routes;

pub use routes::routes;
