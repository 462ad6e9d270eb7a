//! The audit log: written in the same transaction as the change it records.

use chrono::{DateTime, Utc};
use jiedai_domain::{Actor, AuditEntry, AuditId, UserId};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};
use serde::Serialize;

use crate::engine::{json_rows_sql, stored_time, text_sql};
use crate::entity::audit_log;
use crate::{Store, StoreError};

/// Writes one audit record on the given connection (a transaction).
pub(crate) async fn record<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    entity: &str,
    entity_id: Option<String>,
    action: &str,
    before: Option<&impl Serialize>,
    after: Option<&impl Serialize>,
) -> Result<(), StoreError> {
    audit_log::ActiveModel {
        at: Set(Utc::now()),
        actor_user_id: Set(actor.user_id.map(UserId::get)),
        actor_label: Set(actor.label.chars().take(64).collect()),
        entity: Set(entity.to_owned()),
        entity_id: Set(entity_id),
        action: Set(action.to_owned()),
        before: Set(to_json(before)),
        after: Set(to_json(after)),
        ip: Set(actor.ip.clone()),
        ..Default::default()
    }
    .insert(c)
    .await?;
    Ok(())
}

fn to_json<T: Serialize>(v: Option<&T>) -> Option<String> {
    v.map(|v| serde_json::to_string(v).unwrap_or_default())
}

/// One entry of a record's history, as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    /// When.
    pub at: DateTime<Utc>,
    /// Who (their username, or `cli`, `system`).
    pub actor_label: String,
    /// The acting user, when a user acted.
    pub actor_user_id: Option<UserId>,
    /// What.
    pub action: String,
    /// The record's `before` document (the values a change replaced), as JSON text.
    pub before: Option<String>,
    /// The record's `after` document (the new values, the comment, `on_behalf_of`), as
    /// JSON text.
    pub after: Option<String>,
}

impl HistoryRow {
    /// The comment recorded with it (`comment` in `after`), if any.
    pub fn comment(&self) -> Option<String> {
        let after: serde_json::Value = serde_json::from_str(self.after.as_deref()?).ok()?;
        after.get("comment")?.as_str().map(str::to_owned)
    }
}

