//! The routes of tasks, each with the permission it needs; `router.rs` joins them.

use axum::routing::{get, post};
use jiedai_domain::Permission::{ManageTeams, Public, SignedIn};

use super::{
    agenda_page, api, board, day_api, feed, pages, plan, plan_changes, print, run_sheet, teams_api, teams_page,
};
use crate::route::RouteSpec;

/// The routes of tasks.
pub fn routes() -> Vec<RouteSpec> {
    use utoipa_axum::routes;
    vec![
        RouteSpec::page("/tasks", SignedIn, get(pages::mine)),
        RouteSpec::page("/tasks/{id}/{step}", SignedIn, post(pages::step)),
        RouteSpec::page("/receptions/{id}/tasks", SignedIn, get(plan::plan)),
        RouteSpec::page("/receptions/{id}/tasks/print", SignedIn, get(print::print)),
        RouteSpec::page("/receptions/{id}/tasks.xlsx", SignedIn, get(print::xlsx)),
        RouteSpec::page("/receptions/{id}/tasks/new", ManageTeams, post(plan_changes::add)),
        RouteSpec::page("/receptions/{id}/tasks/{task}/delete", ManageTeams, post(plan_changes::remove)),
        RouteSpec::page("/receptions/{id}/tasks/{task}/move", ManageTeams, post(plan_changes::reorder)),
        RouteSpec::page("/receptions/{id}/tasks/{task}", SignedIn, post(plan::save)),
        RouteSpec::api(SignedIn, routes!(api::reception_tasks, api::add_task)).writes_need(ManageTeams).creating(),
        RouteSpec::api(SignedIn, routes!(api::my_tasks)),
        RouteSpec::api(SignedIn, routes!(api::act_on_task)),
        RouteSpec::api(ManageTeams, routes!(api::move_task)),
        RouteSpec::api(SignedIn, routes!(api::put_task, api::delete_task)),
        RouteSpec::api(SignedIn, routes!(teams_api::list_teams)),
        RouteSpec::api(ManageTeams, routes!(teams_api::put_team)),
        RouteSpec::page("/admin/teams", ManageTeams, get(teams_page::teams)),
        RouteSpec::page("/board", ManageTeams, get(board::board_page)),
        RouteSpec::api(ManageTeams, routes!(board::board_api)),
        RouteSpec::page("/admin/teams/{id}", ManageTeams, post(teams_page::save)),
        RouteSpec::api(SignedIn, routes!(day_api::get_agenda, day_api::put_agenda)).writes_need(ManageTeams),
        RouteSpec::api(SignedIn, routes!(feed::renew_feed)),
        RouteSpec::page("/feeds/{file}", Public, get(feed::feed)).without_context(),
        RouteSpec::page("/receptions/{id}/run-sheet", SignedIn, get(run_sheet::run_sheet)),
        RouteSpec::page(
            "/receptions/{id}/agenda",
            SignedIn,
            get(agenda_page::agenda_page).post(agenda_page::save_agenda),
        )
        .writes_need(ManageTeams),
        RouteSpec::page("/account/calendar-feed", SignedIn, post(feed::renew_feed_page)),
    ]
}
