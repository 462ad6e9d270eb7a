//! Copying a past request for a returning guest, through the API.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use jiedai_app::receptions;
use jiedai_domain::ReceptionId;
use serde::Deserialize;
use utoipa::ToSchema;

use super::api::{ReceptionResponse, response, viewer};
use crate::auth::Cx;
use crate::error::{AppError, AppResult};
use crate::extract::{ApiJson, Id};
use crate::render::{Problem, json};
use crate::state::AppState;

/// The days of a copy: both optional; without `visit_start` the copy's dates are left
/// empty to be written before it is submitted.
#[derive(Deserialize, ToSchema, Default)]
#[serde(from = "Option<RawCopy>")]
pub struct CopyRequest {
    /// First visit day of the new visit, YYYY-MM-DD.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub visit_start: Option<NaiveDate>,
    /// Last visit day (default: as long a visit as the original's).
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub visit_end: Option<NaiveDate>,
}

#[derive(Deserialize, Default)]
struct RawCopy {
    #[serde(default)]
    visit_start: Option<NaiveDate>,
    #[serde(default)]
    visit_end: Option<NaiveDate>,
}

impl From<Option<RawCopy>> for CopyRequest {
    fn from(r: Option<RawCopy>) -> Self {
        let r = r.unwrap_or_default();
        CopyRequest { visit_start: r.visit_start, visit_end: r.visit_end }
    }
}

/// Copies a past request for a returning guest: a new draft with the same guests and
/// arrangements, on the days given (the original's times moved with them) or with its
/// dates left empty.
#[utoipa::path(post, path = "/api/v1/receptions/{id}/copy", tag = "receptions",
    params(("id" = i32, Path, description = "Reception id", example = 1)),
    request_body(content = Option<CopyRequest>, description = "The new dates; may be left out"),
    responses((status = 201, body = ReceptionResponse),
        (status = 403, description = "The caller does not file requests", body = Problem),
        (status = 404, body = Problem),
        (status = 422, description = "A date out of range, or the last day before the first", body = Problem)))]
pub async fn copy_reception(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ReceptionId>,
    body: Option<ApiJson<CopyRequest>>,
) -> AppResult<Response> {
    let b = body.map(|ApiJson(b)| b).unwrap_or_default();
    let viewer = viewer(&s, &cx).await?;
    if b.visit_start.is_none() && b.visit_end.is_some() {
        return Err(AppError::field(jiedai_domain::FieldError::new("visit_start", "required")));
    }
    let dates = b.visit_start.map(|start| (start, b.visit_end));
    let r = receptions::copy(&s.app, &viewer, id, dates, &cx.actor()).await?;
    let v = receptions::view_of(&s.app, &viewer, r).await?;
    Ok(json(StatusCode::CREATED, response(cx.tr(), v)))
}
