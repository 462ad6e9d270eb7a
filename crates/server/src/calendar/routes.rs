//! The routes of calendar, each with the permission it needs; `router.rs` joins them.

use axum::routing::{get, post};
use jiedai_domain::Permission::{ManageCalendar, SignedIn};

use super::{api, pages};
use crate::route::RouteSpec;

/// The routes of the calendar.
pub fn routes() -> Vec<RouteSpec> {
    use utoipa_axum::routes;
    vec![
        RouteSpec::page("/calendar", SignedIn, get(pages::show_year)),
        RouteSpec::page("/admin/calendar", ManageCalendar, get(pages::manage).post(pages::add_day)),
        RouteSpec::page("/admin/calendar/import", ManageCalendar, post(pages::import)),
        RouteSpec::page("/admin/calendar/{date}/delete", ManageCalendar, post(pages::delete_day)),
        RouteSpec::api(SignedIn, routes!(api::get_day, api::delete_day)).writes_need(ManageCalendar),
        RouteSpec::api(SignedIn, routes!(api::shift)),
        RouteSpec::api(SignedIn, routes!(api::get_year)),
        RouteSpec::api(ManageCalendar, routes!(api::add_days)),
        RouteSpec::api(ManageCalendar, routes!(api::import)),
    ]
}
