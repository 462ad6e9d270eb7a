//! The working-day calendar: what a day is, shifting by working days, the declared days
//! of a year, and adding days (administrators).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use jiedai_domain::{Code, FieldError, FieldErrors, Language, bounds};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Cx;
use crate::error::{AppError, AppResult};
use crate::extract::{ApiJson, Query};
use crate::render::{Problem, json};
use crate::state::AppState;
use jiedai_app::calendar::{self, DayInput, ImportFormat, YearResponse, year_of};

use jiedai_domain::bounds::parse_date;

/// What a date is.
#[derive(Serialize, ToSchema)]
pub struct DayResponse {
    /// The date, YYYY-MM-DD.
    pub date: NaiveDate,
    /// True on a working day.
    pub working_day: bool,
    /// `workday` (make-up working day), `holiday`, `closure` (company), `weekend` or `normal`.
    pub kind: String,
    /// Name of the holiday or make-up day in the caller's language.
    pub name: Option<String>,
    /// Name in English.
    pub name_en: Option<String>,
    /// Name in Chinese.
    pub name_zh: Option<String>,
    /// False when the year's statutory plan is not in the calendar: only weekends are counted.
    pub year_covered: bool,
}

/// What a date is: working day or not, and why.
#[utoipa::path(get, path = "/api/v1/calendar/days/{date}", tag = "calendar",
    params(("date" = NaiveDate, Path, description = "YYYY-MM-DD, 2000–2100", example = "2026-10-01")),
    responses((status = 200, body = DayResponse), (status = 422, description = "Not a date within 2000–2100", body = Problem)))]
pub async fn get_day(State(s): State<AppState>, cx: Cx, Path(date): Path<String>) -> AppResult<Response> {
    let date = parse_date("date", &date).map_err(AppError::field)?;
    let cal = s.app.calendar().await?;
    let (kind, entry) = cal.day(date);
    let name = entry.map(|e| match cx.lang {
        Language::ZhCn if !e.name_zh.is_empty() => e.name_zh.clone(),
        _ if !e.name_en.is_empty() => e.name_en.clone(),
        _ => e.name_zh.clone(),
    });
    Ok(json(
        StatusCode::OK,
        DayResponse {
            date,
            working_day: cal.is_working_day(date),
            kind: kind.as_str().to_owned(),
            name,
            name_en: entry.map(|e| e.name_en.clone()),
            name_zh: entry.map(|e| e.name_zh.clone()),
            year_covered: cal.covers_year(date.year()),
        },
    ))
}

/// Parameters of a shift.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct ShiftQueryParams {
    /// The starting date, YYYY-MM-DD.
    #[param(value_type = NaiveDate)]
    pub from: String,
    /// Working days to move: negative goes back (T-5 is -5); at most ±3660.
    #[param(minimum = -3660, maximum = 3660)]
    pub working_days: i64,
}

/// The result of a shift.
#[derive(Serialize, ToSchema)]
pub struct ShiftResponse {
    /// The working day reached (it may fall outside 2000–2100, where only weekends are known).
    pub date: NaiveDate,
    /// False when a year crossed has no statutory plan in the calendar.
    pub years_covered: bool,
}

/// The date a number of working days before or after another.
#[utoipa::path(get, path = "/api/v1/calendar/shift", tag = "calendar", params(ShiftQueryParams),
    responses((status = 200, body = ShiftResponse), (status = 422, body = Problem)))]
pub async fn shift(State(s): State<AppState>, Query(q): Query<ShiftQueryParams>) -> AppResult<Response> {
    let mut errs = FieldErrors::new();
    let from = errs.check(parse_date("from", &q.from));
    let n = errs.check(bounds::working_day_offset("working_days", q.working_days));
    let (Some(from), Some(n)) = (from, n) else { return Err(AppError::Validation(errs)) };
    let cal = s.app.calendar().await?;
    let date = cal.add_working_days(from, n);
    let (lo, hi) = if date < from { (date, from) } else { (from, date) };
    let years_covered = (lo.year()..=hi.year()).all(|y| cal.covers_year(y));
    Ok(json(StatusCode::OK, ShiftResponse { date, years_covered }))
}

