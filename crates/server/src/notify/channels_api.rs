//! Channels (group robots and webhooks) and deliveries through the API, for administrators.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use jiedai_app::notify::{self, ChannelDraft};
use jiedai_app::notify::{StoredChannel, StoredDelivery};
use jiedai_domain::notify::{ChannelInput, ChannelKind, DeliveryStatus, EventKey, masked_url};
use jiedai_domain::{ChannelId, Code, DepartmentId, FieldErrors};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Cx;
use crate::error::{AppError, AppResult};
use crate::extract::{ApiJson, Id};
use crate::render::{Problem, json};
use crate::state::AppState;

/// A group robot or webhook.
#[derive(Serialize, ToSchema)]
pub struct ChannelResponse {
    /// Id.
    pub id: i32,
    /// `wecom`, `dingtalk`, `feishu` or `webhook`.
    pub kind: ChannelKind,
    /// Name.
    pub name: String,
    /// The address, its credentials shown as `***` (send it back unchanged to keep it).
    pub url: String,
    /// Whether a secret is set (the secret itself is never answered).
    pub signed: bool,
    /// The events it wants.
    #[schema(value_type = Vec<super::StaffEventKey>)]
    pub events: Vec<EventKey>,
    /// Only the receptions of this department, or null: every one.
    pub department_id: Option<i32>,
    /// Whether messages go to it.
    pub active: bool,
    /// The version to send back with a change.
    pub version: i32,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// The channels.
#[derive(Serialize, ToSchema)]
pub struct ChannelList {
    /// By name.
    pub items: Vec<ChannelResponse>,
}

pub(super) fn channel_response(c: StoredChannel) -> ChannelResponse {
    ChannelResponse {
        id: c.id.get(),
        kind: c.kind,
        url: masked_url(&c.url),
        signed: !c.secret.is_empty(),
        name: c.name,
        events: c.events,
        department_id: c.department_id.map(DepartmentId::get),
        active: c.active,
        version: c.version,
        updated_at: c.updated_at,
    }
}

/// A channel's settings.
#[derive(Deserialize, ToSchema)]
pub struct ChannelRequest {
    /// `wecom`, `dingtalk`, `feishu` or `webhook`.
    #[schema(value_type = ChannelKind)]
    pub kind: String,
    /// A name people know it by (at most 64 characters, not only spaces).
    #[schema(max_length = 64)]
    pub name: String,
    /// The robot's full address as its vendor gives it, or any http(s) address for a webhook;
    /// on a change, the address as read (with `***`) keeps the stored one.
    #[schema(max_length = 1000)]
    pub url: String,
    /// The signing secret (no spaces; empty: unsigned). Left out on a change: kept.
    #[serde(default)]
    #[schema(max_length = 200)]
    pub secret: Option<String>,
    /// The event keys it wants (at least one).
    #[schema(value_type = Vec<super::StaffEventKey>, min_items = 1)]
    pub events: Vec<String>,
    /// Only the receptions of this department, or null: every one.
    #[serde(default)]
    pub department_id: Option<i32>,
    /// Whether messages go to it (default true).
    #[serde(default)]
    pub active: Option<bool>,
    /// On a change: the version read (409 when stale).
    #[serde(default)]
    pub version: Option<i32>,
}

/// The draft a request makes; on a change, a URL sent back as read keeps the stored one.
pub(super) fn draft_of(b: ChannelRequest, stored: Option<&StoredChannel>) -> ChannelDraft {
    let url = match stored {
        Some(c) if b.url.trim() == masked_url(&c.url) => c.url.clone(),
        _ => b.url,
    };
    ChannelDraft {
        kind: b.kind,
        keep_secret: stored.is_some() && b.secret.is_none(),
        input: ChannelInput { name: b.name, url, secret: b.secret.unwrap_or_default(), events: b.events },
        department_id: b.department_id.map(DepartmentId),
        active: b.active.unwrap_or(true),
    }
}

/// Every channel.
#[utoipa::path(get, path = "/api/v1/channels", tag = "notifications", responses((status = 200, body = ChannelList)))]
pub async fn list_channels(State(s): State<AppState>) -> AppResult<Response> {
    let items = notify::channels(&s.app).await?.into_iter().map(channel_response).collect();
    Ok(json(StatusCode::OK, ChannelList { items }))
}

/// Adds a channel.
#[utoipa::path(post, path = "/api/v1/channels", tag = "notifications", request_body = ChannelRequest,
    responses((status = 201, body = ChannelResponse),
        (status = 422, description = "Every problem at once: a kind, a name, an address that is not http(s), a secret with spaces, an unknown event or department", body = Problem)))]
