//! A reception's agenda through the API: read (the starting set from the form until one is
//! saved), and written whole with its version.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{NaiveDate, NaiveTime};
use jiedai_app::receptions;
use jiedai_app::tasks::day;
use jiedai_domain::agenda::AgendaItem;
use jiedai_domain::{FieldError, FieldErrors, ReceptionId, UserId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Cx;
use crate::error::{AppError, AppResult};
use crate::extract::{ApiJson, Id};
use crate::render::{Problem, json};
use crate::state::AppState;

/// One item of an agenda.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct AgendaItemBody {
    /// Its day, YYYY-MM-DD: one of the visit's days.
    #[schema(value_type = String, format = Date)]
    pub day: NaiveDate,
    /// Its time, HH:MM, or null.
    #[serde(default)]
    #[schema(pattern = "^(?:[01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub time: Option<String>,
    /// What happens; 1–200 characters.
    #[schema(pattern = "^[^\\x00]*$")]
    pub title: String,
    /// Where; at most 200 characters.
    #[serde(default)]
    #[schema(pattern = "^[^\\x00]*$")]
    pub place: String,
    /// Who answers for it (a user id), or null.
    #[serde(default)]
    pub responsible_id: Option<i32>,
    /// Notes; at most 500 characters.
    #[serde(default)]
    #[schema(pattern = "^[^\\x00]*$")]
    pub notes: String,
    /// Its stable key (kept when the item is sent back; a new item gets one). Calendar feeds
    /// name the item by it.
    #[serde(default)]
    #[schema(pattern = "^[0-9a-f]{0,32}$")]
    pub key: String,
}

/// A reception's agenda.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct AgendaBody {
    /// The items, in the order of the day.
    pub items: Vec<AgendaItemBody>,
    /// The version to send back with a change (0 while none was saved; 409 when stale).
    pub version: i32,
    /// Nothing saved yet: the items are the starting set built from the form (in a read
    /// only).
    #[serde(default, skip_deserializing)]
    pub suggested: bool,
}

fn body(a: day::Agenda) -> AgendaBody {
    AgendaBody {
        items: a
            .items
            .into_iter()
            .map(|i| AgendaItemBody {
                day: i.day,
                time: i.time.map(|t| t.format("%H:%M").to_string()),
                title: i.title,
                place: i.place,
                responsible_id: i.responsible_id.map(UserId::get),
                notes: i.notes,
                key: i.key,
            })
            .collect(),
        version: a.version,
        suggested: a.suggested,
    }
}

/// A reception's agenda: the saved one, or (`suggested`) the starting set built from its
/// form — arrival and pickup, welcome, meeting, lunch, visit, dinner, departure.
#[utoipa::path(get, path = "/api/v1/receptions/{id}/agenda", tag = "tasks",
    params(("id" = i32, Path, description = "Reception id", example = 1)),
    responses((status = 200, body = AgendaBody), (status = 404, body = Problem)))]
pub async fn get_agenda(State(s): State<AppState>, cx: Cx, Id(id): Id<ReceptionId>) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let a = day::agenda(&s.app, &viewer, id, cx.tr().lang).await?;
    Ok(json(StatusCode::OK, body(a)))
}

/// Writes a reception's agenda whole (General Management and administrators, while it is
/// carried out), with the version read; items come back in the order of the day.
#[utoipa::path(put, path = "/api/v1/receptions/{id}/agenda", tag = "tasks",
    params(("id" = i32, Path, description = "Reception id", example = 1)),
    request_body = AgendaBody,
    responses((status = 200, body = AgendaBody),
        (status = 403, description = "Only General Management and administrators write the agenda", body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Changed since read, or the reception is not under way", body = Problem),
        (status = 422, description = "A day outside the visit, a title missing or too long, a malformed time, a person not active (every problem at once, each on its line)", body = Problem)))]
pub async fn put_agenda(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ReceptionId>,
    ApiJson(b): ApiJson<AgendaBody>,
) -> AppResult<Response> {
    let mut errs = FieldErrors::new();
    let items: Vec<AgendaItem> = b
        .items
        .into_iter()
        .enumerate()
        .map(|(i, it)| {
            let time = match it.time.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                Some(t) => NaiveTime::parse_from_str(t, "%H:%M")
                    .map_err(|_| errs.push(FieldError { line: Some(i + 1), ..FieldError::new("time", "invalid_time") }))
                    .ok(),
                None => None,
            };
            AgendaItem {
                day: it.day,
                time,
                title: it.title,
                place: it.place,
                responsible_id: it.responsible_id.map(UserId),
                notes: it.notes,
                key: it.key,
            }
        })
        .collect();
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let a = day::save_agenda(&s.app, &viewer, id, b.version, items, &cx.actor()).await?;
    Ok(json(StatusCode::OK, body(a)))
}