/// SQL for the newest `limit` history entries of an `entity` whose id is the outer query's
/// `id_sql`, as one JSON array of `[id, at, actor, action, actor_user_id, before, after]`
/// (read by [`parse_history`]).
pub(crate) fn history_sql(backend: DatabaseBackend, entity: &'static str, id_sql: &str, limit: u64) -> String {
    debug_assert!(entity.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
    format!(
        "(SELECT {rows} FROM (SELECT id, at, actor_label, action, actor_user_id, \"before\", \"after\" FROM audit_log \
         WHERE entity = '{entity}' AND entity_id = {id} ORDER BY id DESC LIMIT {limit}) AS h)",
        rows = json_rows_sql(
            backend,
            "h.id, h.at, h.actor_label, h.action, h.actor_user_id, h.\"before\", h.\"after\"",
            "h.id DESC"
        ),
        id = text_sql(backend, id_sql),
    )
}

type RawHistory = (i64, String, String, String, Option<i32>, Option<String>, Option<String>);

/// Reads what [`history_sql`] built, newest first.
pub(crate) fn parse_history(json: &str) -> Result<Vec<HistoryRow>, StoreError> {
    let bad = || StoreError::Setup("history: unreadable entry".into());
    let rows: Vec<RawHistory> = serde_json::from_str(json).map_err(|_| bad())?;
    let mut entries = rows
        .into_iter()
        .map(|(id, at, actor_label, action, actor, before, after)| {
            let at = stored_time(&at).ok_or_else(bad)?;
            Ok((id, HistoryRow { at, actor_label, actor_user_id: actor.map(UserId), action, before, after }))
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    entries.sort_by_key(|(id, _)| std::cmp::Reverse(*id));
    Ok(entries.into_iter().map(|(_, e)| e).collect())
}

/// Filters of the audit list; all optional.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Actor label (username, `cli`…), exact.
    pub actor: Option<String>,
    /// Entity kind, exact.
    pub entity: Option<String>,
    /// Entity id, exact (with `entity`).
    pub entity_id: Option<String>,
    /// From this instant (inclusive).
    pub from: Option<DateTime<Utc>>,
    /// Before this instant (exclusive).
    pub until: Option<DateTime<Utc>>,
    /// Keyset cursor: only entries with a smaller id.
    pub before_id: Option<AuditId>,
}

impl Store {
    /// Newest audit entries first, at most `limit`; keyset-paged by id.
    pub async fn list_audit(&self, f: &AuditFilter, limit: u64) -> Result<Vec<AuditEntry>, StoreError> {
        let mut q = audit_log::Entity::find();
        if let Some(a) = &f.actor {
            q = q.filter(audit_log::Column::ActorLabel.eq(a.clone()));
        }
        if let Some(e) = &f.entity {
            q = q.filter(audit_log::Column::Entity.eq(e.clone()));
        }
        if let Some(id) = &f.entity_id {
            q = q.filter(audit_log::Column::EntityId.eq(id.clone()));
        }
        if let Some(t) = f.from {
            q = q.filter(audit_log::Column::At.gte(t));
        }
        if let Some(t) = f.until {
            q = q.filter(audit_log::Column::At.lt(t));
        }
        if let Some(id) = f.before_id {
            q = q.filter(audit_log::Column::Id.lt(id.get()));
        }
        let rows = q.order_by_desc(audit_log::Column::Id).limit(limit).all(self.conn()).await?;
        Ok(rows
            .into_iter()
            .map(|m| AuditEntry {
                id: AuditId(m.id),
                at: m.at,
                actor_user_id: m.actor_user_id.map(UserId),
                actor_label: m.actor_label,
                entity: m.entity,
                entity_id: m.entity_id,
                action: m.action,
                before: m.before,
                after: m.after,
                ip: m.ip,
            })
            .collect())
    }

    /// Records an event that changes nothing else (a failed login, say) in its own
    /// transaction.
    pub async fn record_event(
        &self,
        actor: &Actor,
        entity: &str,
        entity_id: Option<String>,
        action: &str,
        detail: Option<&serde_json::Value>,
    ) -> Result<(), StoreError> {
        let w = self.write().await?;
        record(&w.txn, actor, entity, entity_id, action, None::<&()>, detail).await?;
        w.commit().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_history_reads_back_newest_first_from_either_engines_json() {
        // PostgreSQL writes times with a T, SQLite as stored (with a space); SQLite keeps the
        // subquery's order only in practice, so the order is restored by id.
        let json = r#"[[3,"2026-11-30T08:00:00.5+00:00","head","return",2,"{\"state\":\"submitted\"}","{\"state\":\"returned\",\"comment\":\"请补充预算\"}"],
            [5,"2026-11-30 09:00:00+00:00","gm","take-on",3,null,null],[4,"2026-11-30 08:30:00+00:00","req","submit",null,null,null]]"#;
        let h = parse_history(json).unwrap();
        let actions: Vec<&str> = h.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["take-on", "submit", "return"]);
        assert_eq!(h[2].comment().as_deref(), Some("请补充预算"));
        assert_eq!(h[2].at.to_rfc3339(), "2026-11-30T08:00:00.500+00:00");
        assert!(parse_history("[]").unwrap().is_empty());
        assert_eq!(h[0].actor_user_id, Some(UserId(3)));
        assert!(parse_history(r#"[[1,"yesterday","a","b",null,null,null]]"#).is_err());
    }

    #[test]
    fn the_history_subquery_names_only_our_identifiers_on_both_engines() {
        for (backend, rows) in [(DatabaseBackend::Sqlite, "json_group_array"), (DatabaseBackend::Postgres, "json_agg")]
        {
            let sql = history_sql(backend, "reception", "\"receptions\".\"id\"", 100);
            assert!(sql.contains(rows) && sql.contains("LIMIT 100") && sql.contains("'reception'"), "{sql}");
        }
    }
}
