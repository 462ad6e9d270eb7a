//! Reports across receptions: the page with its charts, the workbooks and the JSON summary.

pub mod api;
pub mod page;
pub mod routes;
mod svg;
mod tables;
mod xlsx;
