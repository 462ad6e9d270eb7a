//! The groups of the task division (司机, 嘉宾组…): their leads and members, kept by General
//! Management and administrators.

use jiedai_domain::reception::Viewer;
use jiedai_domain::{Actor, FieldError, FieldErrors, UserId};

use super::{is_active, plans};
use crate::{App, Error, Result};

/// Most members of a group.
pub const MAX_MEMBERS: usize = 200;

/// The groups of the task division with their leads and members.
pub async fn teams(app: &App) -> Result<Vec<jiedai_store::StoredTeam>> {
    Ok(app.store().teams().await?)
}

/// Sets a group's lead and members (General Management and administrators): each an
/// active person; read at `version`.
pub async fn save_team(
    app: &App,
    viewer: &Viewer,
    id: jiedai_domain::TeamId,
    version: i32,
    lead: Option<UserId>,
    members: &[UserId],
    actor: &Actor,
) -> Result<jiedai_store::StoredTeam> {
    if !plans(viewer) {
        return Err(Error::Forbidden);
    }
    let mut errs = FieldErrors::new();
    if members.len() > MAX_MEMBERS {
        // Told before anyone is looked up.
        errs.push(FieldError::with_limit("members", "too_many", MAX_MEMBERS));
        return Err(Error::Validation(errs));
    }
    for (field, person) in lead.iter().map(|p| ("lead_id", *p)).chain(members.iter().map(|p| ("members", *p))) {
        if !is_active(app, person).await? && errs.get(field).is_none() {
            errs.push(FieldError::new(field, "person_not_active"));
        }
    }
    if !errs.is_empty() {
        return Err(Error::Validation(errs));
    }
    Ok(app.store().save_team(id, version, lead, members, actor).await?)
}
