//! The survey page's forms: answering, making and withdrawing a guest's link, waiving and
//! taking the waiver back. Each redirects back with a message, or shows the page again with
//! what was typed and every problem.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use jiedai_app::receptions;
use jiedai_app::survey::{self, LinkInput};
use jiedai_domain::{ReceptionId, SurveyLinkId};
use serde::Deserialize;

use super::page::{Sent, render};
use super::view::raw_of;
use crate::auth::Cx;
use crate::auth::csrf::CsrfForm;
use crate::error::AppResult;
use crate::extract::{Id, IdAnd};
use crate::forms::FormErrors;
use crate::render::redirect_with_flash;
use crate::state::AppState;

fn back(s: &AppState, id: ReceptionId, anchor: &str, flash: &str) -> Response {
    redirect_with_flash(&format!("/receptions/{id}/survey{anchor}"), flash, s.secure_cookies())
}

fn status_of(e: &jiedai_app::Error) -> StatusCode {
    match e {
        jiedai_app::Error::Conflict { .. } => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

/// `GET /receptions/{id}/survey`.
pub async fn show(State(s): State<AppState>, cx: Cx, Id(id): Id<ReceptionId>) -> AppResult<Response> {
    render(&s, &cx, id, Sent::default(), StatusCode::OK).await
}

/// `POST /receptions/{id}/survey`: the signed-in person's answer.
pub async fn answer(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ReceptionId>,
    CsrfForm(f): CsrfForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let raw = raw_of(&f);
    match survey::answer_as_member(&s.app, &viewer, id, &raw, &cx.actor()).await {
        Ok(_) => Ok(back(&s, id, "", "flash.survey_answered")),
        Err(e) => {
            let status = status_of(&e);
            let errs = FormErrors::from_failure(cx.tr(), e)?;
            render(&s, &cx, id, Sent { answer: Some((raw, errs)), ..Sent::default() }, status).await
        }
    }
}

/// The form of a new link.
#[derive(Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    language: String,
    #[serde(default)]
    email: String,
}

/// `POST /receptions/{id}/survey/links`: a new guest link.
pub async fn create_link(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ReceptionId>,
    CsrfForm(f): CsrfForm<LinkForm>,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let input = LinkInput { email: Some(f.email.clone()), language: Some(f.language.clone()) };
    match survey::create_link(&s.app, &viewer, id, &input, &cx.actor()).await {
        Ok(v) if v.mail == Some(jiedai_domain::survey::InviteMail::Waiting) => {
            Ok(back(&s, id, "#links", "flash.survey_link_mailing"))
        }
        Ok(v) if v.mail.is_some() => Ok(back(&s, id, "#links", "flash.survey_link_not_mailed")),
        Ok(_) => Ok(back(&s, id, "#links", "flash.survey_link_created")),
        Err(e) => {
            let status = status_of(&e);
            let errs = FormErrors::from_failure(cx.tr(), e)?;
            render(&s, &cx, id, Sent { link: Some((f.language, f.email, errs)), ..Sent::default() }, status).await
        }
    }
}

/// Nothing but the token.
#[derive(Deserialize)]
pub struct EmptyForm {}

/// `POST /receptions/{id}/survey/links/{link}/withdraw`.
pub async fn withdraw_link(
    State(s): State<AppState>,
    cx: Cx,
    IdAnd(id, link): IdAnd<ReceptionId>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> AppResult<Response> {
    // The link's id is read after the form's token: a forged form is refused as such.
    let link: SurveyLinkId = link.parse().map_err(|_| crate::error::AppError::NotFound)?;
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    match survey::withdraw_link(&s.app, &viewer, id, link, &cx.actor()).await {
        Ok(()) => Ok(back(&s, id, "#links", "flash.survey_link_withdrawn")),
        Err(jiedai_app::Error::Conflict { .. }) => Ok(back(&s, id, "#links", "flash.error_survey_link_used")),
        Err(e) => Err(e.into()),
    }
}

/// The waiver's form.
#[derive(Deserialize)]
pub struct WaiveForm {
    #[serde(default)]
    reason: String,
}

/// `POST /receptions/{id}/survey/waive`.
pub async fn waive(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ReceptionId>,
    CsrfForm(f): CsrfForm<WaiveForm>,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    match survey::waive(&s.app, &viewer, id, &f.reason, &cx.actor()).await {
        Ok(()) => Ok(back(&s, id, "", "flash.survey_waived")),
        Err(e) => {
            let status = status_of(&e);
            let errs = FormErrors::from_failure(cx.tr(), e)?;
            render(&s, &cx, id, Sent { waive: Some((f.reason, errs)), ..Sent::default() }, status).await
        }
    }
}

/// `POST /receptions/{id}/survey/unwaive`.
pub async fn unwaive(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ReceptionId>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    survey::unwaive(&s.app, &viewer, id, &cx.actor()).await?;
    Ok(back(&s, id, "", "flash.survey_unwaived"))
}
