//! Departments and their heads; the names and the heads are read through the auth cache,
//! since every reception page and list asks for them.

use std::sync::Arc;

use jiedai_domain::{Actor, Department, DepartmentId, UserId};
use jiedai_store::Topic;

use super::input::{DepartmentInput, parse_department_input};
use crate::{App, Error, Result};

/// Creates a department.
pub async fn create_department(app: &App, i: &DepartmentInput, actor: &Actor) -> Result<Department> {
    let (name, head) = parse_department_input(i)?;
    Ok(app.store().create_department(name, head, actor).await?)
}

/// Renames a department or changes its head, at the version read.
pub async fn update_department(app: &App, id: DepartmentId, i: &DepartmentInput, actor: &Actor) -> Result<Department> {
    let (name, head) = parse_department_input(i)?;
    let version = i.version.ok_or_else(|| Error::field("version", "required"))?;
    Ok(app.store().update_department(id, version, name, head, actor).await?)
}

/// Every department, by name.
pub async fn list_departments(app: &App) -> Result<Vec<Department>> {
    Ok(app.store().list_departments().await?)
}

/// One department.
pub async fn get_department(app: &App, id: DepartmentId) -> Result<Department> {
    Ok(app.store().get_department(id).await?)
}

/// A department by exact name.
pub async fn find_department_by_name(app: &App, name: &str) -> Result<Option<Department>> {
    Ok(app.store().find_department_by_name(name.trim()).await?)
}

/// Every department's name by id.
pub async fn department_names(app: &App) -> Result<Arc<Vec<(DepartmentId, String)>>> {
    let generation = app.store().generation(Topic::Auth);
    if let Some(v) = app.auth_cache().names(generation) {
        return Ok(v);
    }
    let v = Arc::new(app.store().department_names().await?);
    app.auth_cache().put_names(generation, v.clone());
    Ok(v)
}

/// One department's name (empty if it does not exist).
pub async fn department_name(app: &App, id: DepartmentId) -> Result<String> {
    Ok(department_names(app).await?.iter().find(|(d, _)| *d == id).map(|(_, n)| n.clone()).unwrap_or_default())
}

/// The departments a person heads.
pub async fn departments_headed_by(app: &App, user: UserId) -> Result<Vec<DepartmentId>> {
    let generation = app.store().generation(Topic::Auth);
    if let Some(v) = app.auth_cache().heads(generation, user) {
        return Ok(v);
    }
    let v = app.store().departments_headed_by(user).await?;
    app.auth_cache().put_heads(generation, user, v.clone());
    Ok(v)
}
