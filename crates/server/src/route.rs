//! A route of the table: its path, the permissions it needs, whether it creates something,
//! its handlers, and (API routes) its part of the OpenAPI document. Each feature lists its
//! routes; `router` joins them.

use axum::routing::MethodRouter;
use jiedai_domain::Permission;
use utoipa::openapi::path::Paths;
use utoipa::openapi::{RefOr, schema::Schema};
use utoipa_axum::router::UtoipaMethodRouter;

use crate::state::AppState;

/// The largest request body accepted (forms, JSON, imported files), unless a route says
/// otherwise ([`RouteSpec::body_limit`]: attachments).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// What a route adds to the OpenAPI document: its schemas and its path.
pub type ApiDoc = (Vec<(String, RefOr<Schema>)>, Paths);

/// One route: its path, the permissions it needs, and its handlers by method.
pub struct RouteSpec {
    /// The path template.
    pub path: &'static str,
    /// What the requester must hold to read (GET, HEAD).
    pub permission: Permission,
    /// What the requester must hold to change (POST, PUT, PATCH, DELETE).
    pub write_permission: Permission,
    /// Its POST creates something: a repeat with the same idempotency key creates nothing.
    pub creates: bool,
    /// Its handlers need to know who asks (false only for operations routes such as
    /// `/healthz`, which answer the same to everyone and skip the request context).
    pub context: bool,
    /// The handlers.
    pub handlers: MethodRouter<AppState>,
    /// The route's part of the OpenAPI document (API routes).
    pub doc: Option<ApiDoc>,
    /// The largest request body it accepts.
    pub body_limit: usize,
}

impl RouteSpec {
    /// A page or other non-API route.
    pub fn page(path: &'static str, permission: Permission, handlers: MethodRouter<AppState>) -> RouteSpec {
        RouteSpec {
            path,
            permission,
            write_permission: permission,
            creates: false,
            context: true,
            handlers,
            doc: None,
            body_limit: MAX_BODY_BYTES,
        }
    }

    /// An API route, built by `utoipa_axum::routes!` from handlers of one path.
    pub fn api(permission: Permission, (schemas, paths, handlers): UtoipaMethodRouter<AppState>) -> RouteSpec {
        let mut keys = paths.paths.keys();
        let path = keys.next().expect("an API route has a path").clone();
        assert!(keys.next().is_none(), "one API route is one path: {path}");
        RouteSpec {
            path: Box::leak(path.into_boxed_str()),
            permission,
            write_permission: permission,
            creates: false,
            context: true,
            handlers,
            doc: Some((schemas, paths)),
            body_limit: MAX_BODY_BYTES,
        }
    }

    /// Reading and changing need different permissions.
    pub fn writes_need(mut self, write: Permission) -> RouteSpec {
        self.write_permission = write;
        self
    }

    /// Accepts bodies up to `bytes` (file uploads) instead of
    /// [`MAX_BODY_BYTES`].
    pub fn body_limit(mut self, bytes: usize) -> RouteSpec {
        self.body_limit = bytes;
        self
    }

    /// Its POST creates something (see [`crate::auth::idempotency`]).
    pub fn creating(mut self) -> RouteSpec {
        self.creates = true;
        self
    }

    /// Answers the same to everyone: no request context is resolved (public operations
    /// routes only).
    pub fn without_context(mut self) -> RouteSpec {
        assert_eq!((self.permission, self.write_permission), (Permission::Public, Permission::Public));
        self.context = false;
        self
    }

    /// The permission a method needs on this route.
    pub fn permission_for(&self, method: &axum::http::Method) -> Permission {
        if matches!(*method, axum::http::Method::GET | axum::http::Method::HEAD) {
            self.permission
        } else {
            self.write_permission
        }
    }
}
