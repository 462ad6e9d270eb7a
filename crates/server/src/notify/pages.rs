//! The pages of notifications: the bell's list (`/notifications`), a person's e-mail choices
//! (`/account/notifications`), and for administrators the channels (`/admin/channels`) and
//! the deliveries not sent (`/admin/notifications`).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiedai_app::{accounts, notify};
use jiedai_domain::notify::{ChannelKind, DeliveryStatus, EventKey, masked_url};
use jiedai_domain::{ChannelId, Code};
use serde::Deserialize;

use super::api::{NotificationQuery, NotificationResponse, page as notification_page, view};
use super::channels_api::{DeliveryQuery, TestResult, delivery_filter, draft_of};
use super::event_label;
use crate::auth::Cx;
use crate::auth::csrf::CsrfForm;
use crate::error::AppResult;
use crate::extract::Id;
use crate::forms::FormErrors;
use crate::render::{Chrome, page, redirect_with_flash};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "notify/list.html")]
struct ListPage {
    c: Chrome,
    items: Vec<(NotificationResponse, String)>,
    next: Option<String>,
    unread_only: bool,
}

/// `GET /notifications`: newest first, unread ones marked; opening one marks it read.
pub async fn list(State(s): State<AppState>, cx: Cx, Query(q): Query<NotificationQuery>) -> AppResult<Response> {
    let (items, next) = notification_page(&s, &cx, &q).await?;
    let (tr, today, user) = (cx.tr(), s.app.today(), cx.user()?.id);
    let items = items.iter().map(|i| (view(&tr, today, user, i), tr.datetime_on(i.created_at, cx.tz, today))).collect();
    Ok(page(&ListPage { c: Chrome::new(&cx), items, next, unread_only: q.unread.unwrap_or(false) }))
}

/// `POST /notifications/{id}`: marks it read and opens its page.
pub async fn open(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<i64>,
    CsrfForm(f): CsrfForm<OpenForm>,
) -> AppResult<Response> {
    notify::mark_read(&s.app, cx.user()?.id, id).await?;
    let to = if f.to.starts_with('/') && !f.to.starts_with("//") { f.to } else { "/notifications".to_owned() };
    Ok(Redirect::to(&to).into_response())
}

/// Where an opened notification leads.
#[derive(Deserialize)]
pub struct OpenForm {
    #[serde(default)]
    to: String,
}

/// `POST /notifications/read-all`.
pub async fn read_all(State(s): State<AppState>, cx: Cx, CsrfForm(_): CsrfForm<Empty>) -> AppResult<Response> {
    notify::mark_all_read(&s.app, cx.user()?.id).await?;
    Ok(redirect_with_flash("/notifications", "flash.notifications_read", s.secure_cookies()))
}

/// A form with nothing but its CSRF token.
#[derive(Deserialize)]
pub struct Empty {}

#[derive(Template)]
#[template(path = "notify/preferences.html")]
struct PreferencesPage {
    c: Chrome,
    choices: Vec<(String, String, bool)>,
    has_email: bool,
    mail_configured: bool,
}

/// `GET /account/notifications`: per event, whether e-mail is wanted.
pub async fn preferences(State(s): State<AppState>, cx: Cx) -> AppResult<Response> {
    let user = cx.user()?;
    let choices = notify::email_preferences(&s.app, user.id)
        .await?
        .into_iter()
        .map(|(k, on)| (k.as_str().to_owned(), event_label(k), on))
        .collect();
    Ok(page(&PreferencesPage {
        c: Chrome::new(&cx),
        choices,
        has_email: user.email.as_deref().is_some_and(|e| !e.trim().is_empty()),
        mail_configured: s.settings.mail.url.is_some(),
    }))
}

/// The e-mail choices as the form sends them: the events ticked.
#[derive(Deserialize)]
pub struct PreferencesForm {
    #[serde(default)]
    email: Vec<String>,
}

