//! The reception procedure in force, its versions, and moving it between installations
//! as TOML.

use jiedai_domain::Actor;
use jiedai_domain::procedure::Procedure;
use jiedai_store::{ProcedureVersion, Store, StoreError};

use crate::error::{AppError, AppResult};

/// The version in force; the first call on a new installation seeds version 1 from the
/// company's procedure.
pub async fn current(store: &Store) -> AppResult<ProcedureVersion> {
    if let Some(v) = store.current_procedure().await? {
        return Ok(v);
    }
    let seed = Procedure::default_procedure();
    match store.create_procedure_version(&seed, None, "客户接待流程及标准（2016年4月）", &Actor::system()).await
    {
        // Another request seeded it first: read theirs.
        Ok(_) | Err(StoreError::StaleVersion) => Ok(store
            .current_procedure()
            .await?
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("procedure missing")))?),
        Err(e) => Err(e.into()),
    }
}

/// Makes a new version from a TOML file (`jiedai procedure import`, the admin upload):
/// checked as a whole, on top of the version in force.
pub async fn import_toml(store: &Store, text: &str, note: &str, actor: &Actor) -> AppResult<i32> {
    let procedure = Procedure::from_toml(text).map_err(AppError::Validation)?;
    let base = current(store).await?;
    if base.procedure == procedure {
        return Ok(base.version);
    }
    Ok(store.create_procedure_version(&procedure, Some(base.version), note, actor).await?)
}

/// A version as TOML (`jiedai procedure export`).
pub async fn export_toml(store: &Store, version: Option<i32>) -> AppResult<String> {
    let v = match version {
        Some(n) => store.procedure_version(n).await?,
        None => current(store).await?,
    };
    Ok(format!(
        "# Jiedai reception procedure, version {} ({}, {})\n{}",
        v.version,
        v.created_at.format("%Y-%m-%d"),
        v.created_by,
        v.procedure.to_toml()
    ))
}

/// New standards per person for the tiers, effective from a day: a new version on top
/// of `based_on` (the version the editor read; a stale one answers 409).
pub async fn set_tier_standards(
    store: &Store,
    based_on: i32,
    standards: &[(&str, i64)],
    from: chrono::NaiveDate,
    note: &str,
    actor: &Actor,
) -> AppResult<i32> {
    let base = current(store).await?;
    if base.version != based_on {
        return Err(AppError::StaleVersion);
    }
    let mut p = base.procedure.clone();
    for (key, fen) in standards {
        if p.tier_on(key, from).map(|t| t.standard_per_person_fen) != Some(*fen) {
            p = p.with_tier_standard(key, *fen, from);
        }
    }
    p.validate().map_err(AppError::Validation)?;
    if p == base.procedure {
        return Ok(base.version);
    }
    Ok(store.create_procedure_version(&p, Some(based_on), note, actor).await?)
}

/// Makes a new version from a whole procedure (the API), on top of `based_on`.
pub async fn replace(store: &Store, procedure: Procedure, based_on: i32, note: &str, actor: &Actor) -> AppResult<i32> {
    procedure.validate().map_err(AppError::Validation)?;
    let base = current(store).await?;
    if base.version != based_on {
        return Err(AppError::StaleVersion);
    }
    if base.procedure == procedure {
        return Ok(base.version);
    }
    Ok(store.create_procedure_version(&procedure, Some(based_on), note, actor).await?)
}
