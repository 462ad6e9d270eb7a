//! The procedure's pages.

pub mod diff;
pub mod editor;
mod explain;
pub mod manage;
pub mod sections;
pub mod show;