/// `POST /account/notifications`.
pub async fn save_preferences(
    State(s): State<AppState>,
    cx: Cx,
    CsrfForm(f): CsrfForm<PreferencesForm>,
) -> AppResult<Response> {
    let choices: Vec<(EventKey, bool)> =
        EventKey::for_staff().map(|k| (k, f.email.iter().any(|e| e == k.as_str()))).collect();
    notify::set_email_preferences(&s.app, cx.user()?.id, &choices, &cx.actor()).await?;
    Ok(redirect_with_flash("/account/notifications", "flash.notification_preferences_saved", s.secure_cookies()))
}

/// A channel as its form shows it.
pub struct ChannelRow {
    id: String,
    kind: String,
    name: String,
    url: String,
    signed: bool,
    events: Vec<String>,
    department_id: String,
    active: bool,
    version: i32,
    errs: FormErrors,
    tested: Option<TestResult>,
}

impl ChannelRow {
    fn wants(&self, event: &str) -> bool {
        self.events.iter().any(|e| e == event)
    }
}

#[derive(Template)]
#[template(path = "notify/channels.html")]
struct ChannelsPage {
    c: Chrome,
    channels: Vec<ChannelRow>,
    new: ChannelRow,
    kinds: Vec<(String, String)>,
    events: Vec<(String, String)>,
    departments: Vec<(String, String)>,
    notice: Option<String>,
}

/// What a channel's form sends.
#[derive(Deserialize, Default)]
pub struct ChannelForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    secret: String,
    #[serde(default)]
    events: Vec<String>,
    #[serde(default)]
    department_id: String,
    #[serde(default)]
    active: Option<String>,
    #[serde(default)]
    version: i32,
}

fn blank_row() -> ChannelRow {
    ChannelRow {
        id: "new".into(),
        kind: ChannelKind::Wecom.as_str().into(),
        name: String::new(),
        url: String::new(),
        signed: false,
        events: EventKey::for_staff().filter(|k| !k.is_reminder()).map(|k| k.as_str().to_owned()).collect(),
        department_id: String::new(),
        active: true,
        version: 0,
        errs: FormErrors::none(),
        tested: None,
    }
}

fn row_of_form(id: String, f: &ChannelForm, errs: FormErrors) -> ChannelRow {
    ChannelRow {
        id,
        kind: f.kind.clone(),
        name: f.name.clone(),
        url: f.url.clone(),
        signed: !f.secret.is_empty(),
        events: f.events.clone(),
        department_id: f.department_id.clone(),
        active: f.active.is_some(),
        version: f.version,
        errs,
        tested: None,
    }
}

/// What the channels page shows besides the stored channels: a form sent back with its
/// problems (`Some(("new", …))` for the form that adds), a test's answer, a notice.
#[derive(Default)]
struct Shown {
    sent: Option<(String, ChannelForm, FormErrors)>,
    tested: Option<(ChannelId, TestResult)>,
    notice: Option<String>,
}

async fn render_channels(s: &AppState, cx: &Cx, mut shown: Shown, status: StatusCode) -> AppResult<Response> {
    let mut channels = Vec::new();
    for c in notify::channels(&s.app).await? {
        let id = c.id.to_string();
        let mut row = ChannelRow {
            kind: c.kind.as_str().to_owned(),
            name: c.name.clone(),
            url: masked_url(&c.url),
            signed: !c.secret.is_empty(),
            events: c.events.iter().map(|e| e.as_str().to_owned()).collect(),
            department_id: c.department_id.map(|d| d.to_string()).unwrap_or_default(),
            active: c.active,
            version: c.version,
            errs: FormErrors::none(),
            tested: None,
            id,
        };
        if shown.sent.as_ref().is_some_and(|(sid, _, _)| *sid == row.id)
            && let Some((sid, f, errs)) = shown.sent.take()
        {
            let signed = row.signed;
            row = row_of_form(sid, &f, errs);
            row.signed = signed || row.signed;
        }
        if shown.tested.as_ref().is_some_and(|(tid, _)| *tid == c.id) {
            row.tested = shown.tested.take().map(|(_, t)| t);
        }
        channels.push(row);
    }
    let new = match shown.sent.take() {
        Some((sid, f, errs)) if sid == "new" => row_of_form(sid, &f, errs),
        _ => blank_row(),
    };
    let kinds =
        ChannelKind::all().iter().map(|k| (k.as_str().to_owned(), format!("notify.kind_{}", k.as_str()))).collect();
    let events = EventKey::for_staff().map(|k| (k.as_str().to_owned(), event_label(k))).collect();
    let departments =
        accounts::department_names(&s.app).await?.iter().map(|(id, n)| (id.to_string(), n.clone())).collect();
    let mut r =
        page(&ChannelsPage { c: Chrome::new(cx), channels, new, kinds, events, departments, notice: shown.notice });
    *r.status_mut() = status;
    Ok(r)
}

