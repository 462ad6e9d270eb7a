//! A person's notifications and e-mail preferences through the API.

use std::collections::BTreeMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use jiedai_app::notify::{self, Item};
use jiedai_domain::notify::EventKey;
use jiedai_domain::{Code, FieldError, FieldErrors};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::message::{Parts, compose};
use crate::auth::Cx;
use crate::error::{AppError, AppResult};
use crate::extract::{ApiJson, Id};
use crate::i18n::Tr;
use crate::render::{Problem, json};
use crate::state::AppState;

/// One in-app notification.
#[derive(Serialize, ToSchema)]
pub struct NotificationResponse {
    /// Id.
    pub id: i64,
    /// What happened (`reception.submitted`, `task.assigned`…).
    pub event: EventKey,
    /// The reception it is about.
    pub reception_id: Option<i32>,
    /// One line, in the caller's language: what happened, to which reception.
    pub title: String,
    /// What happened and what to do (and the comment), in the caller's language.
    pub body: String,
    /// The page to open (a path on this site).
    pub link: String,
    /// Read or not.
    pub read: bool,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// A page of notifications.
#[derive(Serialize, ToSchema)]
pub struct NotificationList {
    /// Newest first.
    pub items: Vec<NotificationResponse>,
    /// Cursor for the next page (`before`), or null at the end.
    pub next: Option<String>,
}

/// Which notifications to list.
#[derive(Deserialize, Default, IntoParams)]
pub struct NotificationQuery {
    /// Cursor: those older than this id (the previous page's `next`).
    #[serde(default, deserialize_with = "crate::extract::empty_as_none")]
    pub before: Option<i64>,
    /// Page size, 1–200 (default 50).
    #[serde(default, deserialize_with = "crate::extract::empty_as_none")]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// Only unread ones.
    #[serde(default, deserialize_with = "crate::extract::empty_as_none")]
    pub unread: Option<bool>,
}

/// An item as the caller reads it.
pub fn view(tr: &Tr, today: chrono::NaiveDate, reader: jiedai_domain::UserId, i: &Item) -> NotificationResponse {
    let m = compose(
        tr,
        &Parts {
            key: i.key,
            reception_id: i.reception_id,
            subject: i.subject.as_ref(),
            task: i.task.as_ref(),
            data: &i.data,
            actor: i.actor.as_deref(),
            reader: Some(reader),
            today,
        },
    );
    NotificationResponse {
        id: i.id,
        event: i.key,
        reception_id: i.reception_id.map(|r| r.get()),
        body: m.lines.join("\n"),
        title: m.title,
        link: m.path,
        read: i.read,
        created_at: i.created_at,
    }
}

/// The page of a query: the items and the cursor of the next.
pub async fn page(s: &AppState, cx: &Cx, q: &NotificationQuery) -> AppResult<(Vec<Item>, Option<String>)> {
    let mut errs = FieldErrors::new();
    let limit = crate::receptions::query::page_limit(&mut errs, q.limit);
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    let user = cx.user()?.id;
    let mut items = notify::notifications(&s.app, user, q.before, limit + 1, q.unread.unwrap_or(false)).await?;
    let more = items.len() as u64 > limit;
    items.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next = if more { items.last().map(|i| i.id.to_string()) } else { None };
    Ok((items, next))
}

/// The caller's notifications, newest first, keyset-paged.
#[utoipa::path(get, path = "/api/v1/me/notifications", tag = "notifications", params(NotificationQuery),
    responses((status = 200, body = NotificationList), (status = 422, body = Problem)))]
pub async fn list(State(s): State<AppState>, cx: Cx, Query(q): Query<NotificationQuery>) -> AppResult<Response> {
    let (items, next) = page(&s, &cx, &q).await?;
    let (tr, today, user) = (cx.tr(), s.app.today(), cx.user()?.id);
    let items = items.iter().map(|i| view(&tr, today, user, i)).collect();
    Ok(json(StatusCode::OK, NotificationList { items, next }))
}

/// How many notifications are unread.
#[derive(Serialize, ToSchema)]
pub struct UnreadCount {
    /// Unread notifications.
    pub count: u64,
}

/// How many of the caller's notifications are unread.
#[utoipa::path(get, path = "/api/v1/me/notifications/unread-count", tag = "notifications",
    responses((status = 200, body = UnreadCount)))]
