//! Delegation: an approver names a deputy for a period; meanwhile the requests the
//! approver decides on go to the deputy too, and the history says who acted for whom.

use chrono::NaiveDate;
use jiedai_domain::reception::{Delegation, Deputyship, Viewer};
use jiedai_domain::{Actor, UserId};

use crate::{App, Error, Result, accounts};

/// The delegation a person has set (in force or not).
pub async fn delegation_of(app: &App, user_id: UserId) -> Result<Option<Delegation>> {
    Ok(app.store().delegation_of(user_id).await?)
}

/// Sets a person's deputy from `from` to `until` (both included), or with `None` ends
/// their delegation. Every problem is told at once.
pub async fn set_delegation(
    app: &App,
    user_id: UserId,
    new: Option<(UserId, NaiveDate, NaiveDate)>,
    actor: &Actor,
) -> Result<Option<Delegation>> {
    let new = new.map(|(deputy_id, from, until)| Delegation { user_id, deputy_id, from, until });
    if let Some(d) = &new {
        let errs = d.check(app.today());
        if !errs.is_empty() {
            return Err(Error::Validation(errs));
        }
    }
    Ok(app.store().set_delegation(user_id, new, actor).await?)
}

/// The approvers a person stands in for today, each with the departments they approve for.
pub async fn deputy_for(app: &App, user_id: UserId) -> Result<Vec<Deputyship>> {
    // Read on every request: kept with who stands behind it (a delegation's change moves
    // the `auth` mark), per day.
    let generation = app.store().generation(jiedai_store::Topic::Auth);
    let today = app.today();
    if let Some(v) = app.auth_cache().deputies(generation, user_id, today) {
        return Ok(v);
    }
    let mut out = Vec::new();
    for d in app.store().delegations_to(user_id, today).await? {
        let approver = match accounts::get_user(app, d.user_id).await {
            Ok(u) if u.active => u,
            Ok(_) | Err(Error::NotFound) => continue,
            Err(e) => return Err(e),
        };
        let as_viewer = Viewer {
            user_id: approver.id,
            roles: approver.roles,
            department_id: approver.department_id,
            heads: accounts::departments_headed_by(app, approver.id).await?,
            deputy_for: Vec::new(),
        };
        let departments = as_viewer.approves_in_own_right();
        if !departments.is_empty() {
            out.push(Deputyship { approver: approver.id, departments });
        }
    }
    app.auth_cache().put_deputies(generation, user_id, today, out.clone());
    Ok(out)
}
