//! The groups of the task division through the API: who leads each and who is in it.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use jiedai_app::receptions;
use jiedai_app::tasks;
use jiedai_app::tasks::StoredTeam;
use jiedai_domain::{Language, TeamId, UserId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Cx;
use crate::error::AppResult;
use crate::extract::{ApiJson, Id};
use crate::render::{Problem, json};
use crate::state::AppState;

/// A group of the task division.
#[derive(Serialize, ToSchema)]
pub struct TeamResponse {
    /// Id.
    pub id: i32,
    /// Key, as tasks name their group (`driver`, `guest`, `logistics`, `process`, `service`).
    pub key: String,
    /// Name in the caller's language.
    pub name: String,
    /// Name in Chinese.
    pub name_zh: String,
    /// Name in English.
    pub name_en: String,
    /// The default lead (a user id): the suggested responsible for the group's tasks.
    pub lead_id: Option<i32>,
    /// Members (user ids), the lead among them.
    pub members: Vec<i32>,
    /// The version to send back with a change.
    pub version: i32,
}

/// The groups.
#[derive(Serialize, ToSchema)]
pub struct TeamList {
    /// The groups, in the procedure's order.
    pub items: Vec<TeamResponse>,
}

fn response(lang: Language, t: StoredTeam) -> TeamResponse {
    TeamResponse {
        id: t.id.get(),
        name: if lang == Language::ZhCn { t.name_zh.clone() } else { t.name_en.clone() },
        key: t.key,
        name_zh: t.name_zh,
        name_en: t.name_en,
        lead_id: t.lead.map(|u| u.get()),
        members: t.members.iter().map(|u| u.get()).collect(),
        version: t.version,
    }
}

/// The groups of the task division with their leads and members.
#[utoipa::path(get, path = "/api/v1/teams", tag = "tasks", responses((status = 200, body = TeamList)))]
pub async fn list_teams(State(s): State<AppState>, cx: Cx) -> AppResult<Response> {
    let lang = cx.tr().lang;
    let items = tasks::teams(&s.app).await?.into_iter().map(|t| response(lang, t)).collect();
    Ok(json(StatusCode::OK, TeamList { items }))
}

/// A group's lead and members, as sent back.
#[derive(Deserialize, ToSchema)]
pub struct TeamRequest {
    /// The version read (409 when stale).
    pub version: i32,
    /// The default lead (a user id), or null.
    #[serde(default)]
    pub lead_id: Option<i32>,
    /// Members (user ids); at most 200.
    #[serde(default)]
    pub members: Vec<i32>,
}

/// Sets a group's lead and members (General Management and administrators).
#[utoipa::path(put, path = "/api/v1/teams/{id}", tag = "tasks",
    params(("id" = i32, Path, description = "Group id", example = 1)),
    request_body = TeamRequest,
    responses((status = 200, body = TeamResponse),
        (status = 403, description = "Only General Management and administrators keep the groups", body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Changed since read", body = Problem),
        (status = 422, description = "A person who does not exist or is not active, or too many members", body = Problem)))]
pub async fn put_team(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<TeamId>,
    ApiJson(b): ApiJson<TeamRequest>,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let members: Vec<UserId> = b.members.into_iter().map(UserId).collect();
    let t = tasks::save_team(&s.app, &viewer, id, b.version, b.lead_id.map(UserId), &members, &cx.actor()).await?;
    Ok(json(StatusCode::OK, response(cx.tr().lang, t)))
}
