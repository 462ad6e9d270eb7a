//! The page where General Management writes a reception's agenda (`/receptions/{id}/agenda`):
//! one line per item on a wide screen, stacked on a phone; blank rows for new items, a tick to
//! take one out, every problem shown on its row and nothing typed lost.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use jiedai_app::receptions;
use jiedai_app::tasks::{self, day};
use jiedai_domain::agenda::AgendaItem;
use jiedai_domain::{FieldError, FieldErrors, ReceptionId};
use serde::Deserialize;

use super::run_sheet::hm;
use crate::auth::Cx;
use crate::auth::csrf::CsrfForm;
use crate::error::AppResult;
use crate::extract::Id;
use crate::render::{Chrome, page, redirect_with_flash};
use crate::state::AppState;
/// A row of the agenda form, as typed.
#[derive(Default, Clone)]
pub struct AgendaRow {
    day: String,
    time: String,
    title: String,
    place: String,
    responsible_id: String,
    notes: String,
    key: String,
    /// The problems of this row: `(field, message)`.
    errs: Vec<(String, String)>,
}

impl AgendaRow {
    fn err(&self, field: &str) -> Option<&str> {
        self.errs.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
    }
}

#[derive(Template)]
#[template(path = "tasks/agenda.html")]
struct AgendaPage {
    c: Chrome,
    id: ReceptionId,
    code: String,
    organization: String,
    dates: String,
    rows: Vec<AgendaRow>,
    version: i32,
    suggested: bool,
    /// The visit's days: `(YYYY-MM-DD, as people read it)`.
    days: Vec<(String, String)>,
    people: Vec<(String, String)>,
    /// Problems not on a row.
    notice: Option<String>,
}

impl AgendaPage {
    /// True when `day` (YYYY-MM-DD) is one of the visit's days.
    fn is_visit_day(&self, day: &str) -> bool {
        self.days.iter().any(|d| d.0 == day)
    }
}

/// Blank rows offered under the agenda for new items.
const BLANK_ROWS: usize = 3;

async fn agenda_form(
    s: &AppState,
    cx: &Cx,
    id: ReceptionId,
    typed: Option<(Vec<AgendaRow>, i32)>,
    notice: Option<String>,
    status: StatusCode,
) -> AppResult<Response> {
    let tr = cx.tr();
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let v = receptions::get(&s.app, &viewer, id).await?;
    let agenda = day::agenda(&s.app, &viewer, id, tr.lang).await?;
    let c = Chrome::new(cx);
    let (mut rows, version) = match typed {
        Some(t) => t,
        None => (
            agenda
                .items
                .iter()
                .map(|it| AgendaRow {
                    day: it.day.to_string(),
                    time: hm(it.time),
                    title: it.title.clone(),
                    place: it.place.clone(),
                    responsible_id: it.responsible_id.map(|u| u.to_string()).unwrap_or_default(),
                    notes: it.notes.clone(),
                    key: it.key.clone(),
                    errs: Vec::new(),
                })
                .collect(),
            agenda.version,
        ),
    };
    rows.extend(std::iter::repeat_n(AgendaRow::default(), BLANK_ROWS));
    let mut days = Vec::new();
    let mut d = v.r.visit_start;
    while d <= v.r.visit_end && days.len() < 31 {
        days.push((d.to_string(), c.date(&d)));
        d = d.succ_opt().unwrap_or(d);
        if d == NaiveDate::MAX {
            break;
        }
    }
    let people = super::plan::group_people(s, &tasks::teams(&s.app).await?).await?;
    let mut r = page(&AgendaPage {
        id,
        code: v.r.code.clone(),
        organization: v.r.form.guest_organization.clone(),
        dates: c.dates(&v.r.visit_start, &v.r.visit_end),
        c,
        rows,
        version,
        suggested: agenda.suggested && version == 0,
        days,
        people,
        notice,
    });
    *r.status_mut() = status;
    Ok(r)
}

/// `GET /receptions/{id}/agenda`: the agenda form (General Management; others see the run
/// sheet).
pub async fn agenda_page(State(s): State<AppState>, cx: Cx, Id(id): Id<ReceptionId>) -> AppResult<Response> {
    agenda_form(&s, &cx, id, None, None, StatusCode::OK).await
}

