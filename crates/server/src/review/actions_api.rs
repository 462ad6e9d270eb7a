//! Improvement actions through the API: listed across receptions (open, overdue, done; by
//! owner, by reception), created from a reception's review, edited or marked done.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use jiedai_app::receptions;
use jiedai_app::review::{self, ActionView};
use jiedai_domain::review::{ActionFilter, ActionInput, ActionState};
use jiedai_domain::{ImprovementActionId, ReceptionId, UserId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Cx;
use crate::error::AppResult;
use crate::extract::{ApiJson, Id, Query, empty_as_none};
use crate::render::{Problem, json};
use crate::state::AppState;

/// An improvement action decided at a review meeting.
#[derive(Serialize, ToSchema)]
pub struct ActionResponse {
    /// Id.
    pub id: i32,
    /// The reception whose review decided it.
    pub reception_id: i32,
    /// That reception's code.
    pub reception_code: String,
    /// That reception's guest organisation.
    pub organization: String,
    /// What is to be done.
    pub what: String,
    /// Who sees to it (a user id).
    pub owner_id: i32,
    /// By when.
    #[schema(value_type = String, format = Date)]
    pub due_on: NaiveDate,
    /// `open` or `done`.
    pub state: ActionState,
    /// Open and due before today (plain calendar days).
    pub overdue: bool,
    /// The note it was marked done with.
    pub done_note: Option<String>,
    /// When it was marked done.
    pub done_at: Option<DateTime<Utc>>,
    /// Who marked it done (a user id).
    pub done_by: Option<i32>,
    /// Version.
    pub version: i32,
}

pub(crate) fn action_response(v: ActionView) -> ActionResponse {
    let a = v.action;
    let done = a.state == ActionState::Done;
    ActionResponse {
        id: a.id.get(),
        reception_id: a.reception_id.get(),
        reception_code: a.reception_code,
        organization: a.organization,
        what: a.action.what,
        owner_id: a.action.owner_id.get(),
        due_on: a.action.due_on,
        state: a.state,
        overdue: v.overdue,
        done_note: done.then_some(a.done_note),
        done_at: a.done_at,
        done_by: a.done_by.map(UserId::get),
        version: a.version,
    }
}

/// Improvement actions.
#[derive(Serialize, ToSchema)]
pub struct ActionList {
    /// Open ones by due day; done ones latest first.
    pub items: Vec<ActionResponse>,
}

/// Which actions to list.
#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct ActionsQuery {
    /// `open` (overdue ones too), `overdue` or `done`; every one when left out.
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<ActionFilter>, inline)]
    pub state: Option<String>,
    /// Only this person's (a user id; others than General Management see only their own).
    #[serde(default, deserialize_with = "empty_as_none")]
    pub owner: Option<i32>,
    /// Only those of this reception.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub reception: Option<i32>,
}

/// Improvement actions across receptions: General Management and administrators see every
/// one, anyone else their own.
#[utoipa::path(get, path = "/api/v1/actions", tag = "review", params(ActionsQuery),
    responses((status = 200, body = ActionList), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn list_actions(State(s): State<AppState>, cx: Cx, Query(q): Query<ActionsQuery>) -> AppResult<Response> {
    use jiedai_domain::Code;
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let state = match q.state.as_deref() {
        None => None,
        Some(s) => Some(ActionFilter::parse(s).ok_or(crate::error::AppError::BadRequest {
            code: "malformed_query",
            detail: Some(format!("state: {s}")),
        })?),
    };
    let items = review::actions(&s.app, &viewer, state, q.owner.map(UserId), q.reception.map(ReceptionId))
        .await?
        .into_iter()
        .map(action_response)
        .collect();
    Ok(json(StatusCode::OK, ActionList { items }))
}

/// A new improvement action.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct NewActionBody {
    /// The reception whose review decided it.
    pub reception_id: i32,
    /// What is to be done; 1–200 characters.
    #[schema(min_length = 1, max_length = 200)]
    pub what: String,
    /// Who sees to it (an active user's id).
    pub owner_id: Option<i32>,
    /// By when.
    #[schema(value_type = Option<String>, format = Date)]
    pub due_on: Option<NaiveDate>,
}

/// Adds an improvement action from a reception's review (General Management, once the
/// reception is on site or closing, not once closed); its owner is told.
#[utoipa::path(post, path = "/api/v1/actions", tag = "review",
    request_body = NewActionBody,
    responses((status = 201, body = ActionResponse),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Not now (`review_too_early`, `review_read_only`, `review_stopped`)", body = Problem),
        (status = 422, description = "Every problem at once", body = Problem)))]
pub async fn create_action(
    State(s): State<AppState>,
    cx: Cx,
    ApiJson(b): ApiJson<NewActionBody>,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let input = ActionInput { what: b.what, owner_id: b.owner_id.map(UserId), due_on: b.due_on };
    let a = review::create_action(&s.app, &viewer, ReceptionId(b.reception_id), &input, &cx.actor()).await?;
    Ok(json(StatusCode::CREATED, action_response(a)))
}

/// A change to an action: edited (what, owner, due day), or marked done with its note.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct PutActionBody {
    /// The version read.
    pub version: i32,
    /// Mark it done (with `done_note`) instead of editing it.
    pub done: bool,
    /// Why it is done (required with `done`); at most 500 characters.
    #[schema(max_length = 500)]
    pub done_note: String,
    /// What is to be done (editing).
    #[schema(max_length = 200)]
    pub what: String,
    /// Who sees to it (editing; a new owner is told).
    pub owner_id: Option<i32>,
    /// By when (editing).
    #[schema(value_type = Option<String>, format = Date)]
    pub due_on: Option<NaiveDate>,
}

/// Edits an open action (General Management), or marks it done with a note (its owner or
/// General Management), read at `version`.
#[utoipa::path(put, path = "/api/v1/actions/{id}", tag = "review",
    params(("id" = i32, Path, description = "Improvement action id", example = 1)),
    request_body = PutActionBody,
    responses((status = 200, body = ActionResponse),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Stale version, or done already (`action_done`)", body = Problem),
        (status = 422, description = "Every problem at once", body = Problem)))]
pub async fn put_action(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ImprovementActionId>,
    ApiJson(b): ApiJson<PutActionBody>,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let a = if b.done {
        review::mark_done(&s.app, &viewer, id, b.version, &b.done_note, &cx.actor()).await?
    } else {
        let input = ActionInput { what: b.what, owner_id: b.owner_id.map(UserId), due_on: b.due_on };
        review::update_action(&s.app, &viewer, id, b.version, &input, &cx.actor()).await?
    };
    Ok(json(StatusCode::OK, action_response(a)))
}
