//! The satisfaction survey (J10, Attachment 4): guests answer at `/s/{token}` without an
//! account, General Management and the host department on `/receptions/{id}/survey`, where
//! the results, the guests' links with their QR codes and the waiver are too; and the same
//! through the API.

pub mod actions;
pub mod api;
pub mod guest;
pub mod page;
pub mod qr;
pub mod view;

use axum::routing::{get, post};
use jiedai_domain::Permission::{Public, SignedIn};

use crate::route::RouteSpec;

/// The survey's routes.
pub fn routes() -> Vec<RouteSpec> {
    use utoipa_axum::routes;
    vec![
        RouteSpec::api(SignedIn, routes!(api::list_survey_links, api::create_survey_link)).creating(),
        RouteSpec::api(SignedIn, routes!(api::delete_survey_link)),
        RouteSpec::api(SignedIn, routes!(api::survey_results)),
        RouteSpec::api(SignedIn, routes!(api::answer_survey)).creating(),
        RouteSpec::api(SignedIn, routes!(api::waive_survey, api::unwaive_survey)),
        RouteSpec::page("/s/{token}", Public, get(guest::open).post(guest::answer)),
        RouteSpec::page("/receptions/{id}/survey", SignedIn, get(actions::show).post(actions::answer)),
        RouteSpec::page("/receptions/{id}/survey/links", SignedIn, post(actions::create_link)),
        RouteSpec::page("/receptions/{id}/survey/links/{link}/withdraw", SignedIn, post(actions::withdraw_link)),
        RouteSpec::page("/receptions/{id}/survey/waive", SignedIn, post(actions::waive)),
        RouteSpec::page("/receptions/{id}/survey/unwaive", SignedIn, post(actions::unwaive)),
    ]
}
