//! The audit log, for administrators: a page and the API, with the same filters.

pub mod api;
pub mod page;
mod readable;

use axum::routing::get;
use jiedai_app::audit::AuditQuery;
use jiedai_domain::Permission::ViewAudit;
use jiedai_domain::{AuditId, FieldErrors};
use serde::Deserialize;

use crate::error::{AppError, AppResult};
use crate::route::RouteSpec;

/// The routes of the audit log.
pub fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::page("/admin/audit", ViewAudit, get(page::audit_page)),
        RouteSpec::api(ViewAudit, utoipa_axum::routes!(api::list_audit)),
    ]
}

/// Filters of the audit list, as URLs write them.
#[derive(Deserialize, Default, Clone, utoipa::IntoParams)]
pub struct AuditQueryParams {
    /// Actor username (or `cli`, `system`, `anonymous`).
    #[param(pattern = "^[^\\x00]*$")]
    pub actor: Option<String>,
    /// Entity kind: `user`, `department`, `token`, `session`, `calendar`, `procedure`, `reception`.
    #[param(pattern = "^[^\\x00]*$")]
    pub entity: Option<String>,
    /// From this day (YYYY-MM-DD, company time zone), inclusive.
    #[param(value_type = Option<chrono::NaiveDate>)]
    pub from: Option<String>,
    /// To this day (YYYY-MM-DD), inclusive.
    #[param(value_type = Option<chrono::NaiveDate>)]
    pub to: Option<String>,
    /// Cursor: entries older than this id (the previous page's `next`).
    #[serde(default, deserialize_with = "crate::extract::empty_as_none")]
    pub before: Option<i32>,
    /// Page size, 1–200 (default 50).
    #[serde(default, deserialize_with = "crate::extract::empty_as_none")]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

impl AuditQueryParams {
    /// The page size: 1–200, 50 when not given (see [`Self::parse`] for the check).
    pub fn page_size(&self) -> u64 {
        crate::receptions::query::page_limit(&mut FieldErrors::new(), self.limit)
    }

    /// The filters, typed; a day that does not parse, or a page size out of range, names its
    /// parameter.
    pub fn parse(&self) -> AppResult<AuditQuery> {
        let mut errs = FieldErrors::new();
        let mut day = |field: &str, s: &Option<String>| match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(v) => errs.check(jiedai_domain::bounds::parse_date(field, v)),
        };
        let from = day("from", &self.from);
        let to = day("to", &self.to);
        crate::receptions::query::page_limit(&mut errs, self.limit);
        if !errs.is_empty() {
            return Err(AppError::Validation(errs));
        }
        let text = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        Ok(AuditQuery {
            actor: text(&self.actor),
            entity: text(&self.entity),
            entity_id: None,
            from,
            to,
            before: self.before.map(AuditId),
        })
    }
}
