//! A reception's history: every change and action, newest first, from the audit log, read
//! with the reception itself: who (by name, and for whom when a deputy acted), what, the
//! comment, and each field that changed with its value before and after.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use jiedai_domain::reception::{ReceptionForm, Viewer};
use jiedai_domain::{ReceptionId, UserId};
use jiedai_store::HistoryRow;

use super::view::{ReceptionView, standing_to_see, view_of};
use crate::{App, Result, accounts};

/// How many entries a history shows at most.
const MAX_ENTRIES: u64 = 100;

/// Keys of a record that are not changes of the request (said elsewhere in the entry).
const NOT_CHANGES: &[&str] = &["comment", "on_behalf_of", "code", "form"];

/// One field that changed: its name as in the API (`budget_fen`, `hotel`, `state`), its
/// value before and after (JSON as the API writes it; `null` when it had none).
#[derive(Debug, Clone, PartialEq)]
pub struct FieldChange {
    /// The field.
    pub field: String,
    /// Its value before.
    pub before: Value,
    /// Its value after.
    pub after: Value,
}

/// One entry of a reception's history.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    /// When.
    pub at: DateTime<Utc>,
    /// Who (their username, or `cli`, `system`).
    pub actor: String,
    /// Their name as people know it (the username again for `cli`, `system`).
    pub actor_name: String,
    /// The approver a deputy acted for.
    pub on_behalf_of_name: Option<String>,
    /// What: `create`, `update`, `attach`, `detach`, or an action (`submit`, `take-on`…).
    pub action: String,
    /// The comment given with it, if any.
    pub comment: String,
    /// The fields that changed.
    pub changes: Vec<FieldChange>,
}

fn object(text: Option<&str>) -> Map<String, Value> {
    match text.map(serde_json::from_str::<Value>) {
        Some(Ok(Value::Object(m))) => m,
        _ => Map::new(),
    }
}

/// The changes a record holds: every key of its `after` (and of its `before` that went
/// away), save those that are not changes; an object that changed is told by the leaves
/// that changed in it (`hotel.budget_fen`). Without `personal`, guests' personal data is
/// left out (the inputs that hold it, and the phone and needs of each row).
fn changes_of(row: &HistoryRow, personal: bool) -> Vec<FieldChange> {
    changes_between(object(row.before.as_deref()), object(row.after.as_deref()), personal)
}

/// The changes between the `before` and `after` documents of an audit record, told as a
/// reception's history tells them (see [`HistoryEntry::changes`]); the audit log reads every
/// record this way.
pub fn changes_between(before: Map<String, Value>, after: Map<String, Value>, personal: bool) -> Vec<FieldChange> {
    let mut out: Vec<FieldChange> = Vec::new();
    let mut keys: Vec<&String> = after.keys().collect();
    keys.extend(before.keys().filter(|k| !after.contains_key(*k)));
    for k in keys {
        if NOT_CHANGES.contains(&k.as_str()) {
            continue;
        }
        let b = before.get(k).cloned().unwrap_or(Value::Null);
        let a = after.get(k).cloned().unwrap_or(Value::Null);
        leaves(k, b, a, &mut out);
    }
    if !personal {
        out.retain(|c| !ReceptionForm::PERSONAL_INPUTS.contains(&c.field.as_str()));
        for c in &mut out {
            if c.field == "companions" || c.field == "support_staff" {
                redact_rows(&mut c.before);
                redact_rows(&mut c.after);
            }
        }
    }
    out
}

/// The changed leaves of two values at `path` (objects are walked; anything else is one
/// change).
fn leaves(path: &str, before: Value, after: Value, out: &mut Vec<FieldChange>) {
    match (before, after) {
        (Value::Object(mut b), Value::Object(a)) => {
            for (k, av) in a {
                let bv = b.remove(&k).unwrap_or(Value::Null);
                if bv != av {
                    leaves(&format!("{path}.{k}"), bv, av, out);
                }
            }
            for (k, bv) in b {
                leaves(&format!("{path}.{k}"), bv, Value::Null, out);
            }
        }
        (b, a) if b != a => out.push(FieldChange { field: path.to_owned(), before: b, after: a }),
        _ => {}
    }
}

fn redact_rows(rows: &mut Value) {
    if let Value::Array(items) = rows {
        for item in items.iter_mut().filter_map(Value::as_object_mut) {
            for col in ReceptionForm::PERSONAL_ROW_COLUMNS {
                item.remove(col);
            }
        }
    }
}

async fn name_of(app: &App, id: Option<UserId>, fallback: &str) -> Result<String> {
    Ok(match id {
        Some(id) => accounts::display_name(app, id).await?,
        None => fallback.to_owned(),
    })
}

