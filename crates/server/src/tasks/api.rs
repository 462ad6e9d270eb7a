//! Tasks through the API: a reception's, the caller's own, and the steps that move one.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Response;
use chrono::NaiveDate;
use jiedai_app::receptions;
use jiedai_app::tasks::{self, TaskView};
use jiedai_domain::procedure::Phase;
use jiedai_domain::tasks::{TaskAction, TaskStatus};
use jiedai_domain::{Code, Language, ReceptionId, TaskId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Cx;
use crate::error::{AppError, AppResult};
use crate::extract::{ApiJson, Id, IdAnd};
use crate::render::{Problem, json};
use crate::state::AppState;

/// A task of a reception (a line of the task division).
#[derive(Serialize, ToSchema)]
pub struct TaskResponse {
    /// Id.
    pub id: i32,
    /// Its reception.
    pub reception_id: i32,
    /// Its reception's code (in the caller's own list).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reception_code: Option<String>,
    /// Its place in the reception's list.
    pub position: i32,
    /// `before`, `on_site` or `close_down`.
    pub phase: Phase,
    /// The group: `driver`, `guest`, `logistics`, `process`, `service`, or a team's key.
    pub group: String,
    /// The work item, in the caller's language.
    pub title: String,
    /// The work item in Chinese.
    pub title_zh: String,
    /// The work item in English.
    pub title_en: String,
    /// The duties, in the caller's language.
    pub duties: String,
    /// Due day, YYYY-MM-DD.
    pub due: NaiveDate,
    /// Due time, HH:MM, or null (by the end of the day).
    pub due_time: Option<String>,
    /// 责任人 (a user id).
    pub responsible_id: Option<i32>,
    /// 辅助人 (a user id).
    pub assistant_id: Option<i32>,
    /// `todo`, `doing`, `done` or `waived`.
    pub status: TaskStatus,
    /// Note.
    pub note: String,
    /// Why it was waived.
    pub waive_reason: String,
    /// Past its moment and not done or waived.
    pub overdue: bool,
    /// Its reception was cancelled: no longer to be done (in the caller's own list, for a week
    /// after its due day).
    pub withdrawn: bool,
    /// The version to send back with a change (a stale one answers 409).
    pub version: i32,
    /// After a change: what to look at again (`on_site_clash`: the responsible has another
    /// on-site task at the same time, named in the message).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<crate::render::ProblemField>,
}

/// A list of tasks.
#[derive(Serialize, ToSchema)]
pub struct TaskList {
    /// The tasks.
    pub items: Vec<TaskResponse>,
}

fn response(lang: Language, v: TaskView, code: Option<String>, withdrawn: bool) -> TaskResponse {
    let tr = crate::i18n::Tr::new(lang);
    let warnings = v
        .warnings
        .0
        .iter()
        .map(|w| crate::render::ProblemField {
            field: w.field.clone(),
            code: w.code.to_owned(),
            message: tr.field_error(w),
            line: None,
        })
        .collect();
    let t = v.task;
    let zh = lang == Language::ZhCn;
    TaskResponse {
        id: t.id.get(),
        reception_id: t.reception_id.get(),
        reception_code: code,
        position: t.position,
        phase: t.phase,
        group: t.group,
        title: if zh { t.title_zh.clone() } else { t.title_en.clone() },
        duties: if zh { t.duties_zh } else { t.duties_en },
        title_zh: t.title_zh,
        title_en: t.title_en,
        due: t.due,
        due_time: t.due_time.map(|t| t.format("%H:%M").to_string()),
        responsible_id: t.responsible_id.map(|u| u.get()),
        assistant_id: t.assistant_id.map(|u| u.get()),
        status: t.status,
        note: t.note,
        waive_reason: t.waive_reason,
        overdue: v.overdue,
        withdrawn,
        version: t.version,
        warnings,
    }
}

/// A reception's tasks, in their order (none until it is taken on).
#[utoipa::path(get, path = "/api/v1/receptions/{id}/tasks", tag = "tasks",
    params(("id" = i32, Path, description = "Reception id", example = 1)),
    responses((status = 200, body = TaskList), (status = 404, body = Problem)))]
pub async fn reception_tasks(State(s): State<AppState>, cx: Cx, Id(id): Id<ReceptionId>) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let lang = cx.tr().lang;
    let items =
        tasks::of_reception(&s.app, &viewer, id).await?.into_iter().map(|t| response(lang, t, None, false)).collect();
    Ok(json(StatusCode::OK, TaskList { items }))
}

