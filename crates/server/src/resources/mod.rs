//! Rooms, cars and material (J9): keeping rooms, cars and stock; booking them for receptions
//! without clashes; the item list (Attachment 3) counted out and back; lost property.

pub mod api;
pub mod bookings_api;
pub mod bookings_page;
pub mod items_api;
pub mod items_changes;
pub mod items_page;
pub mod items_print;
pub mod items_view;
pub mod lost_found_api;
pub mod lost_found_page;
mod page_form;
pub mod pages;
pub mod routes;
pub mod schedule;
pub mod stock_page;
