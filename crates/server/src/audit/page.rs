//! The audit log page.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::AuditQueryParams;
use super::readable::{Change, Names, actor, changes, label};
use crate::auth::Cx;
use crate::error::AppResult;
use crate::extract::Query;
use crate::i18n::keys;
use crate::render::{Chrome, page};
use crate::state::AppState;

/// A formatted row.
pub struct AuditRow {
    at: String,
    actor: String,
    entity: String,
    /// The record's own page, where it has one (a reception).
    href: Option<String>,
    action: String,
    changes: Vec<Change>,
    /// "12 changes", the summary of a long list.
    summary: String,
    ip: String,
}

#[derive(Template)]
#[template(path = "audit/audit.html")]
struct AuditPage {
    c: Chrome,
    rows: Vec<AuditRow>,
    actor: String,
    entity: String,
    from: String,
    to: String,
    entities: &'static [(&'static str, &'static str)],
    next: Option<String>,
    error: Option<String>,
}

const PAGE: u64 = 50;

/// `GET /admin/audit`.
pub async fn audit_page(State(s): State<AppState>, cx: Cx, Query(q): Query<AuditQueryParams>) -> AppResult<Response> {
    let tr = cx.tr();
    let tz = s.tz();
    let (rows, next, error) = match q.parse() {
        Ok(f) => {
            let mut rows = jiedai_app::audit::list(&s.app, &f, PAGE + 1).await?;
            let more = rows.len() as u64 > PAGE;
            rows.truncate(PAGE as usize);
            let next = if more {
                rows.last().map(|r| {
                    let mut q2 = q.clone();
                    q2.before = Some(r.id.get());
                    format!("/admin/audit?{}", serde_urlencoded::to_string(QueryOut::from(&q2)).unwrap_or_default())
                })
            } else {
                None
            };
            (rows, next, None)
        }
        Err(_) => (Vec::new(), None, Some(tr.field_code("invalid_date"))),
    };
    let names = Names::of(&s, &rows).await?;
    let today = s.app.today();
    let rows = rows
        .into_iter()
        .map(|r| AuditRow {
            at: tr.datetime(r.at, tz),
            actor: actor(tr, &names, &r),
            changes: changes(tr, &names, today, &r.entity, r.before.as_deref(), r.after.as_deref()),
            summary: String::new(),
            entity: match &r.entity_id {
                Some(id) => format!("{} #{id}", label(tr, keys::audit_entity(&r.entity), &r.entity)),
                None => label(tr, keys::audit_entity(&r.entity), &r.entity),
            },
            href: match (r.entity.as_str(), r.entity_id.as_deref()) {
                ("reception", Some(id)) if id.parse::<i32>().is_ok() => Some(format!("/receptions/{id}")),
                _ => None,
            },
            action: label(tr, keys::audit_action(&r.action), &r.action),
            ip: r.ip.unwrap_or_default(),
        })
        .map(|mut r: AuditRow| {
            r.summary = tr.plural("audit.changes_count", i64::try_from(r.changes.len()).unwrap_or(0));
            r
        })
        .collect();
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    Ok(page(&AuditPage {
        c: Chrome::new(&cx),
        rows,
        actor: text(&q.actor),
        entity: text(&q.entity),
        from: text(&q.from),
        to: text(&q.to),
        entities: keys::AUDIT_ENTITIES,
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
