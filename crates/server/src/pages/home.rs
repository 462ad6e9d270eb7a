//! The home page: what waits for this person first, and this week's receptions on a
//! small calendar.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::{Datelike, Duration};
use jiedai_domain::Role;
use jiedai_domain::reception::State as RState;
use jiedai_store::{ReceptionFilter, ReceptionRow, Sort};

use super::receptions::{late_label, state_badge, state_key, visit_dates};
use super::role_key;
use crate::app::AppState;
use crate::auth::Cx;
use crate::error::AppResult;
use crate::render::{Chrome, page};
use crate::service::receptions::{self, ListView, Viewer, apply_view};

/// A reception in a short list.
pub struct Item {
    id: i32,
    code: String,
    organization: String,
    dates: String,
    late: String,
    state: String,
    badge: &'static str,
}

/// One kind of work waiting, with its first few receptions.
pub struct Waiting {
    title: &'static str,
    href: String,
    count: u64,
    items: Vec<Item>,
}

/// A day of the week's calendar.
pub struct Day {
    label: String,
    date: String,
    today: bool,
    off: bool,
    holiday: String,
    items: Vec<Item>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
    display_name: String,
    department: Option<String>,
    roles: Vec<&'static str>,
    is_admin: bool,
    waiting: Vec<Waiting>,
    week: Vec<Day>,
    week_href: String,
    can_create: bool,
}

const WEEKDAYS: [&str; 7] =
    ["calendar.mon", "calendar.tue", "calendar.wed", "calendar.thu", "calendar.fri", "calendar.sat", "calendar.sun"];
const SHOWN: u64 = 5;

fn item(cx: &Cx, r: &ReceptionRow) -> Item {
    let tr = cx.tr();
    Item {
        id: r.id,
        code: r.code.clone(),
        organization: r.guest_organization.clone(),
        dates: visit_dates(r.visit_start, r.visit_end),
        late: late_label(tr, r.late, r.late_working_days),
        state: tr.t_with(&state_key(r.state), &[]),
        badge: state_badge(r.state),
    }
}

/// `GET /`.
pub async fn home(State(app): State<AppState>, cx: Cx) -> AppResult<Response> {
    let u = cx.user()?;
    let viewer = Viewer::of(&app, u).await?;
    let scope = viewer.scope();
    let mut waiting = Vec::new();
    let mut kinds: Vec<(&'static str, String, Option<ReceptionFilter>)> = vec![
        (
            "home.to_approve",
            "/receptions?view=approve".into(),
            apply_view(&viewer, ListView::ToApprove, Default::default()),
        ),
        (
            "home.to_take_on",
            "/receptions?view=take-on".into(),
            apply_view(&viewer, ListView::ToTakeOn, Default::default()),
        ),
    ];
    if u.roles.contains(Role::Requester) || u.roles.contains(Role::Approver) {
        let mine = |states: Vec<RState>| ReceptionFilter { states, requester_id: Some(u.id), ..Default::default() };
        kinds.push((
            "home.returned_to_me",
            "/receptions?view=mine&state=returned".into(),
            Some(mine(vec![RState::Returned])),
        ));
        kinds.push(("home.my_drafts", "/receptions?view=mine&state=draft".into(), Some(mine(vec![RState::Draft]))));
    }
    for (title, href, filter) in kinds {
        let Some(f) = filter else { continue };
        let count = app.store.count_receptions(&scope, &f).await?;
        if count == 0 {
            continue;
        }
        let rows = app.store.list_receptions(&scope, &f, Sort::VisitAsc, None, SHOWN).await?;
        waiting.push(Waiting { title, href, count, items: rows.iter().map(|r| item(&cx, r)).collect() });
    }

    let today = app.today();
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let sunday = monday + Duration::days(6);
    let f = ReceptionFilter {
        states: vec![RState::Draft, RState::Submitted, RState::Returned, RState::Approved, RState::Planning],
        from: Some(monday),
        until: Some(sunday),
        ..Default::default()
    };
    let (rows, _) = receptions::list(&app, &viewer, ListView::All, f, Sort::VisitAsc, None, 200).await?;
    let cal = app.calendar().await?;
    let zh = cx.lang == jiedai_domain::Language::ZhCn;
    let tr = cx.tr();
    let week = (0..7)
        .map(|i| {
            let d = monday + Duration::days(i);
            let (_, entry) = cal.day(d);
            Day {
                label: tr.t(WEEKDAYS[i as usize]).to_owned(),
                date: d.format("%m-%d").to_string(),
                today: d == today,
                off: !cal.is_working_day(d),
                holiday: entry
                    .filter(|e| !e.name_zh.is_empty())
                    .map(|e| if zh { e.name_zh.clone() } else { e.name_en.clone() })
                    .unwrap_or_default(),
                items: rows.iter().filter(|r| r.visit_start <= d && d <= r.visit_end).map(|r| item(&cx, r)).collect(),
            }
        })
        .collect();
    Ok(page(&HomePage {
        display_name: u.display_name.clone(),
        department: u.department_name.clone(),
        roles: u.roles.iter().map(role_key).collect(),
        is_admin: u.roles.contains(Role::Admin),
        waiting,
        week,
        week_href: format!("/receptions?from={monday}&to={sunday}"),
        can_create: cx.allows(jiedai_domain::Permission::RequestReception),
        c: Chrome::new(&cx),
    }))
}
