//! Reading the audit log: filtered pages for administrators, and the latest entry of one
//! record ("last changed … by …").

use chrono::{NaiveDate, TimeZone, Utc};
use jiedai_domain::{AuditEntry, AuditId};
use jiedai_store::AuditFilter;

use crate::{App, Result};

/// Filters of the audit list; all optional. Days are the company's.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// Actor label (username, `cli`, `system`…), exact.
    pub actor: Option<String>,
    /// Entity kind (`user`, `reception`…), exact.
    pub entity: Option<String>,
    /// Entity id, exact (with `entity`).
    pub entity_id: Option<String>,
    /// From this day, inclusive.
    pub from: Option<NaiveDate>,
    /// To this day, inclusive.
    pub to: Option<NaiveDate>,
    /// Only entries older than this one (the next page).
    pub before: Option<AuditId>,
}

/// Newest entries first, at most `limit`.
pub async fn list(app: &App, q: &AuditQuery, limit: u64) -> Result<Vec<AuditEntry>> {
    let tz = app.config().timezone;
    let start = |d: NaiveDate| {
        d.and_hms_opt(0, 0, 0).and_then(|t| tz.from_local_datetime(&t).earliest()).map(|t| t.with_timezone(&Utc))
    };
    let f = AuditFilter {
        actor: q.actor.clone(),
        entity: q.entity.clone(),
        entity_id: q.entity_id.clone(),
        from: q.from.and_then(start),
        until: q.to.and_then(|d| d.succ_opt()).and_then(start),
        before_id: q.before,
    };
    Ok(app.store().list_audit(&f, limit).await?)
}

/// The newest entry of one record.
pub async fn last_change(app: &App, entity: &str, id: impl ToString) -> Result<Option<AuditEntry>> {
    let q = AuditQuery { entity: Some(entity.to_owned()), entity_id: Some(id.to_string()), ..Default::default() };
    Ok(list(app, &q, 1).await?.into_iter().next())
}
