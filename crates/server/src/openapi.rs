//! The OpenAPI document, assembled from the route table: each API route brings the path
//! and schemas of its handlers' `#[utoipa::path]`, so a route cannot exist without being
//! documented, nor be documented under another path than it is served at.
//!
//! The answers every route shares are added here, from what the route table knows, rather
//! than written on each handler: the errors the layers and extractors answer (400, 401, 403,
//! 404, 409, 413, 415, 422, 431, 503), all `application/problem+json` with the `Problem` schema,
//! and the `Idempotency-Key` header of the routes that create something. A handler's own
//! annotation still declares what only it answers (a 403 of its own, a 409, a 422), and its
//! description wins.

use axum::http::Method;
use axum::response::{IntoResponse, Response};
use jiedai_domain::Permission;
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::path::{Operation, ParameterBuilder, ParameterIn, PathItem};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{
    AnyOfBuilder, ArrayItems, KnownFormat, ObjectBuilder, Schema, SchemaFormat, SchemaType, Type,
};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Ref, RefOr, Required};
use utoipa::{Modify, OpenApi};

use crate::render::{Problem, ProblemField};
use crate::route::RouteSpec;

/// The media type of every error answer of the API (RFC 9457).
pub const PROBLEM_JSON: &str = "application/problem+json";

/// A text of nothing but whitespace (as Rust's `str::trim` sees it), empty included.
pub const BLANK_PATTERN: &str = "^[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$";

/// What a date the service takes looks like: `YYYY-MM-DD`, a real day of the years 2000–2100
/// (`jiedai_domain::bounds`). Given to every `format: date` of what requests carry (and so of
/// what is stored from them); a date the service works out, such as a stage's deadline, may
/// fall outside.
pub const DATE_PATTERN: &str = "^(?:(?:20[0-9]{2}|2100)-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-\
     (?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))|20(?:[02468][048]|[13579][26])-02-29)$";

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
    info(title = "Jiedai API", description = "Client receptions run end to end. Authenticate with `Authorization: Bearer <token>` (create one with `jiedai token create USERNAME` or on the account page). Errors are RFC 9457 problem documents (`application/problem+json`) with a stable `code`. Every POST that creates something takes an `Idempotency-Key` header: a repeat with the same key and body answers what the first answered and creates nothing; with another body, 422. Dates are `YYYY-MM-DD` within the years 2000–2100; local times (a reception's arrival, departure and pick-up) are `YYYY-MM-DDTHH:MM:SS` without an offset, in the company's time zone; instants (`created_at`…) are RFC 3339 in UTC."),
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
        for (path, mut item) in paths.paths {
            complete_path(spec, &path, &mut item);
            match doc.paths.paths.get_mut(&path) {
                Some(existing) => existing.merge_operations(item),
                None => {
                    doc.paths.paths.insert(path, item);
                }
            }
        }
        doc.components.get_or_insert_with(Default::default).schemas.extend(schemas);
    }
    let taken = schemas_taken(&doc);
    if let Some(c) = doc.components.as_mut() {
        for (name, schema) in c.schemas.iter_mut() {
            if taken.contains(name) {
                date_patterns(schema);
            }
        }
    }
    doc
}

/// The names of the component schemas that requests carry, directly or inside another.
fn schemas_taken(doc: &utoipa::openapi::OpenApi) -> std::collections::BTreeSet<String> {
    let mut todo = Vec::new();
    for item in doc.paths.paths.values() {
        for op in [&item.get, &item.put, &item.post, &item.delete, &item.patch].into_iter().flatten() {
            for p in op.parameters.iter().flatten() {
                p.schema.iter().for_each(|s| refs(s, &mut todo));
            }
            for content in op.request_body.iter().flat_map(|b| b.content.values()) {
                content.schema.iter().for_each(|s| refs(s, &mut todo));
            }
        }
    }
    let components = doc.components.as_ref().map(|c| &c.schemas);
    let mut taken = std::collections::BTreeSet::new();
    while let Some(name) = todo.pop() {
        if let (true, Some(schema)) = (taken.insert(name.clone()), components.and_then(|c| c.get(&name))) {
            refs(schema, &mut todo);
        }
    }
    taken
}

