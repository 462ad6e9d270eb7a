//! Who is asking: the request context (user, language, CSRF token) resolved once per
//! request by [`context::resolve`], and the permission check of each route.

pub mod context;
pub mod csrf;
pub mod password;
pub mod throttle;
pub mod token;

pub use context::{Cx, RequestContext, Via};
