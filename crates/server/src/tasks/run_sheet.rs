//! The day on one page (`/receptions/{id}/run-sheet`): the agenda, who does what, the guests
//! and how they arrive, cars and drivers, and every contact as a `tel:` link — built for a
//! phone and printable on A4. Beside it, the page where General Management writes the agenda
//! (`/receptions/{id}/agenda`), and the renewal of one's calendar feed.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::NaiveDate;
use jiedai_app::receptions;
use jiedai_app::tasks::{self, day};
use jiedai_domain::agenda::AgendaItem;
use jiedai_domain::procedure::Phase;
use jiedai_domain::{FieldError, FieldErrors, Language, ReceptionId, Role, UserId};
use serde::Deserialize;

use super::pages::{group_label, status_badge, status_label};
use crate::auth::Cx;
use crate::auth::csrf::CsrfForm;
use crate::error::AppResult;
use crate::extract::Id;
use crate::i18n::keys;
use crate::receptions::view::{state_badge, state_label};
use crate::render::{Chrome, page, redirect_with_flash};
use crate::state::AppState;

/// A person with the phone to call them on.
pub struct Contact {
    role: String,
    name: String,
    phone: String,
}

/// An agenda line on the run sheet.
pub struct AgendaLine {
    time: String,
    title: String,
    place: String,
    responsible: String,
    phone: String,
    notes: String,
}

/// One day of the agenda.
pub struct AgendaDay {
    day: String,
    lines: Vec<AgendaLine>,
}

/// A task line on the run sheet.
pub struct DutyLine {
    due: String,
    title: String,
    group: String,
    responsible: String,
    responsible_phone: String,
    assistant: String,
    status: String,
    badge: &'static str,
    overdue: bool,
}

/// A guest.
pub struct Guest {
    name: String,
    title: String,
    phone: String,
    needs: String,
}

#[derive(Template)]
#[template(path = "tasks/run_sheet.html")]
struct RunSheetPage {
    c: Chrome,
    id: ReceptionId,
    code: String,
    organization: String,
    dates: String,
    state: String,
    badge: &'static str,
    days: Vec<AgendaDay>,
    suggested: bool,
    plans: bool,
    duties: Vec<DutyLine>,
    guests: Vec<Guest>,
    /// `(label, value)` lines about the arrival and the cars.
    travel: Vec<(String, String)>,
    contacts: Vec<Contact>,
}

/// A person's name and phone.
async fn person(s: &AppState, id: Option<UserId>) -> AppResult<(String, String)> {
    let Some(id) = id else { return Ok((String::new(), String::new())) };
    Ok(match jiedai_app::accounts::get_user(&s.app, id).await {
        Ok(u) => (u.display_name, u.phone.unwrap_or_default()),
        Err(jiedai_app::Error::NotFound) => (String::new(), String::new()),
        Err(e) => return Err(e.into()),
    })
}

fn hm(t: Option<chrono::NaiveTime>) -> String {
    t.map(|t| t.format("%H:%M").to_string()).unwrap_or_default()
}

