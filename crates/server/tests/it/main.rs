//! One integration test binary: the real server on 127.0.0.1:0 over a fresh
//! database, on SQLite and (when configured) PostgreSQL.

mod api_accounts;
mod approvals;
mod browser;
mod browser_items;
mod calendar;
mod cli;
mod day;
mod hardening;
mod harness;
mod instances;
mod items_pages;
mod notify;
mod notify_delivery;
mod notify_pages;
mod notify_peers;
mod openapi;
mod pages;
mod paper;
mod permissions;
mod procedure;
mod reception_form;
mod reception_lists;
mod receptions;
mod resources;
mod resources_pages;
mod review;
mod review_pages;
mod security;
mod tasks;
mod tasks_pages;
mod transport;