/// The caller's tasks (as responsible or assistant) on receptions under way, by due day,
/// each with its reception's code.
#[utoipa::path(get, path = "/api/v1/me/tasks", tag = "tasks", responses((status = 200, body = TaskList)))]
pub async fn my_tasks(State(s): State<AppState>, cx: Cx) -> AppResult<Response> {
    let user = cx.user()?.id;
    let lang = cx.tr().lang;
    let items = tasks::mine(&s.app, user)
        .await?
        .into_iter()
        .map(|h| response(lang, h.view, Some(h.code), h.withdrawn))
        .collect();
    Ok(json(StatusCode::OK, TaskList { items }))
}

/// What a step on a task sends.
#[derive(Deserialize, ToSchema, Default)]
#[serde(from = "Option<RawStep>")]
pub struct TaskStepRequest {
    /// The version read; when given, a stale one answers 409.
    pub version: Option<i32>,
    /// Why the task is waived: required to `waive` (not only spaces); at most 500 characters.
    pub reason: Option<String>,
}

#[derive(Deserialize, Default)]
struct RawStep {
    #[serde(default)]
    version: Option<i32>,
    #[serde(default)]
    reason: Option<String>,
}

impl From<Option<RawStep>> for TaskStepRequest {
    fn from(r: Option<RawStep>) -> Self {
        let r = r.unwrap_or_default();
        TaskStepRequest { version: r.version, reason: r.reason }
    }
}

/// Moves a task: `start` (to do → under way), `done`, `reopen` (finished or waived → to do),
/// `waive` (with a reason). Its responsible, its assistant, General Management and
/// administrators may.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/{action}", tag = "tasks",
    params(("id" = i32, Path, description = "Task id", example = 1),
        ("action" = inline(TaskAction), Path, description = "start, done, reopen or waive; another is not found")),
    request_body(content = Option<TaskStepRequest>, description = "The version read and, to waive, the reason; may be left out"),
    responses((status = 200, body = TaskResponse),
        (status = 403, description = "The caller does not hold this task", body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Changed since read, or the step does not apply now (someone finished it first)", body = Problem),
        (status = 422, description = "A reason missing (waive) or too long", body = Problem)))]
pub async fn act_on_task(
    State(s): State<AppState>,
    cx: Cx,
    IdAnd(id, action): IdAnd<TaskId>,
    body: Option<ApiJson<TaskStepRequest>>,
) -> AppResult<Response> {
    let action = TaskAction::parse(&action).ok_or(AppError::NotFound)?;
    let b = body.map(|ApiJson(b)| b).unwrap_or_default();
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let reason = b.reason.as_deref().unwrap_or("");
    let t = tasks::act(&s.app, &viewer, id, action, b.version, reason, &cx.actor()).await?;
    Ok(json(StatusCode::OK, response(cx.tr().lang, t, None, false)))
}

/// A task as sent back to change it: the representation a read gave, with its version;
/// the fields below are the ones a change takes (others are ignored).
#[derive(Deserialize, ToSchema)]
pub struct TaskRequest {
    /// The version read (409 when stale).
    pub version: i32,
    /// 责任人 (a user id: an active member of a group), or null.
    #[serde(default)]
    pub responsible_id: Option<i32>,
    /// 辅助人 (another person, also in a group), or null.
    #[serde(default)]
    pub assistant_id: Option<i32>,
    /// Note; at most 1,000 characters.
    #[serde(default)]
    #[schema(pattern = "^[^\\x00]*$")]
    pub note: String,
    /// Due day, YYYY-MM-DD.
    #[schema(value_type = String, format = Date)]
    pub due: NaiveDate,
    /// Due time, HH:MM, or null.
    #[serde(default)]
    #[schema(pattern = "^(?:[01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub due_time: Option<String>,
}

/// Changes a task: General Management sets who does it (responsible and assistant) and when;
/// the people who hold it write its note.
#[utoipa::path(put, path = "/api/v1/tasks/{id}", tag = "tasks",
    params(("id" = i32, Path, description = "Task id", example = 1)),
    request_body = TaskRequest,
    responses((status = 200, body = TaskResponse),
        (status = 403, description = "The caller neither plans nor holds this task, or holds it and changed more than its note", body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Changed since read", body = Problem),
        (status = 422, description = "A person not active or in no group, the assistant the responsible, a malformed time, a note too long (every problem at once)", body = Problem)))]
pub async fn put_task(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<TaskId>,
    ApiJson(b): ApiJson<TaskRequest>,
) -> AppResult<Response> {
    let due_time = time_of(b.due_time.as_deref())?;
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let edit = tasks::TaskEdit {
        version: b.version,
        responsible_id: b.responsible_id.map(jiedai_domain::UserId),
        assistant_id: b.assistant_id.map(jiedai_domain::UserId),
        note: b.note,
        due: b.due,
        due_time,
    };
    let t = tasks::update(&s.app, &viewer, id, edit, &cx.actor()).await?;
    Ok(json(StatusCode::OK, response(cx.tr().lang, t, None, false)))
}