/// The component schemas a schema names.
fn refs(schema: &RefOr<Schema>, out: &mut Vec<String>) {
    let schema = match schema {
        RefOr::Ref(r) => {
            out.extend(r.ref_location.strip_prefix("#/components/schemas/").map(str::to_owned));
            return;
        }
        RefOr::T(s) => s,
    };
    match schema {
        Schema::Object(o) => o.properties.values().for_each(|s| refs(s, out)),
        Schema::Array(a) => {
            if let ArrayItems::RefOrSchema(items) = &a.items {
                refs(items, out);
            }
        }
        Schema::AllOf(s) => s.items.iter().for_each(|s| refs(s, out)),
        Schema::AnyOf(s) => s.items.iter().for_each(|s| refs(s, out)),
        Schema::OneOf(s) => s.items.iter().for_each(|s| refs(s, out)),
        _ => {}
    }
}

/// Gives every date of a schema the pattern of the dates the service takes.
fn date_patterns(schema: &mut RefOr<Schema>) {
    let RefOr::T(schema) = schema else { return };
    match schema {
        Schema::Object(o) => {
            if o.format == Some(SchemaFormat::KnownFormat(KnownFormat::Date)) && o.pattern.is_none() {
                o.pattern = Some(DATE_PATTERN.to_owned());
            }
            o.properties.values_mut().for_each(date_patterns);
        }
        Schema::Array(a) => {
            if let ArrayItems::RefOrSchema(items) = &mut a.items {
                date_patterns(items);
            }
        }
        Schema::AllOf(s) => s.items.iter_mut().for_each(date_patterns),
        Schema::AnyOf(s) => s.items.iter_mut().for_each(date_patterns),
        Schema::OneOf(s) => s.items.iter_mut().for_each(date_patterns),
        _ => {}
    }
}

/// A parameter is sent or not, never null: `Option<T>` says only that it may be left out.
fn not_null(schema: &mut RefOr<Schema>) {
    if let RefOr::T(Schema::Object(o)) = schema
        && let SchemaType::Array(types) = &o.schema_type
    {
        let rest: Vec<Type> = types.iter().filter(|t| **t != Type::Null).cloned().collect();
        o.schema_type = match rest.as_slice() {
            [one] => SchemaType::Type(one.clone()),
            _ => SchemaType::Array(rest),
        };
    }
}

/// True for a schema that already takes any string (so also the empty one).
fn any_string(schema: &RefOr<Schema>) -> bool {
    matches!(schema, RefOr::T(Schema::Object(o))
        if o.schema_type == SchemaType::Type(Type::String) && o.pattern.is_none() && o.format.is_none()
            && o.enum_values.is_none() && o.min_length.is_none())
}

/// Adds what every operation of a route shares to each of its operations.
fn complete_path(spec: &RouteSpec, path: &str, item: &mut PathItem) {
    let ops = [
        (Method::GET, &mut item.get),
        (Method::PUT, &mut item.put),
        (Method::POST, &mut item.post),
        (Method::DELETE, &mut item.delete),
        (Method::PATCH, &mut item.patch),
    ];
    for (method, op) in ops {
        if let Some(op) = op {
            complete_operation(spec, path, &method, op);
        }
    }
}

/// The statuses the layers, extractors and shared handlers' code can answer on an operation.
fn shared_statuses(spec: &RouteSpec, path: &str, method: &Method, op: &Operation) -> Vec<u16> {
    let writes = !matches!(*method, Method::GET | Method::HEAD);
    let creates = spec.creates && *method == Method::POST;
    let needs_role = !matches!(spec.permission_for(method), Permission::Public | Permission::SignedIn);
    let mut statuses = vec![400, 401];
    // A role the caller lacks; on a change, also a session cookie without its CSRF token.
    if needs_role || writes {
        statuses.push(403);
    }
    // An id that does not parse or names nothing.
    if path.contains('{') {
        statuses.push(404);
    }
    // A request with the same key still running.
    if creates {
        statuses.push(409);
    }
    if let Some(body) = &op.request_body {
        statuses.push(413);
        // A JSON body sent without `Content-Type: application/json`.
        if body.content.contains_key("application/json") {
            statuses.push(415);
            // A text holding a NUL character (`control_chars`), which no text of the service holds.
            statuses.push(422);
        }
    }
    // A key that is malformed or was sent before with another body.
    if creates && !statuses.contains(&422) {
        statuses.push(422);
    }
    statuses.extend([431, 503]);
    statuses
}

