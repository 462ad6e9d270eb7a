//! The parts of a reception's JSON that tell its story: the files attached to it and its
//! history, each change with the values before and after.

use chrono::{DateTime, Utc};
use jiedai_app::receptions::{AttachmentMeta, HistoryEntry};
use serde::Serialize;
use utoipa::ToSchema;

/// A file attached to a request; its bytes at `GET /api/v1/attachments/{id}`.
#[derive(Serialize, ToSchema)]
pub struct AttachmentInfo {
    /// Id.
    pub id: i32,
    /// File name.
    pub name: String,
    /// Content type, told by the file's own bytes: application/pdf, image/png,
    /// image/jpeg, image/gif or image/webp.
    pub content_type: String,
    /// Size in bytes.
    pub size: i64,
}

impl From<&AttachmentMeta> for AttachmentInfo {
    fn from(m: &AttachmentMeta) -> Self {
        Self { id: m.id, name: m.name.clone(), content_type: m.content_type.clone(), size: m.size }
    }
}

/// One field a change changed.
#[derive(Serialize, ToSchema)]
pub struct ChangeItem {
    /// The field, named as in this document (`budget_fen`, `hotel`, `state`…).
    pub field: String,
    /// Its value before (null: none): a text, number, boolean, list or object as the
    /// field holds it.
    pub before: serde_json::Value,
    /// Its value after (null: none).
    pub after: serde_json::Value,
}

/// One entry of a reception's history.
#[derive(Serialize, ToSchema)]
pub struct HistoryItem {
    /// When.
    pub at: DateTime<Utc>,
    /// Who: their username (or `cli`, `system`).
    pub actor: String,
    /// Their name.
    pub actor_name: String,
    /// When a deputy acted: the name of the approver they acted for.
    pub on_behalf_of_name: Option<String>,
    /// `create`, `update`, `attach`, `detach`, or the action (`submit`, `withdraw`,
    /// `approve`, `return`, `reject`, `take-on`, `cancel`).
    pub action: String,
    /// The comment given with it (empty when none), line breaks kept.
    pub comment: String,
    /// The fields that changed, with their values before and after.
    pub changes: Vec<ChangeItem>,
}

impl From<HistoryEntry> for HistoryItem {
    fn from(h: HistoryEntry) -> Self {
        Self {
            at: h.at,
            actor: h.actor,
            actor_name: h.actor_name,
            on_behalf_of_name: h.on_behalf_of_name,
            action: h.action,
            comment: h.comment,
            changes: h
                .changes
                .into_iter()
                .map(|c| ChangeItem { field: c.field, before: c.before, after: c.after })
                .collect(),
        }
    }
}
