//! Reception pages.

pub mod act;
pub mod export;
pub mod form;
pub mod form_state;
mod late;
pub mod list;
pub mod show;
