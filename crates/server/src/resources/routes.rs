//! The routes of rooms, cars and material, each with the permission it needs; `router.rs`
//! joins them.

use axum::routing::{get, post};
use jiedai_domain::Permission::{ManageResources, SignedIn};

use super::{
    api, bookings_api, bookings_page, items_api, items_changes, items_page, items_print, lost_found_api,
    lost_found_page, pages, schedule, stock_page,
};
use crate::route::RouteSpec;

/// The routes of rooms, cars and material.
pub fn routes() -> Vec<RouteSpec> {
    use utoipa_axum::routes;
    vec![
        RouteSpec::api(SignedIn, routes!(api::list_rooms, api::create_room)).writes_need(ManageResources).creating(),
        RouteSpec::api(SignedIn, routes!(api::get_room, api::put_room)).writes_need(ManageResources),
        RouteSpec::api(SignedIn, routes!(api::list_vehicles, api::create_vehicle))
            .writes_need(ManageResources)
            .creating(),
        RouteSpec::api(SignedIn, routes!(api::get_vehicle, api::put_vehicle)).writes_need(ManageResources),
        RouteSpec::api(SignedIn, routes!(api::list_stock, api::create_stock)).writes_need(ManageResources).creating(),
        RouteSpec::api(SignedIn, routes!(api::get_stock, api::put_stock, api::delete_stock))
            .writes_need(ManageResources),
        RouteSpec::api(SignedIn, routes!(api::stock_movements)),
        RouteSpec::api(SignedIn, routes!(bookings_api::reception_bookings, bookings_api::create_booking))
            .writes_need(ManageResources)
            .creating(),
        RouteSpec::api(ManageResources, routes!(bookings_api::delete_booking)),
        RouteSpec::api(SignedIn, routes!(bookings_api::availability)),
        RouteSpec::api(SignedIn, routes!(items_api::reception_items, items_api::add_item))
            .writes_need(ManageResources)
            .creating(),
        RouteSpec::api(ManageResources, routes!(items_api::put_item, items_api::delete_item)),
        RouteSpec::api(ManageResources, routes!(items_api::count_out)),
        RouteSpec::api(ManageResources, routes!(items_api::count_back)),
        RouteSpec::api(SignedIn, routes!(lost_found_api::reception_lost_found, lost_found_api::add_lost_found))
            .writes_need(ManageResources)
            .creating(),
        RouteSpec::api(ManageResources, routes!(lost_found_api::open_lost_found)),
        RouteSpec::api(ManageResources, routes!(lost_found_api::return_lost_found)),
        RouteSpec::page("/receptions/{id}/items", SignedIn, get(items_page::items_page).post(items_changes::add))
            .writes_need(ManageResources),
        RouteSpec::page("/receptions/{id}/items/print", SignedIn, get(items_print::print)),
        RouteSpec::page("/receptions/{id}/items.xlsx", SignedIn, get(items_print::xlsx)),
        RouteSpec::page("/receptions/{id}/items/count-out", ManageResources, post(items_changes::count_out)),
        RouteSpec::page("/receptions/{id}/items/{line}", ManageResources, post(items_changes::save)),
        RouteSpec::page("/receptions/{id}/items/{line}/delete", ManageResources, post(items_changes::delete)),
        RouteSpec::page("/receptions/{id}/items/{line}/count-back", ManageResources, post(items_changes::count_back)),
        RouteSpec::page("/receptions/{id}/bookings", ManageResources, post(bookings_page::book)),
        RouteSpec::page("/receptions/{id}/bookings/{booking}/delete", ManageResources, post(bookings_page::cancel)),
        RouteSpec::page("/receptions/{id}/lost-found", ManageResources, post(lost_found_page::record)),
        RouteSpec::page("/lost-found", ManageResources, get(lost_found_page::lost_found)),
        RouteSpec::page("/lost-found/{id}/return", ManageResources, post(lost_found_page::give_back)),
        RouteSpec::page("/resources", SignedIn, get(pages::resources_page)),
        RouteSpec::page("/resources/rooms", ManageResources, post(pages::add_room)),
        RouteSpec::page("/resources/rooms/{id}", ManageResources, post(pages::save_room)),
        RouteSpec::page("/resources/vehicles", ManageResources, post(pages::add_vehicle)),
        RouteSpec::page("/resources/vehicles/{id}", ManageResources, post(pages::save_vehicle)),
        RouteSpec::page("/resources/schedule", SignedIn, get(schedule::schedule)),
        RouteSpec::page("/stock", ManageResources, get(stock_page::stock_page).post(stock_page::add_stock)),
        RouteSpec::page("/stock/{id}", ManageResources, get(stock_page::ledger).post(stock_page::save_stock)),
        RouteSpec::page("/stock/{id}/delete", ManageResources, post(stock_page::delete_stock)),
    ]
}
