//! The task division of receptions (Attachment 2): a reception's tasks and a person's own,
//! moved forward by those who hold them; the day's agenda and run sheet; calendar feeds.

pub mod agenda_page;
pub mod api;
pub mod board;
pub mod day_api;
pub mod feed;
pub mod ics;
pub mod pages;
pub mod plan;
pub mod plan_changes;
pub mod print;
pub mod routes;
pub mod run_sheet;
pub mod teams_api;
pub mod teams_page;
