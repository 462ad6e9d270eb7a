//! Lost property on pages: `/lost-found` lists what every reception's guests left behind
//! and is not yet back with them, oldest first, each with its return form; a reception's
//! items page records a find; either page records a return.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use jiedai_app::{receptions, resources};
use jiedai_domain::resources::{FoundInput, ReturnInput, ReturnMeans};
use jiedai_domain::{Code, FieldErrors, LostFoundId, ReceptionId};
use serde::Deserialize;

use super::items_page::{Sent, render};
use super::items_view::{Failure, FoundForm, LostRow, ReturnForm, failure, lost_rows, means_options, parse_local};
use crate::auth::Cx;
use crate::auth::csrf::CsrfForm;
use crate::error::{AppError, AppResult};
use crate::extract::{Id, Query};
use crate::forms::FormErrors;
use crate::render::{Chrome, page, redirect_with_flash};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "resources/lost_found.html")]
struct LostFoundPage {
    c: Chrome,
    lost: Vec<LostRow>,
    /// The recently returned are listed too.
    returned: bool,
    means: Vec<(&'static str, &'static str)>,
}

/// What `/lost-found` is asked for.
#[derive(Deserialize, Default)]
pub struct LostQuery {
    #[serde(default)]
    returned: Option<String>,
}

async fn render_list(
    s: &AppState,
    cx: &Cx,
    returned: bool,
    sent: Option<(LostFoundId, ReturnForm, FormErrors)>,
    status: StatusCode,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let c = Chrome::new(cx);
    let items = resources::open_lost_found(&s.app, &viewer, returned).await?;
    let lost = lost_rows(s, cx.tr(), c.today, items, "list", sent).await?;
    let mut res = page(&LostFoundPage { c, lost, returned, means: means_options() });
    *res.status_mut() = status;
    Ok(res)
}

/// `GET /lost-found`: what is not yet back with its owner, oldest first (`?returned=1`: the
/// recently returned too).
pub async fn lost_found(State(s): State<AppState>, cx: Cx, Query(q): Query<LostQuery>) -> AppResult<Response> {
    let returned = q.returned.as_deref().is_some_and(|v| !v.is_empty() && v != "0");
    render_list(&s, &cx, returned, None, StatusCode::OK).await
}

/// `POST /receptions/{id}/lost-found`: something a guest left behind, recorded.
pub async fn record(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ReceptionId>,
    CsrfForm(f): CsrfForm<FoundForm>,
) -> AppResult<Response> {
    let tr = cx.tr();
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let mut errs = FieldErrors::new();
    let found_at = parse_local(s.tz(), &mut errs, "found_at", &f.found_at, false);
    if !errs.is_empty() {
        let sent = Sent::Found(f, FormErrors::of(tr, &errs));
        return render(&s, &cx, id, sent, None, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let input = FoundInput {
        what: f.what.clone(),
        found_where: f.found_where.clone(),
        found_at,
        found_by: None,
        kept_at: f.kept_at.clone(),
        notes: f.notes.clone(),
    };
    match resources::record_found(&s.app, &viewer, id, &input, &cx.actor()).await {
        Ok(_) => Ok(redirect_with_flash(
            &format!("/receptions/{id}/items#lost-property"),
            "flash.lost_recorded",
            s.secure_cookies(),
        )),
        Err(e) => match failure(tr, e)? {
            Failure::Form(errs, _, status) => render(&s, &cx, id, Sent::Found(f, errs), None, status).await,
            Failure::Stale => Err(AppError::StaleVersion),
        },
    }
}

/// `POST /lost-found/{id}/return`: how it went back; back to the page the form was on.
pub async fn give_back(
    State(s): State<AppState>,
    cx: Cx,
    Id(item): Id<LostFoundId>,
    CsrfForm(f): CsrfForm<ReturnForm>,
) -> AppResult<Response> {
    let tr = cx.tr();
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let from_list = f.from == "list";
    let reception = resources::open_lost_found(&s.app, &viewer, true)
        .await?
        .into_iter()
        .find(|l| l.id == item)
        .map(|l| l.reception_id);
    let mut errs = FieldErrors::new();
    let returned_at = parse_local(s.tz(), &mut errs, "returned_at", &f.returned_at, false);
    let outcome = if errs.is_empty() {
        let input = ReturnInput {
            returned_to: f.returned_to.clone(),
            returned_at,
            means: ReturnMeans::parse(f.means.trim()).unwrap_or_default(),
            tracking: f.tracking.clone(),
            note: f.note.clone(),
        };
        match resources::record_return(&s.app, &viewer, item, &input, &cx.actor()).await {
            Ok(_) => None,
            Err(e) => Some(failure(tr, e)?),
        }
    } else {
        Some(Failure::Form(FormErrors::of(tr, &errs), Vec::new(), StatusCode::UNPROCESSABLE_ENTITY))
    };
    let (errs, status) = match (outcome, reception) {
        (None, Some(id)) if !from_list => {
            let to = format!("/receptions/{id}/items#lost-property");
            return Ok(redirect_with_flash(&to, "flash.lost_returned", s.secure_cookies()));
        }
        (None, _) => return Ok(redirect_with_flash("/lost-found", "flash.lost_returned", s.secure_cookies())),
        (Some(Failure::Form(errs, _, status)), _) => (errs, status),
        (Some(Failure::Stale), _) => return Err(AppError::StaleVersion),
    };
    match reception {
        Some(id) if !from_list => render(&s, &cx, id, Sent::Return(item, f, errs), None, status).await,
        _ => render_list(&s, &cx, false, Some((item, f, errs)), status).await,
    }
}
