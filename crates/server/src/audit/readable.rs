//! Audit records as people read them: each changed field labelled in the reader's language,
//! values as people write them (yuan, names, labels, days), who acted and for whom.

use std::collections::HashMap;

use chrono::NaiveDate;
use jiedai_app::accounts;
use jiedai_domain::{AuditEntry, Code, EntryKind, Fen, Role, UserId};
use serde_json::{Map, Value};

use crate::error::AppResult;
use crate::i18n::{Tr, keys};
use crate::receptions::view::{change_label, change_value};
use crate::state::AppState;

/// One changed field: its label, and its value before and after.
pub struct Change {
    pub(super) field: String,
    pub(super) before: String,
    pub(super) after: String,
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

/// Names the values of a record may refer to: departments and people.
pub(super) struct Names {
    departments: HashMap<i64, String>,
    users: HashMap<i64, String>,
}

impl Names {
    /// The names every id in `rows` refers to (people by their display name).
    pub(super) async fn of(s: &AppState, rows: &[AuditEntry]) -> AppResult<Self> {
        let departments =
            accounts::department_names(&s.app).await?.iter().map(|(id, n)| (i64::from(id.get()), n.clone())).collect();
        let mut users = HashMap::new();
        for r in rows {
            let ids = r
                .actor_user_id
                .map(|u| i64::from(u.get()))
                .into_iter()
                .chain([r.before.as_deref(), r.after.as_deref()].into_iter().flat_map(|d| person_ids(&object(d))));
            for id in ids {
                if let (std::collections::hash_map::Entry::Vacant(e), Ok(i)) = (users.entry(id), i32::try_from(id)) {
                    e.insert(accounts::display_name(&s.app, UserId(i)).await?);
                }
            }
        }
        Ok(Self { departments, users })
    }

    fn user(&self, id: i64) -> Option<&str> {
        self.users.get(&id).map(String::as_str).filter(|n| !n.is_empty())
    }
}

/// Keys whose values are people.
const PERSON_KEYS: &[&str] = &[
    "head_user_id",
    "user_id",
    "deputy_id",
    "on_behalf_of",
    "approver_id",
    "responsible_id",
    "assistant_id",
    "lead_user_id",
    "members",
];

fn person_ids(m: &Map<String, Value>) -> Vec<i64> {
    PERSON_KEYS
        .iter()
        .filter_map(|k| m.get(*k))
        .flat_map(|v| match v {
            Value::Array(items) => items.iter().filter_map(Value::as_i64).collect(),
            v => v.as_i64().into_iter().collect::<Vec<_>>(),
        })
        .collect()
}

fn object(text: Option<&str>) -> Map<String, Value> {
    match text.map(serde_json::from_str::<Value>) {
        Some(Ok(Value::Object(m))) => m,
        _ => Map::new(),
    }
}

/// A value of a record that is not a reception's, as people read it: money in yuan, people
/// and departments by name, roles, kinds and languages by label, days as people write them.
fn show(tr: Tr, names: &Names, today: NaiveDate, field: &str, v: &Value) -> String {
    let leaf = field.rsplit('.').next().unwrap_or(field);
    match v {
        Value::Null => "—".into(),
        Value::String(s) if s.is_empty() => "—".into(),
        Value::Bool(b) => tr.t(if *b { "common.yes" } else { "common.no" }).to_owned(),
        Value::Number(n) if leaf.ends_with("_fen") => n.as_i64().map(|f| tr.money(Fen::new(f))).unwrap_or_default(),
        Value::Number(n) if leaf == "department_id" => {
            n.as_i64().and_then(|i| names.departments.get(&i).cloned()).unwrap_or_else(|| format!("#{n}"))
        }
        Value::Number(n) if PERSON_KEYS.contains(&leaf) => {
            n.as_i64().and_then(|i| names.user(i)).map_or_else(|| format!("#{n}"), str::to_owned)
        }
        Value::String(s) if leaf == "roles" || leaf == "role" => {
            <Role as Code>::parse(s).map_or_else(|| s.clone(), |r| tr.t(keys::role(r)).to_owned())
        }
        Value::String(s) if leaf == "kind" => {
            <EntryKind as Code>::parse(s).map_or_else(|| s.clone(), |k| tr.t(keys::entry_kind(k)).to_owned())
        }
        Value::String(s) if leaf == "language" => match s.as_str() {
            "zh-CN" => "中文（简体）".to_owned(),
            "en" => "English".to_owned(),
            _ => s.clone(),
        },
        Value::String(s) => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            Ok(d) => tr.date(d, today),
            Err(_) => shorten(s),
        },
        Value::Array(items) => {
            let shown: Vec<String> = items.iter().map(|i| show(tr, names, today, field, i)).collect();
            if shown.is_empty() { "—".to_owned() } else { tr.list(&shown) }
        }
        Value::Object(o) => o.get("name").and_then(Value::as_str).map_or_else(|| "…".to_owned(), shorten),
        other => other.to_string(),
    }
}

