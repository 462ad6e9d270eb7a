//! The routes of the review meeting and improvement actions, each with the permission it
//! needs; `router.rs` joins them.

use axum::routing::{get, post};
use jiedai_domain::Permission::{RecordReviews, SignedIn};

use super::{actions_api, actions_page, api, lessons, page, print};
use crate::route::RouteSpec;

/// The routes of the review meeting and improvement actions.
pub fn routes() -> Vec<RouteSpec> {
    use utoipa_axum::routes;
    vec![
        RouteSpec::api(SignedIn, routes!(api::get_review, api::put_review)).writes_need(RecordReviews),
        RouteSpec::api(SignedIn, routes!(api::get_lessons)),
        RouteSpec::api(RecordReviews, routes!(api::apply_lesson)),
        RouteSpec::api(SignedIn, routes!(actions_api::list_actions, actions_api::create_action))
            .writes_need(RecordReviews)
            .creating(),
        RouteSpec::api(SignedIn, routes!(actions_api::put_action)),
        RouteSpec::page("/receptions/{id}/review", SignedIn, get(page::review_page).post(page::save))
            .writes_need(RecordReviews),
        RouteSpec::page("/receptions/{id}/review/actions", RecordReviews, post(page::add_action)),
        RouteSpec::page("/receptions/{id}/review/print", SignedIn, get(print::print)),
        RouteSpec::page("/receptions/{id}/lessons/{action}/apply", RecordReviews, post(lessons::apply)),
        RouteSpec::page("/actions", SignedIn, get(actions_page::actions_page)),
        RouteSpec::page("/actions/{id}/done", SignedIn, post(actions_page::done)),
        RouteSpec::page("/actions/{id}", RecordReviews, post(actions_page::save)),
    ]
}
