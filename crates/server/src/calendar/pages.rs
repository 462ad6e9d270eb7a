//! The working-day calendar: a year's holidays and make-up days for everyone, and its
//! administration (adding a later year or company closures, by form or file).

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use jiedai_domain::{Actor, Code, EntryKind, Language, Permission};
use serde::Deserialize;

use crate::auth::Cx;
use crate::auth::csrf::{CsrfForm, check_token};
use crate::error::{AppError, AppResult};
use crate::extract::Query;
use crate::forms::FormErrors;
use crate::i18n::keys;
use crate::render::{Chrome, page, redirect_with_flash};
use crate::state::AppState;
use jiedai_app::calendar::{self, DayInput, ImportFormat, year_of};

/// A declared day, formatted.
pub struct DayRow {
    date: String,
    weekday: &'static str,
    kind: &'static str,
    badge: &'static str,
    name: String,
    added: bool,
    iso: String,
}

#[derive(Template)]
#[template(path = "calendar/year.html")]
struct YearPage {
    c: Chrome,
    year: i32,
    covered: bool,
    rows: Vec<DayRow>,
    can_manage: bool,
    admin: bool,
    input: DayInput,
    errs: FormErrors,
    import_errs: FormErrors,
}

impl YearPage {
    /// True when a row can be deleted: only then is there a column for it (an empty last
    /// column under an empty heading otherwise).
    fn any_added(&self) -> bool {
        self.rows.iter().any(|r| r.added)
    }
}

/// Query of the calendar pages.
#[derive(Deserialize)]
pub struct YearQuery {
    year: Option<i32>,
}

/// The key naming a declared day's kind, and its badge (a kind not known reads as a closure).
fn kind_label(kind: &str) -> (&'static str, &'static str) {
    let kind = EntryKind::parse(kind).unwrap_or(EntryKind::Closure);
    let badge = match kind {
        EntryKind::Holiday => "badge-red",
        EntryKind::Workday => "badge-amber",
        EntryKind::Closure => "badge-grey",
    };
    (keys::entry_kind(kind), badge)
}

/// The administration forms of the page, with what was typed and what was wrong.
struct AdminForms {
    input: DayInput,
    errs: FormErrors,
    import_errs: FormErrors,
}

impl AdminForms {
    fn fresh() -> Self {
        AdminForms {
            input: DayInput { kind: "closure".into(), ..Default::default() },
            errs: FormErrors::none(),
            import_errs: FormErrors::none(),
        }
    }
}

async fn year_page(
    s: &AppState,
    cx: &Cx,
    year: i32,
    forms: Option<AdminForms>,
    status: StatusCode,
) -> AppResult<Response> {
    let admin = forms.is_some();
    let AdminForms { input, errs, import_errs } = forms.unwrap_or_else(AdminForms::fresh);
    let y = year_of(&s.app, year).await?;
    let rows = y
        .items
        .into_iter()
        .map(|d| {
            let (kind, badge) = kind_label(&d.kind);
            DayRow {
                date: d.date.format("%Y-%m-%d").to_string(),
                weekday: keys::weekday(d.date.weekday()),
                kind,
                badge,
                name: match cx.lang {
                    Language::ZhCn if !d.name_zh.is_empty() => d.name_zh,
                    _ if !d.name_en.is_empty() => d.name_en,
                    _ => d.name_zh,
                },
                added: d.source == "added",
                iso: d.date.to_string(),
            }
        })
        .collect();
    let mut r = page(&YearPage {
        c: Chrome::new(cx),
        year,
        covered: y.covered,
        rows,
        can_manage: cx.allows(Permission::ManageCalendar),
        admin,
        input,
        errs,
        import_errs,
    });
    *r.status_mut() = status;
    Ok(r)
}

fn this_year(s: &AppState) -> i32 {
    chrono::Utc::now().with_timezone(&s.tz()).year()
}

fn checked_year(y: Option<i32>, s: &AppState) -> AppResult<i32> {
    match y {
        None => Ok(this_year(s)),
        Some(y) if (1900..=2200).contains(&y) => Ok(y),
        Some(_) => Err(AppError::NotFound),
    }
}

/// `GET /calendar`: a year's declared days, for everyone.
pub async fn show_year(State(s): State<AppState>, cx: Cx, Query(q): Query<YearQuery>) -> AppResult<Response> {
    let year = checked_year(q.year, &s)?;
    year_page(&s, &cx, year, None, StatusCode::OK).await
}