/// The values of an object under dotted names (`hotel.budget_fen`), lists kept whole.
fn flatten_into(prefix: &str, m: Map<String, Value>, out: &mut Map<String, Value>) {
    for (k, v) in m {
        let name = if prefix.is_empty() { k } else { format!("{prefix}.{k}") };
        match v {
            Value::Object(inner) => flatten_into(&name, inner, out),
            v => {
                out.insert(name, v);
            }
        }
    }
}

/// Fields in the order of the forms; unknown ones last.
fn field_rank(k: &str) -> usize {
    FIELD_LABELS.iter().position(|(f, _)| *f == k).unwrap_or(usize::MAX)
}

/// A long text cut to what a line of the log can hold.
fn shorten(s: &str) -> String {
    if s.chars().count() > 200 { format!("{}…", s.chars().take(200).collect::<String>()) } else { s.to_owned() }
}

/// The fields of a record that changed, each labelled and with its values before and after
/// in the reader's language (all of a creation's, without the empty ones). A reception's are
/// told as its history tells them; a comment comes first.
pub(super) fn changes(
    tr: Tr,
    names: &Names,
    today: NaiveDate,
    entity: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> Vec<Change> {
    let (mut b, mut a) = (object(before), object(after));
    let comment = a.get("comment").and_then(Value::as_str).filter(|c| !c.trim().is_empty()).map(str::to_owned);
    let created = before.is_none();
    // A reception's creation records its form whole: it is read field by field.
    if let Some(Value::Object(form)) = a.remove("form") {
        flatten_into("", form, &mut a);
    }
    if let Some(Value::Object(form)) = b.remove("form") {
        flatten_into("", form, &mut b);
    }
    let empty = |v: &Value| match v {
        Value::Null | Value::Bool(false) => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    };
    let reception = entity == "reception";
    let mut found = jiedai_app::receptions::changes_between(b, a, true);
    if created {
        found.retain(|c| !empty(&c.after));
    }
    if !reception {
        found.sort_by_key(|c| (field_rank(&c.field), c.field.clone()));
    }
    let mut out: Vec<Change> = comment
        .map(|c| Change { field: tr.t("reception.comment").to_owned(), before: String::new(), after: c })
        .into_iter()
        .collect();
    out.extend(found.into_iter().map(|c| {
        let (field, before, after) = if reception {
            (
                change_label(tr, &c.field),
                change_value(tr, today, &c.field, &c.before),
                change_value(tr, today, &c.field, &c.after),
            )
        } else {
            let field = FIELD_LABELS
                .iter()
                .find(|(f, _)| *f == c.field)
                .map(|(_, l)| tr.t(l).to_owned())
                .unwrap_or_else(|| label(tr, Some(&keys::form_label(&c.field)), &c.field));
            (field, show(tr, names, today, &c.field, &c.before), show(tr, names, today, &c.field, &c.after))
        };
        Change { field, before: if created { String::new() } else { before }, after }
    }));
    out
}

/// Who acted, by name, and for whom when a deputy acted.
pub(super) fn actor(tr: Tr, names: &Names, r: &AuditEntry) -> String {
    let name = r.actor_user_id.and_then(|u| names.user(i64::from(u.get()))).unwrap_or(&r.actor_label).to_owned();
    let on_behalf = object(r.after.as_deref())
        .get("on_behalf_of")
        .and_then(Value::as_i64)
        .and_then(|i| names.user(i))
        .map(str::to_owned);
    match on_behalf {
        Some(of) => tr.t_with("reception.on_behalf", &[("name", &name), ("approver", &of)]),
        None => name,
    }
}

/// A label from the catalogue, or the raw value when there is none.
pub(super) fn label(tr: Tr, key: Option<&str>, raw: &str) -> String {
    match key.map(|k| (k, tr.t(k))) {
        Some((k, t)) if t != k => t.to_owned(),
        _ => raw.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiedai_domain::Language;

    fn names() -> Names {
        Names {
            departments: HashMap::from([(3, "研发部".to_owned())]), users: HashMap::from([(7, "孙二".to_owned())])
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    fn got(c: &[Change]) -> Vec<(&str, &str, &str)> {
        c.iter().map(|c| (c.field.as_str(), c.before.as_str(), c.after.as_str())).collect()
    }

    #[test]
    fn changes_list_only_fields_that_differ_with_their_labels() {
        let tr = Tr::new(Language::En);
        let c = changes(
            tr,
            &names(),
            today(),
            "user",
            Some(r#"{"display_name":"Sun","roles":["staff"],"phone":null,"department_id":null}"#),
            Some(r#"{"display_name":"Sun Er","roles":["staff","finance"],"phone":null,"department_id":3}"#),
        );
        assert_eq!(
            got(&c),
            vec![
                ("Name", "Sun", "Sun Er"),
                ("Department", "—", "研发部"),
                ("Roles", "Reception staff", "Reception staff, Finance")
            ]
        );
        let created = changes(tr, &names(), today(), "department", None, Some(r#"{"name":"R&D","head_user_id":7}"#));
        assert_eq!(got(&created), vec![("Department name", "", "R&D"), ("Department head", "", "孙二")]);
    }

    #[test]
    fn a_reception_record_reads_in_yuan_with_labels_and_no_raw_json() {
        let tr = Tr::new(Language::ZhCn);
        let c = changes(
            tr,
            &names(),
            today(),
            "reception",
            Some(r#"{"state":"submitted","hotel":{"wanted":true,"budget_fen":50000}}"#),
            Some(r#"{"state":"returned","comment":"请补充\n日程","hotel":{"wanted":true,"budget_fen":80000}}"#),
        );
        let all = got(&c);
        assert_eq!(all[0], ("意见", "", "请补充\n日程"));
        assert!(all.iter().any(|(_, b, a)| b.contains("500.00") && a.contains("800.00")), "{all:?}");
        assert!(all.iter().any(|(f, _, a)| *f == "状态" && *a == "已退回"), "{all:?}");
        assert!(all.iter().all(|(_, b, a)| !b.contains('{') && !a.contains('{')), "{all:?}");
        let created = changes(
            tr,
            &names(),
            today(),
            "reception",
            None,
            Some(
                r#"{"code":"R-1","state":"draft","form":{"guest_name":"王","hotel":{"wanted":false,"budget_fen":null}}}"#,
            ),
        );
        let fields: Vec<&str> = created.iter().map(|c| c.field.as_str()).collect();
        assert!(fields.contains(&"状态") && fields.iter().any(|f| f.contains("来宾姓名")), "{fields:?}");
        assert!(created.iter().all(|c| c.after != "—" && !c.after.contains('{')), "{fields:?}");
    }

    #[test]
    fn a_deputy_is_named_with_the_approver_they_acted_for() {
        let tr = Tr::new(Language::ZhCn);
        let r = AuditEntry {
            id: jiedai_domain::AuditId(1),
            at: chrono::Utc::now(),
            actor_user_id: Some(UserId(8)),
            actor_label: "li".into(),
            entity: "reception".into(),
            entity_id: Some("1".into()),
            action: "approve".into(),
            before: None,
            after: Some(r#"{"on_behalf_of":7}"#.into()),
            ip: None,
        };
        assert_eq!(actor(tr, &names(), &r), "li（代 孙二）");
    }

    #[test]
    fn audit_terms_are_labelled_and_unknown_ones_shown_as_recorded() {
        let tr = Tr::new(Language::En);
        assert_eq!(label(tr, keys::audit_action("take-on"), "take-on"), "Taken on");
        assert_eq!(label(tr, keys::audit_entity("token"), "token"), "Token");
        assert_eq!(label(tr, keys::audit_action("teleport"), "teleport"), "teleport");
        let c = changes(tr, &names(), today(), "user", None, Some(r#"{"guest_name":"Wang","mystery":"x"}"#));
        let fields: Vec<&str> = c.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, vec!["Principal guest", "mystery"]);
    }
}
