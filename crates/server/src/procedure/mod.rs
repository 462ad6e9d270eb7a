//! The reception procedure as configuration: the one-page reference for everyone, the
//! administrators' editors (tier standards, each list row by row, a whole file), versions
//! and what changed between two, and the API.

pub mod api;
pub mod pages;
pub mod routes;

pub use routes::routes;
