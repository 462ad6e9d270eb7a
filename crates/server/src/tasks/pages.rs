//! "My tasks": every task the person holds, across receptions, grouped overdue / today /
//! this week / later / done, with one tap to start or finish — the main screen of drivers
//! and service staff, built for a phone.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use jiedai_app::receptions;
use jiedai_app::tasks::{self, HeldTask};
use jiedai_domain::procedure::Group;
use jiedai_domain::tasks::{Bucket, TaskAction, TaskStatus, bucket};
use jiedai_domain::{Code, Language, TaskId};
use serde::Deserialize;

use crate::auth::Cx;
use crate::auth::csrf::CsrfForm;
use crate::error::{AppError, AppResult};
use crate::extract::IdAnd;
use crate::i18n::{Tr, keys};
use crate::render::{Chrome, page, redirect_with_flash};
use crate::state::AppState;

/// A task as a card.
pub struct TaskCard {
    id: TaskId,
    reception_id: i32,
    code: String,
    organization: String,
    title: String,
    group: String,
    duties: String,
    due: String,
    due_iso: String,
    overdue: bool,
    status: String,
    badge: &'static str,
    version: i32,
    /// The steps offered: `(step, label, button class)`; none for a withdrawn task.
    steps: Vec<(&'static str, String, &'static str)>,
}

/// One bucket of the list.
pub struct TaskGroup {
    key: &'static str,
    title: String,
    items: Vec<TaskCard>,
}

#[derive(Template)]
#[template(path = "tasks/mine.html")]
struct MinePage {
    c: Chrome,
    groups: Vec<TaskGroup>,
    /// "3 to do".
    open: String,
}

/// The label of a task's status.
pub fn status_label(tr: Tr, s: TaskStatus) -> String {
    tr.t(keys::task_status(s)).to_owned()
}

/// The badge class of a task's status.
pub fn status_badge(s: TaskStatus) -> &'static str {
    match s {
        TaskStatus::Todo => "badge",
        TaskStatus::Doing => "badge badge-blue",
        TaskStatus::Done => "badge badge-green",
        TaskStatus::Waived => "badge badge-gray",
    }
}

/// The label of a task's group: one of the procedure's, or the key of a team added later.
pub fn group_label(tr: Tr, key: &str) -> String {
    Group::parse(key).map_or_else(|| key.to_owned(), |g| tr.t(keys::group(g)).to_owned())
}

/// The steps a card offers for a status: start or finish while open, reopen once settled.
pub(super) fn steps(tr: Tr, s: TaskStatus) -> Vec<(&'static str, String, &'static str)> {
    let label = |a: TaskAction| tr.t(keys::task_step(a)).to_owned();
    match s {
        TaskStatus::Todo => {
            vec![("start", label(TaskAction::Start), "btn"), ("done", label(TaskAction::Done), "btn btn-primary")]
        }
        TaskStatus::Doing => vec![("done", label(TaskAction::Done), "btn btn-primary")],
        TaskStatus::Done | TaskStatus::Waived => vec![("reopen", label(TaskAction::Reopen), "btn btn-small")],
    }
}

fn card(c: &Chrome, tr: Tr, h: HeldTask) -> TaskCard {
    let t = h.view.task;
    let zh = tr.lang == Language::ZhCn;
    let due = match t.due_time {
        Some(time) => format!("{} {}", c.date(&t.due), time.format("%H:%M")),
        None => c.date(&t.due),
    };
    TaskCard {
        id: t.id,
        reception_id: t.reception_id.get(),
        code: h.code,
        organization: h.organization,
        title: if zh { t.title_zh } else { t.title_en },
        group: group_label(tr, &t.group),
        duties: if zh { t.duties_zh } else { t.duties_en },
        due,
        due_iso: t.due.to_string(),
        overdue: h.view.overdue,
        status: status_label(tr, t.status),
        badge: status_badge(t.status),
        version: t.version,
        steps: if h.withdrawn { Vec::new() } else { steps(tr, t.status) },
    }
}

