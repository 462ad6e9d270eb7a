//! The day on one page (`/receptions/{id}/run-sheet`): the agenda, who does what, the guests
//! and how they arrive, cars and drivers, and every contact as a `tel:` link — built for a
//! phone and printable on A4.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use jiedai_app::receptions;
use jiedai_app::tasks::{self, day};
use jiedai_domain::procedure::Phase;
use jiedai_domain::{Language, ReceptionId, Role, UserId};

use super::pages::{group_label, status_badge, status_label};
use crate::auth::Cx;
use crate::error::AppResult;
use crate::extract::Id;
use crate::i18n::keys;
use crate::receptions::view::{state_badge, state_label};
use crate::render::{Chrome, page};
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
    /// The satisfaction survey's open guest links, as QR codes.
    survey_qrs: Vec<crate::survey::qr::LinkQr>,
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

/// A time as HH:MM, or nothing.
pub(super) fn hm(t: Option<chrono::NaiveTime>) -> String {
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
    let survey_qrs = crate::survey::qr::open_link_qrs(&s, tr, id).await?;
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
        survey_qrs,
    }))
}
