//! Field-by-field editing of the procedure's lists: stages, the task template, the item
//! template and the survey. Each list is one form of row cards (see `forms::rows`); saving
//! makes a new procedure version on top of the one the editor read, checked as a whole; on
//! an error the page comes back with what was typed and the message next to each field.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use jiedai_app::procedure;

use super::explain::explain;
use super::sections::{Section, TOTAL_FIELD};
use crate::auth::Cx;
use crate::auth::csrf::CsrfForm;
use crate::error::{AppError, AppResult};
use crate::forms::FormErrors;
use crate::forms::rows::RowCard;
use crate::render::{Chrome, page, redirect_with_flash};
use crate::state::AppState;

/// What was typed: the rows, the survey total and the note.
type Typed = (Vec<BTreeMap<String, String>>, String, String);

#[derive(Template)]
#[template(path = "procedure/section.html")]
struct SectionPage {
    c: Chrome,
    section: &'static str,
    title: String,
    version: i32,
    rows: Vec<RowCard>,
    new_rows: Vec<RowCard>,
    survey_total: Option<String>,
    total_error: Option<String>,
    note: String,
    errs: FormErrors,
    /// Messages of no input on the page (the list as a whole), shown on top.
    others: Vec<String>,
    conflict: Option<String>,
}

async fn section_page(
    s: &AppState,
    cx: &Cx,
    section: Section,
    typed: Option<Typed>,
    errs: FormErrors,
    conflict: Option<String>,
    status: StatusCode,
) -> AppResult<Response> {
    let cur = procedure::current(&s.app).await?;
    let tr = cx.tr();
    let (rows, total, note) = typed
        .unwrap_or_else(|| (section.rows_of(&cur.procedure), cur.procedure.survey.total.to_string(), String::new()));
    let (cards, new_rows) = section.rows().cards(tr, &rows, &errs);
    let shown: Vec<&str> = cards
        .iter()
        .chain(&new_rows)
        .flat_map(|c| c.cells.iter().map(|x| x.name.as_str()))
        .chain((section == Section::Survey).then_some(TOTAL_FIELD))
        .collect();
    let others = errs.messages_outside(&shown);
    let mut r = page(&SectionPage {
        c: Chrome::new(cx),
        section: section.slug(),
        title: tr.t_with(section.title_key(), &[]),
        version: cur.version,
        rows: cards,
        new_rows,
        survey_total: (section == Section::Survey).then_some(total),
        total_error: errs.get(TOTAL_FIELD),
        note,
        errs,
        others,
        conflict,
    });
    *r.status_mut() = status;
    Ok(r)
}

fn section_of(slug: &str) -> AppResult<Section> {
    Section::parse(slug).ok_or(AppError::NotFound)
}

/// `GET /admin/procedure/{section}`: the list as a form.
pub async fn edit_section(State(s): State<AppState>, cx: Cx, Path(slug): Path<String>) -> AppResult<Response> {
    let section = section_of(&slug)?;
    section_page(&s, &cx, section, None, FormErrors::none(), None, StatusCode::OK).await
}

/// `POST /admin/procedure/{section}`: a new version with the list as typed.
pub async fn save_section(
    State(s): State<AppState>,
    cx: Cx,
    Path(slug): Path<String>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let section = section_of(&slug)?;
    let one = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_owned()).unwrap_or_default();
    let based_on: i32 = one("version").parse().unwrap_or(0);
    let rows = section.rows().typed(&pairs);
    let total = one(TOTAL_FIELD);
    let note = one("note");
    let cur = procedure::current(&s.app).await?;
    let result = if cur.version != based_on {
        Err(AppError::StaleVersion)
    } else {
        match section.apply(&cur.procedure, &rows, &total) {
            Ok(p) => {
                let note = if note.is_empty() {
                    cx.tr().t_with("procedure.note_section", &[("section", cx.tr().t(section.title_key()))])
                } else {
                    note.clone()
                };
                procedure::replace(&s.app, p, based_on, &note, &cx.actor()).await.map_err(AppError::from)
            }
            Err(e) => Err(AppError::Validation(explain(section, e, &cur.procedure, &rows, cx.lang))),
        }
    };
    match result {
        Ok(_) => {
            Ok(redirect_with_flash(&format!("/admin/procedure/{}", section.slug()), "flash.saved", s.secure_cookies()))
        }
        Err(AppError::StaleVersion) => {
            let msg = cx.tr().t("error.stale_version_detail").to_owned();
            section_page(&s, &cx, section, None, FormErrors::none(), Some(msg), StatusCode::CONFLICT).await
        }
        Err(e) => {
            let errs = FormErrors::from_failure(cx.tr(), e)?;
            section_page(&s, &cx, section, Some((rows, total, note)), errs, None, StatusCode::UNPROCESSABLE_ENTITY)
                .await
        }
    }
}
