//! The routes of the reports; `router.rs` joins them.

use axum::routing::get;
use jiedai_domain::Permission::ViewReports;

use super::{api, page};
use crate::route::RouteSpec;

/// The routes of the reports.
pub fn routes() -> Vec<RouteSpec> {
    use utoipa_axum::routes;
    vec![
        RouteSpec::api(ViewReports, routes!(api::summary)),
        RouteSpec::page("/reports", ViewReports, get(page::reports_page)),
        RouteSpec::page("/reports.xlsx", ViewReports, get(page::reports_xlsx)),
    ]
}
