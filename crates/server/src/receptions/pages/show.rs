//! One reception at a glance: its state and what the viewer may do now, its timeline on
//! the working-day calendar, the form in the paper's sections, and its history.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use jiedai_app::receptions;
use jiedai_domain::reception::{Action, State as RState};
use jiedai_domain::{Code, Language, Permission, ReceptionId};

use crate::auth::Cx;
use crate::error::AppResult;
use crate::extract::Id;
use crate::i18n::keys;
use crate::receptions::view::{
    Days, Section, change_text, late_label, sections_with, state_badge, state_label, tier_label,
};
use crate::render::{Chrome, page};
use crate::state::AppState;
use jiedai_domain::procedure::deadline_label as offset_label;

/// A stage on the page's timeline.
pub struct StageRow {
    name: String,
    offset: String,
    due: String,
    /// The day in ISO form, for machines (`<time datetime>`).
    iso: String,
    status: &'static str,
    status_label: String,
    record: String,
}

/// An entry of the history.
pub struct HistoryRow {
    at: String,
    actor: String,
    action: String,
    comment: String,
    changes: Vec<String>,
}

/// A file attached to the request.
pub struct AttachmentRow {
    id: i32,
    name: String,
    size: String,
    removable: bool,
}

#[derive(Template)]
#[template(path = "receptions/show.html")]
struct ShowPage {
    c: Chrome,
    id: ReceptionId,
    code: String,
    organization: String,
    state: String,
    badge: &'static str,
    late: String,
    state_note: String,
    state_note_label: String,
    actions: Vec<(String, String, &'static str)>,
    editable: bool,
    warnings: Vec<String>,
    uncovered: Option<String>,
    is_admin: bool,
    stages: Vec<StageRow>,
    sections: Vec<Section>,
    people: Vec<(&'static str, Vec<Vec<String>>)>,
    personal: bool,
    history: Vec<HistoryRow>,
    recommended: Option<String>,
    procedure_version: i32,
    late_reason: String,
    approved: Option<String>,
    attachments: Vec<AttachmentRow>,
    may_attach: bool,
    may_copy: bool,
    /// Taken on: its task division exists.
    has_tasks: bool,
    /// Lost property of the reception not yet gone back.
    lost_open: usize,
    /// The satisfaction survey's open guest links, as QR codes.
    survey_qrs: Vec<crate::survey::qr::LinkQr>,
    /// The task division's progress ("3/9 done"), and how many tasks are overdue.
    task_progress: Option<(String, usize)>,
    /// The approver's decision in one step, with the comment box (approve, return, reject).
    decide: Vec<(&'static str, String, &'static str)>,
    budget: Vec<(String, String)>,
    version: i32,
}

/// A size as people read it: `532 KB`, `1.2 MB`.
fn size_text(bytes: i64) -> String {
    if bytes < 1024 * 1024 {
        format!("{} KB", (bytes + 1023) / 1024)
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    }
}

/// `GET /receptions/{id}`.
pub async fn show(State(s): State<AppState>, cx: Cx, Id(id): Id<ReceptionId>) -> AppResult<Response> {
    let tr = cx.tr();
    let zh = cx.lang == Language::ZhCn;
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let (v, history) = receptions::get_with_history(&s.app, &viewer, id).await?;
    let today = s.app.today();
    // Taken on: the division's progress and its overdue tasks, counted on the reception.
    let has_tasks = v.r.state.is_under_way() || v.r.state == RState::Closed;
    let task_progress = if has_tasks {
        let list = jiedai_app::tasks::of_viewed(&s.app, &v).await?;
        let done = list.iter().filter(|t| t.task.status.is_settled()).count();
        let text =
            tr.t("tasks.done_of").replace("{done}", &done.to_string()).replace("{total}", &list.len().to_string());
        Some((text, list.iter().filter(|t| t.overdue).count()))
    } else {
        None
    };
    let lost_open = if has_tasks {
        jiedai_app::resources::lost_found_of(&s.app, &viewer, id).await?.iter().filter(|l| l.returned.is_none()).count()
    } else {
        0
    };
    let survey_qrs = if has_tasks { crate::survey::qr::open_link_qrs(&s, tr, id).await? } else { Vec::new() };
    let stages = v
        .timeline
        .iter()
        .zip(v.procedure.stages.iter())
        .map(|(t, st)| StageRow {
            name: if zh { st.name_zh.clone() } else { st.name_en.clone() },
            offset: offset_label(st.offset_working_days),
            due: tr.date(t.due, today),
            iso: t.due.to_string(),
            status: t.status.as_str(),
            status_label: tr.t(keys::stage_status(t.status)).to_owned(),
            record: if zh { st.record_zh.clone() } else { st.record_en.clone() },
        })
        .collect();
    let approved = match (&v.approver, history.iter().find(|h| h.action == "approve")) {
        (Some(name), Some(h)) => {
            Some(tr.t_with("reception.approved_by", &[("name", name), ("at", &tr.datetime(h.at, s.tz()))]))
        }
        _ => None,
    };
    let history = history
        .into_iter()
        .map(|h| HistoryRow {
            at: tr.datetime(h.at, s.tz()),
            actor: match &h.on_behalf_of_name {
                Some(approver) => tr.t_with("reception.on_behalf", &[("name", &h.actor_name), ("approver", approver)]),
                None => h.actor_name.clone(),
            },
            action: keys::did(&h.action).map_or(h.action.clone(), |k| tr.t(k).to_owned()),
            changes: h
                .changes
                .iter()
                .filter(|c| c.field != "state" || h.action == "update")
                .map(|c| change_text(tr, today, c))
                .collect(),
            comment: h.comment,
        })
        .collect();
    let user_id = cx.user()?.id;
    let open = !v.r.state.is_closed();
    let attachments = v
        .attachments
        .iter()
        .map(|a| AttachmentRow {
            id: a.id,
            name: a.name.clone(),
            size: size_text(a.size),
            removable: open && (a.uploaded_by == Some(user_id) || v.standing.is_requester || viewer.is_admin()),
        })
        .collect();
    let may_attach = receptions::attachments::may_attach(&v.standing, v.r.state);
    let may_copy = cx.allows(Permission::RequestReception);
    let decide = [Action::Approve, Action::Return, Action::Reject]
        .into_iter()
        .filter(|a| v.actions.contains(a))
        .map(|a| {
            let class = if a == Action::Approve {
                "btn btn-primary"
            } else if a.is_destructive() {
                "btn btn-danger"
            } else {
                "btn"
            };
            (a.as_str(), tr.t(keys::action(a)).to_owned(), class)
        })
        .collect::<Vec<_>>();
    let budget = match v.r.form.budget_breakdown(&v.procedure) {
        Some(b) => {
            let mut rows = vec![
                (tr.t("reception.budget_service").to_owned(), tr.money(b.service)),
                (tr.t("reception.budget_hotel").to_owned(), tr.money(b.hotel)),
                (tr.t("reception.budget_meals").to_owned(), tr.money(b.meals)),
            ];
            if let Some(std) = b.standard {
                let tier = tier_label(tr, v.r.form.tier);
                let count = tr.plural("reception.persons", i64::from(v.r.form.headcount()));
                rows.push((
                    tr.t_with("reception.budget_standard", &[("tier", &tier), ("count", &count)]),
                    tr.money(std),
                ));
            }
            rows
        }
        None => Vec::new(),
    };
    let uncovered = (!v.uncovered_years.is_empty()).then(|| {
        let years: Vec<String> = v.uncovered_years.iter().map(|y| y.to_string()).collect();
        tr.t_with("reception.uncovered_years", &[("years", &tr.list(&years))])
    });
    let warnings = v.warnings.0.iter().map(|w| tr.field_error(w)).collect();
    let person = |p: &jiedai_domain::reception::Person, personal: bool| {
        let mut row = vec![p.name.clone(), p.title.clone()];
        if personal {
            row.push(p.phone.clone());
            row.push(p.needs.clone());
        }
        row
    };
    let personal = v.standing.sees_personal_data();
    let actions = v
        .actions
        .iter()
        .filter(|a| !a.is_decision())
        .map(|a| {
            let class = match a {
                _ if a.is_destructive() => "btn btn-danger",
                Action::Return => "btn",
                _ => "btn btn-primary",
            };
            (format!("/receptions/{id}/{}", a.as_str()), tr.t(keys::action(*a)).to_owned(), class)
        })
        .collect();
    let state_note_label = match v.r.state {
        RState::Returned => "reception.returned_because",
        RState::Rejected => "reception.rejected_because",
        _ => "reception.cancelled_because",
    };
    Ok(page(&ShowPage {
        c: Chrome::new(&cx),
        id,
        code: v.r.code.clone(),
        organization: v.r.form.guest_organization.clone(),
        state: state_label(tr, v.r.state),
        badge: state_badge(v.r.state),
        late: late_label(tr, v.r.late, v.r.late_working_days),
        state_note: v.r.state_note.clone(),
        state_note_label: tr.t(state_note_label).to_owned(),
        actions,
        editable: v.editable(),
        warnings,
        uncovered,
        is_admin: cx.allows(Permission::ManageCalendar),
        stages,
        sections: sections_with(tr, &v, Days::Read(today)),
        people: vec![
            ("reception.f.companions", v.r.form.companions.iter().map(|p| person(p, personal)).collect()),
            ("reception.f.support_staff", v.r.form.support_staff.iter().map(|p| person(p, personal)).collect()),
        ],
        personal,
        history,
        recommended: v.recommended_budget.map(|f| tr.money(f)),
        procedure_version: v.r.procedure_version,
        late_reason: v.r.late_reason.clone(),
        approved,
        attachments,
        may_attach,
        may_copy,
        has_tasks,
        lost_open,
        survey_qrs,
        task_progress,
        decide,
        budget,
        version: v.r.version,
    }))
}
