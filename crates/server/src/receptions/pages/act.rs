//! The actions of the workflow on a page: a confirmation (with the comment the action
//! needs), the action itself, and what the person sees when someone acted first.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use jiedai_app::receptions::{self, ReceptionView};
use jiedai_domain::reception::Action;
use jiedai_domain::{Code, ReceptionId};
use serde::Deserialize;

use super::form::{incomplete, stale_message};
use crate::auth::Cx;
use crate::auth::csrf::CsrfForm;
use crate::error::{AppError, AppResult};
use crate::extract::IdAnd;
use crate::forms::FormErrors;
use crate::i18n::keys;
use crate::render::{Chrome, page, redirect_with_flash};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "receptions/confirm.html")]
struct ConfirmPage {
    c: Chrome,
    id: ReceptionId,
    code: String,
    organization: String,
    dates: String,
    action: &'static str,
    title: String,
    question: String,
    needs_comment: bool,
    comment: String,
    version: i32,
    errs: FormErrors,
    conflict: Option<String>,
    danger: bool,
    available: bool,
    /// For a submission that will be late: the warning with the deadline it missed.
    late_warning: Option<String>,
    late_reason: String,
}

/// What the confirmation form had typed in it.
struct Typed {
    comment: String,
    late_reason: String,
}

async fn confirm_page(
    cx: &Cx,
    v: &ReceptionView,
    action: Action,
    typed: Typed,
    errs: FormErrors,
    conflict: Option<String>,
    status: StatusCode,
) -> AppResult<Response> {
    let tr = cx.tr();
    let c = Chrome::new(cx);
    let late_warning = match v.proposal_deadline {
        Some(d) if action == Action::Submit && v.late_if_submitted_today => {
            Some(tr.t_with("reception.late_warning", &[("deadline", &c.date(&d))]))
        }
        _ => None,
    };
    let late_reason = if typed.late_reason.is_empty() { v.r.late_reason.clone() } else { typed.late_reason };
    let dates = c.dates(&v.r.visit_start, &v.r.visit_end);
    let mut r = page(&ConfirmPage {
        c,
        id: v.r.id,
        code: v.r.code.clone(),
        organization: v.r.form.guest_organization.clone(),
        dates,
        action: action.as_str(),
        title: tr.t(keys::action(action)).to_owned(),
        question: tr.t(keys::confirm(action)).to_owned(),
        needs_comment: action.needs_comment(),
        comment: typed.comment,
        version: v.r.version,
        errs,
        conflict,
        danger: action.is_destructive(),
        available: v.actions.contains(&action),
        late_warning,
        late_reason,
    });
    *r.status_mut() = status;
    Ok(r)
}

fn parse_action(s: &str) -> AppResult<Action> {
    Action::parse(s).ok_or(AppError::NotFound)
}

/// `GET /receptions/{id}/{action}`: asks to confirm, with the comment the action needs.
pub async fn confirm(State(s): State<AppState>, cx: Cx, IdAnd(id, action): IdAnd<ReceptionId>) -> AppResult<Response> {
    let action = parse_action(&action)?;
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let v = receptions::get(&s.app, &viewer, id).await?;
    if !v.actions.contains(&action) {
        return Ok(redirect_with_flash(
            &format!("/receptions/{id}"),
            "flash.error_not_allowed_now",
            s.secure_cookies(),
        ));
    }
    let typed = Typed { comment: String::new(), late_reason: String::new() };
    // What stops it now (tasks still open, a day not yet come) is told before the button.
    let blockers = receptions::blockers(&s.app, &v.r, action).await?;
    let errs = if blockers.is_empty() { FormErrors::none() } else { FormErrors::of(cx.tr(), &blockers) };
    confirm_page(&cx, &v, action, typed, errs, None, StatusCode::OK).await
}

/// What the confirmation form sends.
#[derive(Deserialize)]
pub struct ActForm {
    #[serde(default)]
    version: i32,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    late_reason: Option<String>,
    /// Where to go once done: the list a quick decision was made from (only a list
    /// address of this site is followed; anything else leads to the reception).
    #[serde(default)]
    back: Option<String>,
}

/// The list address a quick decision came from, when `back` is one (`/receptions` with its
/// filters): never another site or another page.
fn list_back(back: Option<&str>) -> Option<&str> {
    back.filter(|b| {
        (*b == "/receptions" || b.starts_with("/receptions?"))
            && b.len() <= 2048
            && b.bytes().all(|c| c.is_ascii_graphic())
    })
}

/// `POST /receptions/{id}/{action}`.
pub async fn act(
    State(s): State<AppState>,
    cx: Cx,
    IdAnd(id, action): IdAnd<ReceptionId>,
    CsrfForm(form): CsrfForm<ActForm>,
) -> AppResult<Response> {
    let action = parse_action(&action)?;
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let secure = s.secure_cookies();
    let step = receptions::Step {
        action,
        version: Some(form.version),
        comment: &form.comment,
        late_reason: form.late_reason.as_deref(),
    };
    let typed = Typed { comment: form.comment.clone(), late_reason: form.late_reason.clone().unwrap_or_default() };
    let done_at = list_back(form.back.as_deref()).map_or_else(|| format!("/receptions/{id}"), str::to_owned);
    match receptions::act(&s.app, &viewer, id, step, &cx.actor()).await {
        Ok(_) => Ok(redirect_with_flash(&done_at, keys::flash_did(action), secure)),
        Err(jiedai_app::Error::StaleVersion | jiedai_app::Error::Conflict { .. }) => {
            let v = receptions::get(&s.app, &viewer, id).await?;
            // A double click: the first click did it already.
            if v.r.state == action.target() {
                return Ok(redirect_with_flash(&done_at, "flash.already_done", secure));
            }
            let msg = stale_message(&s, &cx, v.r.state, v.r.updated_at, "reception.stale_action");
            // The form again when the action still applies; else only what happened.
            confirm_page(&cx, &v, action, typed, FormErrors::none(), Some(msg), StatusCode::CONFLICT).await
        }
        Err(jiedai_app::Error::Validation(errs)) => {
            let v = receptions::get(&s.app, &viewer, id).await?;
            let only_here = errs.0.iter().all(|e| e.field == "comment" || e.field == "late_reason");
            if action == Action::Submit && !only_here {
                // The form is incomplete: show it with every problem marked.
                return incomplete(&s, &cx, &viewer, &v.r, &errs).await;
            }
            let errs = FormErrors::of(cx.tr(), &errs);
            confirm_page(&cx, &v, action, typed, errs, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::list_back;

    #[test]
    fn a_quick_decision_returns_only_to_a_list_of_this_site() {
        assert_eq!(list_back(Some("/receptions?view=approve")), Some("/receptions?view=approve"));
        assert_eq!(list_back(Some("/receptions")), Some("/receptions"));
        for bad in [
            "//evil.example/receptions",
            "https://evil.example/",
            "/receptionsx",
            "/receptions/1",
            "/receptions?a=\r\n",
        ] {
            assert_eq!(list_back(Some(bad)), None, "{bad}");
        }
        assert_eq!(list_back(None), None);
    }
}