pub async fn create_channel(
    State(s): State<AppState>,
    cx: Cx,
    ApiJson(b): ApiJson<ChannelRequest>,
) -> AppResult<Response> {
    let c = notify::create_channel(&s.app, &draft_of(b, None), &cx.actor()).await?;
    Ok(json(StatusCode::CREATED, channel_response(c)))
}

/// One channel.
#[utoipa::path(get, path = "/api/v1/channels/{id}", tag = "notifications",
    params(("id" = i32, Path, description = "Channel id", example = 1)),
    responses((status = 200, body = ChannelResponse), (status = 404, body = Problem)))]
pub async fn get_channel(State(s): State<AppState>, Id(id): Id<ChannelId>) -> AppResult<Response> {
    Ok(json(StatusCode::OK, channel_response(notify::channel(&s.app, id).await?)))
}

/// Changes a channel.
#[utoipa::path(put, path = "/api/v1/channels/{id}", tag = "notifications",
    params(("id" = i32, Path, description = "Channel id", example = 1)),
    request_body = ChannelRequest,
    responses((status = 200, body = ChannelResponse), (status = 404, body = Problem),
        (status = 409, description = "Changed since read", body = Problem),
        (status = 422, description = "Every problem at once; `version` missing", body = Problem)))]
pub async fn put_channel(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ChannelId>,
    ApiJson(b): ApiJson<ChannelRequest>,
) -> AppResult<Response> {
    let stored = notify::channel(&s.app, id).await?;
    let Some(version) = b.version else {
        return Err(AppError::field(jiedai_domain::FieldError::new("version", "required")));
    };
    let c = notify::update_channel(&s.app, id, version, &draft_of(b, Some(&stored)), &cx.actor()).await?;
    Ok(json(StatusCode::OK, channel_response(c)))
}

/// The version a removal read.
#[derive(Deserialize, IntoParams)]
pub struct VersionQuery {
    /// The version read (409 when stale).
    pub version: i32,
}

/// Removes a channel (its past deliveries stay listed).
#[utoipa::path(delete, path = "/api/v1/channels/{id}", tag = "notifications",
    params(("id" = i32, Path, description = "Channel id", example = 1), VersionQuery),
    responses((status = 204, description = "Removed"), (status = 404, body = Problem),
        (status = 409, description = "Changed since read", body = Problem)))]
pub async fn delete_channel(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ChannelId>,
    Query(q): Query<VersionQuery>,
) -> AppResult<Response> {
    notify::delete_channel(&s.app, id, q.version, &cx.actor()).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// What a test message got.
#[derive(Serialize, ToSchema)]
pub struct TestResult {
    /// The receiver took it (HTTP 2xx and, for a robot, a result code of 0).
    pub ok: bool,
    /// The receiver's answer, or what went wrong.
    pub detail: String,
}

/// Sends a test message to a channel now and tells how it was answered.
#[utoipa::path(post, path = "/api/v1/channels/{id}/test", tag = "notifications",
    params(("id" = i32, Path, description = "Channel id", example = 1)),
    responses((status = 200, body = TestResult), (status = 404, body = Problem)))]
pub async fn test_channel(State(s): State<AppState>, cx: Cx, Id(id): Id<ChannelId>) -> AppResult<Response> {
    let c = notify::channel(&s.app, id).await?;
    Ok(json(StatusCode::OK, super::test_message(&s, &cx, &c).await))
}

/// A delivery of a notification by e-mail or to a channel.
#[derive(Serialize, ToSchema)]
pub struct DeliveryResponse {
    /// Id.
    pub id: i64,
    /// Its event's id.
    pub event_id: i64,
    /// The person whose e-mail it goes to.
    pub user_id: Option<i32>,
    /// The channel it goes to.
    pub channel_id: Option<i32>,
    /// The guest's survey link whose address it goes to (a `survey.invite`).
    pub survey_link_id: Option<i32>,
    /// `pending`, `sent`, `failed` (tried again later), `dead` (given up after a day) or
    /// `skipped` (on purpose: a recipient disabled since, a channel removed).
    pub status: DeliveryStatus,
    /// Tries so far.
    pub attempts: i32,
    /// When it is tried (again).
    pub next_at: DateTime<Utc>,
    /// What went wrong the last time.
    pub last_error: String,
    /// When it was made (or retried by hand).
    pub created_at: DateTime<Utc>,
    /// When the receiver took it.
    pub sent_at: Option<DateTime<Utc>>,
    /// It went out in a robot's digest (many messages as one, within the robot's rate limit):
    /// the delivery whose message carried it.
    pub digest_of: Option<i64>,
}

