//! Who an event goes to: the people who must act or be told, each once, never the person who
//! caused it; those disabled since are left out and recorded; e-mail (when a mail server is
//! set up) to those who have an address and did not turn it off for the event; every active channel that wants the event
//! (of the reception's department, or of every department). A guest's survey link goes to the
//! address it was made for, and nowhere else.

use std::collections::HashMap;

use jiedai_domain::notify::EventKey;
use jiedai_domain::{Role, SurveyLinkId, User, UserId};
use jiedai_store::{Fan, StoredEvent, Subject, Target};

use crate::{App, Result};

/// The people an event is for (before the actor, the disabled and preferences are applied).
async fn people(
    app: &App,
    e: &StoredEvent,
    key: EventKey,
    subject: Option<&Subject>,
    users: &[User],
) -> Result<Vec<UserId>> {
    let store = app.store();
    let with_role = |role: Role| users.iter().filter(move |u| u.roles.contains(role)).map(|u| u.id);
    let mut out: Vec<UserId> = Vec::new();
    let Some(s) = subject else { return Ok(out) };
    let task = match e.task_id {
        Some(t) => store.task_subjects(&[t]).await?.remove(&t),
        None => None,
    };
    match key {
        EventKey::ReceptionSubmitted => {
            // The department's approvers and head, and whoever stands in for one of them today.
            let head = store.get_department(s.department_id).await.ok().and_then(|d| d.head_user_id);
            let approvers: Vec<UserId> = users
                .iter()
                .filter(|u| u.roles.contains(Role::Approver) && u.department_id == Some(s.department_id))
                .map(|u| u.id)
                .chain(head)
                .collect();
            let today = app.today();
            for a in &approvers {
                if let Some(d) = store.delegation_of(*a).await?
                    && d.from <= today
                    && today <= d.until
                {
                    out.push(d.deputy_id);
                }
            }
            out.extend(approvers);
        }
        EventKey::ReceptionReturned | EventKey::ReceptionRejected | EventKey::DraftDeadline => out.push(s.requester_id),
        EventKey::ReceptionApproved => {
            out.push(s.requester_id);
            out.extend(with_role(Role::Coordinator));
        }
        EventKey::ReceptionCancelled => {
            if let Some(r) = e.reception_id {
                for t in store.tasks_of_reception(r).await? {
                    out.extend(t.responsible_id);
                    out.extend(t.assistant_id);
                }
            }
            out.extend(s.coordinator_id);
        }
        EventKey::TaskAssigned => {
            out.extend(task.iter().flat_map(|t| [t.responsible_id, t.assistant_id]).flatten());
            let data: serde_json::Value = serde_json::from_str(&e.data).unwrap_or_default();
            let taken_off = data.get("taken_off").and_then(|v| v.as_array()).cloned().unwrap_or_default();
            out.extend(taken_off.iter().filter_map(|v| v.as_i64()).filter_map(|v| i32::try_from(v).ok()).map(UserId));
        }
        EventKey::TaskDue => out.extend(task.and_then(|t| t.responsible_id)),
        EventKey::TaskOverdue => {
            out.extend(task.and_then(|t| t.responsible_id));
            out.extend(s.coordinator_id);
        }
        EventKey::VisitTomorrow => {
            // Everyone on its run sheet: whoever holds a task, the coordinator, the requester.
            if let Some(r) = e.reception_id {
                for t in store.tasks_of_reception(r).await? {
                    out.extend(t.responsible_id);
                    out.extend(t.assistant_id);
                }
            }
            out.extend(s.coordinator_id);
            out.push(s.requester_id);
        }
        EventKey::SettlementSubmitted => out.extend(with_role(Role::Finance)),
        EventKey::SettlementReturned | EventKey::SettlementApproved => {
            // Whoever submitted the settlement (the event carries them), else the coordinator.
            let data: serde_json::Value = serde_json::from_str(&e.data).unwrap_or_default();
            let by = data.get("submitted_by").and_then(serde_json::Value::as_i64).and_then(|v| i32::try_from(v).ok());
            out.extend(by.map(UserId).or(s.coordinator_id));
        }
        // A guest's link goes to its address only (see `fan`).
        EventKey::SurveyInvite => {}
        EventKey::ActionAssigned | EventKey::ActionOverdue => {
            // The action's owner (as it was given; a later re-assignment makes its own event).
            let data: serde_json::Value = serde_json::from_str(&e.data).unwrap_or_default();
            let owner = data.get("owner_id").and_then(serde_json::Value::as_i64).and_then(|v| i32::try_from(v).ok());
            out.extend(owner.map(UserId));
        }
    }
    Ok(out)
}

/// The people and channels a batch of events goes to, read once for the batch.
pub(crate) struct Directory {
    users: Vec<User>,
    channels: Vec<jiedai_store::StoredChannel>,
}

impl Directory {
    /// Reads everyone and every channel.
    pub(crate) async fn read(app: &App) -> Result<Directory> {
        Ok(Directory { users: app.store().list_users(None).await?, channels: app.store().channels().await? })
    }
}

/// Works out an event's fan-out.
pub(crate) async fn fan(app: &App, e: &StoredEvent, subject: Option<&Subject>, dir: &Directory) -> Result<Fan> {
    let mut fan = Fan::default();
    let Some(key) = e.key else { return Ok(fan) };
    if key.is_for_guests() {
        // The address kept with the link, by e-mail only: no bell, no channel (the link is the
        // guest's key). Without a mail server it is recorded as skipped for that reason, so the
        // link keeps saying it was not mailed even once a mail server is set up later.
        let data: serde_json::Value = serde_json::from_str(&e.data).unwrap_or_default();
        let link = data.get("link_id").and_then(serde_json::Value::as_i64).and_then(|v| i32::try_from(v).ok());
        if let Some(link) = link.map(|l| Target::Guest(SurveyLinkId(l))) {
            if app.config().mail_enabled {
                fan.targets.push(link);
            } else {
                fan.skipped.push((link, jiedai_domain::notify::NO_MAIL_SERVER.to_owned()));
            }
        }
        return Ok(fan);
    }
    let users = &dir.users;
    let by_id: HashMap<UserId, &User> = users.iter().map(|u| (u.id, u)).collect();
    let mut seen = Vec::new();
    for id in people(app, e, key, subject, users).await? {
        if Some(id) == e.actor || seen.contains(&id) {
            continue;
        }
        seen.push(id);
        let Some(user) = by_id.get(&id) else { continue };
        if !user.active {
            fan.skipped.push((Target::Email(id), "recipient disabled".to_owned()));
            continue;
        }
        fan.people.push(id);
        let wants_mail = app.config().mail_enabled
            && user.email.as_deref().is_some_and(|m| !m.trim().is_empty())
            && !app.store().email_opt_outs(id).await?.contains(&key);
        if wants_mail {
            fan.targets.push(Target::Email(id));
        }
    }
    for c in &dir.channels {
        let department_fits = match (c.department_id, subject) {
            (None, _) => true,
            (Some(d), Some(s)) => d == s.department_id,
            (Some(_), None) => false,
        };
        if c.active && c.events.contains(&key) && department_fits {
            fan.targets.push(Target::Channel(c.id));
        }
    }
    Ok(fan)
}
