//! A reception's task division on a page (分工推进表, Attachment 2): its tasks grouped by
//! phase, each with its due day, work item, responsible, assistant and duties, as on the
//! paper; General Management assigns people and moves days right there, the people who hold
//! a task move it forward and write its note.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use jiedai_app::tasks::{self, TaskEdit, TaskView};
use jiedai_app::{accounts, receptions};
use jiedai_domain::procedure::Phase;
use jiedai_domain::{Code, Language, ReceptionId, Role, TaskId, UserId};
use serde::Deserialize;

use super::pages::{group_label, status_badge, status_label};
use crate::auth::Cx;
use crate::auth::csrf::CsrfForm;
use crate::error::{AppError, AppResult};
use crate::extract::{Id, IdAnd};
use crate::forms::FormErrors;
use crate::i18n::keys;
use crate::render::{Chrome, page, redirect_with_flash};
use crate::state::AppState;

/// A row of the division.
pub struct PlanRow {
    pub(super) id: TaskId,
    pub(super) title: String,
    pub(super) group: String,
    pub(super) duties: String,
    pub(super) due: String,
    pub(super) due_iso: String,
    pub(super) due_time: String,
    pub(super) responsible_id: String,
    pub(super) responsible: String,
    pub(super) assistant_id: String,
    pub(super) assistant: String,
    pub(super) note: String,
    pub(super) status: String,
    pub(super) badge: &'static str,
    pub(super) overdue: bool,
    pub(super) version: i32,
    /// The viewer may change who and when (General Management).
    pub(super) plans: bool,
    /// The viewer may write the note (holds it, or plans).
    pub(super) notes: bool,
    /// The problems of this row, when it was just sent with some.
    pub(super) errs: FormErrors,
    /// One-tap steps for those who hold it or plan: `(step, label, class)`.
    pub(super) steps: Vec<(&'static str, String, &'static str)>,
    /// Its place in the reception's list.
    pub(super) place: usize,
    /// The places to move it to, to come before or after its neighbour in the phase.
    pub(super) up: Option<usize>,
    pub(super) down: Option<usize>,
}

/// The tasks of one phase.
pub struct PlanPhase {
    pub(super) title: String,
    pub(super) rows: Vec<PlanRow>,
}

