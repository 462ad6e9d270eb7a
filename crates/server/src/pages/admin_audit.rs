//! The audit log page.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::api::Query;
use crate::api::audit::{AuditQueryParams, to_filter};
use crate::app::AppState;
use crate::auth::Cx;
use crate::error::AppResult;
use crate::render::{Chrome, page};

/// A formatted row.
pub struct AuditRow {
    at: String,
    actor: String,
    entity: String,
    action: String,
    before: String,
    after: String,
    ip: String,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    c: Chrome,
    rows: Vec<AuditRow>,
    actor: String,
    entity: String,
    from: String,
    to: String,
    entities: Vec<(&'static str, &'static str)>,
    next: Option<String>,
    error: Option<String>,
}

const PAGE: u64 = 50;

/// `GET /admin/audit`.
pub async fn audit_page(
    State(app): State<AppState>,
    cx: Cx,
    Query(q): Query<AuditQueryParams>,
) -> AppResult<Response> {
    let tr = cx.tr();
    let tz = app.settings.timezone;
    let (rows, next, error) = match to_filter(&q, tz) {
        Ok(f) => {
            let mut rows = app.store.list_audit(&f, PAGE + 1).await?;
            let more = rows.len() as u64 > PAGE;
            rows.truncate(PAGE as usize);
            let next = if more {
                rows.last().map(|r| {
                    let mut q2 = q.clone();
                    q2.before = Some(r.id);
                    format!(
                        "/admin/audit?{}",
                        serde_urlencoded::to_string(QueryOut::from(&q2)).unwrap_or_default()
                    )
                })
            } else {
                None
            };
            (rows, next, None)
        }
        Err(_) => (
            Vec::new(),
            None,
            Some(tr.t("field.invalid_date").to_owned()),
        ),
    };
    let rows = rows
        .into_iter()
        .map(|r| AuditRow {
            at: tr.datetime(r.at, tz),
            actor: r.actor_label,
            entity: match r.entity_id {
                Some(id) => format!("{} #{id}", r.entity),
                None => r.entity,
            },
            action: r.action,
            before: r.before.unwrap_or_default(),
            after: r.after.unwrap_or_default(),
            ip: r.ip.unwrap_or_default(),
        })
        .collect();
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    Ok(page(&AuditPage {
        c: Chrome::new(&cx),
        rows,
        actor: s(&q.actor),
        entity: s(&q.entity),
        from: s(&q.from),
        to: s(&q.to),
        entities: vec![
            ("user", "audit.entity_user"),
            ("department", "audit.entity_department"),
            ("token", "audit.entity_token"),
            ("session", "audit.entity_session"),
        ],
        next,
        error,
    }))
}

#[derive(serde::Serialize)]
struct QueryOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    actor: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    entity: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    to: Option<&'a str>,
    before: Option<i32>,
}

impl<'a> From<&'a AuditQueryParams> for QueryOut<'a> {
    fn from(q: &'a AuditQueryParams) -> Self {
        Self {
            actor: q.actor.as_deref(),
            entity: q.entity.as_deref(),
            from: q.from.as_deref(),
            to: q.to.as_deref(),
            before: q.before,
        }
    }
}
