//! The two layers every request passes, written as plain tower services (no boxed future,
//! no allocation beyond the request id's header value):
//!
//! - [`Envelope`], outermost: gives the request an id (`x-request-id`, a prefix chosen at
//!   start and a counter: unique within the process, made without a system call), runs it in
//!   a `request` span (method, path, id) and logs one line when it is answered (status and
//!   latency at info, server errors at error), and gives the response that id and the
//!   security headers, unless the handler set its own.
//! - [`RouteGuard`], around each route's handlers: checks the route's permission (routes
//!   that know who asks; see `auth::context::permit`) and counts the request under the route.
//!
//! They replace `tower_http`'s trace, request-id and four header layers and two `from_fn`
//! middlewares, which cost a boxed future or a service clone each per request.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Instant;

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::response::{IntoResponse, Response};
use jiedai_domain::Permission;
use tower::{Layer, Service};

use crate::ops::metrics::RouteMetrics;

/// The header carrying the request id.
pub static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

/// The security headers of every response.
const SECURITY_HEADERS: [(HeaderName, HeaderValue); 4] = [
    (header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP)),
    (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
    (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
    (header::REFERRER_POLICY, HeaderValue::from_static("same-origin")),
];

/// Makes request ids: a random prefix and a counter.
#[derive(Clone)]
pub struct RequestIds {
    prefix: u32,
    next: Arc<AtomicU64>,
}

impl RequestIds {
    /// Ids with a random prefix.
    pub fn new() -> Self {
        let prefix = u32::from_str_radix(&jiedai_app::secrets::random_hex()[..8], 16).unwrap_or(0);
        Self { prefix, next: Arc::default() }
    }

    fn make(&self) -> HeaderValue {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let n = (u64::from(self.prefix) << 32) | (self.next.fetch_add(1, Ordering::Relaxed) & 0xffff_ffff);
        let mut buf = [0u8; 16];
        for (i, b) in buf.iter_mut().enumerate() {
            *b = HEX[((n >> (60 - 4 * i)) & 0xf) as usize];
        }
        HeaderValue::from_bytes(&buf).unwrap_or(HeaderValue::from_static("0"))
    }
}

impl Default for RequestIds {
    fn default() -> Self {
        Self::new()
    }
}

/// Most bytes of request headers accepted (names, values and the target). Beyond it the
/// answer is a 431 problem document; hyper itself refuses beyond 256 KiB, with no body.
pub const MAX_HEADER_BYTES: usize = 32 * 1024;

/// `Strict-Transport-Security` when served over https (secure cookies on).
const HSTS: HeaderValue = HeaderValue::from_static("max-age=31536000; includeSubDomains");

/// The layer of [`Envelope`].
#[derive(Clone, Default)]
pub struct EnvelopeLayer {
    ids: RequestIds,
    /// Send `Strict-Transport-Security`.
    hsts: bool,
}

impl EnvelopeLayer {
    /// The envelope; `https` when the server is reached over https (secure cookies on).
    pub fn new(https: bool) -> Self {
        Self { ids: RequestIds::new(), hsts: https }
    }
}

impl<S> Layer<S> for EnvelopeLayer {
    type Service = Envelope<S>;
    fn layer(&self, inner: S) -> Envelope<S> {
        Envelope { inner, ids: self.ids.clone(), hsts: self.hsts }
    }
}

/// Request id in, request id and security headers out.
#[derive(Clone)]
pub struct Envelope<S> {
    inner: S,
    ids: RequestIds,
    hsts: bool,
}

/// Bytes of a request's target and headers.
fn header_bytes<B>(req: &axum::http::Request<B>) -> usize {
    req.uri().path_and_query().map_or(0, |p| p.as_str().len())
        + req.headers().iter().map(|(n, v)| n.as_str().len() + v.len() + 4).sum::<usize>()
}

impl<S, B> Service<axum::http::Request<B>> for Envelope<S>
where
    S: Service<axum::http::Request<B>, Response = Response>,
{
    type Response = Response;
    type Error = S::Error;
    type Future = EnvelopeFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: axum::http::Request<B>) -> Self::Future {
        let id = match req.headers().get(&REQUEST_ID) {
            Some(given) if acceptable_id(given) => given.clone(),
            _ => {
                let id = self.ids.make();
                req.headers_mut().insert(REQUEST_ID.clone(), id.clone());
                id
            }
        };
        let span = tracing::info_span!(
            "request",
            method = %req.method(),
            path = %req.uri().path(),
            request_id = %String::from_utf8_lossy(id.as_bytes())
        );
        // The clock is read only when someone will read the latency.
        let start = (!span.is_disabled()).then(Instant::now);
        let reader = Reader {
            api: req.uri().path().starts_with("/api/"),
            accept_language: req.headers().get(header::ACCEPT_LANGUAGE).cloned(),
        };
        let (inner, early) = if header_bytes(&req) > MAX_HEADER_BYTES {
            (None, Some(reader.error(&crate::error::AppError::HeadersTooLarge)))
        } else {
            (Some(span.in_scope(|| self.inner.call(req))), None)
        };
        EnvelopeFuture { inner, early, reader, hsts: self.hsts, id: Some(id), span, start }
    }
}