#[derive(Template)]
#[template(path = "tasks/plan.html")]
struct PlanPage {
    c: Chrome,
    id: ReceptionId,
    code: String,
    organization: String,
    dates: String,
    phases: Vec<PlanPhase>,
    /// The people who may be given a task: `(id, name)`.
    people: Vec<(String, String)>,
    done: usize,
    total: usize,
    overdue: usize,
    /// A message over the table (a change someone made first).
    notice: Option<String>,
    /// The viewer plans (adds and removes tasks).
    plans: bool,
    /// The groups: `(key, name)`.
    groups: Vec<(String, String)>,
    /// The phases: `(code, name)`.
    phase_options: Vec<(&'static str, String)>,
    /// What the "add a task" form had typed, when it came back with a problem.
    new: AddForm,
    /// Lessons to apply: the open improvement actions of earlier receptions.
    lessons: Vec<crate::review::lessons::LessonRow>,
}

/// The people who may be given a task (the leads and members of the groups), by name:
/// `(id, name)`.
pub(super) async fn group_people(
    s: &AppState,
    teams: &[jiedai_app::tasks::StoredTeam],
) -> AppResult<Vec<(String, String)>> {
    let mut people: Vec<(String, String)> = Vec::new();
    let mut seen: Vec<UserId> = Vec::new();
    for t in teams {
        for m in t.members.iter().chain(t.lead.iter()) {
            if !seen.contains(m) {
                seen.push(*m);
                people.push((m.to_string(), accounts::display_name(&s.app, *m).await?));
            }
        }
    }
    people.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(people)
}

/// The task `task` of reception `id` as the viewer may see it (another reception's: not
/// found), with the viewer.
pub(super) async fn task_of(
    s: &AppState,
    cx: &Cx,
    id: ReceptionId,
    task: &str,
) -> AppResult<(TaskId, jiedai_domain::reception::Viewer)> {
    let task: TaskId = task.parse().map_err(|_| AppError::NotFound)?;
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    if tasks::get(&s.app, &viewer, task).await?.task.reception_id != id {
        return Err(AppError::NotFound);
    }
    Ok((task, viewer))
}

pub(super) async fn name(s: &AppState, id: Option<UserId>) -> AppResult<String> {
    Ok(match id {
        Some(u) => accounts::display_name(&s.app, u).await?,
        None => String::new(),
    })
}

pub(super) async fn render(
    s: &AppState,
    cx: &Cx,
    id: ReceptionId,
    mut sent: Option<(TaskId, &TaskForm, FormErrors)>,
    typed_new: Option<AddForm>,
    notice: Option<String>,
    status: StatusCode,
) -> AppResult<Response> {
    let tr = cx.tr();
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let v = receptions::get(&s.app, &viewer, id).await?;
    let list = tasks::of_reception(&s.app, &viewer, id).await?;
    let plans = viewer.roles.contains(Role::Coordinator) || viewer.roles.contains(Role::Admin);
    let teams = tasks::teams(&s.app).await?;
    let groups: Vec<(String, String)> = teams
        .iter()
        .map(|t| (t.key.clone(), if tr.lang == Language::ZhCn { t.name_zh.clone() } else { t.name_en.clone() }))
        .collect();
    let people = group_people(s, &teams).await?;
    let c = Chrome::new(cx);
    let zh = tr.lang == Language::ZhCn;
    let (total, done) = (list.len(), list.iter().filter(|t| t.task.status.is_settled()).count());
    let overdue = list.iter().filter(|t| t.overdue).count();
    let mut phases: Vec<PlanPhase> =
        Phase::all().iter().map(|p| PlanPhase { title: tr.t(keys::phase(*p)).to_owned(), rows: Vec::new() }).collect();
    for (place, TaskView { task: t, overdue, .. }) in list.into_iter().enumerate() {
        let holds = t.responsible_id == Some(viewer.user_id) || t.assistant_id == Some(viewer.user_id);
        let mut row = PlanRow {
            id: t.id,
            title: if zh { t.title_zh.clone() } else { t.title_en.clone() },
            group: group_label(tr, &t.group),
            duties: if zh { t.duties_zh.clone() } else { t.duties_en.clone() },
            due: c.date(&t.due),
            due_iso: t.due.to_string(),
            due_time: t.due_time.map(|x| x.format("%H:%M").to_string()).unwrap_or_default(),
            responsible_id: t.responsible_id.map(|u| u.to_string()).unwrap_or_default(),
            responsible: name(s, t.responsible_id).await?,
            assistant_id: t.assistant_id.map(|u| u.to_string()).unwrap_or_default(),
            assistant: name(s, t.assistant_id).await?,
            note: t.note.clone(),
            status: status_label(tr, t.status),
            badge: status_badge(t.status),
            overdue,
            version: t.version,
            plans,
            notes: plans || holds,
            errs: FormErrors::none(),
            steps: if plans || holds { super::pages::steps(tr, t.status) } else { Vec::new() },
            place,
            up: None,
            down: None,
        };
        // A row sent with problems shows what was typed, and why it was not kept.
        if sent.as_ref().is_some_and(|(sent_id, _, _)| *sent_id == t.id)
            && let Some((_, f, errs)) = sent.take()
        {
            row.responsible_id = f.responsible_id.clone();
            row.assistant_id = f.assistant_id.clone();
            row.due_iso = f.due.clone();
            row.due_time = f.due_time.clone();
            row.note = f.note.clone();
            row.errs = errs;
        }
        let i = Phase::all().iter().position(|p| *p == t.phase).unwrap_or(0);
        phases[i].rows.push(row);
    }
    phases.retain(|p| !p.rows.is_empty());
    // Up and down move a task past its neighbour in its phase.
    for ph in &mut phases {
        let places: Vec<usize> = ph.rows.iter().map(|r| r.place).collect();
        for (i, r) in ph.rows.iter_mut().enumerate() {
            r.up = i.checked_sub(1).map(|j| places[j]);
            r.down = places.get(i + 1).copied();
        }
    }
    let dates = c.dates(&v.r.visit_start, &v.r.visit_end);
    let lessons = crate::review::lessons::rows(s, &c, &viewer, id).await?;
    let mut r = page(&PlanPage {
        c,
        id,
        code: v.r.code.clone(),
        organization: v.r.form.guest_organization.clone(),
        dates,
        phases,
        people,
        done,
        total,
        overdue,
        notice,
        plans,
        groups,
        phase_options: Phase::all().iter().map(|p| (p.as_str(), tr.t(keys::phase(*p)).to_owned())).collect(),
        new: typed_new.unwrap_or_default(),
        lessons,
    });
    *r.status_mut() = status;
    Ok(r)
}

impl PlanPage {
    /// The person chosen for `field` (`responsible_id`, `assistant_id`) of a row.
    fn picked(&self, t: &PlanRow, field: &str, person: &str) -> bool {
        match field {
            "responsible_id" => t.responsible_id == person,
            _ => t.assistant_id == person,
        }
    }
}

/// `GET /receptions/{id}/tasks`.
pub async fn plan(State(s): State<AppState>, cx: Cx, Id(id): Id<ReceptionId>) -> AppResult<Response> {
    render(&s, &cx, id, None, None, None, StatusCode::OK).await
}

/// What a row's form sends.
#[derive(Deserialize)]
pub struct TaskForm {
    #[serde(default)]
    version: i32,
    #[serde(default)]
    responsible_id: String,
    #[serde(default)]
    assistant_id: String,
    #[serde(default)]
    due: String,
    #[serde(default)]
    due_time: String,
    #[serde(default)]
    note: String,
}

/// `POST /receptions/{id}/tasks/{task}`: saves a row; its problems shown on it, all at once.
pub async fn save(
    State(s): State<AppState>,
    cx: Cx,
    IdAnd(id, task): IdAnd<ReceptionId>,
    CsrfForm(f): CsrfForm<TaskForm>,
) -> AppResult<Response> {
    let task: TaskId = task.parse().map_err(|_| AppError::NotFound)?;
    let tr = cx.tr();
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let current = tasks::get(&s.app, &viewer, task).await?.task;
    if current.reception_id != id {
        return Err(AppError::NotFound);
    }
    let mut errs = jiedai_domain::FieldErrors::new();
    let person = |field: &str, v: &str, errs: &mut jiedai_domain::FieldErrors| match v.trim() {
        "" => None,
        v => match v.parse::<UserId>() {
            Ok(u) => Some(u),
            Err(_) => {
                errs.push(jiedai_domain::FieldError::new(field, "person_not_active"));
                None
            }
        },
    };
    let responsible_id = person("responsible_id", &f.responsible_id, &mut errs);
    let assistant_id = person("assistant_id", &f.assistant_id, &mut errs);
    let due = match chrono::NaiveDate::parse_from_str(f.due.trim(), "%Y-%m-%d") {
        Ok(d) => d,
        Err(_) if f.due.trim().is_empty() => current.due,
        Err(_) => {
            errs.push(jiedai_domain::FieldError::new("due", "invalid_date"));
            current.due
        }
    };
    let due_time = match f.due_time.trim() {
        "" => None,
        t => match chrono::NaiveTime::parse_from_str(t, "%H:%M") {
            Ok(t) => Some(t),
            Err(_) => {
                errs.push(jiedai_domain::FieldError::new("due_time", "invalid_time"));
                current.due_time
            }
        },
    };
    if !errs.is_empty() {
        let e = FormErrors::of(tr, &errs);
        return render(&s, &cx, id, Some((task, &f, e)), None, None, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let edit = TaskEdit { version: f.version, responsible_id, assistant_id, note: f.note.clone(), due, due_time };
    match tasks::update(&s.app, &viewer, task, edit, &cx.actor()).await {
        Ok(v) => {
            // A responsible with another on-site task at the same time: saved, and said.
            let flash = if v.warnings.get("responsible_id").is_some() {
                "tasks.saved_with_clash"
            } else if v.warnings.get("due").is_some() {
                "tasks.saved_out_of_phase"
            } else {
                "tasks.saved"
            };
            Ok(redirect_with_flash(&format!("/receptions/{id}/tasks"), flash, s.secure_cookies()))
        }
        Err(jiedai_app::Error::Validation(errs)) => {
            let e = FormErrors::of(tr, &errs);
            render(&s, &cx, id, Some((task, &f, e)), None, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(jiedai_app::Error::StaleVersion) => {
            let notice = Some(tr.t("tasks.moved_meanwhile").to_owned());
            render(&s, &cx, id, None, None, notice, StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

/// What the "add a task" form sends (and shows again when it comes back with a problem).
#[derive(Deserialize, Default, Clone)]
pub struct AddForm {
    #[serde(default)]
    pub(super) phase: String,
    #[serde(default)]
    pub(super) group: String,
    #[serde(default)]
    pub(super) title: String,
    #[serde(default)]
    pub(super) due: String,
    #[serde(default)]
    pub(super) due_time: String,
    #[serde(default)]
    pub(super) responsible_id: String,
}
