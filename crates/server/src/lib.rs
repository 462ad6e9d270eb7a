//! Jiedai (接待): client receptions run end to end. This crate is the server, the
//! JSON API and the command-line tool `jiedai`.

pub mod api;
pub mod app;
pub mod assets;
pub mod auth;
pub mod cli;
pub mod config;
pub mod cookies;
pub mod error;
pub mod extract;
pub mod i18n;
pub mod metrics;
pub mod ops;
pub mod pages;
pub mod render;
pub mod router;
pub mod service;

use std::net::SocketAddr;

use jiedai_store::Store;
use tokio::net::TcpListener;

pub use app::AppState;
pub use config::Settings;

/// Opens the database named by the settings and applies pending migrations.
pub async fn open_store(settings: &Settings) -> anyhow::Result<Store> {
    let store = Store::connect(&settings.database_url()).await?;
    store.migrate().await?;
    Ok(store)
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
