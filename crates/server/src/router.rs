//! The one place that joins every feature's routes, each with the permission it needs. The
//! table drives the router, the OpenAPI document (API routes take their path from their
//! handler's `#[utoipa::path]`, so route and document cannot drift) and the test that
//! walks every route with every role.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use jiedai_domain::Permission::{self, Public};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

use crate::error::AppError;
use crate::ops::metrics::RouteMetrics;
pub use crate::route::RouteSpec;
use crate::state::AppState;
use crate::{accounts, audit, auth, calendar, home, openapi, ops, procedure, receptions};

/// Every feature's routes.
fn feature_routes() -> Vec<RouteSpec> {
    [
        ops::routes(),
        accounts::routes(),
        home::routes(),
        receptions::routes(),
        calendar::routes(),
        procedure::routes(),
        audit::routes(),
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
    specs.push(RouteSpec::page("/api/openapi.json", Public, get(move || openapi::serve(doc))).without_context());
    specs
}

/// Request ids: unique within the process (a random prefix chosen at start and a counter),
/// made without a system call per request.
#[derive(Clone)]
struct RequestIds {
    prefix: u32,
    next: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        HeaderValue::from_str(&format!("{:08x}{:08x}", self.prefix, n as u32)).ok().map(RequestId::new)
    }
}

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

/// What a route's guard knows: the permissions to read and to change, and where to count.
#[derive(Clone)]
struct Guard {
    read: Permission,
    write: Permission,
    metrics: Arc<RouteMetrics>,
}

/// Counts a request under its route's counters, after checking the route's permission (see
/// `auth::context::enforce`).
async fn guard(State(g): State<Guard>, req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let start = std::time::Instant::now();
    let res = auth::context::enforce(g.read, g.write, req, next).await;
    g.metrics.observe(&method, res.status().as_u16(), start.elapsed().as_secs_f64());
    res
}

/// Counts a request of a route without request context.
async fn count(State(m): State<Arc<RouteMetrics>>, req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let start = std::time::Instant::now();
    let res = next.run(req).await;
    m.observe(&method, res.status().as_u16(), start.elapsed().as_secs_f64());
    res
}

/// The whole application.
pub fn build(state: AppState) -> Router {
    // Routes that need to know who asks go behind the request context (and the rendering of
    // errors it carries); the operations routes do without.
    let mut with_context = Router::new();
    let mut without_context = Router::new();
    for spec in routes() {
        let metrics = state.metrics.route(spec.path);
        let mut handlers = spec.handlers;
        if !spec.context {
            without_context =
                without_context.route(spec.path, handlers.route_layer(from_fn_with_state(metrics, count)));
            continue;
        }
        if spec.creates {
            handlers = handlers.route_layer(from_fn_with_state(state.clone(), auth::idempotency::idempotent));
        }
        let g = Guard { read: spec.permission, write: spec.write_permission, metrics };
        with_context = with_context.route(spec.path, handlers.route_layer(from_fn_with_state(g, guard)));
    }
    let x_request_id = HeaderName::from_static("x-request-id");
    let ids = RequestIds {
        prefix: u32::from_str_radix(&jiedai_app::secrets::random_hex()[..8], 16).unwrap_or(0),
        next: Default::default(),
    };
    with_context
        .fallback(|| async { AppError::NotFound })
        .layer(CatchPanicLayer::custom(|_| AppError::Internal(anyhow::anyhow!("handler panicked")).into_response()))
        .layer(from_fn_with_state(state.clone(), auth::context::resolve))
        .merge(without_context)
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
        .layer(SetRequestIdLayer::new(x_request_id, ids))
        .with_state(state)
}
