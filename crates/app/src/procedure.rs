//! The reception procedure in force, its versions, and moving it between installations
//! as TOML.

use std::sync::Arc;

use jiedai_domain::procedure::{MAX_STANDARD, Procedure};
use jiedai_domain::{Actor, Code, Fen, FieldError, FieldErrors, Tier};
use jiedai_store::{ProcedureVersion, Store, StoreError};

use crate::{App, Error, Result};

/// The version in force, read from the database; a new installation's first read seeds
/// version 1 from the company's procedure. (Callers go through [`App::current_procedure`],
/// which caches it.)
pub(crate) async fn read_or_seed(store: &Store) -> Result<ProcedureVersion> {
    if let Some(v) = store.current_procedure().await? {
        return Ok(v);
    }
    let seed = Procedure::default_procedure();
    match store.create_procedure_version(&seed, None, "客户接待流程及标准（2016年4月）", &Actor::system()).await
    {
        // Another request (or instance) seeded it first: read theirs.
        Ok(_) | Err(StoreError::StaleVersion) => {
            Ok(store.current_procedure().await?.ok_or_else(|| Error::Internal(anyhow::anyhow!("procedure missing")))?)
        }
        Err(e) => Err(e.into()),
    }
}

/// The version in force.
pub async fn current(app: &App) -> Result<Arc<ProcedureVersion>> {
    app.current_procedure().await
}

/// One version.
pub async fn version(app: &App, n: i32) -> Result<ProcedureVersion> {
    Ok(app.store().procedure_version(n).await?)
}

/// Every version, newest first.
pub async fn versions(app: &App) -> Result<Vec<ProcedureVersion>> {
    Ok(app.store().procedure_versions().await?)
}

/// Makes a new version from a TOML file (`jiedai procedure import`, the admin upload):
/// checked as a whole, on top of the version in force.
pub async fn import_toml(app: &App, text: &str, note: &str, actor: &Actor) -> Result<i32> {
    let procedure = Procedure::from_toml(text)?;
    let base = current(app).await?;
    if base.procedure == procedure {
        return Ok(base.version);
    }
    Ok(app.store().create_procedure_version(&procedure, Some(base.version), note, actor).await?)
}

/// A version as TOML (`jiedai procedure export`).
pub async fn export_toml(app: &App, version: Option<i32>) -> Result<String> {
    let v = match version {
        Some(n) => Arc::new(app.store().procedure_version(n).await?),
        None => current(app).await?,
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
    app: &App,
    based_on: i32,
    standards: &[(Tier, Fen)],
    from: chrono::NaiveDate,
    note: &str,
    actor: &Actor,
) -> Result<i32> {
    // Each problem named as the form names its input (the tier's key, `effective_from`),
    // not by the tier's place in the procedure's list, so it shows next to what was typed.
    let mut errs = FieldErrors::new();
    if let Err(e) = jiedai_domain::bounds::date("effective_from", from) {
        errs.push(e);
    }
    for (key, standard) in standards {
        if *standard < Fen::ZERO {
            errs.push(FieldError::new(key.as_str(), "negative_amount"));
        } else if *standard > MAX_STANDARD {
            errs.push(FieldError::new(key.as_str(), "amount_too_large"));
        }
    }
    errs.into_result()?;
    let base = current(app).await?;
    if base.version != based_on {
        return Err(Error::StaleVersion);
    }
    let mut p = base.procedure.clone();
    for (key, standard) in standards {
        if p.tier_on(*key, from).map(|t| t.standard_per_person) != Some(*standard) {
            p = p.with_tier_standard(*key, *standard, from);
        }
    }
    p.validate()?;
    if p == base.procedure {
        return Ok(base.version);
    }
    Ok(app.store().create_procedure_version(&p, Some(based_on), note, actor).await?)
}

/// Makes a new version from a whole procedure (the API), on top of `based_on`.
pub async fn replace(app: &App, procedure: Procedure, based_on: i32, note: &str, actor: &Actor) -> Result<i32> {
    procedure.validate()?;
    let base = current(app).await?;
    if base.version != based_on {
        return Err(Error::StaleVersion);
    }
    if base.procedure == procedure {
        return Ok(base.version);
    }
    Ok(app.store().create_procedure_version(&procedure, Some(based_on), note, actor).await?)
}
