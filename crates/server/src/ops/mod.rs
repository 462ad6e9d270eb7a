//! Operations routes: health, readiness, metrics and static files.

pub mod metrics;

use std::time::Duration;

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

/// `GET /readyz`: the database answers, within the pool's wait (`[database]
/// acquire_timeout_seconds`, 2 s by default) and never much later: `{"status":"ready"}`, or
/// 503 `{"status":"unavailable"}` with `Retry-After`.
pub async fn readyz(State(s): State<AppState>) -> Response {
    let wait = Duration::from_secs(s.settings.database.acquire_timeout_seconds) + Duration::from_millis(500);
    let outcome = match tokio::time::timeout(wait, s.app.ping()).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("no answer in time".to_owned()),
    };
    let (status, body) = match outcome {
        Ok(()) => (StatusCode::OK, r#"{"status":"ready"}"#),
        Err(e) => {
            tracing::warn!(error = %e, "database not ready");
            (StatusCode::SERVICE_UNAVAILABLE, r#"{"status":"unavailable"}"#)
        }
    };
    let mut res = (status, body).into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if status != StatusCode::OK {
        res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
    }
    res
}

/// `GET /favicon.ico`: browsers ask for it; the SVG icon is the real one.
pub async fn favicon() -> Response {
    axum::response::Redirect::permanent("/assets/favicon.svg").into_response()
}

/// `GET /metrics`: the request counters, and the notification deliveries per channel and
/// status (`jiedai_notification_deliveries`, read from the database: every instance's).
pub async fn metrics(State(s): State<AppState>) -> Response {
    let mut text = s.metrics.render();
    if let Ok(counts) = jiedai_app::notify::counts(&s.app).await {
        text.push_str("# HELP jiedai_notification_deliveries Notification deliveries by channel and status.\n");
        text.push_str("# TYPE jiedai_notification_deliveries gauge\n");
        for c in counts {
            let channel = c.channel_id.map_or_else(|| "email".to_owned(), |id| format!("channel-{id}"));
            for (status, n) in c.by_status {
                use jiedai_domain::Code;
                text.push_str(&format!(
                    "jiedai_notification_deliveries{{channel=\"{channel}\",status=\"{}\"}} {n}\n",
                    status.as_str()
                ));
            }
        }
    }
    let mut res = text.into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"));
    res
}
