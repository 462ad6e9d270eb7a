//! Delegation (委托): one's deputy for a period, on a page of one's account and through
//! `GET/PUT /api/v1/me/delegation`.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use jiedai_app::{accounts, receptions};
use jiedai_domain::reception::Delegation;
use jiedai_domain::{FieldError, FieldErrors, UserId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Cx;
use crate::auth::csrf::CsrfForm;
use crate::error::{AppError, AppResult};
use crate::extract::ApiJson;
use crate::forms::{FormErrors, one};
use crate::render::{Chrome, Problem, json, page, redirect_with_flash};
use crate::state::AppState;

/// One's deputy and the period, both days included.
#[derive(Serialize, ToSchema)]
pub struct DelegationResponse {
    /// The deputy's user id.
    pub deputy_id: i32,
    /// The deputy's name.
    pub deputy_name: String,
    /// First day, YYYY-MM-DD.
    pub from: NaiveDate,
    /// Last day, YYYY-MM-DD.
    pub until: NaiveDate,
    /// In force today.
    pub active: bool,
}

/// A deputy for a period; a `deputy_id` of null ends the delegation.
#[derive(Deserialize, ToSchema, Default)]
pub struct DelegationRequest {
    /// The deputy's user id (an active user other than oneself); null to end the
    /// delegation.
    #[serde(default)]
    pub deputy_id: Option<i32>,
    /// First day, YYYY-MM-DD (required with a deputy).
    #[serde(default)]
    #[schema(format = Date)]
    pub from: Option<String>,
    /// Last day, YYYY-MM-DD, today or later, at most a year after `from` (required with a
    /// deputy).
    #[serde(default)]
    #[schema(format = Date)]
    pub until: Option<String>,
}

/// The period as typed: every problem at once.
fn parse_period(
    deputy: Option<i32>,
    from: &str,
    until: &str,
) -> Result<Option<(UserId, NaiveDate, NaiveDate)>, FieldErrors> {
    let mut errs = FieldErrors::new();
    let Some(deputy) = deputy else {
        // Ending the delegation: days given anyway must still be days.
        for (field, s) in [("from", from), ("until", until)] {
            if !s.trim().is_empty()
                && let Err(e) = jiedai_domain::bounds::parse_date(field, s.trim())
            {
                errs.push(e);
            }
        }
        return if errs.is_empty() { Ok(None) } else { Err(errs) };
    };
    let mut day = |field: &str, s: &str| -> Option<NaiveDate> {
        if s.trim().is_empty() {
            errs.push(FieldError::new(field, "required"));
            return None;
        }
        jiedai_domain::bounds::parse_date(field, s.trim()).map_err(|e| errs.push(e)).ok()
    };
    let (from, until) = (day("from", from), day("until", until));
    match (from, until) {
        (Some(f), Some(u)) if errs.is_empty() => Ok(Some((UserId(deputy), f, u))),
        _ => Err(errs),
    }
}

async fn response_of(s: &AppState, d: Option<Delegation>) -> AppResult<Option<DelegationResponse>> {
    let Some(d) = d else { return Ok(None) };
    Ok(Some(DelegationResponse {
        deputy_id: d.deputy_id.get(),
        deputy_name: accounts::display_name(&s.app, d.deputy_id).await?,
        from: d.from,
        until: d.until,
        active: d.is_active(s.app.today()),
    }))
}

/// One's delegation: the deputy and the period, or null when none is set.
#[utoipa::path(get, path = "/api/v1/me/delegation", tag = "account",
    responses((status = 200, body = Option<DelegationResponse>, description = "The delegation, or null")))]
pub async fn get_delegation(State(s): State<AppState>, cx: Cx) -> AppResult<Response> {
    let d = receptions::delegation_of(&s.app, cx.user()?.id).await?;
    Ok(json(StatusCode::OK, response_of(&s, d).await?))
}

/// Names one's deputy for a period (both days included): meanwhile the requests one
/// approves go to the deputy too, and the history says the deputy acted for one. A
/// `deputy_id` of null ends the delegation.
#[utoipa::path(put, path = "/api/v1/me/delegation", tag = "account", request_body = DelegationRequest,
    responses((status = 200, body = Option<DelegationResponse>, description = "The delegation as it now stands, or null"),
        (status = 422, description = "Oneself or an unknown or disabled user as deputy, a day missing or out of range, the last day before the first or before today, or a period over a year (every problem at once)", body = Problem)))]