pub async fn unread(State(s): State<AppState>, cx: Cx) -> AppResult<Response> {
    let count = notify::unread_count(&s.app, cx.user()?.id).await?;
    Ok(json(StatusCode::OK, UnreadCount { count }))
}

/// Marks one of the caller's notifications read (again: no change).
#[utoipa::path(post, path = "/api/v1/me/notifications/{id}/read", tag = "notifications",
    params(("id" = i64, Path, description = "Notification id", example = 1)),
    responses((status = 204, description = "Read"), (status = 404, body = Problem)))]
pub async fn read(State(s): State<AppState>, cx: Cx, Id(id): Id<i64>) -> AppResult<Response> {
    notify::mark_read(&s.app, cx.user()?.id, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// How many notifications were marked read.
#[derive(Serialize, ToSchema)]
pub struct Marked {
    /// Notifications that were unread.
    pub marked: u64,
}

/// Marks every one of the caller's notifications read.
#[utoipa::path(post, path = "/api/v1/me/notifications/read-all", tag = "notifications",
    responses((status = 200, body = Marked)))]
pub async fn read_all(State(s): State<AppState>, cx: Cx) -> AppResult<Response> {
    let marked = notify::mark_all_read(&s.app, cx.user()?.id).await?;
    Ok(json(StatusCode::OK, Marked { marked }))
}

/// Whether the caller wants e-mail, per event.
#[derive(Serialize, ToSchema)]
pub struct PreferencesResponse {
    /// Each event key and whether e-mail is wanted for it (in-app notifications always come).
    #[schema(value_type = BTreeMap<super::StaffEventKey, bool>)]
    pub email: BTreeMap<String, bool>,
    /// The caller has an e-mail address (without one, only in-app notifications come).
    pub has_email: bool,
    /// The server has a mail server set up.
    pub mail_configured: bool,
}

/// Choices to change.
#[derive(Deserialize, ToSchema)]
pub struct PreferencesRequest {
    /// Event key → whether e-mail is wanted; events left out keep their choice.
    #[serde(default)]
    #[schema(value_type = BTreeMap<super::StaffEventKey, bool>)]
    pub email: BTreeMap<String, bool>,
}

async fn preferences_response(s: &AppState, cx: &Cx) -> AppResult<PreferencesResponse> {
    let user = cx.user()?;
    let prefs = notify::email_preferences(&s.app, user.id).await?;
    Ok(PreferencesResponse {
        email: prefs.into_iter().map(|(k, on)| (k.as_str().to_owned(), on)).collect(),
        has_email: user.email.as_deref().is_some_and(|e| !e.trim().is_empty()),
        mail_configured: s.settings.mail.url.is_some(),
    })
}

/// The caller's e-mail preferences.
#[utoipa::path(get, path = "/api/v1/me/notification-preferences", tag = "notifications",
    responses((status = 200, body = PreferencesResponse)))]
pub async fn get_preferences(State(s): State<AppState>, cx: Cx) -> AppResult<Response> {
    Ok(json(StatusCode::OK, preferences_response(&s, &cx).await?))
}

/// Reads choices, every unknown event named.
pub fn parse_choices(raw: &BTreeMap<String, bool>) -> AppResult<Vec<(EventKey, bool)>> {
    let mut errs = FieldErrors::new();
    let mut out = Vec::new();
    for (k, on) in raw {
        match EventKey::parse(k.trim()).filter(|k| !k.is_for_guests()) {
            Some(key) => out.push((key, *on)),
            None => errs.push(FieldError::new(&format!("email.{k}"), "unknown_event")),
        }
    }
    if errs.is_empty() { Ok(out) } else { Err(AppError::Validation(errs)) }
}

/// Changes the caller's e-mail preferences.
#[utoipa::path(put, path = "/api/v1/me/notification-preferences", tag = "notifications",
    request_body = PreferencesRequest,
    responses((status = 200, body = PreferencesResponse),
        (status = 422, description = "An event that does not exist", body = Problem)))]
pub async fn put_preferences(
    State(s): State<AppState>,
    cx: Cx,
    ApiJson(b): ApiJson<PreferencesRequest>,
) -> AppResult<Response> {
    let choices = parse_choices(&b.email)?;
    notify::set_email_preferences(&s.app, cx.user()?.id, &choices, &cx.actor()).await?;
    Ok(json(StatusCode::OK, preferences_response(&s, &cx).await?))
}