/// A request id from outside is kept (to follow a request through a proxy) when it is short
/// and plain; anything else is replaced, so logs never carry what a caller made up at length.
fn acceptable_id(id: &HeaderValue) -> bool {
    let b = id.as_bytes();
    !b.is_empty() && b.len() <= 64 && b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

/// What the envelope needs to know of a request to answer an error made outside the
/// handlers (a time-out, headers too large) in the reader's terms.
struct Reader {
    api: bool,
    accept_language: Option<HeaderValue>,
}

impl Reader {
    /// A problem document (API) or a plain page, in the language the browser asks for.
    fn error(&self, e: &crate::error::AppError) -> Response {
        let lang = self
            .accept_language
            .as_ref()
            .and_then(|v| v.to_str().ok())
            .map(jiedai_domain::Language::from_accept_language)
            .unwrap_or_default();
        let tr = crate::i18n::Tr::new(lang);
        let status = e.status();
        let mut res = if self.api {
            let body = serde_json::to_vec(&crate::render::problem(tr, e)).unwrap_or_default();
            let mut r = (status, body).into_response();
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
            r
        } else {
            let (title, detail) = crate::render::error_keys(e);
            let page = format!(
                "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
                 content=\"width=device-width, initial-scale=1\"><title>{t}</title></head><body><main><h1>{t}</h1>\
                 <p>{d}</p><p><a href=\"/\">Jiedai</a></p></main></body></html>",
                lang.tag(),
                t = tr.t(title),
                d = tr.t(detail),
            );
            (status, axum::response::Html(page)).into_response()
        };
        if status == axum::http::StatusCode::SERVICE_UNAVAILABLE {
            res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
        }
        res
    }
}

pin_project_lite::pin_project! {
    /// The response of [`Envelope`].
    pub struct EnvelopeFuture<F> {
        #[pin]
        inner: Option<F>,
        early: Option<Response>,
        reader: Reader,
        hsts: bool,
        id: Option<HeaderValue>,
        span: tracing::Span,
        start: Option<Instant>,
    }
}

impl<F, E> Future for EnvelopeFuture<F>
where
    F: Future<Output = Result<Response, E>>,
{
    type Output = Result<Response, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let _entered = this.span.enter();
        let mut res = match this.early.take() {
            Some(res) => res,
            None => match this.inner.as_pin_mut() {
                Some(f) => match f.poll(cx) {
                    Poll::Ready(Ok(res)) => res,
                    other => return other,
                },
                None => return Poll::Pending,
            },
        };
        // An error answered with no body of ours (the time limit's 503): in the one format.
        let status_code = res.status();
        if (status_code.is_client_error() || status_code.is_server_error()) && !crate::render::rendered(&res) {
            let keep = res.headers().clone();
            res = this.reader.error(&crate::error::AppError::from_status(status_code));
            for (name, value) in keep.iter() {
                if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
                    res.headers_mut().entry(name).or_insert_with(|| value.clone());
                }
            }
        }
        let status = res.status().as_u16();
        let latency = this.start.map(|t| t.elapsed()).unwrap_or_default();
        if status >= 500 {
            tracing::error!(status, ?latency, "request failed");
        } else {
            tracing::info!(status, ?latency, "answered");
        }
        let h = res.headers_mut();
        for (name, value) in &SECURITY_HEADERS {
            if !h.contains_key(name) {
                h.insert(name.clone(), value.clone());
            }
        }
        // Pages and API answers carry guests' personal data: never stored by a browser or a
        // proxy, unless the route said otherwise (the fingerprinted assets).
        if !h.contains_key(header::CACHE_CONTROL) {
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
        if *this.hsts {
            h.insert(header::STRICT_TRANSPORT_SECURITY, HSTS);
        }
        if let Some(id) = this.id.take()
            && !h.contains_key(&REQUEST_ID)
        {
            h.insert(REQUEST_ID.clone(), id);
        }
        Poll::Ready(Ok(res))
    }
}

