//! The audit log: written in the same transaction as the change it records.

use chrono::{DateTime, Utc};
use jiedai_domain::{Actor, AuditEntry, AuditId, UserId};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde::Serialize;

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
    /// What.
    pub action: String,
    /// The comment recorded with it (`comment` in the record's `after`), if any.
    pub comment: Option<String>,
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

    /// The history of one record, newest first, at most `limit` entries: when, who, what and
    /// the comment, without the records' before and after documents (a reception's creation
    /// carries its whole form), which stay in the database.
    pub async fn history(&self, entity: &str, entity_id: &str, limit: u64) -> Result<Vec<HistoryRow>, StoreError> {
        use audit_log::Column as C;
        let backend = self.conn().get_database_backend();
        let rows = audit_log::Entity::find()
            .select_only()
            .columns([C::At, C::ActorLabel, C::Action])
            .expr_as(crate::engine::json_text_field(backend, "after", "comment"), "comment")
            .filter(C::Entity.eq(entity))
            .filter(C::EntityId.eq(entity_id))
            .order_by_desc(C::Id)
            .limit(limit)
            .into_tuple::<(DateTime<Utc>, String, String, Option<String>)>()
            .all(self.conn())
            .await?;
        Ok(rows
            .into_iter()
            .map(|(at, actor_label, action, comment)| HistoryRow { at, actor_label, action, comment })
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
