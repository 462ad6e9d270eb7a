//! The routes of procedure, each with the permission it needs; `router.rs` joins them.

use axum::routing::{get, post};
use jiedai_domain::Permission::{ManageProcedure, SignedIn};

use super::{api, pages};
use crate::route::RouteSpec;

/// The routes of the procedure.
pub fn routes() -> Vec<RouteSpec> {
    use pages::{diff, editor, manage, show};
    use utoipa_axum::routes;
    vec![
        RouteSpec::page("/procedure", SignedIn, get(show::show)),
        RouteSpec::page("/procedure/diff", SignedIn, get(diff::diff)),
        RouteSpec::page("/admin/procedure", ManageProcedure, get(manage::manage)),
        RouteSpec::page("/admin/procedure/tiers", ManageProcedure, post(manage::set_tiers)),
        RouteSpec::page("/admin/procedure/import", ManageProcedure, post(manage::import)),
        RouteSpec::page(
            "/admin/procedure/{section}",
            ManageProcedure,
            get(editor::edit_section).post(editor::save_section),
        ),
        RouteSpec::api(SignedIn, routes!(api::get_procedure, api::replace_procedure)).writes_need(ManageProcedure),
        RouteSpec::api(SignedIn, routes!(api::get_version)),
    ]
}
