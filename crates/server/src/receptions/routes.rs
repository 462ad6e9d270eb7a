//! The routes of receptions, each with the permission it needs; `router.rs` joins them.

use axum::routing::{get, post};
use jiedai_domain::Permission::{RequestReception, SignedIn};

use super::attachments::{self, UPLOAD_BODY_BYTES};
use super::{api, api_copy, delegation, pages};
use crate::route::RouteSpec;

/// The routes of receptions.
pub fn routes() -> Vec<RouteSpec> {
    use pages::{act, export, form, list, show};
    use utoipa_axum::routes;
    vec![
        RouteSpec::page("/receptions", SignedIn, get(list::list).post(form::create))
            .writes_need(RequestReception)
            .creating(),
        RouteSpec::page("/receptions/new", RequestReception, get(form::new_form)),
        RouteSpec::page("/receptions/{id}", SignedIn, get(show::show)),
        RouteSpec::page("/receptions.xlsx", SignedIn, get(export::list_xlsx)),
        RouteSpec::page("/receptions/{id}/print", SignedIn, get(export::print)),
        RouteSpec::page("/receptions/{id}/application.xlsx", SignedIn, get(export::application_xlsx)),
        RouteSpec::page("/receptions/{id}/edit", SignedIn, get(form::edit_form).post(form::save)),
        RouteSpec::page("/receptions/{id}/copy", SignedIn, post(form::copy)).writes_need(RequestReception),
        RouteSpec::page("/receptions/{id}/attachments", SignedIn, post(attachments::upload_page))
            .body_limit(UPLOAD_BODY_BYTES),
        RouteSpec::page("/receptions/{id}/attachments/{attachment}/delete", SignedIn, post(attachments::delete_page)),
        RouteSpec::page("/receptions/{id}/{action}", SignedIn, get(act::confirm).post(act::act)),
        RouteSpec::page("/account/delegation", SignedIn, get(delegation::show).post(delegation::save)),
        RouteSpec::api(SignedIn, routes!(api::list_receptions, api::create_reception))
            .writes_need(RequestReception)
            .creating(),
        RouteSpec::api(SignedIn, routes!(api::get_reception, api::update_reception)),
        RouteSpec::api(SignedIn, routes!(api::act_on_reception)),
        RouteSpec::api(SignedIn, routes!(api_copy::copy_reception)).writes_need(RequestReception).creating(),
        RouteSpec::api(SignedIn, routes!(attachments::upload)).body_limit(UPLOAD_BODY_BYTES),
        RouteSpec::api(SignedIn, routes!(attachments::download, attachments::delete)),
        RouteSpec::api(SignedIn, routes!(delegation::get_delegation, delegation::put_delegation)),
    ]
}
