//! "Lessons to apply" on a reception's planning page: the open improvement actions of
//! earlier receptions, each marked applied on this one by General Management (once, with an
//! optional note); those applied show as such.

use axum::extract::State;
use axum::response::Response;
use jiedai_app::{receptions, review};
use jiedai_domain::reception::Viewer;
use jiedai_domain::{ImprovementActionId, ReceptionId};
use serde::Deserialize;

use super::view::{ActionRow, action_row};
use crate::auth::Cx;
use crate::auth::csrf::CsrfForm;
use crate::error::{AppError, AppResult};
use crate::extract::IdAnd;
use crate::forms::people;
use crate::render::{Chrome, redirect_with_flash};
use crate::state::AppState;

/// A lesson as the planning page shows it.
pub struct LessonRow {
    pub(crate) action: ActionRow,
    /// Marked applied here: by whom and when.
    pub(crate) applied: Option<String>,
    /// The note it was marked with.
    pub(crate) note: String,
    /// The viewer may mark it applied now (General Management, not yet applied, this
    /// reception under way).
    pub(crate) may_apply: bool,
}

/// The lessons for reception `id`, for its planning page.
pub async fn rows(s: &AppState, c: &Chrome, viewer: &Viewer, id: ReceptionId) -> AppResult<Vec<LessonRow>> {
    let lessons = review::lessons(&s.app, viewer, id).await?;
    if lessons.is_empty() {
        return Ok(Vec::new());
    }
    let (names, _) = people(s, &[]).await?;
    Ok(lessons
        .into_iter()
        .map(|l| {
            let applied = l.applied.as_ref().map(|a| {
                let who = a.applied_by.and_then(|u| names.get(&u).cloned()).unwrap_or_default();
                format!("{who} {}", c.tr.datetime_on(a.applied_at, s.tz(), c.today))
            });
            LessonRow {
                may_apply: l.may_apply,
                note: l.applied.map(|a| a.note).unwrap_or_default(),
                applied,
                action: action_row(s, c, &names, l.action),
            }
        })
        .collect())
}

/// What "applied" sends.
#[derive(Deserialize, Default)]
pub struct ApplyForm {
    #[serde(default)]
    note: String,
}

/// `POST /receptions/{id}/lessons/{action}/apply`: marked applied on this reception; back to
/// its planning page (a refusal there as a message).
pub async fn apply(
    State(s): State<AppState>,
    cx: Cx,
    IdAnd(id, action): IdAnd<ReceptionId>,
    CsrfForm(f): CsrfForm<ApplyForm>,
) -> AppResult<Response> {
    // Read after the form's token is checked: a forged form is refused before anything else.
    let action: ImprovementActionId = action.parse().map_err(|_| AppError::NotFound)?;
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let to = format!("/receptions/{id}/tasks#lessons");
    match review::apply_lesson(&s.app, &viewer, id, action, &f.note, &cx.actor()).await {
        Ok(_) => Ok(redirect_with_flash(&to, "flash.lesson_applied", s.secure_cookies())),
        Err(jiedai_app::Error::Validation(_)) => {
            Ok(redirect_with_flash(&to, "flash.error_lesson_note", s.secure_cookies()))
        }
        Err(jiedai_app::Error::Conflict { .. }) => {
            Ok(redirect_with_flash(&to, "flash.error_lesson_not_applied", s.secure_cookies()))
        }
        Err(e) => Err(AppError::from(e)),
    }
}
