//! The routes of settlements, each with the permission it needs; `router.rs` joins them.
//! Who may write, submit and decide is the application's (General Management writes and
//! submits, finance decides), as for receptions.

use axum::routing::{get, post};
use jiedai_domain::Permission::{ExportSettlements, Settle, SignedIn};

use super::{api, export, list_page, page, receipts};
use crate::receptions::attachments::UPLOAD_BODY_BYTES;
use crate::route::RouteSpec;

/// The routes of settlements.
pub fn routes() -> Vec<RouteSpec> {
    use utoipa_axum::routes;
    vec![
        RouteSpec::api(SignedIn, routes!(api::list_expenses, api::create_expense)).creating(),
        RouteSpec::api(SignedIn, routes!(api::get_expense, api::put_expense, api::delete_expense)),
        RouteSpec::api(SignedIn, routes!(receipts::upload_receipt)).body_limit(UPLOAD_BODY_BYTES),
        RouteSpec::api(SignedIn, routes!(receipts::download_receipt, receipts::delete_receipt)),
        RouteSpec::api(SignedIn, routes!(api::get_settlement)),
        RouteSpec::api(SignedIn, routes!(api::act_on_settlement)),
        RouteSpec::api(ExportSettlements, routes!(export::settlements_xlsx)),
        RouteSpec::api(ExportSettlements, routes!(export::settlements_csv)),
        RouteSpec::page("/receptions/{id}/settlement", SignedIn, get(page::settlement_page)),
        RouteSpec::page("/receptions/{id}/settlement/print", SignedIn, get(export::print)),
        RouteSpec::page("/receptions/{id}/settlement.xlsx", SignedIn, get(export::statement_xlsx)),
        RouteSpec::page("/receptions/{id}/settlement/expenses", SignedIn, post(page::add)),
        RouteSpec::page("/receptions/{id}/settlement/expenses/{expense}", SignedIn, post(page::save)),
        RouteSpec::page("/receptions/{id}/settlement/expenses/{expense}/delete", SignedIn, post(page::delete)),
        RouteSpec::page(
            "/receptions/{id}/settlement/expenses/{expense}/receipts",
            SignedIn,
            post(receipts::upload_page),
        )
        .body_limit(UPLOAD_BODY_BYTES),
        RouteSpec::page("/receptions/{id}/settlement/receipts/{receipt}/delete", SignedIn, post(receipts::delete_page)),
        RouteSpec::page("/receptions/{id}/settlement/{action}", SignedIn, post(page::act)),
        RouteSpec::page("/settlements", Settle, get(list_page::list)),
    ]
}
