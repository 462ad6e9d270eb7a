//! Versions of the reception procedure. The newest version is in force; older ones
//! stay readable.

use chrono::{DateTime, Utc};
use jiedai_domain::Actor;
use jiedai_domain::procedure::Procedure;
use sea_orm::{ActiveModelTrait, EntityTrait, QueryOrder, QuerySelect, Set};
use serde::Serialize;

use crate::audit::record;
use crate::entity::procedure_version;
use crate::{Store, StoreError, Topic};

/// One stored version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcedureVersion {
    /// Version number, from 1.
    pub version: i32,
    /// The procedure.
    pub procedure: Procedure,
    /// What changed, in the editor's words.
    pub note: String,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// Who made it.
    pub created_by: String,
}

fn to_version(m: procedure_version::Model) -> Result<ProcedureVersion, StoreError> {
    let procedure = serde_json::from_str(&m.body)
        .map_err(|e| StoreError::Setup(format!("procedure version {} unreadable: {e}", m.version)))?;
    Ok(ProcedureVersion {
        version: m.version,
        procedure,
        note: m.note,
        created_at: m.created_at,
        created_by: m.created_by,
    })
}

#[derive(Serialize)]
struct VersionSnapshot<'a> {
    version: i32,
    note: &'a str,
}

impl Store {
    /// The version in force, if any was made.
    pub async fn current_procedure(&self) -> Result<Option<ProcedureVersion>, StoreError> {
        let m = procedure_version::Entity::find()
            .order_by_desc(procedure_version::Column::Version)
            .limit(1)
            .one(self.conn())
            .await?;
        m.map(to_version).transpose()
    }

    /// One version.
    pub async fn procedure_version(&self, version: i32) -> Result<ProcedureVersion, StoreError> {
        let m = procedure_version::Entity::find_by_id(version).one(self.conn()).await?.ok_or(StoreError::NotFound)?;
        to_version(m)
    }

    /// Every version, newest first (without their bodies' details being needed, they are
    /// small: a procedure is a few kilobytes).
    pub async fn procedure_versions(&self) -> Result<Vec<ProcedureVersion>, StoreError> {
        let rows = procedure_version::Entity::find()
            .order_by_desc(procedure_version::Column::Version)
            .all(self.conn())
            .await?;
        rows.into_iter().map(to_version).collect()
    }

    /// Makes a new version on top of `based_on` (the version the editor read; `None`
    /// only for the very first). A stale base answers [`StoreError::StaleVersion`].
    pub async fn create_procedure_version(
        &self,
        procedure: &Procedure,
        based_on: Option<i32>,
        note: &str,
        actor: &Actor,
    ) -> Result<i32, StoreError> {
        let mut w = self.write().await?;
        w.touch(Topic::Procedure).await?;
        let latest = procedure_version::Entity::find()
            .order_by_desc(procedure_version::Column::Version)
            .limit(1)
            .one(&w.txn)
            .await?
            .map(|m| m.version);
        if latest != based_on {
            return Err(StoreError::StaleVersion);
        }
        let version = latest.unwrap_or(0) + 1;
        let body = serde_json::to_string(procedure).map_err(|e| StoreError::Setup(e.to_string()))?;
        procedure_version::ActiveModel {
            version: Set(version),
            body: Set(body),
            note: Set(note.chars().take(200).collect()),
            created_at: Set(Utc::now()),
            created_by: Set(actor.label.chars().take(64).collect()),
        }
        .insert(&w.txn)
        .await
        .map_err(|e| if crate::error::is_unique_violation(&e) { StoreError::StaleVersion } else { e.into() })?;
        let snap = VersionSnapshot { version, note };
        record(&w.txn, actor, "procedure", Some(version.to_string()), "create", None::<&()>, Some(&snap)).await?;
        w.commit().await?;
        Ok(version)
    }
}
