//! Reading the audit log: the filters pages and the API share.

use chrono::{NaiveDate, TimeZone};
use jiedai_domain::FieldError;
use jiedai_store::AuditFilter;
use serde::Deserialize;

use crate::error::{AppError, AppResult};

/// Filters of the audit list.
#[derive(Deserialize, Default, Clone, utoipa::IntoParams)]
pub struct AuditQueryParams {
    /// Actor username (or `cli`, `system`, `anonymous`).
    pub actor: Option<String>,
    /// Entity kind: `user`, `department`, `token`, `session`.
    pub entity: Option<String>,
    /// From this day (YYYY-MM-DD, company time zone), inclusive.
    pub from: Option<String>,
    /// To this day (YYYY-MM-DD), inclusive.
    pub to: Option<String>,
    /// Cursor: entries older than this id.
    pub before: Option<i32>,
    /// Page size, 1–200 (default 50).
    pub limit: Option<u64>,
}

/// Parses the filters into a store filter, in the company's time zone.
pub fn to_filter(q: &AuditQueryParams, tz: chrono_tz::Tz) -> AppResult<AuditFilter> {
    let day = |field: &str, s: &Option<String>| -> AppResult<Option<NaiveDate>> {
        match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| AppError::field(FieldError::new(field, "invalid_date"))),
        }
    };
    let start = |d: NaiveDate| {
        tz.from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
            .earliest()
            .map(|t| t.with_timezone(&chrono::Utc))
    };
    let from = day("from", &q.from)?.and_then(start);
    let until = day("to", &q.to)?.and_then(|d| d.succ_opt()).and_then(start);
    let nonempty = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    Ok(AuditFilter {
        actor: nonempty(&q.actor),
        entity: nonempty(&q.entity),
        entity_id: None,
        from,
        until,
        before_id: q.before,
    })
}
