//! Jiedai (接待): client receptions run end to end. This crate is the server — pages, the
//! JSON API — and the command-line tool `jiedai`; the use cases they share are in
//! `jiedai_app`. One folder per feature (`accounts`, `receptions`, `calendar`,
//! `procedure`, `audit`, `home`, `ops`), each with its `routes()`, which `router` joins.

pub mod accounts;
pub mod assets;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod cli;
pub mod config;
pub mod cookies;
pub mod error;
pub mod extract;
pub mod forms;
pub mod home;
pub mod i18n;
pub mod layers;
pub mod notify;
pub mod openapi;
pub mod ops;
pub mod procedure;
pub mod receptions;
pub mod render;
pub mod reports;
pub mod resources;
pub mod review;
pub mod route;
pub mod router;
pub mod settlement;
pub mod state;
pub mod survey;
pub mod tasks;

use std::net::SocketAddr;

use jiedai_app::App;
use tokio::net::TcpListener;

pub use config::Settings;
pub use state::AppState;

/// Opens the database named by the settings, applies pending migrations (once, however
/// many instances start together) and answers the application with how many were applied.
pub async fn open(settings: &Settings) -> anyhow::Result<(App, usize)> {
    let opened =
        App::open(&settings.database_url(), state::pool_options(settings), state::app_config(settings)).await?;
    Ok((opened.app, opened.migrations_applied))
}

/// Serves the application on an already-bound listener until `shutdown` resolves,
/// then finishes the requests in flight. Tests bind `127.0.0.1:0` and pass it here.
///
/// The accept loop is ours (hyper's HTTP/1 connection under it), so that no client holds
/// a connection forever: a request's headers must arrive within `[server]
/// header_timeout_seconds`, which is also how long a kept-alive connection may sit idle;
/// at most `max_connections` are open at once (the next client waits to be accepted);
/// headers beyond 256 KiB are refused by hyper itself (431), below that the envelope
/// refuses more than 32 KiB with a problem document (`layers::MAX_HEADER_BYTES`).
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    use hyper::server::conn::http1;
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tower::ServiceExt;

    let limits = state.settings.server.clone();
    // The delivery worker of this instance: stopped with the server (a delivery it was making
    // is made again by whichever instance leases it next).
    let worker = notify::worker::spawn(state.clone(), state.sender.clone());
    let _stop_worker = AbortOnDrop(worker);
    let router = router::build(state);
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(std::time::Duration::from_secs(limits.header_timeout_seconds))
        .max_buf_size(256 * 1024)
        .keep_alive(true);
    let slots = std::sync::Arc::new(tokio::sync::Semaphore::new(limits.max_connections));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        // A slot first, then accept: when all are taken, new clients wait in the backlog.
        let permit = tokio::select! {
            p = slots.clone().acquire_owned() => p?,
            () = &mut shutdown => break,
        };
        let (stream, remote) = tokio::select! {
            r = listener.accept() => match r {
                Ok(c) => c,
                Err(e) => {
                    // Out of file descriptors and the like: wait a little, as axum::serve does.
                    if !matches!(e.kind(), std::io::ErrorKind::ConnectionAborted | std::io::ErrorKind::ConnectionReset) {
                        tracing::error!(error = %e, "accepting a connection failed");
                        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                    }
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let svc = hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
            req.extensions_mut().insert(axum::extract::ConnectInfo::<SocketAddr>(remote));
            router.clone().oneshot(req)
        });
        let conn = graceful.watch(http.serve_connection(TokioIo::new(stream), svc));
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(%remote, error = %e, "connection ended");
            }
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(std::time::Duration::from_secs(limits.request_timeout_seconds + 5)) => {
            tracing::warn!("requests still running at shutdown were dropped");
        }
    }
    Ok(())
}

/// Aborts a task when dropped (when `serve` returns, however it returns).
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}
