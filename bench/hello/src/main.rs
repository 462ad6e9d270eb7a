//! A bare axum route for `bench/run.sh`: `GET /` answers `ok`, as the server's `/healthz` does,
//! on the address given as the first argument, with the server's allocator and runtime and
//! nothing else (no middleware, no state). The bench reports every route as a share of it.
//!
//! ```text
//! jiedai-bench-hello 127.0.0.1:3001
//! ```

use axum::Router;
use axum::routing::get;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let Some(addr) = std::env::args().nth(1) else {
        eprintln!("usage: jiedai-bench-hello ADDRESS (e.g. 127.0.0.1:3001)");
        return std::process::ExitCode::FAILURE;
    };
    let rt = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match rt.block_on(serve(&addr)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {addr}: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn serve(addr: &str) -> std::io::Result<()> {
    let app = Router::new().route("/", get(|| async { "ok" }));
    let listener = tokio::net::TcpListener::bind(addr).await?;
    axum::serve(listener, app).await
}