/// `GET /receptions/{id}/run-sheet`.
pub async fn run_sheet(State(s): State<AppState>, cx: Cx, Id(id): Id<ReceptionId>) -> AppResult<Response> {
    let tr = cx.tr();
    let zh = tr.lang == Language::ZhCn;
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let v = receptions::get(&s.app, &viewer, id).await?;
    let c = Chrome::new(&cx);
    let agenda = day::agenda(&s.app, &viewer, id, tr.lang).await?;
    let mut days: Vec<AgendaDay> = Vec::new();
    for it in &agenda.items {
        let (responsible, phone) = person(&s, it.responsible_id).await?;
        let line = AgendaLine {
            time: hm(it.time),
            title: it.title.clone(),
            place: it.place.clone(),
            responsible,
            phone,
            notes: it.notes.clone(),
        };
        let label = c.date(&it.day);
        match days.last_mut() {
            Some(d) if d.day == label => d.lines.push(line),
            _ => days.push(AgendaDay { day: label, lines: vec![line] }),
        }
    }
    let list = tasks::of_reception(&s.app, &viewer, id).await?;
    let mut duties = Vec::new();
    for t in list.into_iter().filter(|t| t.task.phase != Phase::Before || t.task.due >= v.r.visit_start) {
        let task = &t.task;
        let (responsible, responsible_phone) = person(&s, task.responsible_id).await?;
        duties.push(DutyLine {
            due: format!("{} {}", c.date(&task.due), hm(task.due_time)).trim().to_owned(),
            title: if zh { task.title_zh.clone() } else { task.title_en.clone() },
            group: group_label(tr, &task.group),
            responsible,
            responsible_phone,
            assistant: person(&s, task.assistant_id).await?.0,
            status: status_label(tr, task.status),
            badge: status_badge(task.status),
            overdue: t.overdue,
        });
    }
    let f = &v.r.form;
    let personal = v.standing.sees_personal_data();
    let mut guests = vec![Guest {
        name: f.guest_name.clone(),
        title: f.guest_title.clone(),
        phone: f.guest_phone.clone(),
        needs: f.guest_needs.clone(),
    }];
    guests.extend(f.companions.iter().map(|p| Guest {
        name: p.name.clone(),
        title: p.title.clone(),
        phone: p.phone.clone(),
        needs: p.needs.clone(),
    }));
    guests.retain(|g| !(g.name.is_empty() && g.title.is_empty()));
    if !personal {
        for g in &mut guests {
            g.phone.clear();
            g.needs.clear();
        }
    }
    let when = |t: Option<chrono::NaiveDateTime>| {
        t.map(|t| format!("{} {}", c.date(&t.date()), t.format("%H:%M"))).unwrap_or_default()
    };
    let mut travel: Vec<(String, String)> = Vec::new();
    let mut line = |k: &str, v: String| {
        if !v.trim().is_empty() {
            travel.push((tr.t(k).to_owned(), v));
        }
    };
    line("reception.f.arrival_at", when(f.arrival_at));
    line("reception.f.arrival_means", f.arrival_means.map(|m| tr.t(keys::means(m)).to_owned()).unwrap_or_default());
    line("reception.f.transport_number", f.transport_number.clone());
    if personal {
        line("reception.f.licence_plate", f.licence_plate.clone());
    }
    if f.pickup_car.wanted {
        line("reception.f.pickup_car_vehicle", f.pickup_car.vehicle.clone());
        line("reception.f.pickup_car_place", f.pickup_car.place.clone());
        line("reception.f.pickup_car_at", when(f.pickup_car.at));
        let drivers: Vec<String> = duties
            .iter()
            .filter(|d| d.group == group_label(tr, "driver") && !d.responsible.is_empty())
            .map(|d| {
                if d.responsible_phone.is_empty() {
                    d.responsible.clone()
                } else {
                    format!("{} {}", d.responsible, d.responsible_phone)
                }
            })
            .collect();
        line("tasks.run_drivers", drivers.join("、"));
    }
    line("reception.f.departure_at", when(f.departure_at));
    let mut contacts = Vec::new();
    if !f.contact_person.is_empty() || !f.contact_phone.is_empty() {
        contacts.push(Contact {
            role: tr.t("reception.f.contact_person").to_owned(),
            name: f.contact_person.clone(),
            phone: f.contact_phone.clone(),
        });
    }
    let (coordinator, coordinator_phone) = person(&s, v.r.coordinator_id).await?;
    if !coordinator.is_empty() {
        contacts.push(Contact {
            role: tr.t("tasks.run_coordinator").to_owned(),
            name: coordinator,
            phone: coordinator_phone,
        });
    }
    if !f.gm_contact.is_empty() {
        contacts.push(Contact {
            role: tr.t("reception.f.gm_contact").to_owned(),
            name: f.gm_contact.clone(),
            phone: String::new(),
        });
    }
    for d in &duties {
        if !d.responsible.is_empty() && !contacts.iter().any(|x| x.name == d.responsible) {
            contacts.push(Contact {
                role: d.group.clone(),
                name: d.responsible.clone(),
                phone: d.responsible_phone.clone(),
            });
        }
    }
    let plans = viewer.roles.contains(Role::Coordinator) || viewer.roles.contains(Role::Admin);
    Ok(page(&RunSheetPage {
        id,
        code: v.r.code.clone(),
        organization: f.guest_organization.clone(),
        dates: c.dates(&v.r.visit_start, &v.r.visit_end),
        state: state_label(tr, v.r.state),
        badge: state_badge(v.r.state),
        c,
        days,
        suggested: agenda.suggested,
        plans: plans && v.r.state.is_under_way(),
        duties,
        guests,
        travel,
        contacts,
    }))
}

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

#[derive(Template)]
#[template(path = "tasks/feed.html")]
struct FeedPage {
    c: Chrome,
    url: String,
}

/// `POST /account/calendar-feed`: a new private address for one's calendar feed, shown once.
pub async fn renew_feed(
    State(s): State<AppState>,
    cx: Cx,
    headers: HeaderMap,
    CsrfForm(_): CsrfForm<Empty>,
) -> AppResult<Response> {
    let secret = day::renew_calendar_feed(&s.app, cx.user()?.id, &cx.actor()).await?;
    let url = format!("{}/feeds/{secret}.ics", super::day_api::site(&s, &headers));
    Ok(page(&FeedPage { c: Chrome::new(&cx), url }))
}

/// A form with nothing but its CSRF token.
#[derive(Deserialize, Default)]
pub struct Empty {}