/// A task added by hand.
#[derive(Deserialize, ToSchema)]
pub struct NewTaskRequest {
    /// `before`, `on_site` or `close_down`.
    pub phase: Phase,
    /// The group's key (`driver`, `guest`, `logistics`, `process`, `service` or a team's).
    #[schema(pattern = "^[^\\x00]*$")]
    pub group: String,
    /// Work item; at most 200 characters.
    #[schema(pattern = "^[^\\x00]*$")]
    pub title: String,
    /// Duties; at most 1,000 characters.
    #[serde(default)]
    #[schema(pattern = "^[^\\x00]*$")]
    pub duties: String,
    /// Due day, YYYY-MM-DD.
    #[schema(value_type = String, format = Date)]
    pub due: NaiveDate,
    /// Due time, HH:MM, or null.
    #[serde(default)]
    #[schema(pattern = "^(?:[01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub due_time: Option<String>,
    /// 责任人 (a user id), or null.
    #[serde(default)]
    pub responsible_id: Option<i32>,
    /// 辅助人 (a user id), or null.
    #[serde(default)]
    pub assistant_id: Option<i32>,
}

fn time_of(t: Option<&str>) -> AppResult<Option<chrono::NaiveTime>> {
    match t.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => chrono::NaiveTime::parse_from_str(t, "%H:%M")
            .map(Some)
            .map_err(|_| AppError::field(jiedai_domain::FieldError::new("due_time", "invalid_time"))),
        None => Ok(None),
    }
}

/// Adds a task to a reception in planning (General Management and administrators).
#[utoipa::path(post, path = "/api/v1/receptions/{id}/tasks", tag = "tasks",
    params(("id" = i32, Path, description = "Reception id", example = 1)),
    request_body = NewTaskRequest,
    responses((status = 201, body = TaskResponse),
        (status = 403, description = "Only General Management and administrators add tasks", body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "The reception is not in planning", body = Problem),
        (status = 422, description = "A work item missing or too long, an unknown group, people not active or in no group (every problem at once)", body = Problem)))]
pub async fn add_task(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ReceptionId>,
    ApiJson(b): ApiJson<NewTaskRequest>,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let draft = tasks::TaskDraft {
        phase: b.phase,
        group: b.group.trim().to_owned(),
        title: b.title,
        duties: b.duties,
        due: b.due,
        due_time: time_of(b.due_time.as_deref())?,
        responsible_id: b.responsible_id.map(jiedai_domain::UserId),
        assistant_id: b.assistant_id.map(jiedai_domain::UserId),
    };
    let t = tasks::add(&s.app, &viewer, id, draft, &cx.actor()).await?;
    Ok(json(StatusCode::CREATED, response(cx.tr().lang, t, None, false)))
}

/// Where a task moves in its reception's list.
#[derive(Deserialize, ToSchema)]
pub struct MoveTaskRequest {
    /// The version read (409 when stale).
    pub version: i32,
    /// The new place, counted from 0 (as `position` in a task read); past the end puts the task
    /// last.
    #[schema(minimum = 0)]
    pub position: u32,
}

/// Moves a task up or down its reception's list (General Management and administrators).
#[utoipa::path(post, path = "/api/v1/tasks/{id}/move", tag = "tasks",
    params(("id" = i32, Path, description = "Task id", example = 1)),
    request_body = MoveTaskRequest,
    responses((status = 200, body = TaskResponse),
        (status = 403, description = "Only General Management and administrators reorder tasks", body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Changed since read, or the reception is no longer under way", body = Problem)))]
pub async fn move_task(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<TaskId>,
    ApiJson(b): ApiJson<MoveTaskRequest>,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let to = usize::try_from(b.position).unwrap_or(usize::MAX);
    let t = tasks::reorder(&s.app, &viewer, id, b.version, to, &cx.actor()).await?;
    Ok(json(StatusCode::OK, response(cx.tr().lang, t, None, false)))
}

/// Which version of a task a removal read.
#[derive(Deserialize, IntoParams)]
pub struct VersionQuery {
    /// The version read (409 when stale).
    pub version: i32,
}

/// Removes a task (General Management and administrators).
#[utoipa::path(delete, path = "/api/v1/tasks/{id}", tag = "tasks",
    params(("id" = i32, Path, description = "Task id", example = 1), VersionQuery),
    responses((status = 204, description = "Removed"),
        (status = 403, description = "Only General Management and administrators remove tasks", body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Changed since read", body = Problem)))]
pub async fn delete_task(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<TaskId>,
    crate::extract::Query(q): crate::extract::Query<VersionQuery>,
) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    tasks::remove(&s.app, &viewer, id, q.version, &cx.actor()).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
