//! The one place that joins every feature's routes, each with the permission it needs. The
//! table drives the router, the OpenAPI document (API routes take their path from their
//! handler's `#[utoipa::path]`, so route and document cannot drift) and the test that
//! walks every route with every role.

use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::response::IntoResponse;
use axum::routing::get;
use jiedai_domain::Permission::Public;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

use crate::error::AppError;
use crate::layers::{EnvelopeLayer, RouteGuardLayer};
pub use crate::route::RouteSpec;
use crate::state::AppState;
use crate::{accounts, audit, auth, calendar, home, openapi, ops, procedure, receptions, tasks};

pub use crate::route::MAX_BODY_BYTES;

/// Every feature's routes.
fn feature_routes() -> Vec<RouteSpec> {
    [
        ops::routes(),
        accounts::routes(),
        home::routes(),
        receptions::routes(),
        tasks::routes::routes(),
        crate::resources::routes::routes(),
        crate::reports::routes::routes(),
        crate::settlement::routes::routes(),
        crate::review::routes::routes(),
        crate::notify::routes(),
        calendar::routes(),
        procedure::routes(),
        audit::routes(),
        crate::survey::routes(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The OpenAPI document of every API route.
pub fn api_document() -> utoipa::openapi::OpenApi {
    openapi::document(&feature_routes())
}

/// The route table: every feature's routes, and the OpenAPI document made from them.
pub fn routes() -> Vec<RouteSpec> {
    let mut specs = feature_routes();
    let doc = openapi::document(&specs).to_pretty_json().unwrap_or_default();
    let doc: &'static str = Box::leak(doc.into_boxed_str());
    let openapi = get(move || openapi::serve(doc)).layer(CompressionLayer::new());
    specs.push(RouteSpec::page("/api/openapi.json", Public, openapi).without_context());
    specs
}

/// The whole application.
pub fn build(state: AppState) -> Router {
    // Routes that need to know who asks go behind the request context (and the rendering of
    // errors it carries), a time limit, a body limit and compression; the operations routes
    // (GET only, answered from memory or one ping) do without, so a load balancer's health
    // checks cost next to nothing. Every route has the envelope (request id, log line,
    // security headers) and its guard (permission, counting).
    let mut with_context = Router::new();
    let mut without_context = Router::new();
    for spec in routes() {
        let metrics = state.metrics.route(spec.path);
        let mut handlers = spec.handlers;
        if !spec.context {
            let guard = RouteGuardLayer { permissions: None, metrics };
            without_context = without_context.route(spec.path, handlers.route_layer(guard));
            continue;
        }
        if spec.creates {
            handlers = handlers.route_layer(from_fn_with_state(state.clone(), auth::idempotency::idempotent));
        }
        // The body limit sits inside the request context, so that its 413 is rendered like
        // every other error (problem document or page, in the reader's language), and outside
        // whatever reads the body (the idempotency layer included).
        handlers = handlers.route_layer(RequestBodyLimitLayer::new(spec.body_limit));
        let guard = RouteGuardLayer { permissions: Some((spec.permission, spec.write_permission)), metrics };
        with_context = with_context.route(spec.path, handlers.route_layer(guard));
    }
    let timeout = Duration::from_secs(state.settings.server.request_timeout_seconds);
    let envelope = EnvelopeLayer::new(state.secure_cookies());
    with_context
        .fallback(|| async { AppError::NotFound })
        .layer(CatchPanicLayer::custom(|_| AppError::Internal(anyhow::anyhow!("handler panicked")).into_response()))
        .layer(from_fn_with_state(state.clone(), auth::context::resolve))
        .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, timeout))
        .layer(CompressionLayer::new())
        .merge(without_context)
        .layer(envelope)
        .with_state(state)
}
