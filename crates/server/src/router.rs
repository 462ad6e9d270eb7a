//! Every route in one place, each with the permission it needs. The table drives
//! both the router and the test that walks every route with every role.

use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, Request, StatusCode, header};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::IntoResponse;
use axum::routing::{MethodRouter, delete, get, post};
use jiedai_domain::Permission::{self, *};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

use crate::app::AppState;
use crate::error::AppError;
use crate::{api, assets, auth, ops, pages, render};

/// One route: its path, the permissions it needs, and its handlers by method.
pub struct RouteSpec {
    /// The path template.
    pub path: &'static str,
    /// What the requester must hold to read (GET, HEAD).
    pub permission: Permission,
    /// What the requester must hold to change (POST, PUT, PATCH, DELETE).
    pub write_permission: Permission,
    /// The handlers.
    pub handlers: MethodRouter<AppState>,
}

impl RouteSpec {
    /// The permission a method needs on this route.
    pub fn permission_for(&self, method: &axum::http::Method) -> Permission {
        if matches!(*method, axum::http::Method::GET | axum::http::Method::HEAD) {
            self.permission
        } else {
            self.write_permission
        }
    }
}

fn r(path: &'static str, permission: Permission, handlers: MethodRouter<AppState>) -> RouteSpec {
    RouteSpec { path, permission, write_permission: permission, handlers }
}

/// A route whose reading and changing need different permissions.
fn rw(path: &'static str, read: Permission, write: Permission, handlers: MethodRouter<AppState>) -> RouteSpec {
    RouteSpec { path, permission: read, write_permission: write, handlers }
}

