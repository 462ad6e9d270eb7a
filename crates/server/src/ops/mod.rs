//! Operations routes: health, readiness, metrics and static files.

pub mod metrics;

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use jiedai_domain::Permission::Public;
use tower_http::compression::CompressionLayer;

use crate::assets;
use crate::route::RouteSpec;
use crate::state::AppState;

/// The routes of operations.
pub fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::page("/healthz", Public, get(healthz)).without_context(),
        RouteSpec::page("/readyz", Public, get(readyz)).without_context(),
        RouteSpec::page("/metrics", Public, get(metrics).layer(CompressionLayer::new())).without_context(),
        RouteSpec::page("/assets/{file}", Public, get(assets::serve_asset)),
        RouteSpec::page("/favicon.ico", Public, get(favicon)).without_context(),
    ]
}

/// `GET /healthz`: the process is up.
pub async fn healthz() -> &'static str {
    "ok"
}

/// `GET /readyz`: the database answers.
pub async fn readyz(State(s): State<AppState>) -> Response {
    match s.app.ping().await {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "database not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// `GET /favicon.ico`: browsers ask for it; the SVG icon is the real one.
pub async fn favicon() -> Response {
    axum::response::Redirect::permanent("/assets/favicon.svg").into_response()
}

/// `GET /metrics`.
pub async fn metrics(State(s): State<AppState>) -> Response {
    let mut res = s.metrics.render().into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"));
    res
}