/// What a route's guard knows: the permissions to read and to change (when it checks them),
/// and where to count.
#[derive(Clone)]
pub struct RouteGuardLayer {
    /// `(read, write)`, or `None` for routes that answer everyone without a request context.
    pub permissions: Option<(Permission, Permission)>,
    /// The route's counters.
    pub metrics: Arc<RouteMetrics>,
}

impl<S> Layer<S> for RouteGuardLayer {
    type Service = RouteGuard<S>;
    fn layer(&self, inner: S) -> RouteGuard<S> {
        RouteGuard { inner, guard: self.clone() }
    }
}

/// Checks the route's permission, then counts the request (denials too).
#[derive(Clone)]
pub struct RouteGuard<S> {
    inner: S,
    guard: RouteGuardLayer,
}

impl<S> Service<Request> for RouteGuard<S>
where
    S: Service<Request, Response = Response> + Clone,
{
    type Response = Response;
    type Error = S::Error;
    type Future = RouteGuardFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let start = Instant::now();
        let method = req.method().clone();
        let metrics = self.guard.metrics.clone();
        let denied = match self.guard.permissions {
            Some((read, write)) => {
                crate::auth::context::permit(read, write, &req).err().map(IntoResponse::into_response)
            }
            None => None,
        };
        match denied {
            Some(res) => RouteGuardFuture { inner: None, denied: Some(res), metrics, method, start },
            None => RouteGuardFuture { inner: Some(self.inner.call(req)), denied: None, metrics, method, start },
        }
    }
}

pin_project_lite::pin_project! {
    /// The response of [`RouteGuard`].
    pub struct RouteGuardFuture<F> {
        #[pin]
        inner: Option<F>,
        denied: Option<Response>,
        metrics: Arc<RouteMetrics>,
        method: Method,
        start: Instant,
    }
}

impl<F, E> Future for RouteGuardFuture<F>
where
    F: Future<Output = Result<Response, E>>,
{
    type Output = Result<Response, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let res = match this.denied.take() {
            Some(res) => res,
            None => match this.inner.as_pin_mut() {
                Some(f) => match f.poll(cx) {
                    Poll::Ready(Ok(res)) => res,
                    Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                    Poll::Pending => return Poll::Pending,
                },
                None => return Poll::Pending,
            },
        };
        this.metrics.observe(this.method, res.status().as_u16(), this.start.elapsed().as_secs_f64());
        Poll::Ready(Ok(res))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_sixteen_hex_digits_and_never_repeat() {
        let ids = RequestIds::new();
        let a = ids.make();
        let b = ids.make();
        assert_ne!(a, b);
        for id in [&a, &b] {
            let s = id.to_str().unwrap();
            assert_eq!(s.len(), 16);
            assert!(s.chars().all(|c| c.is_ascii_hexdigit()), "{s}");
        }
        assert_eq!(&a.to_str().unwrap()[..8], &b.to_str().unwrap()[..8], "one prefix per process");
    }

    #[test]
    fn only_short_plain_request_ids_from_outside_are_kept() {
        assert!(acceptable_id(&HeaderValue::from_static("3f2a-01.b_c")));
        assert!(!acceptable_id(&HeaderValue::from_static("")));
        assert!(!acceptable_id(&HeaderValue::from_static("a b")));
        assert!(!acceptable_id(&HeaderValue::from_str(&"a".repeat(65)).unwrap()));
    }
}