/// The entries of a history as people read them (guests' personal data only for those
/// who may see it).
pub async fn entries(app: &App, rows: Vec<HistoryRow>, personal: bool) -> Result<Vec<HistoryEntry>> {
    let mut out = Vec::with_capacity(rows.len());
    for h in rows {
        let after = object(h.after.as_deref());
        let on_behalf = after.get("on_behalf_of").and_then(Value::as_i64).and_then(|i| i32::try_from(i).ok());
        let on_behalf_of_name = match on_behalf {
            Some(id) => Some(accounts::display_name(app, UserId(id)).await?),
            None => None,
        };
        out.push(HistoryEntry {
            at: h.at,
            actor_name: name_of(app, h.actor_user_id, &h.actor_label).await?,
            on_behalf_of_name,
            comment: h.comment().unwrap_or_default(),
            changes: changes_of(&h, personal),
            actor: h.actor_label,
            action: h.action,
        });
    }
    Ok(out)
}

/// One reception, if the viewer may see it, and its history (newest first, at most
/// [`MAX_ENTRIES`]), read together: its page shows both.
pub async fn get_with_history(
    app: &App,
    viewer: &Viewer,
    id: ReceptionId,
) -> Result<(ReceptionView, Vec<HistoryEntry>)> {
    let (r, history) = app.store().get_reception_with_history(id, MAX_ENTRIES).await?;
    let standing = standing_to_see(app, viewer, &r).await?;
    let history = entries(app, history, standing.sees_personal_data()).await?;
    Ok((view_of(app, viewer, r).await?, history))
}

/// Who approved a request and when: the paper form's "部门负责人是否已批准" answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    /// The approver's name (display name, else the username the history keeps).
    pub by: String,
    /// When they approved (the latest approval in the history).
    pub at: DateTime<Utc>,
}

/// One reception, if the viewer may see it, and its approval (if it was approved), read
/// with its history: the print view answers the paper's approval line with both.
pub async fn get_with_approval(
    app: &App,
    viewer: &Viewer,
    id: ReceptionId,
) -> Result<(ReceptionView, Option<Approval>)> {
    let (v, history) = get_with_history(app, viewer, id).await?;
    let approve = jiedai_domain::Code::as_str(jiedai_domain::reception::Action::Approve);
    // Newest first: the first approval found is the one in force.
    let Some(entry) = history.iter().find(|h| h.action == approve) else {
        return Ok((v, None));
    };
    let by = match v.r.approver_id {
        Some(id) => Some(crate::accounts::display_name(app, id).await?).filter(|n| !n.is_empty()),
        None => None,
    };
    let approval = Approval { by: by.unwrap_or_else(|| entry.actor.clone()), at: entry.at };
    Ok((v, Some(approval)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(before: &str, after: &str) -> HistoryRow {
        HistoryRow {
            at: Utc::now(),
            actor_label: "wang".into(),
            actor_user_id: None,
            action: "update".into(),
            before: Some(before.into()),
            after: Some(after.into()),
        }
    }

    #[test]
    fn a_record_tells_each_changed_field_with_its_values_but_not_its_comment() {
        let h = row(
            r#"{"budget_fen":100000,"state":"draft"}"#,
            r#"{"budget_fen":120000,"state":"submitted","comment":"ok","on_behalf_of":3}"#,
        );
        let c = changes_of(&h, true);
        assert_eq!(c.len(), 2);
        assert_eq!(
            (c[0].field.as_str(), &c[0].before, &c[0].after),
            ("budget_fen", &Value::from(100000), &Value::from(120000))
        );
        assert_eq!(c[1].field, "state");
        assert_eq!(h.comment().as_deref(), Some("ok"));
    }

    #[test]
    fn a_value_taken_away_is_a_change_to_nothing() {
        let c = changes_of(&row(r#"{"attachment":{"name":"a.pdf"}}"#, "null"), true);
        assert_eq!(c[0].field, "attachment");
        assert_eq!(c[0].after, Value::Null);
    }

    #[test]
    fn a_changed_arrangement_is_told_by_the_values_that_changed_in_it() {
        let h = row(
            r#"{"hotel":{"wanted":false,"hotel":"","budget_fen":null}}"#,
            r#"{"hotel":{"wanted":true,"hotel":"锦江","budget_fen":null}}"#,
        );
        let fields: Vec<String> = changes_of(&h, true).into_iter().map(|c| c.field).collect();
        assert_eq!(fields, ["hotel.hotel", "hotel.wanted"]);
    }

    #[test]
    fn personal_data_stays_out_of_the_history_of_those_who_may_not_see_it() {
        let h = row(
            r#"{"guest_phone":"13800000000","train_tickets":{"train_number":"G1"},"companions":[{"name":"A","phone":"1","needs":"x"}]}"#,
            r#"{"guest_phone":"13900000000","train_tickets":{"train_number":"G2"},"companions":[{"name":"B","phone":"2","needs":"y"}]}"#,
        );
        let c = changes_of(&h, false);
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].field, "companions");
        assert_eq!(c[0].after, serde_json::json!([{"name": "B"}]));
        assert_eq!(changes_of(&h, true).len(), 3);
    }
}
