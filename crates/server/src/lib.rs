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
pub mod openapi;
pub mod ops;
pub mod procedure;
pub mod receptions;
pub mod render;
pub mod route;
pub mod router;
pub mod state;

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
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let app = router::build(state);
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}