/// `GET /tasks`.
pub async fn mine(State(s): State<AppState>, cx: Cx) -> AppResult<Response> {
    let tr = cx.tr();
    let c = Chrome::new(&cx);
    let now = chrono::Utc::now().with_timezone(&s.tz()).naive_local();
    let held = tasks::mine(&s.app, cx.user()?.id).await?;
    let mut groups: Vec<TaskGroup> = Bucket::all()
        .iter()
        .map(|b| TaskGroup { key: b.as_str(), title: tr.t(keys::bucket(*b)).to_owned(), items: Vec::new() })
        .collect();
    let mut open: i64 = 0;
    let mut withdrawn = TaskGroup { key: "withdrawn", title: tr.t("tasks.withdrawn").to_owned(), items: Vec::new() };
    for h in held {
        if h.withdrawn {
            withdrawn.items.push(card(&c, tr, h));
            continue;
        }
        let t = &h.view.task;
        let b = bucket(t.status, t.due, t.due_time, now);
        if b != Bucket::Settled {
            open += 1;
        }
        let i = Bucket::all().iter().position(|x| *x == b).unwrap_or(0);
        groups[i].items.push(card(&c, tr, h));
    }
    // A cancellation's withdrawn tasks come first: the person must see the plan changed.
    groups.insert(0, withdrawn);
    groups.retain(|g| !g.items.is_empty());
    let open = tr.plural("tasks.open_count", open);
    Ok(page(&MinePage { c, groups, open }))
}

/// What a step's form sends.
#[derive(Deserialize)]
pub struct StepForm {
    #[serde(default)]
    version: Option<i32>,
    #[serde(default)]
    reason: String,
    /// Where to go back to: "my tasks" (the default) or a reception's task division.
    #[serde(default)]
    back: Option<String>,
}

/// The page a step goes back to: `/tasks`, or `/receptions/{id}/tasks` (nothing else).
fn back_to(back: Option<&str>) -> String {
    let division = |b: &str| {
        b.strip_prefix("/receptions/")
            .and_then(|r| r.strip_suffix("/tasks"))
            .is_some_and(|id| !id.is_empty() && id.len() <= 10 && id.bytes().all(|c| c.is_ascii_digit()))
    };
    match back {
        Some(b) if division(b) => b.to_owned(),
        _ => "/tasks".to_owned(),
    }
}

/// `POST /tasks/{id}/{step}`: the step, then back to "my tasks" with what happened.
pub async fn step(
    State(s): State<AppState>,
    cx: Cx,
    IdAnd(id, step): IdAnd<TaskId>,
    CsrfForm(form): CsrfForm<StepForm>,
) -> AppResult<Response> {
    let action = TaskAction::parse(&step).ok_or(AppError::NotFound)?;
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let secure = s.secure_cookies();
    let back = back_to(form.back.as_deref());
    match tasks::act(&s.app, &viewer, id, action, form.version, &form.reason, &cx.actor()).await {
        Ok(_) => Ok(redirect_with_flash(&back, keys::task_did(action), secure)),
        // Someone else moved it first (two people finishing at once): say so.
        Err(jiedai_app::Error::StaleVersion | jiedai_app::Error::Conflict { .. }) => {
            Ok(redirect_with_flash(&back, "tasks.moved_meanwhile", secure))
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::back_to;

    #[test]
    fn a_step_goes_back_only_to_my_tasks_or_a_task_division() {
        assert_eq!(back_to(Some("/receptions/12/tasks")), "/receptions/12/tasks");
        for bad in ["//evil.example", "/receptions//tasks", "/receptions/1/../x/tasks", "https://x/receptions/1/tasks"]
        {
            assert_eq!(back_to(Some(bad)), "/tasks", "{bad}");
        }
        assert_eq!(back_to(None), "/tasks");
    }
}