/// The holidays, make-up working days and closures of a year.
#[utoipa::path(get, path = "/api/v1/calendar/years/{year}", tag = "calendar",
    params(("year" = i32, Path, description = "e.g. 2026; 2000–2100, another year is not found", minimum = 2000, maximum = 2100, example = 2026)),
    responses((status = 200, body = YearResponse), (status = 404, body = Problem)))]
pub async fn get_year(State(s): State<AppState>, Path(year): Path<String>) -> AppResult<Response> {
    let year: i32 =
        year.parse().ok().filter(|y| (bounds::FIRST_YEAR..=bounds::LAST_YEAR).contains(y)).ok_or(AppError::NotFound)?;
    Ok(json(StatusCode::OK, year_of(&s.app, year).await?))
}

/// Days to add.
#[derive(Deserialize, ToSchema)]
pub struct AddDaysRequest {
    /// The days, 1–1000; all are added or none (none when one is already declared).
    #[schema(min_items = 1, max_items = 1000)]
    pub entries: Vec<DayInput>,
}

/// How many days were added.
#[derive(Serialize, ToSchema)]
pub struct AddedResponse {
    /// Days added.
    pub added: usize,
}

/// Adds days (a later year's plan, company closures): all or none.
#[utoipa::path(post, path = "/api/v1/calendar/days", tag = "calendar", request_body = AddDaysRequest,
    responses((status = 201, body = AddedResponse),
        (status = 422, description = "A day is invalid, has no name, or is already in the calendar: nothing is added", body = Problem)))]
pub async fn add_days(State(s): State<AppState>, cx: Cx, ApiJson(b): ApiJson<AddDaysRequest>) -> AppResult<Response> {
    let mut entries = Vec::new();
    let mut errs = jiedai_domain::FieldErrors::new();
    for (i, d) in b.entries.iter().enumerate() {
        match calendar::parse_day(d) {
            Ok(e) => entries.push(e),
            Err(fe) => {
                for mut f in fe.0 {
                    f.field = format!("entries[{i}].{}", f.field);
                    errs.push(f);
                }
            }
        }
    }
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    let added = calendar::add_days(&s.app, entries, "api", "entries", &cx.actor()).await?;
    Ok(json(StatusCode::CREATED, AddedResponse { added }))
}

/// Options of an import.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct ImportQueryParams {
    /// `true`: every day of the file is a company closure.
    #[serde(default, deserialize_with = "crate::extract::empty_as_none")]
    pub closures: Option<bool>,
}

/// Imports a CSV (`date,kind,name_en,name_zh`) or an .ics file (Content-Type
/// `text/calendar`): all or nothing, with every problem named by line.
#[utoipa::path(post, path = "/api/v1/calendar/import", tag = "calendar", params(ImportQueryParams),
    request_body(description = "CSV (`date,kind,name_en,name_zh`, one day a line) or iCalendar; UTF-8",
        content((String = "text/csv"), (String = "text/calendar"))),
    responses((status = 201, body = AddedResponse),
        (status = 422, description = "Not UTF-8, no dates, a bad line, or a day already in the calendar: nothing is added, every problem named by line", body = Problem)))]
pub async fn import(
    State(s): State<AppState>,
    cx: Cx,
    Query(q): Query<ImportQueryParams>,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<Response> {
    let text = String::from_utf8(body.to_vec()).map_err(|_| AppError::field(FieldError::new("file", "not_utf8")))?;
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let format = ImportFormat::detect(ct, &text);
    let closures = q.closures.unwrap_or(false);
    let added = calendar::import(&s.app, &text, format, closures, "api import", &cx.actor()).await?;
    Ok(json(StatusCode::CREATED, AddedResponse { added }))
}

/// Removes an added day (shipped days cannot be removed).
#[utoipa::path(delete, path = "/api/v1/calendar/days/{date}", tag = "calendar",
    params(("date" = NaiveDate, Path, description = "YYYY-MM-DD, 2000–2100", example = "2026-10-01")),
    responses((status = 204, description = "Removed"),
        (status = 404, description = "No day added on that date (a shipped day cannot be removed)", body = Problem),
        (status = 422, description = "Not a date within 2000–2100", body = Problem)))]
pub async fn delete_day(State(s): State<AppState>, cx: Cx, Path(date): Path<String>) -> AppResult<StatusCode> {
    let date = parse_date("date", &date).map_err(AppError::field)?;
    calendar::delete_day(&s.app, date, &cx.actor()).await?;
    Ok(StatusCode::NO_CONTENT)
}