/// What the agenda form sends: the rows as parallel lists.
#[derive(Deserialize, Default)]
pub struct AgendaForm {
    #[serde(default)]
    version: i32,
    #[serde(default)]
    day: Vec<String>,
    #[serde(default)]
    time: Vec<String>,
    #[serde(default)]
    title: Vec<String>,
    #[serde(default)]
    place: Vec<String>,
    #[serde(default)]
    responsible_id: Vec<String>,
    #[serde(default)]
    notes: Vec<String>,
    #[serde(default)]
    key: Vec<String>,
    /// The rows ticked to be taken out (their places, from 0).
    #[serde(default)]
    drop: Vec<usize>,
}

/// `POST /receptions/{id}/agenda`: saves the agenda; rows left blank are dropped, a row with
/// problems shows them on it, every one at once, and nothing typed is lost.
pub async fn save_agenda(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<ReceptionId>,
    CsrfForm(f): CsrfForm<AgendaForm>,
) -> AppResult<Response> {
    let tr = cx.tr();
    let at = |v: &Vec<String>, i: usize| v.get(i).map(|x| x.trim().to_owned()).unwrap_or_default();
    let mut rows: Vec<AgendaRow> = (0..f.title.len().min(jiedai_domain::agenda::MAX_ITEMS + BLANK_ROWS))
        .filter(|i| !f.drop.contains(i))
        .map(|i| AgendaRow {
            day: at(&f.day, i),
            time: at(&f.time, i),
            title: at(&f.title, i),
            place: at(&f.place, i),
            responsible_id: at(&f.responsible_id, i),
            notes: at(&f.notes, i),
            key: at(&f.key, i),
            errs: Vec::new(),
        })
        .collect();
    // A row with nothing typed but its day is an unused blank row.
    rows.retain(|r| {
        !(r.title.is_empty()
            && r.time.is_empty()
            && r.place.is_empty()
            && r.notes.is_empty()
            && r.responsible_id.is_empty())
    });
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let v = receptions::get(&s.app, &viewer, id).await?;
    let mut errs = FieldErrors::new();
    let items: Vec<AgendaItem> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let line = Some(i + 1);
            let day = NaiveDate::parse_from_str(&r.day, "%Y-%m-%d").unwrap_or_else(|_| {
                errs.push(FieldError { line, ..FieldError::new("day", "invalid_date") });
                v.r.visit_start
            });
            let time = match r.time.as_str() {
                "" => None,
                t => chrono::NaiveTime::parse_from_str(t, "%H:%M")
                    .map_err(|_| errs.push(FieldError { line, ..FieldError::new("time", "invalid_time") }))
                    .ok(),
            };
            AgendaItem {
                day,
                time,
                title: r.title.clone(),
                place: r.place.clone(),
                responsible_id: r.responsible_id.parse().ok(),
                notes: r.notes.clone(),
                key: r.key.clone(),
            }
        })
        .collect();
    let result = if errs.is_empty() {
        day::save_agenda(&s.app, &viewer, id, f.version, items, &cx.actor()).await
    } else {
        Err(jiedai_app::Error::Validation(errs))
    };
    match result {
        Ok(_) => {
            Ok(redirect_with_flash(&format!("/receptions/{id}/run-sheet"), "tasks.agenda_saved", s.secure_cookies()))
        }
        Err(jiedai_app::Error::Validation(errs)) => {
            let mut notice = Vec::new();
            for e in &errs.0 {
                let msg = tr.field_error(&FieldError { line: None, ..e.clone() });
                match e.line.and_then(|l| rows.get_mut(l - 1)) {
                    Some(r) => r.errs.push((e.field.clone(), msg)),
                    None => notice.push(msg),
                }
            }
            let notice = (!notice.is_empty()).then(|| notice.join(" "));
            agenda_form(&s, &cx, id, Some((rows, f.version)), notice, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(jiedai_app::Error::StaleVersion) => {
            let notice = Some(tr.t("tasks.agenda_changed_meanwhile").to_owned());
            agenda_form(&s, &cx, id, Some((rows, f.version)), notice, StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}