/// `GET /admin/channels`.
pub async fn channels(State(s): State<AppState>, cx: Cx) -> AppResult<Response> {
    render_channels(&s, &cx, Shown::default(), StatusCode::OK).await
}

fn request_of(f: &ChannelForm) -> super::channels_api::ChannelRequest {
    super::channels_api::ChannelRequest {
        kind: f.kind.clone(),
        name: f.name.clone(),
        url: f.url.clone(),
        // A change that leaves the secret blank keeps it (the form never shows it).
        secret: (!f.secret.is_empty()).then(|| f.secret.clone()),
        events: f.events.clone(),
        department_id: f.department_id.trim().parse::<i32>().ok(),
        active: Some(f.active.is_some()),
        version: Some(f.version),
    }
}

/// Answers a channel form's outcome: back to the list, or the form with its problems.
async fn after_save<T>(
    s: &AppState,
    cx: &Cx,
    id: String,
    f: ChannelForm,
    result: jiedai_app::Result<T>,
    flash: &str,
) -> AppResult<Response> {
    let tr = cx.tr();
    match result {
        Ok(_) => Ok(redirect_with_flash("/admin/channels", flash, s.secure_cookies())),
        Err(jiedai_app::Error::Validation(errs)) => {
            let shown = Shown { sent: Some((id, f, FormErrors::of(tr, &errs))), ..Default::default() };
            render_channels(s, cx, shown, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(jiedai_app::Error::StaleVersion) => {
            let shown = Shown { notice: Some(tr.t("notify.channel_changed").to_owned()), ..Default::default() };
            render_channels(s, cx, shown, StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/channels`: adds one.
pub async fn add_channel(State(s): State<AppState>, cx: Cx, CsrfForm(f): CsrfForm<ChannelForm>) -> AppResult<Response> {
    let mut req = request_of(&f);
    req.secret = Some(f.secret.clone());
    let result = notify::create_channel(&s.app, &draft_of(req, None), &cx.actor()).await;
    after_save(&s, &cx, "new".into(), f, result, "flash.channel_added").await
}

/// `POST /admin/channels/{id}`: saves one.
pub async fn save_channel(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ChannelId>,
    CsrfForm(f): CsrfForm<ChannelForm>,
) -> AppResult<Response> {
    let stored = notify::channel(&s.app, id).await?;
    let draft = draft_of(request_of(&f), Some(&stored));
    let result = notify::update_channel(&s.app, id, f.version, &draft, &cx.actor()).await;
    after_save(&s, &cx, id.to_string(), f, result, "flash.channel_saved").await
}

/// The version a removal read.
#[derive(Deserialize)]
pub struct VersionForm {
    #[serde(default)]
    version: i32,
}

/// `POST /admin/channels/{id}/delete`.
pub async fn remove_channel(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ChannelId>,
    CsrfForm(f): CsrfForm<VersionForm>,
) -> AppResult<Response> {
    let result = notify::delete_channel(&s.app, id, f.version, &cx.actor()).await;
    after_save(&s, &cx, id.to_string(), ChannelForm::default(), result, "flash.channel_removed").await
}

/// `POST /admin/channels/{id}/test`: sends a test message and shows the answer by the channel.
pub async fn test_channel(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ChannelId>,
    CsrfForm(_): CsrfForm<Empty>,
) -> AppResult<Response> {
    let c = notify::channel(&s.app, id).await?;
    let result = super::test_message(&s, &cx, &c).await;
    render_channels(&s, &cx, Shown { tested: Some((id, result)), ..Default::default() }, StatusCode::OK).await
}

/// A delivery as its list shows it.
pub struct DeliveryRow {
    id: i64,
    status: DeliveryStatus,
    target: String,
    attempts: i32,
    next_at: String,
    last_error: String,
    created_at: String,
    retryable: bool,
}

#[derive(Template)]
#[template(path = "notify/deliveries.html")]
struct DeliveriesPage {
    c: Chrome,
    rows: Vec<DeliveryRow>,
    status: String,
    statuses: Vec<&'static str>,
    counts: Vec<(String, Vec<(String, u64)>)>,
    next: Option<String>,
}

/// `GET /admin/notifications`: deliveries not sent (or of one status), with why and a retry.
pub async fn deliveries(State(s): State<AppState>, cx: Cx, Query(q): Query<DeliveryQuery>) -> AppResult<Response> {
    let tr = cx.tr();
    let today = s.app.today();
    let (statuses, limit) = delivery_filter(&q)?;
    let mut rows = notify::deliveries(&s.app, &statuses, q.before, limit + 1).await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next = if more { rows.last().map(|d| d.id.to_string()) } else { None };
    let channels: std::collections::HashMap<ChannelId, String> =
        notify::channels(&s.app).await?.into_iter().map(|c| (c.id, c.name)).collect();
    let links: Vec<_> = rows.iter().filter_map(|d| d.survey_link_id).collect();
    let guests = jiedai_app::survey::links_by_id(&s.app, &links).await?;
    let mut out = Vec::new();
    for d in rows {
        let target = match (d.user_id, d.channel_id) {
            (Some(u), _) => {
                let name = accounts::display_name(&s.app, u).await.unwrap_or_else(|_| u.to_string());
                tr.t_with("notify.to_email", &[("name", name.as_str())])
            }
            (_, Some(c)) => channels.get(&c).cloned().unwrap_or_else(|| tr.t("notify.channel_gone").to_owned()),
            _ => match d.survey_link_id {
                Some(l) => {
                    let address = guests.get(&l).and_then(|v| v.link.email.as_deref()).unwrap_or_default();
                    tr.t_with("notify.to_guest", &[("address", address)])
                }
                None => String::new(),
            },
        };
        out.push(DeliveryRow {
            id: d.id,
            status: d.status,
            target,
            attempts: d.attempts,
            next_at: tr.datetime_on(d.next_at, cx.tz, today),
            last_error: d.last_error,
            created_at: tr.datetime_on(d.created_at, cx.tz, today),
            retryable: matches!(d.status, DeliveryStatus::Failed | DeliveryStatus::Dead),
        });
    }
    let counts = notify::counts(&s.app)
        .await?
        .into_iter()
        .map(|c| {
            let name = match c.channel_id {
                None => tr.t("notify.email").to_owned(),
                Some(id) => channels.get(&id).cloned().unwrap_or_else(|| tr.t("notify.channel_gone").to_owned()),
            };
            (name, c.by_status.into_iter().map(|(st, n)| (format!("notify.status_{}", st.as_str()), n)).collect())
        })
        .collect();
    Ok(page(&DeliveriesPage {
        c: Chrome::new(&cx),
        rows: out,
        status: q.status.clone().unwrap_or_default(),
        statuses: DeliveryStatus::all().iter().map(|s| s.as_str()).collect(),
        counts,
        next,
    }))
}

/// `POST /admin/notifications/{id}/retry`.
pub async fn retry(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> AppResult<Response> {
    let flash = match notify::retry(&s.app, id, &cx.actor()).await {
        Ok(_) => "flash.delivery_retrying",
        Err(jiedai_app::Error::Conflict { .. }) => "flash.error_delivery_not_retryable",
        Err(e) => return Err(e.into()),
    };
    Ok(redirect_with_flash("/admin/notifications", flash, s.secure_cookies()))
}