pub(super) fn delivery_response(d: StoredDelivery) -> DeliveryResponse {
    DeliveryResponse {
        id: d.id,
        event_id: d.event_id,
        user_id: d.user_id.map(|u| u.get()),
        channel_id: d.channel_id.map(ChannelId::get),
        survey_link_id: d.survey_link_id.map(|l| l.get()),
        status: d.status,
        attempts: d.attempts,
        next_at: d.next_at,
        last_error: d.last_error,
        created_at: d.created_at,
        sent_at: d.sent_at,
        digest_of: d.digest_of,
    }
}

/// A page of deliveries.
#[derive(Serialize, ToSchema)]
pub struct DeliveryList {
    /// Newest first.
    pub items: Vec<DeliveryResponse>,
    /// Cursor for the next page (`before`), or null at the end.
    pub next: Option<String>,
}

/// Which deliveries to list.
#[derive(Deserialize, IntoParams)]
pub struct DeliveryQuery {
    /// `pending`, `failed`, `dead`, `sent` or `skipped`; none: pending, failed and dead.
    #[serde(default, deserialize_with = "crate::extract::empty_as_none")]
    #[param(value_type = Option<DeliveryStatus>)]
    pub status: Option<String>,
    /// Cursor: those older than this id (the previous page's `next`).
    #[serde(default, deserialize_with = "crate::extract::empty_as_none")]
    pub before: Option<i64>,
    /// Page size, 1–200 (default 50).
    #[serde(default, deserialize_with = "crate::extract::empty_as_none")]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

/// The statuses and page size a query asks for.
pub(super) fn delivery_filter(q: &DeliveryQuery) -> AppResult<(Vec<DeliveryStatus>, u64)> {
    let mut errs = FieldErrors::new();
    let limit = crate::receptions::query::page_limit(&mut errs, q.limit);
    let statuses = match q.status.as_deref().map(str::trim) {
        None | Some("") => vec![DeliveryStatus::Pending, DeliveryStatus::Failed, DeliveryStatus::Dead],
        Some(v) => match DeliveryStatus::parse(v) {
            Some(st) => vec![st],
            None => {
                errs.push(jiedai_domain::FieldError::new("status", "unknown_status"));
                Vec::new()
            }
        },
    };
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    Ok((statuses, limit))
}

/// Deliveries, newest first: by default those not sent (pending, failed, dead).
#[utoipa::path(get, path = "/api/v1/deliveries", tag = "notifications", params(DeliveryQuery),
    responses((status = 200, body = DeliveryList), (status = 422, body = Problem)))]
pub async fn list_deliveries(State(s): State<AppState>, Query(q): Query<DeliveryQuery>) -> AppResult<Response> {
    let (statuses, limit) = delivery_filter(&q)?;
    let mut rows = notify::deliveries(&s.app, &statuses, q.before, limit + 1).await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next = if more { rows.last().map(|d| d.id.to_string()) } else { None };
    Ok(json(StatusCode::OK, DeliveryList { items: rows.into_iter().map(delivery_response).collect(), next }))
}

/// Tries a failed or dead delivery again at once (with a new day of tries).
#[utoipa::path(post, path = "/api/v1/deliveries/{id}/retry", tag = "notifications",
    params(("id" = i64, Path, description = "Delivery id", example = 1)),
    responses((status = 200, body = DeliveryResponse), (status = 404, body = Problem),
        (status = 409, description = "Not failed nor dead (sent, pending or skipped)", body = Problem)))]
pub async fn retry_delivery(State(s): State<AppState>, cx: Cx, Id(id): Id<i64>) -> AppResult<Response> {
    Ok(json(StatusCode::OK, delivery_response(notify::retry(&s.app, id, &cx.actor()).await?)))
}
