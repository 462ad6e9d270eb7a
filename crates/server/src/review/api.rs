//! A reception's review meeting through the API: its minutes read and written whole with
//! their version; the lessons of earlier receptions and marking one applied.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use jiedai_app::receptions;
use jiedai_app::review::{self, Lesson, Review};
use jiedai_domain::review::{GroupReport, MinutesInput};
use jiedai_domain::{ImprovementActionId, ReceptionId, UserId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::actions_api::{ActionResponse, action_response};
use crate::auth::Cx;
use crate::error::AppResult;
use crate::extract::{ApiJson, Id, Ids};
use crate::render::{Problem, json};
use crate::state::AppState;

/// The minutes of a reception's review meeting (总结例会).
#[derive(Serialize, ToSchema)]
pub struct ReviewResponse {
    /// Minutes have been recorded.
    pub recorded: bool,
    /// When the meeting was held.
    pub held_at: Option<DateTime<Utc>>,
    /// The people of the company who attended (user ids).
    pub attendee_ids: Vec<i32>,
    /// Others who attended, by name.
    pub other_attendees: Vec<String>,
    /// Each group's report.
    pub reports: Vec<GroupReport>,
    /// What was decided.
    pub decisions: String,
    /// Who recorded them last (a user id).
    pub recorded_by: Option<i32>,
    /// When.
    pub updated_at: Option<DateTime<Utc>>,
    /// The version to send back with a change (0 while none was recorded; 409 when stale).
    pub version: i32,
    /// The caller may write them now.
    pub may_write: bool,
    /// Why they cannot be written now: `review_too_early` (before the day), `review_read_only`
    /// (closed), `review_stopped` (cancelled or rejected).
    pub blocked: Option<String>,
}

fn review_response(r: Review) -> ReviewResponse {
    let (m, recorded_by, updated_at) = match r.minutes {
        Some(s) => (s.minutes, s.recorded_by.map(UserId::get), Some(s.updated_at)),
        None => (MinutesInput::default(), None, None),
    };
    ReviewResponse {
        recorded: updated_at.is_some(),
        held_at: m.held_at,
        attendee_ids: m.attendee_ids.into_iter().map(UserId::get).collect(),
        other_attendees: m.other_attendees,
        reports: m.reports,
        decisions: m.decisions,
        recorded_by,
        updated_at,
        version: r.version,
        may_write: r.may_write,
        blocked: r.blocked.map(str::to_owned),
    }
}

/// Minutes as written, with the version they were read at.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ReviewBody {
    /// The version read (0 the first time).
    pub version: i32,
    /// When the meeting was held (RFC 3339); not in the future.
    pub held_at: Option<DateTime<Utc>>,
    /// The people of the company who attended (user ids).
    pub attendee_ids: Vec<i32>,
    /// Others who attended, by name (each at most 64 characters).
    pub other_attendees: Vec<String>,
    /// Each group's report (`driver`, `guest`, `logistics`, `process`, `service`), once each;
    /// a report with nothing in it is left out.
    pub reports: Vec<GroupReport>,
    /// What was decided; at most 2000 characters.
    #[schema(max_length = 2000)]
    pub decisions: String,
}

/// A reception's review meeting minutes (recorded or not), for whoever may see the
/// reception.
#[utoipa::path(get, path = "/api/v1/receptions/{id}/review", tag = "review",
    params(("id" = i32, Path, description = "Reception id", example = 1)),
    responses((status = 200, body = ReviewResponse), (status = 404, body = Problem)))]
pub async fn get_review(State(s): State<AppState>, cx: Cx, Id(id): Id<ReceptionId>) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let r = review::review(&s.app, &viewer, id).await?;
    Ok(json(StatusCode::OK, review_response(r)))
}

