//! The procedure's pages.

pub mod editor;
pub mod manage;
pub mod sections;
pub mod show;
