//! Settlements (财务结算): a reception's expenses and receipts, budget against actual, submit,
//! approve and return, the statement on paper and as a workbook, finance's period exports.

pub mod api;
pub mod export;
pub mod list_page;
pub mod page;
pub mod receipts;
pub mod routes;
pub mod view;