/// Records a reception's minutes read at `version` (the first time 0): General Management
/// and administrators, once the reception is on site or closing; read-only once closed.
#[utoipa::path(put, path = "/api/v1/receptions/{id}/review", tag = "review",
    params(("id" = i32, Path, description = "Reception id", example = 1)),
    request_body = ReviewBody,
    responses((status = 200, body = ReviewResponse),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Stale version, or not now (`review_too_early`, `review_read_only`, `review_stopped`)", body = Problem),
        (status = 422, description = "Every problem at once", body = Problem)))]
pub async fn put_review(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ReceptionId>,
    ApiJson(b): ApiJson<ReviewBody>,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let input = MinutesInput {
        held_at: b.held_at,
        attendee_ids: b.attendee_ids.into_iter().map(UserId).collect(),
        other_attendees: b.other_attendees,
        reports: b.reports,
        decisions: b.decisions,
    };
    review::save_minutes(&s.app, &viewer, id, b.version, &input, &cx.actor()).await?;
    let r = review::review(&s.app, &viewer, id).await?;
    Ok(json(StatusCode::OK, review_response(r)))
}

/// An earlier reception's improvement action as a lesson for this one.
#[derive(Serialize, ToSchema)]
pub struct LessonResponse {
    /// The action.
    pub action: ActionResponse,
    /// Marked applied on this reception.
    pub applied: bool,
    /// Who marked it (a user id).
    pub applied_by: Option<i32>,
    /// When.
    pub applied_at: Option<DateTime<Utc>>,
    /// The note it was marked with.
    pub note: Option<String>,
}

/// The lessons for a reception.
#[derive(Serialize, ToSchema)]
pub struct LessonList {
    /// Not yet applied first.
    pub items: Vec<LessonResponse>,
}

pub(crate) fn lesson_response(l: Lesson) -> LessonResponse {
    let a = l.applied;
    LessonResponse {
        action: action_response(l.action),
        applied: a.is_some(),
        applied_by: a.as_ref().and_then(|a| a.applied_by.map(UserId::get)),
        applied_at: a.as_ref().map(|a| a.applied_at),
        note: a.map(|a| a.note),
    }
}

/// The lessons to apply on a reception: the open improvement actions of receptions that
/// visited no later than it, and those marked applied on it.
#[utoipa::path(get, path = "/api/v1/receptions/{id}/lessons", tag = "review",
    params(("id" = i32, Path, description = "Reception id", example = 1)),
    responses((status = 200, body = LessonList), (status = 404, body = Problem)))]
pub async fn get_lessons(State(s): State<AppState>, cx: Cx, Id(id): Id<ReceptionId>) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let items = review::lessons(&s.app, &viewer, id).await?.into_iter().map(lesson_response).collect();
    Ok(json(StatusCode::OK, LessonList { items }))
}

/// How a lesson was applied.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ApplyBody {
    /// A note (how it was applied); at most 500 characters.
    #[schema(max_length = 500)]
    pub note: String,
}

/// Marks an earlier reception's action applied on this reception (General Management, while
/// this one is under way), once.
#[utoipa::path(post, path = "/api/v1/receptions/{id}/lessons/{action_id}/apply", tag = "review",
    params(("id" = i32, Path, description = "Reception id", example = 1),
        ("action_id" = i32, Path, description = "Improvement action id", example = 1)),
    request_body = ApplyBody,
    responses((status = 200, body = LessonResponse),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Applied already (`lesson_applied`), its own reception (`lesson_own_reception`), or this reception is not under way", body = Problem),
        (status = 422, description = "Every problem at once", body = Problem)))]
pub async fn apply_lesson(
    State(s): State<AppState>,
    cx: Cx,
    Ids(id, action): Ids<ReceptionId, ImprovementActionId>,
    ApiJson(b): ApiJson<ApplyBody>,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    review::apply_lesson(&s.app, &viewer, id, action, &b.note, &cx.actor()).await?;
    let lesson = review::lessons(&s.app, &viewer, id)
        .await?
        .into_iter()
        .find(|l| l.action.action.id == action)
        .ok_or(crate::error::AppError::NotFound)?;
    Ok(json(StatusCode::OK, lesson_response(lesson)))
}
