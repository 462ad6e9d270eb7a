//! Lost property through the API: a reception's, recording a find, recording its return,
//! and everything still open.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use jiedai_app::receptions;
use jiedai_app::resources::{self, StoredLostFound};
use jiedai_domain::resources::{FoundInput, ReturnInput, ReturnMeans};
use jiedai_domain::{LostFoundId, ReceptionId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Cx;
use crate::error::AppResult;
use crate::extract::{ApiJson, Id, Query, empty_as_none};
use crate::render::{Problem, json};
use crate::state::AppState;

/// Something a guest left behind.
#[derive(Serialize, ToSchema)]
pub struct LostFoundResponse {
    /// Id.
    pub id: i32,
    /// Its reception.
    pub reception_id: i32,
    /// Its reception's code.
    pub reception_code: String,
    /// What it is.
    pub what: String,
    /// Where it was found.
    pub found_where: String,
    /// When.
    pub found_at: Option<DateTime<Utc>>,
    /// Who found it (a user id).
    pub found_by: Option<i32>,
    /// Where it is kept.
    pub kept_at: String,
    /// Notes.
    pub notes: String,
    /// `open`, or `returned` once it went back.
    pub status: String,
    /// To whom it went back.
    pub returned_to: Option<String>,
    /// When.
    pub returned_at: Option<DateTime<Utc>>,
    /// `handed_over`, `courier` or `passed_on`.
    pub means: Option<ReturnMeans>,
    /// The courier's tracking number.
    pub tracking: Option<String>,
    /// The note of its return.
    pub return_note: Option<String>,
    /// Version.
    pub version: i32,
}

/// Lost property.
#[derive(Serialize, ToSchema)]
pub struct LostFoundList {
    /// The items.
    pub items: Vec<LostFoundResponse>,
}

pub(crate) fn item(l: StoredLostFound) -> LostFoundResponse {
    let r = l.returned;
    LostFoundResponse {
        id: l.id.get(),
        reception_id: l.reception_id.get(),
        reception_code: l.reception_code,
        what: l.found.what,
        found_where: l.found.found_where,
        found_at: l.found.found_at,
        found_by: l.found.found_by.map(|u| u.get()),
        kept_at: l.found.kept_at,
        notes: l.found.notes,
        status: if r.is_some() { "returned" } else { "open" }.to_owned(),
        returned_to: r.as_ref().map(|r| r.returned_to.clone()),
        returned_at: r.as_ref().and_then(|r| r.returned_at),
        means: r.as_ref().map(|r| r.means),
        tracking: r.as_ref().map(|r| r.tracking.clone()),
        return_note: r.map(|r| r.note),
        version: l.version,
    }
}

/// A reception's lost property, as found.
#[utoipa::path(get, path = "/api/v1/receptions/{id}/lost-found", tag = "resources",
    params(("id" = i32, Path, description = "Reception id", example = 1)),
    responses((status = 200, body = LostFoundList), (status = 404, body = Problem)))]
pub async fn reception_lost_found(State(s): State<AppState>, cx: Cx, Id(id): Id<ReceptionId>) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let items = resources::lost_found_of(&s.app, &viewer, id).await?.into_iter().map(item).collect();
    Ok(json(StatusCode::OK, LostFoundList { items }))
}

/// Records something a guest left behind (General Management, a reception taken on); found
/// now and by the caller unless told otherwise.
#[utoipa::path(post, path = "/api/v1/receptions/{id}/lost-found", tag = "resources",
    params(("id" = i32, Path, description = "Reception id", example = 1)),
    request_body = FoundInput,
    responses((status = 201, body = LostFoundResponse),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "The reception is not taken on", body = Problem),
        (status = 422, description = "Every problem at once", body = Problem)))]
pub async fn add_lost_found(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ReceptionId>,
    ApiJson(b): ApiJson<FoundInput>,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let l = resources::record_found(&s.app, &viewer, id, &b, &cx.actor()).await?;
    Ok(json(StatusCode::CREATED, item(l)))
}

/// Records how a found thing went back: handed over, by courier (with its tracking number)
/// or passed on (with a note). Once.
#[utoipa::path(post, path = "/api/v1/lost-found/{id}/return", tag = "resources",
    params(("id" = i32, Path, description = "Lost property id", example = 1)),
    request_body = ReturnInput,
    responses((status = 200, body = LostFoundResponse),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "It went back already (`already_returned`)", body = Problem),
        (status = 422, description = "Every problem at once", body = Problem)))]
pub async fn return_lost_found(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<LostFoundId>,
    ApiJson(b): ApiJson<ReturnInput>,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let l = resources::record_return(&s.app, &viewer, id, &b, &cx.actor()).await?;
    Ok(json(StatusCode::OK, item(l)))
}

/// Which lost property to list.
#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct LostFoundQuery {
    /// Also the last 100 that went back.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub returned: Option<bool>,
}

/// Lost property not yet gone back, from every reception, oldest first (General
/// Management).
#[utoipa::path(get, path = "/api/v1/lost-found", tag = "resources", params(LostFoundQuery),
    responses((status = 200, body = LostFoundList), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn open_lost_found(
    State(s): State<AppState>,
    cx: Cx,
    Query(q): Query<LostFoundQuery>,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let items =
        resources::open_lost_found(&s.app, &viewer, q.returned.unwrap_or(false)).await?.into_iter().map(item).collect();
    Ok(json(StatusCode::OK, LostFoundList { items }))
}
