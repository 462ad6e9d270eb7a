//! Changing a reception's task division from its page: a task added by hand (the form comes
//! back with what was typed when it has a problem), removed, or moved up or down its phase.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use jiedai_app::{receptions, tasks};
use jiedai_domain::procedure::Phase;
use jiedai_domain::{Code, ReceptionId};
use serde::Deserialize;

use super::plan::{AddForm, render, task_of};
use crate::auth::Cx;
use crate::auth::csrf::CsrfForm;
use crate::error::AppResult;
use crate::extract::{Id, IdAnd};
use crate::render::redirect_with_flash;
use crate::state::AppState;

/// `POST /receptions/{id}/tasks/new`: a task added by hand, at the end of its phase.
pub async fn add(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ReceptionId>,
    CsrfForm(f): CsrfForm<AddForm>,
) -> AppResult<Response> {
    let tr = cx.tr();
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let mut errs = jiedai_domain::FieldErrors::new();
    let phase = Phase::parse(f.phase.trim()).unwrap_or(Phase::Before);
    let due = match chrono::NaiveDate::parse_from_str(f.due.trim(), "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            errs.push(jiedai_domain::FieldError::new(
                "due",
                if f.due.trim().is_empty() { "required" } else { "invalid_date" },
            ));
            None
        }
    };
    let due_time = match f.due_time.trim() {
        "" => None,
        t => chrono::NaiveTime::parse_from_str(t, "%H:%M")
            .map_err(|_| errs.push(jiedai_domain::FieldError::new("due_time", "invalid_time")))
            .ok(),
    };
    let secure = s.secure_cookies();
    let back = format!("/receptions/{id}/tasks");
    let Some(due) = due.filter(|_| errs.is_empty()) else {
        let msg = errs.0.iter().map(|e| tr.field_error(e)).collect::<Vec<_>>().join(" ");
        return render(&s, &cx, id, None, Some(f.clone()), Some(msg), StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let draft = tasks::TaskDraft {
        phase,
        group: f.group.trim().to_owned(),
        title: f.title.clone(),
        duties: String::new(),
        due,
        due_time,
        responsible_id: f.responsible_id.trim().parse().ok(),
        assistant_id: None,
    };
    match tasks::add(&s.app, &viewer, id, draft, &cx.actor()).await {
        Ok(_) => Ok(redirect_with_flash(&back, "tasks.added", secure)),
        Err(jiedai_app::Error::Validation(errs)) => {
            let msg = errs.0.iter().map(|e| tr.field_error(e)).collect::<Vec<_>>().join(" ");
            render(&s, &cx, id, None, Some(f.clone()), Some(msg), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

/// What a removal sends.
#[derive(Deserialize)]
pub struct RemoveForm {
    #[serde(default)]
    version: i32,
}

/// `POST /receptions/{id}/tasks/{task}/delete`.
pub async fn remove(
    State(s): State<AppState>,
    cx: Cx,
    IdAnd(id, task): IdAnd<ReceptionId>,
    CsrfForm(f): CsrfForm<RemoveForm>,
) -> AppResult<Response> {
    let (task, viewer) = task_of(&s, &cx, id, &task).await?;
    let secure = s.secure_cookies();
    let back = format!("/receptions/{id}/tasks");
    match tasks::remove(&s.app, &viewer, task, f.version, &cx.actor()).await {
        Ok(()) => Ok(redirect_with_flash(&back, "tasks.removed", secure)),
        Err(jiedai_app::Error::StaleVersion) => Ok(redirect_with_flash(&back, "tasks.moved_meanwhile", secure)),
        Err(e) => Err(e.into()),
    }
}

/// What a move sends.
#[derive(Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    version: i32,
    #[serde(default)]
    position: usize,
}

/// `POST /receptions/{id}/tasks/{task}/move`: a task up or down the list, back to the division.
pub async fn reorder(
    State(s): State<AppState>,
    cx: Cx,
    IdAnd(id, task): IdAnd<ReceptionId>,
    CsrfForm(f): CsrfForm<MoveForm>,
) -> AppResult<Response> {
    let (task, viewer) = task_of(&s, &cx, id, &task).await?;
    let secure = s.secure_cookies();
    let back = format!("/receptions/{id}/tasks#task-{task}");
    match tasks::reorder(&s.app, &viewer, task, f.version, f.position, &cx.actor()).await {
        Ok(_) => Ok(redirect_with_flash(&back, "tasks.moved", secure)),
        Err(jiedai_app::Error::StaleVersion) => Ok(redirect_with_flash(&back, "tasks.moved_meanwhile", secure)),
        Err(e) => Err(e.into()),
    }
}
