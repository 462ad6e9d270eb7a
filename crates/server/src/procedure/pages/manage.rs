//! Administration of the procedure: tier standards by form, the whole procedure by TOML
//! upload, and the list of versions (what changed between two is in `diff.rs`).

use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use jiedai_app::procedure;
use jiedai_domain::{Code, Fen, FieldError, FieldErrors, Tier};
use serde::Deserialize;

use crate::auth::Cx;
use crate::auth::csrf::{CsrfForm, check_token};
use crate::error::{AppError, AppResult};
use crate::forms::FormErrors;
use crate::render::{Chrome, page, redirect_with_flash};
use crate::state::AppState;

/// A version in the list.
pub struct VersionRow {
    version: i32,
    at: String,
    by: String,
    note: String,
}

/// The tiers form as typed.
#[derive(Deserialize, Default)]
pub struct TiersForm {
    #[serde(default)]
    version: i32,
    #[serde(default)]
    effective_from: String,
    #[serde(default)]
    high_end: String,
    #[serde(default)]
    business: String,
    #[serde(default)]
    simple: String,
    #[serde(default)]
    note: String,
}

#[derive(Template)]
#[template(path = "procedure/manage.html")]
struct AdminProcedurePage {
    c: Chrome,
    current: i32,
    versions: Vec<VersionRow>,
    form: TiersForm,
    errs: FormErrors,
    import_errs: FormErrors,
    conflict: Option<String>,
}

async fn admin_page(
    s: &AppState,
    cx: &Cx,
    form: Option<TiersForm>,
    errs: FormErrors,
    import_errs: FormErrors,
    conflict: Option<String>,
    status: StatusCode,
) -> AppResult<Response> {
    let cur = procedure::current(&s.app).await?;
    let tr = cx.tr();
    let today = s.app.today();
    let form = form.unwrap_or_else(|| {
        let std =
            |k: Tier| cur.procedure.tier_on(k, today).map(|t| t.standard_per_person.yuan_plain()).unwrap_or_default();
        TiersForm {
            version: cur.version,
            effective_from: today.to_string(),
            high_end: std(Tier::HighEnd),
            business: std(Tier::Business),
            simple: std(Tier::Simple),
            note: String::new(),
        }
    });
    let versions = procedure::versions(&s.app)
        .await?
        .into_iter()
        .map(|v| VersionRow {
            version: v.version,
            at: tr.datetime(v.created_at, s.tz()),
            by: v.created_by,
            note: v.note,
        })
        .collect();
    let mut r = page(&AdminProcedurePage {
        c: Chrome::new(cx),
        current: cur.version,
        versions,
        form,
        errs,
        import_errs,
        conflict,
    });
    *r.status_mut() = status;
    Ok(r)
}

/// `GET /admin/procedure`.
pub async fn manage(State(s): State<AppState>, cx: Cx) -> AppResult<Response> {
    admin_page(&s, &cx, None, FormErrors::none(), FormErrors::none(), None, StatusCode::OK).await
}

/// `POST /admin/procedure/tiers`: new standards per person, from a day on.
pub async fn set_tiers(State(s): State<AppState>, cx: Cx, CsrfForm(f): CsrfForm<TiersForm>) -> AppResult<Response> {
    let mut errs = FieldErrors::new();
    let from = NaiveDate::parse_from_str(f.effective_from.trim(), "%Y-%m-%d").ok();
    if from.is_none() {
        errs.push(FieldError::new("effective_from", "invalid_date"));
    }
    let amounts: Vec<Option<Fen>> =
        [(Tier::HighEnd, &f.high_end), (Tier::Business, &f.business), (Tier::Simple, &f.simple)]
            .into_iter()
            .map(|(k, v)| errs.check(Fen::parse_yuan(k.as_str(), v)))
            .collect();
    let result = match (from, errs.is_empty()) {
        (Some(from), true) => {
            let standards: Vec<(Tier, Fen)> = Tier::all().iter().copied().zip(amounts.into_iter().flatten()).collect();
            let note = if f.note.trim().is_empty() {
                cx.tr().t("procedure.note_tiers").to_owned()
            } else {
                f.note.trim().to_owned()
            };
            procedure::set_tier_standards(&s.app, f.version, &standards, from, &note, &cx.actor())
                .await
                .map_err(AppError::from)
        }
        _ => Err(AppError::Validation(errs)),
    };
    match result {
        Ok(_) => Ok(redirect_with_flash("/admin/procedure", "flash.saved", s.secure_cookies())),
        Err(AppError::StaleVersion) => {
            let msg = cx.tr().t("error.stale_version_detail").to_owned();
            admin_page(&s, &cx, None, FormErrors::none(), FormErrors::none(), Some(msg), StatusCode::CONFLICT).await
        }
        Err(e) => {
            let errs = FormErrors::from_failure(cx.tr(), e)?;
            admin_page(&s, &cx, Some(f), errs, FormErrors::none(), None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

/// `POST /admin/procedure/import`: a whole procedure as TOML (as exported) becomes a new version.
pub async fn import(State(s): State<AppState>, cx: Cx, mut form: Multipart) -> AppResult<Response> {
    let bad = || AppError::BadRequest { code: "malformed_form", detail: None };
    let (mut csrf, mut text, mut note) = (String::new(), String::new(), String::new());
    while let Some(field) = form.next_field().await.map_err(|_| bad())? {
        match field.name().unwrap_or("") {
            "csrf" => csrf = field.text().await.map_err(|_| bad())?,
            "note" => note = field.text().await.map_err(|_| bad())?,
            "file" => text = field.text().await.map_err(|_| AppError::field(FieldError::new("file", "not_utf8")))?,
            _ => {}
        }
    }
    check_token(&cx, &csrf)?;
    let result = if text.trim().is_empty() {
        Err(AppError::field(FieldError::new("file", "required")))
    } else {
        let note =
            if note.trim().is_empty() { cx.tr().t("procedure.note_import").to_owned() } else { note.trim().to_owned() };
        procedure::import_toml(&s.app, &text, &note, &cx.actor()).await.map_err(AppError::from)
    };
    match result {
        Ok(_) => Ok(redirect_with_flash("/admin/procedure", "flash.imported", s.secure_cookies())),
        Err(e) => {
            let errs = FormErrors::from_failure(cx.tr(), e)?;
            admin_page(&s, &cx, None, FormErrors::none(), errs, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}
