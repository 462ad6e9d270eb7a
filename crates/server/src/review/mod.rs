//! The review meeting (总结例会) after a reception and its improvement actions (J10): the
//! minutes on a page, on paper and through the API; the actions tracked on `/actions`; the
//! lessons of earlier receptions on a later one's planning page.

pub mod actions_api;
pub mod actions_page;
pub mod api;
pub mod lessons;
pub mod page;
pub mod print;
pub mod routes;
mod view;
