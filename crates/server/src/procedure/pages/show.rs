//! The procedure at a glance: the company's one-page reference, for everyone.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use jiedai_app::procedure;
use jiedai_domain::Language;

use crate::auth::Cx;
use crate::error::AppResult;
use crate::i18n::keys;
use crate::render::{Chrome, page};
use crate::state::AppState;
use jiedai_domain::procedure::deadline_label as offset_label;

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
    phase: String,
    group: String,
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
#[template(path = "procedure/show.html")]
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

/// `GET /procedure`.
pub async fn show(State(s): State<AppState>, cx: Cx) -> AppResult<Response> {
    let v = procedure::current(&s.app).await?;
    let tr = cx.tr();
    let zh = cx.lang == Language::ZhCn;
    let pick = |a: &str, b: &str| if zh { a.to_owned() } else { b.to_owned() };
    let p = &v.procedure;
    let stages = p
        .stages
        .iter()
        .map(|st| StageRow {
            offset: offset_label(st.offset_working_days),
            name: pick(&st.name_zh, &st.name_en),
            work: pick(&st.work_zh, &st.work_en),
            owner: keys::role(st.owner),
            record: pick(&st.record_zh, &st.record_en),
        })
        .collect();
    let tiers = p
        .tiers
        .iter()
        .map(|t| TierRow {
            name: pick(&t.name_zh, &t.name_en),
            standard: tr.money(t.standard_per_person),
            since: t.effective_from.to_string(),
        })
        .collect();
    let tasks = p
        .tasks
        .iter()
        .map(|t| TaskRow {
            phase: tr.t(keys::phase(t.phase)).to_owned(),
            group: tr.t(keys::group(t.group)).to_owned(),
            item: pick(&t.item_zh, &t.item_en),
            duties: pick(&t.duties_zh, &t.duties_en),
            due: match t.due_time {
                Some(time) => format!("{} {}", offset_label(t.due_offset_working_days), time.format("%H:%M")),
                None => offset_label(t.due_offset_working_days),
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
        since: tr.datetime(v.created_at, s.tz()),
        stages,
        tiers,
        tasks,
        items,
        survey,
        survey_total: p.survey.total,
        can_manage: cx.allows(jiedai_domain::Permission::ManageProcedure),
    }))
}
