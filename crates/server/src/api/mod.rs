//! The JSON API under `/api/v1`. Each handler carries its `#[utoipa::path]`; the
//! document at `/api/openapi.json` is generated from them.

pub mod audit;
pub mod calendar;
pub mod departments;
pub mod me;
pub mod procedure;
pub mod receptions;
pub mod tokens;
pub mod types;
pub mod users;

use axum::Json;
use axum::response::{IntoResponse, Response};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

pub use crate::extract::{ApiJson, Id, Query};

/// JSON with a status.
pub fn json<T: serde::Serialize>(status: axum::http::StatusCode, v: T) -> Response {
    (status, Json(v)).into_response()
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let c = openapi.components.get_or_insert_with(Default::default);
        c.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    info(title = "Jiedai API", description = "Client receptions run end to end. Authenticate with `Authorization: Bearer <token>` (create one with `jiedai token create USERNAME` or on the account page). Errors are RFC 9457 problem documents with a stable `code`."),
    paths(
        me::get_me,
        me::update_me,
        me::change_my_password,
        users::list_users,
        users::create_user,
        users::get_user,
        users::update_user,
        departments::list_departments,
        departments::create_department,
        departments::get_department,
        departments::update_department,
        tokens::list_tokens,
        tokens::create_token,
        tokens::revoke_token,
        audit::list_audit,
        calendar::get_day,
        calendar::shift,
        calendar::get_year,
        calendar::add_days,
        calendar::import,
        calendar::delete_day,
        procedure::get_procedure,
        procedure::replace_procedure,
        procedure::get_version,
        receptions::list_receptions,
        receptions::create_reception,
        receptions::get_reception,
        receptions::update_reception,
        receptions::act_on_reception,
    ),
    components(schemas(crate::render::Problem, crate::render::ProblemField)),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
pub struct ApiDoc;

/// `GET /api/openapi.json`.
pub async fn openapi_json() -> Response {
    static DOC: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let body = DOC.get_or_init(|| ApiDoc::openapi().to_pretty_json().unwrap_or_default());
    ([(axum::http::header::CONTENT_TYPE, "application/json")], body.as_str()).into_response()
}