/// What a shared status means.
fn shared_description(status: u16) -> &'static str {
    match status {
        400 => {
            "The request does not parse: a malformed JSON body or query, \
             a path that is not UTF-8 (`malformed_json`, `malformed_query`, `bad_body`)."
        }
        401 => "Not signed in: no token, or one that is unknown, revoked or whose user is disabled (`unauthorized`).",
        403 => {
            "Signed in without the permission this needs (`forbidden`), or a request with a session cookie that \
             changes something without its `X-CSRF-Token` (`csrf_failed`)."
        }
        404 => {
            "No such resource, or none the caller may see; an id that does not parse is not found either (`not_found`)."
        }
        409 => {
            "Conflict: changed by someone else since read (`stale_version`), a unique value taken, or a request with \
             the same `Idempotency-Key` still running (`request_in_progress`)."
        }
        413 => "The body is larger than 1 MiB (`payload_too_large`).",
        415 => "The body is not sent as `application/json` (`unsupported_media_type`).",
        422 => {
            "Invalid input: `errors` names each field and what is wrong with it (`validation_failed`); \
             a text holding a NUL character is one (`control_chars`)."
        }
        431 => "The request's headers are too large.",
        503 => "The database is unavailable, or the request took longer than 30 seconds: retry later.",
        _ => "Error.",
    }
}

fn problem_response(description: &str) -> RefOr<utoipa::openapi::Response> {
    ResponseBuilder::new()
        .description(description)
        .content(PROBLEM_JSON, ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build())
        .build()
        .into()
}

/// Every error answer as a problem document; the shared ones added; the idempotency header.
fn complete_operation(spec: &RouteSpec, path: &str, method: &Method, op: &mut Operation) {
    for status in shared_statuses(spec, path, method, op) {
        op.responses.responses.entry(status.to_string()).or_insert_with(|| problem_response(""));
    }
    for (status, response) in op.responses.responses.iter_mut() {
        let Ok(code) = status.parse::<u16>() else { continue };
        if code < 400 {
            continue;
        }
        let description = match response {
            RefOr::T(r) if !r.description.is_empty() => r.description.clone(),
            _ => shared_description(code).to_owned(),
        };
        *response = problem_response(&description);
    }
    // An optional query parameter sent empty or blank (`?limit=`, what a form sends for a field
    // left blank) is the same as one not sent.
    for p in op.parameters.iter_mut().flatten() {
        if let Some(schema) = p.schema.as_mut() {
            not_null(schema);
            date_patterns(schema);
        }
        if p.parameter_in != ParameterIn::Query || p.required == Required::True {
            continue;
        }
        if let Some(schema) = p.schema.take() {
            p.schema = Some(if any_string(&schema) {
                schema
            } else {
                let empty = ObjectBuilder::new().schema_type(Type::String).pattern(Some(BLANK_PATTERN));
                AnyOfBuilder::new().item(schema).item(empty).into()
            });
        }
    }
    if spec.creates && *method == Method::POST {
        let header = ParameterBuilder::new()
            .name("Idempotency-Key")
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some(
                "Makes the creation safe to retry: a repeat with the same key and the same body answers what the \
                 first answered (with `Idempotent-Replayed: true`) and creates nothing; with another body, 422. \
                 1–128 printable ASCII characters, no spaces.",
            ))
            .schema(Some(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .min_length(Some(1))
                    .max_length(Some(jiedai_app::idempotency::MAX_KEY))
                    .pattern(Some("^[!-~]+$")),
            ))
            .build();
        op.parameters.get_or_insert_with(Vec::new).push(header);
    }
}

/// `GET /api/openapi.json`: the document, made once when the router was built.
pub async fn serve(doc: &'static str) -> Response {
    ([(axum::http::header::CONTENT_TYPE, "application/json")], doc).into_response()
}