pub async fn put_delegation(
    State(s): State<AppState>,
    cx: Cx,
    ApiJson(b): ApiJson<DelegationRequest>,
) -> AppResult<Response> {
    let user = cx.user()?;
    // A day written as an empty text is not a day (only a missing one is left out).
    let mut blank = FieldErrors::new();
    for (field, v) in [("from", &b.from), ("until", &b.until)] {
        if v.as_deref().is_some_and(|s| s.trim().is_empty()) {
            blank.push(FieldError::new(field, "invalid_date"));
        }
    }
    if !blank.is_empty() {
        return Err(AppError::Validation(blank));
    }
    let period = parse_period(b.deputy_id, b.from.as_deref().unwrap_or(""), b.until.as_deref().unwrap_or(""))
        .map_err(AppError::Validation)?;
    let d = receptions::set_delegation(&s.app, user.id, period, &cx.actor()).await?;
    Ok(json(StatusCode::OK, response_of(&s, d).await?))
}

#[derive(Template)]
#[template(path = "receptions/delegation.html")]
struct DelegationPage {
    c: Chrome,
    current: Option<DelegationResponse>,
    status: String,
    people: Vec<(i32, String)>,
    deputy: String,
    from: String,
    until: String,
    errs: FormErrors,
}

async fn delegation_page(
    s: &AppState,
    cx: &Cx,
    typed: Option<(String, String, String)>,
    errs: FormErrors,
    code: StatusCode,
) -> AppResult<Response> {
    let user = cx.user()?;
    let current = response_of(s, receptions::delegation_of(&s.app, user.id).await?).await?;
    let mut people: Vec<(i32, String)> = accounts::list_users(&s.app, None)
        .await?
        .into_iter()
        .filter(|u| u.active && u.id != user.id)
        .map(|u| (u.id.get(), format!("{}（{}）", u.display_name, u.username)))
        .collect();
    people.sort_by(|a, b| a.1.cmp(&b.1));
    let (deputy, from, until) = typed.unwrap_or_else(|| match &current {
        Some(d) => (d.deputy_id.to_string(), d.from.to_string(), d.until.to_string()),
        None => (String::new(), s.app.today().to_string(), String::new()),
    });
    let tr = cx.tr();
    let status = match &current {
        Some(d) => {
            let key = if d.active { "delegation.active" } else { "delegation.planned" };
            let (f, u) = (d.from.to_string(), d.until.to_string());
            tr.t_with(key, &[("name", &d.deputy_name), ("from", &f), ("until", &u)])
        }
        None => tr.t("delegation.none").to_owned(),
    };
    let mut r = page(&DelegationPage { c: Chrome::new(cx), current, status, people, deputy, from, until, errs });
    *r.status_mut() = code;
    Ok(r)
}

/// `GET /account/delegation`.
pub async fn show(State(s): State<AppState>, cx: Cx) -> AppResult<Response> {
    delegation_page(&s, &cx, None, FormErrors::none(), StatusCode::OK).await
}

/// `POST /account/delegation`: sets the deputy and period, or (`intent=end`) ends it.
pub async fn save(
    State(s): State<AppState>,
    cx: Cx,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let user = cx.user()?;
    let (deputy, from, until) = (one(&pairs, "deputy_id"), one(&pairs, "from"), one(&pairs, "until"));
    let ending = one(&pairs, "intent") == "end";
    let result = if ending {
        Ok(None)
    } else if deputy.trim().is_empty() {
        Err(AppError::field(FieldError::new("deputy_id", "required")))
    } else {
        let id = deputy
            .trim()
            .parse::<i32>()
            .map_err(|_| AppError::field(FieldError::new("deputy_id", "unknown_reference")));
        id.and_then(|id| parse_period(Some(id), from, until).map_err(AppError::Validation))
    };
    let result = match result {
        Ok(period) => receptions::set_delegation(&s.app, user.id, period, &cx.actor()).await.map_err(AppError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => {
            let flash = if ending { "flash.delegation_ended" } else { "flash.delegation_saved" };
            Ok(redirect_with_flash("/account/delegation", flash, s.secure_cookies()))
        }
        Err(e) => {
            let errs = FormErrors::from_failure(cx.tr(), e)?;
            let typed = Some((deputy.to_owned(), from.to_owned(), until.to_owned()));
            delegation_page(&s, &cx, typed, errs, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}
