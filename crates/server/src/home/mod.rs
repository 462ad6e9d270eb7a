//! The home page: what waits for this person first, and this week's receptions on a
//! small calendar.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use chrono::Datelike;
use jiedai_app::receptions::{self, ReceptionRow, WaitingKind};
use jiedai_domain::Permission::SignedIn;
use jiedai_domain::Role;

use crate::auth::Cx;
use crate::error::AppResult;
use crate::i18n::keys;
use crate::receptions::view::{late_label, state_badge, state_label};
use crate::render::{Chrome, page};
use crate::route::RouteSpec;
use crate::state::AppState;

/// The routes of the home page.
pub fn routes() -> Vec<RouteSpec> {
    vec![RouteSpec::page("/", SignedIn, get(home))]
}

/// A reception in a short list.
pub struct Item {
    id: jiedai_domain::ReceptionId,
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
#[template(path = "home/home.html")]
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
    /// My open tasks, the most pressing first (at most five), and how many in all.
    my_tasks: Vec<MyTask>,
    my_tasks_open: usize,
}

/// One of my tasks, as the home page lists it.
pub struct MyTask {
    title: String,
    code: String,
    due: String,
    overdue: bool,
}

fn item(cx: &Cx, today: chrono::NaiveDate, r: &ReceptionRow) -> Item {
    let tr = cx.tr();
    Item {
        id: r.id,
        code: r.code.clone(),
        organization: r.guest_organization.clone(),
        dates: tr.date_range(r.visit_start, r.visit_end, today),
        late: late_label(tr, r.late, r.late_working_days),
        state: state_label(tr, r.state),
        badge: state_badge(r.state),
    }
}

/// Where each kind of waiting work is listed, and its title.
fn waiting_link(kind: WaitingKind, today: chrono::NaiveDate) -> (&'static str, String) {
    match kind {
        WaitingKind::ToApprove => ("home.to_approve", "/receptions?view=approve".into()),
        WaitingKind::ToTakeOn => ("home.to_take_on", "/receptions?view=take-on".into()),
        WaitingKind::ReturnedToMe => ("home.returned_to_me", "/receptions?view=mine&state=returned".into()),
        WaitingKind::MyDrafts => ("home.my_drafts", "/receptions?view=mine&state=draft".into()),
        WaitingKind::ToOpenDay => ("home.to_open_day", format!("/receptions?state=planning&to={today}")),
        WaitingKind::ToClose => ("home.to_close", "/receptions?state=closing".into()),
    }
}

/// `GET /`.
pub async fn home(State(s): State<AppState>, cx: Cx) -> AppResult<Response> {
    let u = cx.user()?;
    let viewer = receptions::viewer_of(&s.app, u).await?;
    let today = s.app.today();
    let d = receptions::dashboard(&s.app, &viewer, today).await?;
    let waiting = d
        .waiting
        .iter()
        .map(|w| {
            let (title, href) = waiting_link(w.kind, today);
            Waiting { title, href, count: w.count, items: w.rows.iter().map(|r| item(&cx, today, r)).collect() }
        })
        .collect();
    let zh = cx.lang == jiedai_domain::Language::ZhCn;
    let tr = cx.tr();
    let week: Vec<Day> = d
        .week
        .iter()
        .map(|day| Day {
            label: tr.t(keys::weekday(day.date.weekday())).to_owned(),
            date: tr.day_month(day.date),
            today: day.today,
            off: !day.working,
            holiday: day
                .declared
                .as_ref()
                .filter(|e| !e.name_zh.is_empty())
                .map(|e| if zh { e.name_zh.clone() } else { e.name_en.clone() })
                .unwrap_or_default(),
            items: day.rows.iter().map(|r| item(&cx, today, r)).collect(),
        })
        .collect();
    let (monday, sunday) = (d.week.first().map(|w| w.date), d.week.last().map(|w| w.date));
    // My open tasks (drivers and staff open the product for these): overdue and soonest first.
    let mut open: Vec<_> = jiedai_app::tasks::mine(&s.app, u.id)
        .await?
        .into_iter()
        .filter(|h| !h.view.task.status.is_settled() && !h.withdrawn)
        .collect();
    open.sort_by_key(|h| (!h.view.overdue, h.view.task.due, h.view.task.due_time));
    let my_tasks_open = open.len();
    let my_tasks = open
        .into_iter()
        .take(5)
        .map(|h| {
            let t = h.view.task;
            let day = tr.date(t.due, today);
            MyTask {
                title: if zh { t.title_zh } else { t.title_en },
                code: h.code,
                due: t.due_time.map_or(day.clone(), |x| format!("{day} {}", x.format("%H:%M"))),
                overdue: h.view.overdue,
            }
        })
        .collect();
    Ok(page(&HomePage {
        my_tasks,
        my_tasks_open,
        display_name: u.display_name.clone(),
        department: u.department_name.clone(),
        roles: u.roles.iter().map(keys::role).collect(),
        is_admin: u.roles.contains(Role::Admin),
        waiting,
        week,
        week_href: match (monday, sunday) {
            (Some(m), Some(s)) => format!("/receptions?from={m}&to={s}"),
            _ => "/receptions".into(),
        },
        can_create: cx.allows(jiedai_domain::Permission::RequestReception),
        c: Chrome::new(&cx),
    }))
}