/// `GET /admin/calendar`: the same, with the forms to add days.
pub async fn manage(State(s): State<AppState>, cx: Cx, Query(q): Query<YearQuery>) -> AppResult<Response> {
    let year = checked_year(q.year, &s)?;
    year_page(&s, &cx, year, Some(AdminForms::fresh()), StatusCode::OK).await
}

fn year_of_input(i: &DayInput, s: &AppState) -> i32 {
    NaiveDate::parse_from_str(i.date.trim(), "%Y-%m-%d").map(|d| d.year()).unwrap_or_else(|_| this_year(s))
}

/// `POST /admin/calendar`: adds one day.
pub async fn add_day(State(s): State<AppState>, cx: Cx, CsrfForm(input): CsrfForm<DayInput>) -> AppResult<Response> {
    let year = year_of_input(&input, &s);
    let result = match calendar::parse_day(&input) {
        Ok(e) => calendar::add_days(&s.app, vec![e], "form", "date", &cx.actor()).await.map_err(AppError::from),
        Err(errs) => Err(AppError::Validation(errs)),
    };
    match result {
        Ok(_) => Ok(redirect_with_flash(&format!("/admin/calendar?year={year}"), "flash.saved", s.secure_cookies())),
        Err(e) => {
            let errs = FormErrors::from_failure(cx.tr(), e)?;
            let forms = AdminForms { input, errs, import_errs: FormErrors::none() };
            year_page(&s, &cx, year, Some(forms), StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

/// `POST /admin/calendar/import`: a CSV or .ics file, all or nothing.
pub async fn import(State(s): State<AppState>, cx: Cx, mut form: Multipart) -> AppResult<Response> {
    let bad = || AppError::BadRequest { code: "malformed_form", detail: None };
    let (mut csrf, mut text, mut name, mut closures) = (String::new(), None, String::new(), false);
    while let Some(field) = form.next_field().await.map_err(|_| bad())? {
        match field.name().unwrap_or("") {
            "csrf" => csrf = field.text().await.map_err(|_| bad())?,
            "closures" => closures = field.text().await.map_err(|_| bad())? == "true",
            "file" => {
                name = field.file_name().unwrap_or("").to_owned();
                let bytes = field.bytes().await.map_err(|_| bad())?;
                text = Some(
                    String::from_utf8(bytes.to_vec())
                        .map_err(|_| AppError::field(jiedai_domain::FieldError::new("file", "not_utf8"))),
                );
            }
            _ => {}
        }
    }
    check_token(&cx, &csrf)?;
    let actor: Actor = cx.actor();
    let result = match text {
        None => Err(AppError::field(jiedai_domain::FieldError::new("file", "required"))),
        Some(Err(e)) => Err(e),
        Some(Ok(t)) if t.trim().is_empty() => Err(AppError::field(jiedai_domain::FieldError::new("file", "required"))),
        Some(Ok(t)) => {
            let source: String = if name.is_empty() { "upload".into() } else { name.chars().take(48).collect() };
            calendar::import(&s.app, &t, ImportFormat::detect(&name, &t), closures, &source, &actor)
                .await
                .map_err(AppError::from)
        }
    };
    let year = this_year(&s);
    match result {
        Ok(_) => Ok(redirect_with_flash("/admin/calendar", "flash.imported", s.secure_cookies())),
        Err(e) => {
            let errs = FormErrors::from_failure(cx.tr(), e)?;
            let forms = AdminForms { import_errs: errs, ..AdminForms::fresh() };
            year_page(&s, &cx, year, Some(forms), StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

/// `POST /admin/calendar/{date}/delete`: removes an added day.
pub async fn delete_day(
    State(s): State<AppState>,
    cx: Cx,
    Path(date): Path<String>,
    CsrfForm(_): CsrfForm<crate::accounts::pages::signin::EmptyForm>,
) -> AppResult<Response> {
    let date = NaiveDate::parse_from_str(&date, "%Y-%m-%d").map_err(|_| AppError::NotFound)?;
    calendar::delete_day(&s.app, date, &cx.actor()).await?;
    Ok(redirect_with_flash(&format!("/admin/calendar?year={}", date.year()), "flash.saved", s.secure_cookies()))
}
