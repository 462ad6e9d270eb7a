//! The routes of accounts, each with the permission it needs; `router.rs` joins them.

use axum::routing::{get, post};
use jiedai_domain::Permission::{ManageDepartments, ManageUsers, Public, SignedIn};

use super::{api, pages};
use crate::route::RouteSpec;

/// The routes of accounts.
pub fn routes() -> Vec<RouteSpec> {
    use pages::{account, departments, signin, users};
    use utoipa_axum::routes;
    vec![
        RouteSpec::page("/setup", Public, get(signin::setup_page).post(signin::setup_submit)),
        RouteSpec::page("/login", Public, get(signin::login_page).post(signin::login_submit)),
        RouteSpec::page("/logout", Public, post(signin::logout)),
        RouteSpec::page("/language", Public, post(signin::switch_language)),
        RouteSpec::page("/account", SignedIn, get(account::show_account)),
        RouteSpec::page("/account/password", SignedIn, post(account::change_password)),
        RouteSpec::page("/account/language", SignedIn, post(account::change_language)),
        RouteSpec::page("/account/tokens", SignedIn, get(account::show_tokens).post(account::create_token)),
        RouteSpec::page("/account/tokens/{id}/revoke", SignedIn, post(account::revoke_token)),
        RouteSpec::page("/admin/users", ManageUsers, get(users::list_users).post(users::create_user)).creating(),
        RouteSpec::page("/admin/users/new", ManageUsers, get(users::new_user)),
        RouteSpec::page("/admin/users/{id}", ManageUsers, get(users::edit_user).post(users::update_user)),
        RouteSpec::page("/admin/users/{id}/password", ManageUsers, post(users::reset_password)),
        RouteSpec::page("/admin/tokens/{id}/revoke", ManageUsers, post(users::revoke_token)),
        RouteSpec::page(
            "/admin/departments",
            ManageDepartments,
            get(departments::list_departments).post(departments::create_department),
        )
        .creating(),
        RouteSpec::page(
            "/admin/departments/{id}",
            ManageDepartments,
            get(departments::edit_department).post(departments::update_department),
        ),
        RouteSpec::api(SignedIn, routes!(api::me::get_me, api::me::update_me)),
        RouteSpec::api(SignedIn, routes!(api::me::change_my_password)),
        RouteSpec::api(ManageUsers, routes!(api::users::list_users, api::users::create_user)).creating(),
        RouteSpec::api(ManageUsers, routes!(api::users::get_user, api::users::update_user)),
        RouteSpec::api(
            ManageDepartments,
            routes!(api::departments::list_departments, api::departments::create_department),
        )
        .creating(),
        RouteSpec::api(
            ManageDepartments,
            routes!(api::departments::get_department, api::departments::update_department),
        ),
        RouteSpec::api(SignedIn, routes!(api::tokens::list_tokens, api::tokens::create_token)).creating(),
        RouteSpec::api(SignedIn, routes!(api::tokens::revoke_token)),
    ]
}
