//! Each person's private calendar feed (.ics): turned on or renewed through the API or from
//! `/account` (a new secret each time; the address before stops at once), and read by
//! calendar clients with nothing but the secret in its address.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiedai_app::tasks::day;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Cx;
use crate::auth::csrf::CsrfForm;
use crate::error::AppResult;
use crate::render::{Chrome, json, page};
use crate::state::AppState;

/// The address of a calendar feed.
#[derive(Serialize, ToSchema)]
pub struct CalendarFeedResponse {
    /// The feed's private address: anyone holding it reads the feed, so keep it to yourself.
    pub url: String,
}

/// The site's own address, as the request reached it.
pub(crate) fn site(s: &AppState, headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let scheme = if s.secure_cookies() { "https" } else { "http" };
    format!("{scheme}://{host}")
}

/// Turns on the caller's private calendar feed, or renews it: a new secret each call, and the
/// address before stops working at once.
#[utoipa::path(post, path = "/api/v1/me/calendar-feed", tag = "tasks",
    responses((status = 200, body = CalendarFeedResponse)))]
pub async fn renew_feed(State(s): State<AppState>, cx: Cx, headers: HeaderMap) -> AppResult<Response> {
    let secret = day::renew_calendar_feed(&s.app, cx.user()?.id, &cx.actor()).await?;
    let url = format!("{}/feeds/{secret}.ics", site(&s, &headers));
    Ok(json(StatusCode::OK, CalendarFeedResponse { url }))
}

/// `GET /feeds/{secret}.ics`: the feed, for calendar clients (no other credential). An
/// unknown or renewed secret is not found, without a hint whether it ever existed.
pub async fn feed(State(s): State<AppState>, Path(file): Path<String>) -> AppResult<Response> {
    // The same plain answer for every address that opens nothing (calendar clients read no
    // pages, and nothing in it depends on the address asked for).
    let not_found = || {
        (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "Not found\n").into_response()
    };
    let secret = file.strip_suffix(".ics").unwrap_or(&file);
    let Some(user) = day::calendar_feed_owner(&s.app, secret).await? else {
        return Ok(not_found());
    };
    let u = jiedai_app::accounts::get_user(&s.app, user).await?;
    if !u.active {
        return Ok(not_found());
    }
    let (tasks, visits) = day::calendar_feed(&s.app, user).await?;
    let lang = u.language;
    let text = super::ics::feed(lang, s.tz(), &tasks, &visits);
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, no-store"),
            (header::CONTENT_DISPOSITION, "inline; filename=\"jiedai.ics\""),
        ],
        text,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "tasks/feed.html")]
struct FeedPage {
    c: Chrome,
    url: String,
}

/// `POST /account/calendar-feed`: a new private address for one's calendar feed, shown once.
pub async fn renew_feed_page(
    State(s): State<AppState>,
    cx: Cx,
    headers: HeaderMap,
    CsrfForm(_): CsrfForm<Empty>,
) -> AppResult<Response> {
    let secret = day::renew_calendar_feed(&s.app, cx.user()?.id, &cx.actor()).await?;
    let url = format!("{}/feeds/{secret}.ics", site(&s, &headers));
    Ok(page(&FeedPage { c: Chrome::new(&cx), url }))
}

/// A form with nothing but its CSRF token.
#[derive(Deserialize, Default)]
pub struct Empty {}
