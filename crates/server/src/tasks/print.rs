//! The task division as on paper (Attachment 2), for A4.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use jiedai_app::receptions;
use jiedai_app::tasks::{self, TaskView};
use jiedai_domain::procedure::Phase;
use jiedai_domain::{Code, Language, ReceptionId};

use super::pages::{group_label, status_badge, status_label};
use super::plan::{PlanPhase, PlanRow, name};
use crate::auth::Cx;
use crate::error::AppResult;
use crate::extract::Id;
use crate::forms::FormErrors;
use crate::i18n::keys;
use crate::render::{Chrome, page};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "tasks/print.html")]
struct PrintPage {
    c: Chrome,
    id: ReceptionId,
    code: String,
    organization: String,
    dates: String,
    phases: Vec<PlanPhase>,
    printed: String,
}

/// `GET /receptions/{id}/tasks/print`: the task division as on paper (Attachment 2), grouped
/// by phase, with the company's name, for A4.
pub async fn print(State(s): State<AppState>, cx: Cx, Id(id): Id<ReceptionId>) -> AppResult<Response> {
    let tr = cx.tr();
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let v = receptions::get(&s.app, &viewer, id).await?;
    let list = tasks::of_reception(&s.app, &viewer, id).await?;
    let c = Chrome::new(&cx);
    let zh = tr.lang == Language::ZhCn;
    let mut phases: Vec<PlanPhase> =
        Phase::all().iter().map(|p| PlanPhase { title: tr.t(keys::phase(*p)).to_owned(), rows: Vec::new() }).collect();
    for TaskView { task: t, overdue, .. } in list {
        let i = Phase::all().iter().position(|p| *p == t.phase).unwrap_or(0);
        phases[i].rows.push(PlanRow {
            id: t.id,
            title: if zh { t.title_zh.clone() } else { t.title_en.clone() },
            group: group_label(tr, &t.group),
            duties: if zh { t.duties_zh.clone() } else { t.duties_en.clone() },
            due: c.date(&t.due),
            due_iso: t.due.to_string(),
            due_time: t.due_time.map(|x| x.format("%H:%M").to_string()).unwrap_or_default(),
            responsible_id: String::new(),
            responsible: name(&s, t.responsible_id).await?,
            assistant_id: String::new(),
            assistant: name(&s, t.assistant_id).await?,
            note: t.note.clone(),
            status: status_label(tr, t.status),
            badge: status_badge(t.status),
            overdue,
            version: t.version,
            plans: false,
            notes: false,
            errs: FormErrors::none(),
            steps: Vec::new(),
        });
    }
    phases.retain(|p| !p.rows.is_empty());
    let dates = c.dates(&v.r.visit_start, &v.r.visit_end);
    let printed = tr.datetime(chrono::Utc::now(), s.tz());
    Ok(page(&PrintPage {
        c,
        id,
        code: v.r.code.clone(),
        organization: v.r.form.guest_organization.clone(),
        dates,
        phases,
        printed,
    }))
}
