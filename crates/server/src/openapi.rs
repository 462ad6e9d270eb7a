//! The OpenAPI document, assembled from the route table: each API route brings the path
//! and schemas of its handlers' `#[utoipa::path]`, so a route cannot exist without being
//! documented, nor be documented under another path than it is served at.

use axum::response::{IntoResponse, Response};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::render::{Problem, ProblemField};
use crate::route::RouteSpec;

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

/// What the document says besides its paths.
#[derive(OpenApi)]
#[openapi(
    info(title = "Jiedai API", description = "Client receptions run end to end. Authenticate with `Authorization: Bearer <token>` (create one with `jiedai token create USERNAME` or on the account page). Errors are RFC 9457 problem documents with a stable `code`. Every POST that creates something takes an `Idempotency-Key` header: a repeat with the same key and body answers what the first answered and creates nothing; with another body, 422."),
    components(schemas(Problem, ProblemField)),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
struct Base;

/// The whole document of these routes.
pub fn document(specs: &[RouteSpec]) -> utoipa::openapi::OpenApi {
    let mut doc = Base::openapi();
    for spec in specs {
        let Some((schemas, paths)) = spec.doc.clone() else { continue };
        for (path, item) in paths.paths {
            match doc.paths.paths.get_mut(&path) {
                Some(existing) => existing.merge_operations(item),
                None => {
                    doc.paths.paths.insert(path, item);
                }
            }
        }
        doc.components.get_or_insert_with(Default::default).schemas.extend(schemas);
    }
    doc
}

/// `GET /api/openapi.json`: the document, made once when the router was built.
pub async fn serve(doc: &'static str) -> Response {
    ([(axum::http::header::CONTENT_TYPE, "application/json")], doc).into_response()
}
