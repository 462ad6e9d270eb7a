//! The audit log page.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::AuditQueryParams;
use crate::auth::Cx;
use crate::error::AppResult;
use crate::extract::Query;
use crate::i18n::{Tr, keys};
use crate::render::{Chrome, page};
use crate::state::AppState;

/// A formatted row.
pub struct AuditRow {
    at: String,
    actor: String,
    entity: String,
    action: String,
    changes: Vec<Change>,
    ip: String,
}

/// One changed field: its label, and its value before and after.
pub struct Change {
    field: String,
    before: String,
    after: String,
}

/// Labels of the fields that snapshots carry.
const FIELD_LABELS: &[(&str, &str)] = &[
    ("username", "user.username"),
    ("display_name", "user.display_name"),
    ("department_id", "user.department"),
    ("phone", "user.phone"),
    ("email", "user.email"),
    ("language", "user.language"),
    ("active", "users.active"),
    ("roles", "user.roles"),
    ("name", "departments.name"),
    ("head_user_id", "departments.head"),
    ("prefix", "tokens.prefix"),
    ("revoked", "tokens.revoked"),
    ("user_id", "audit.user_id"),
    ("date", "calendar.date"),
    ("kind", "calendar.kind"),
    ("name_zh", "calendar.name_zh"),
    ("name_en", "calendar.name_en"),
    ("count", "audit.count"),
    ("first", "audit.first"),
    ("last", "audit.last"),
    ("source", "calendar.source"),
    ("version", "procedure.version"),
    ("note", "procedure.note"),
    ("state", "reception.state"),
    ("comment", "reception.comment"),
    ("late_working_days", "reception.late"),
    ("procedure_version", "reception.procedure_version"),
];

fn show(tr: Tr, v: Option<&serde_json::Value>) -> String {
    match v {
        None | Some(serde_json::Value::Null) => "—".into(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Bool(b)) => tr.t(if *b { "common.yes" } else { "common.no" }).to_owned(),
        Some(serde_json::Value::Array(a)) => a.iter().map(|x| show(tr, Some(x))).collect::<Vec<_>>().join(", "),
        Some(other) => other.to_string(),
    }
}

/// Fields in the order of the forms; unknown ones last.
fn field_rank(k: &str) -> usize {
    FIELD_LABELS.iter().position(|(f, _)| *f == k).unwrap_or(usize::MAX)
}

/// The fields that differ between two JSON snapshots (all of them for a creation).
fn changes(tr: Tr, before: Option<&str>, after: Option<&str>) -> Vec<Change> {
    let parse = |s: Option<&str>| -> serde_json::Map<String, serde_json::Value> {
        s.and_then(|s| serde_json::from_str(s).ok()).unwrap_or_default()
    };
    let (b, a) = (parse(before), parse(after));
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort_by_key(|k| (field_rank(k), k.as_str()));
    keys.dedup();
    keys.into_iter()
        .filter(|k| b.get(*k) != a.get(*k))
        .map(|k| Change {
            field: FIELD_LABELS
                .iter()
                .find(|(f, _)| f == k)
                .map(|(_, l)| tr.t(l).to_owned())
                // A reception's fields are labelled as on its form.
                .unwrap_or_else(|| label(tr, Some(&keys::form_label(k)), k)),
            before: if b.is_empty() { String::new() } else { show(tr, b.get(k)) },
            after: show(tr, a.get(k)),
        })
        .collect()
}

/// A label from the catalogue, or the raw value when there is none.
fn label(tr: Tr, key: Option<&str>, raw: &str) -> String {
    match key.map(|k| (k, tr.t(k))) {
        Some((k, t)) if t != k => t.to_owned(),
        _ => raw.to_owned(),
    }
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
    let rows = rows
        .into_iter()
        .map(|r| AuditRow {
            at: tr.datetime(r.at, tz),
            actor: r.actor_label,
            entity: match r.entity_id {
                Some(id) => format!("{} #{id}", label(tr, keys::audit_entity(&r.entity), &r.entity)),
                None => label(tr, keys::audit_entity(&r.entity), &r.entity),
            },
            action: label(tr, keys::audit_action(&r.action), &r.action),
            changes: changes(tr, r.before.as_deref(), r.after.as_deref()),
            ip: r.ip.unwrap_or_default(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use jiedai_domain::Language;

    #[test]
    fn changes_list_only_fields_that_differ_with_their_labels() {
        let tr = Tr::new(Language::En);
        let c = changes(
            tr,
            Some(r#"{"display_name":"Sun","roles":["staff"],"phone":null}"#),
            Some(r#"{"display_name":"Sun Er","roles":["staff","finance"],"phone":null}"#),
        );
        let got: Vec<_> = c.iter().map(|c| (c.field.as_str(), c.before.as_str(), c.after.as_str())).collect();
        assert_eq!(got, vec![("Name", "Sun", "Sun Er"), ("Roles", "staff", "staff, finance")]);
        let created = changes(tr, None, Some(r#"{"name":"R&D"}"#));
        assert_eq!(created[0].before, "");
        assert_eq!(created[0].after, "R&D");
    }

    #[test]
    fn audit_terms_are_labelled_and_unknown_ones_shown_as_recorded() {
        let tr = Tr::new(Language::En);
        assert_eq!(label(tr, keys::audit_action("take-on"), "take-on"), "Taken on");
        assert_eq!(label(tr, keys::audit_entity("token"), "token"), "Token");
        assert_eq!(label(tr, keys::audit_action("teleport"), "teleport"), "teleport");
        let c = changes(tr, None, Some(r#"{"guest_name":"Wang","mystery":"x"}"#));
        let fields: Vec<&str> = c.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, vec!["Principal guest", "mystery"]);
    }
}