/// The route table.
pub fn routes() -> Vec<RouteSpec> {
    use pages::{
        account, admin_audit, admin_departments as depts, admin_procedure, admin_users as users, auth as login,
        calendar, home, procedure, procedure_editor, reception_exports, receptions,
    };
    vec![
        // Operations and static files.
        r("/healthz", Public, get(ops::healthz)),
        r("/readyz", Public, get(ops::readyz)),
        r("/metrics", Public, get(ops::metrics)),
        r("/assets/{file}", Public, get(assets::serve_asset)),
        r("/favicon.ico", Public, get(ops::favicon)),
        r("/api/openapi.json", Public, get(api::openapi_json)),
        // Pages.
        r("/setup", Public, get(login::setup_page).post(login::setup_submit)),
        r("/login", Public, get(login::login_page).post(login::login_submit)),
        r("/logout", Public, post(login::logout)),
        r("/language", Public, post(login::switch_language)),
        r("/", SignedIn, get(home::home)),
        r("/account", SignedIn, get(account::show_account)),
        r("/account/password", SignedIn, post(account::change_password)),
        r("/account/language", SignedIn, post(account::change_language)),
        r("/account/tokens", SignedIn, get(account::show_tokens).post(account::create_token)),
        r("/account/tokens/{id}/revoke", SignedIn, post(account::revoke_token)),
        r("/admin/users", ManageUsers, get(users::list_users).post(users::create_user)),
        r("/admin/users/new", ManageUsers, get(users::new_user)),
        r("/admin/users/{id}", ManageUsers, get(users::edit_user).post(users::update_user)),
        r("/admin/users/{id}/password", ManageUsers, post(users::reset_password)),
        r("/admin/tokens/{id}/revoke", ManageUsers, post(users::revoke_token)),
        r("/admin/departments", ManageDepartments, get(depts::list_departments).post(depts::create_department)),
        r("/admin/departments/{id}", ManageDepartments, get(depts::edit_department).post(depts::update_department)),
        r("/admin/audit", ViewAudit, get(admin_audit::audit_page)),
        rw("/receptions", SignedIn, RequestReception, get(receptions::list).post(receptions::create)),
        r("/receptions/new", RequestReception, get(receptions::new_form)),
        r("/receptions/{id}", SignedIn, get(receptions::show)),
        r("/receptions.xlsx", SignedIn, get(reception_exports::list_xlsx)),
        r("/receptions/{id}/print", SignedIn, get(reception_exports::print)),
        r("/receptions/{id}/application.xlsx", SignedIn, get(reception_exports::application_xlsx)),
        r("/receptions/{id}/edit", SignedIn, get(receptions::edit_form).post(receptions::save)),
        r("/receptions/{id}/{action}", SignedIn, get(receptions::confirm).post(receptions::act)),
        r("/calendar", SignedIn, get(calendar::show_year)),
        r("/procedure", SignedIn, get(procedure::show)),
        r("/procedure/diff", SignedIn, get(admin_procedure::diff)),
        r("/admin/procedure", ManageProcedure, get(admin_procedure::manage)),
        r("/admin/procedure/tiers", ManageProcedure, post(admin_procedure::set_tiers)),
        r("/admin/procedure/import", ManageProcedure, post(admin_procedure::import)),
        r(
            "/admin/procedure/{section}",
            ManageProcedure,
            get(procedure_editor::edit_section).post(procedure_editor::save_section),
        ),
        r("/admin/calendar", ManageCalendar, get(calendar::manage).post(calendar::add_day)),
        r("/admin/calendar/import", ManageCalendar, post(calendar::import)),
        r("/admin/calendar/{date}/delete", ManageCalendar, post(calendar::delete_day)),
        // API.
        r("/api/v1/me", SignedIn, get(api::me::get_me).patch(api::me::update_me)),
        r("/api/v1/me/password", SignedIn, post(api::me::change_my_password)),
        r("/api/v1/users", ManageUsers, get(api::users::list_users).post(api::users::create_user)),
        r("/api/v1/users/{id}", ManageUsers, get(api::users::get_user).put(api::users::update_user)),
        r(
            "/api/v1/departments",
            ManageDepartments,
            get(api::departments::list_departments).post(api::departments::create_department),
        ),
        r(
            "/api/v1/departments/{id}",
            ManageDepartments,
            get(api::departments::get_department).put(api::departments::update_department),
        ),
        r("/api/v1/tokens", SignedIn, get(api::tokens::list_tokens).post(api::tokens::create_token)),
        r("/api/v1/tokens/{id}", SignedIn, delete(api::tokens::revoke_token)),
        r("/api/v1/audit", ViewAudit, get(api::audit::list_audit)),
        rw(
            "/api/v1/calendar/days/{date}",
            SignedIn,
            ManageCalendar,
            get(api::calendar::get_day).delete(api::calendar::delete_day),
        ),
        r("/api/v1/calendar/shift", SignedIn, get(api::calendar::shift)),
        r("/api/v1/calendar/years/{year}", SignedIn, get(api::calendar::get_year)),
        r("/api/v1/calendar/days", ManageCalendar, post(api::calendar::add_days)),
        r("/api/v1/calendar/import", ManageCalendar, post(api::calendar::import)),
        rw(
            "/api/v1/procedure",
            SignedIn,
            ManageProcedure,
            get(api::procedure::get_procedure).put(api::procedure::replace_procedure),
        ),
        r("/api/v1/procedure/versions/{version}", SignedIn, get(api::procedure::get_version)),
        rw(
            "/api/v1/receptions",
            SignedIn,
            RequestReception,
            get(api::receptions::list_receptions).post(api::receptions::create_reception),
        ),
        r(
            "/api/v1/receptions/{id}",
            SignedIn,
            get(api::receptions::get_reception).put(api::receptions::update_reception),
        ),
        r("/api/v1/receptions/{id}/{action}", SignedIn, post(api::receptions::act_on_reception)),
    ]
}

#[derive(Clone, Default)]
struct RequestIds;

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        let id = crate::auth::token::random_hex();
        HeaderValue::from_str(&id[..16]).ok().map(RequestId::new)
    }
}

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

/// The whole application.
pub fn build(state: AppState) -> Router {
    let mut router = Router::new();
    for spec in routes() {
        let handlers = spec
            .handlers
            .route_layer(from_fn_with_state((spec.permission, spec.write_permission), auth::context::enforce))
            .route_layer(from_fn_with_state(state.clone(), ops::track));
        router = router.route(spec.path, handlers);
    }
    let x_request_id = HeaderName::from_static("x-request-id");
    router
        .fallback(|| async { AppError::NotFound })
        .layer(CatchPanicLayer::custom(|_| AppError::Internal(anyhow::anyhow!("handler panicked")).into_response()))
        .layer(from_fn(render::errors))
        .layer(from_fn_with_state(state.clone(), auth::context::resolve))
        .layer(CompressionLayer::new())
        .layer(RequestBodyLimitLayer::new(1024 * 1024))
        .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, Duration::from_secs(30)))
        .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP)))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(PropagateRequestIdLayer::new(x_request_id.clone()))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request<_>| {
                    let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("");
                    tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
                })
                // One line per request at info: status and latency, inside the request's span.
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(SetRequestIdLayer::new(x_request_id, RequestIds))
        .with_state(state)
}
