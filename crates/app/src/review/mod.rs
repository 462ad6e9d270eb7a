//! The review meeting (总结例会) of a reception: its minutes, recorded by General Management
//! and administrators once the reception's day has begun, read-only once it is closed, read
//! by whoever may see the reception; what closing it needs. Improvement actions and the
//! lessons applied on later receptions are in [`actions`] and [`lessons`].

use chrono::Utc;
use jiedai_domain::reception::Viewer;
use jiedai_domain::review::{MinutesInput, may_record};
use jiedai_domain::{Actor, FieldError, FieldErrors, ReceptionId, UserId};
pub use jiedai_store::{StoredAction, StoredApplication, StoredMinutes};

use crate::{App, Error, Result, receptions};

mod actions;
mod lessons;

pub use actions::{
    ActionView, action, actions, create_action, demo_action, demo_done, mark_done, of_reception, update_action,
};
pub use lessons::{Lesson, apply_lesson, lessons};

/// General Management and administrators write minutes and actions.
pub fn writes(viewer: &Viewer) -> bool {
    crate::tasks::plans(viewer)
}

/// The conflict of writing a review when [`may_record`] says no.
pub(crate) fn not_now(code: &str) -> Error {
    match code {
        "review_read_only" => Error::Conflict { code: "review_read_only", field: "state" },
        "review_stopped" => Error::Conflict { code: "review_stopped", field: "state" },
        _ => Error::Conflict { code: "review_too_early", field: "state" },
    }
}

/// A reception's review as people see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    /// The recorded minutes, if any.
    pub minutes: Option<StoredMinutes>,
    /// The version to send back with a change (0 while none was recorded).
    pub version: i32,
    /// The viewer may write them now (their role, and the reception's state).
    pub may_write: bool,
    /// Why they cannot be written now, for those who may write them (`review_too_early`,
    /// `review_read_only`, `review_stopped`).
    pub blocked: Option<&'static str>,
}

/// A reception's review, for whoever may see the reception.
pub async fn review(app: &App, viewer: &Viewer, id: ReceptionId) -> Result<Review> {
    let (r, _) = receptions::visible(app, viewer, id).await?;
    let minutes = app.store().minutes(id).await?;
    let blocked = may_record(r.state).err();
    Ok(Review {
        version: minutes.as_ref().map_or(0, |m| m.version),
        minutes,
        may_write: writes(viewer) && blocked.is_none(),
        blocked,
    })
}

/// Records a reception's minutes read at `version` (0: the first time), General Management
/// and administrators, on a reception on site or closing: every problem at once (held in
/// the future, no attendee, lengths, attendees who are not active people).
pub async fn save_minutes(
    app: &App,
    viewer: &Viewer,
    id: ReceptionId,
    version: i32,
    input: &MinutesInput,
    actor: &Actor,
) -> Result<StoredMinutes> {
    let (r, _) = receptions::visible(app, viewer, id).await?;
    if !writes(viewer) {
        return Err(Error::Forbidden);
    }
    if let Err(code) = may_record(r.state) {
        return Err(not_now(code));
    }
    let (m, mut errs) = match input.check(Utc::now()) {
        Ok(m) => (Some(m), FieldErrors::new()),
        Err(e) => (None, e),
    };
    // Attendees already in the minutes may have been disabled since: they stay.
    let saved = app.store().minutes(id).await?.map(|m| m.minutes.attendee_ids).unwrap_or_default();
    let mut seen: Vec<UserId> = Vec::new();
    for p in &input.attendee_ids {
        if errs.get("attendee_ids").is_some() {
            break;
        }
        if seen.contains(p) || saved.contains(p) {
            continue;
        }
        seen.push(*p);
        if !crate::tasks::is_active(app, *p).await? && errs.get("attendee_ids").is_none() {
            errs.push(FieldError::new("attendee_ids", "person_not_active"));
        }
    }
    let (Some(m), true) = (m, errs.is_empty()) else {
        return Err(Error::Validation(errs));
    };
    Ok(app.store().save_minutes(id, version, &m, actor).await?)
}

/// What stops a reception from closing, as far as its review goes: its minutes must be
/// recorded (`review_missing`).
pub async fn close_blocker(app: &App, id: ReceptionId) -> Result<Option<FieldError>> {
    Ok(match app.store().minutes(id).await? {
        Some(_) => None,
        None => Some(FieldError::new("state", "review_missing")),
    })
}

/// Records minutes for the demonstration data (no permission check, any state): returns
/// them as saved.
pub async fn demo_minutes(app: &App, id: ReceptionId, input: &MinutesInput, actor: &Actor) -> Result<StoredMinutes> {
    let m = input.check(Utc::now())?;
    let version = app.store().minutes(id).await?.map_or(0, |m| m.version);
    Ok(app.store().save_minutes(id, version, &m, actor).await?)
}
