//! Static files, embedded in the binary and served with long cache lifetimes; their
//! URLs carry a content hash, so a new release is fetched at once.

use std::sync::OnceLock;

use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

const FILES: &[(&str, &str, &[u8])] = &[
    ("app.css", "text/css; charset=utf-8", include_bytes!("../assets/app.css")),
    ("app.js", "text/javascript; charset=utf-8", include_bytes!("../assets/app.js")),
    ("favicon.svg", "image/svg+xml", include_bytes!("../assets/favicon.svg")),
];

/// A short hash of every asset, appended to asset URLs as `?v=`.
pub fn version() -> &'static str {
    static V: OnceLock<String> = OnceLock::new();
    V.get_or_init(|| {
        let mut all = String::new();
        for (_, _, bytes) in FILES {
            all.push_str(&jiedai_app::secrets::sha256_hex(&String::from_utf8_lossy(bytes)));
        }
        jiedai_app::secrets::sha256_hex(&all)[..12].to_owned()
    })
}

/// `GET /assets/{file}`.
pub async fn serve_asset(Path(file): Path<String>) -> Response {
    match FILES.iter().find(|(name, _, _)| *name == file) {
        Some((_, mime, bytes)) => {
            let mut res = bytes.into_response();
            let h = res.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
            res
        }
        None => AppError::NotFound.into_response(),
    }
}
