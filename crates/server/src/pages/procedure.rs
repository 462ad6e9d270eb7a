//! The procedure at a glance: the company's one-page reference, for everyone.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use jiedai_domain::Language;
use jiedai_domain::procedure::{Group, Phase};

use super::role_key;
use crate::app::AppState;
use crate::auth::Cx;
use crate::error::AppResult;
use crate::render::{Chrome, page};
use crate::service::procedure;

/// A stage on the timeline.
pub struct StageRow {
    offset: String,
    name: String,
    work: String,
    owner: &'static str,
    record: String,
}

/// A tier with its standard.
pub struct TierRow {
    name: String,
    standard: String,
    since: String,
}

/// A task of the default division.
pub struct TaskRow {
    phase: &'static str,
    group: &'static str,
    item: String,
    duties: String,
    due: String,
}

/// An item of the default list.
pub struct ItemRow {
    category: String,
    name: String,
    unit: String,
    reusable: bool,
}

#[derive(Template)]
#[template(path = "procedure.html")]
struct ProcedurePage {
    c: Chrome,
    version: i32,
    since: String,
    stages: Vec<StageRow>,
    tiers: Vec<TierRow>,
    tasks: Vec<TaskRow>,
    items: Vec<ItemRow>,
    survey: Vec<(String, u32)>,
    survey_total: u32,
    can_manage: bool,
}

fn offset(n: i32) -> String {
    match n {
        0 => "T".into(),
        n if n > 0 => format!("T+{n}"),
        n => format!("T{n}"),
    }
}

/// `GET /procedure`.
pub async fn show(State(app): State<AppState>, cx: Cx) -> AppResult<Response> {
    let v = procedure::current(&app.store).await?;
    let tr = cx.tr();
    let zh = cx.lang == Language::ZhCn;
    let pick = |a: &str, b: &str| if zh { a.to_owned() } else { b.to_owned() };
    let p = &v.procedure;
    let stages = p
        .stages
        .iter()
        .map(|s| StageRow {
            offset: offset(s.offset_working_days),
            name: pick(&s.name_zh, &s.name_en),
            work: pick(&s.work_zh, &s.work_en),
            owner: role_key(s.owner),
            record: pick(&s.record_zh, &s.record_en),
        })
        .collect();
    let tiers = p
        .tiers
        .iter()
        .map(|t| TierRow {
            name: pick(&t.name_zh, &t.name_en),
            standard: tr.money(t.standard_per_person_fen),
            since: t.effective_from.to_string(),
        })
        .collect();
    let tasks = p
        .tasks
        .iter()
        .map(|t| TaskRow {
            phase: match t.phase {
                Phase::Before => "procedure.phase_before",
                Phase::OnSite => "procedure.phase_on_site",
                Phase::CloseDown => "procedure.phase_close_down",
            },
            group: match t.group {
                Group::Driver => "procedure.group_driver",
                Group::Guest => "procedure.group_guest",
                Group::Logistics => "procedure.group_logistics",
                Group::Process => "procedure.group_process",
                Group::Service => "procedure.group_service",
            },
            item: pick(&t.item_zh, &t.item_en),
            duties: pick(&t.duties_zh, &t.duties_en),
            due: match t.due_time {
                Some(time) => format!("{} {}", offset(t.due_offset_working_days), time.format("%H:%M")),
                None => offset(t.due_offset_working_days),
            },
        })
        .collect();
    let items = p
        .items
        .iter()
        .map(|i| ItemRow {
            category: pick(&i.category_zh, &i.category_en),
            name: pick(&i.name_zh, &i.name_en),
            unit: pick(&i.unit_zh, &i.unit_en),
            reusable: i.reusable,
        })
        .collect();
    let survey = p.survey.items.iter().map(|s| (pick(&s.text_zh, &s.text_en), s.reference_score)).collect();
    Ok(page(&ProcedurePage {
        c: Chrome::new(&cx),
        version: v.version,
        since: tr.datetime(v.created_at, app.settings.timezone),
        stages,
        tiers,
        tasks,
        items,
        survey,
        survey_total: p.survey.total,
        can_manage: cx.allows(jiedai_domain::Permission::ManageProcedure),
    }))
}
