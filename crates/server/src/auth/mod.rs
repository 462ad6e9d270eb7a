//! Who is asking and from where: the request context (user, language, CSRF token, client
//! address) resolved once per request by [`context::resolve`], the permission check of
//! each route, and the idempotency of requests that create something.

pub mod client_ip;
pub mod context;
pub mod csrf;
pub mod idempotency;

pub use context::{Cx, RequestContext, Via};
