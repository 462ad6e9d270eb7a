//! The reports across receptions, for General Management, finance and administrators: the
//! store counts each figure in one grouped query, this module puts names and the procedure's
//! standards beside them and works out the shares.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use jiedai_domain::procedure::Survey;
use jiedai_domain::reception::{State, Viewer};
use jiedai_domain::reports::{
    Count, DepartmentCount, ItemScore, LateRow, Month, MonthScore, Period, ReceptionFigures, SatisfactionFigures,
    SavingFigures, SavingRow, Summary, TaskFigures, TaskRow, average_hundredths, share_bp,
};
use jiedai_domain::{Code, DepartmentId, Fen, Permission, Tier};
use jiedai_store::SurveyDay;

use crate::{App, Error, Result};

/// True for those who may read the reports.
pub fn may_view(viewer: &Viewer) -> bool {
    Permission::ViewReports.allows(Some(viewer.roles))
}

/// The period asked for: the twelve months to the end of this month unless told otherwise
/// (every problem with the dates at once).
pub fn period(
    app: &App,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    department: Option<DepartmentId>,
) -> Result<Period> {
    Period::check(from, to, department, app.today()).map_err(Error::Validation)
}

/// The report of a period.
pub async fn summary(app: &App, viewer: &Viewer, period: Period) -> Result<Summary> {
    if !may_view(viewer) {
        return Err(Error::Forbidden);
    }
    let store = app.store();
    let (counts, tasks, savings, survey_days, departments) = tokio::try_join!(
        store.report_receptions(&period),
        store.report_tasks(&period),
        store.report_savings(&period),
        store.report_survey_days(&period),
        store.list_departments(),
    )?;
    let procedure = app.current_procedure().await?;
    let names: BTreeMap<i32, String> = departments.into_iter().map(|d| (d.id.get(), d.name)).collect();
    let name = |id: i32| names.get(&id).cloned().unwrap_or_else(|| format!("#{id}"));

    let mut by_state: BTreeMap<&str, i64> = BTreeMap::new();
    let mut by_tier: BTreeMap<String, i64> = BTreeMap::new();
    let mut by_department: BTreeMap<i32, (i64, i64, i64)> = BTreeMap::new();
    let mut receptions = ReceptionFigures::default();
    for c in &counts {
        receptions.total += c.receptions;
        receptions.guests += c.guests;
        let state = State::parse(&c.state).map_or("draft", State::as_str);
        *by_state.entry(state).or_default() += c.receptions;
        let tier = if c.tier.is_empty() { "none".to_owned() } else { c.tier.clone() };
        *by_tier.entry(tier).or_default() += c.receptions;
        let d = by_department.entry(c.department_id).or_default();
        d.0 += c.receptions;
        if state != State::Draft.as_str() {
            d.1 += c.receptions;
            if c.late {
                d.2 += c.receptions;
            }
        }
    }
    receptions.by_state = State::all()
        .iter()
        .filter_map(|s| by_state.get(s.as_str()).map(|n| Count { key: s.as_str().to_owned(), count: *n }))
        .collect();
    receptions.by_tier = Tier::all()
        .iter()
        .map(|t| t.as_str())
        .chain(["none"])
        .filter_map(|t| by_tier.get(t).map(|n| Count { key: t.to_owned(), count: *n }))
        .collect();
    receptions.by_department = by_department
        .iter()
        .map(|(id, (n, _, _))| DepartmentCount { department_id: DepartmentId(*id), name: name(*id), count: *n })
        .collect();
    receptions.by_department.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    let mut late: Vec<LateRow> = by_department
        .iter()
        .filter(|(_, (_, requests, _))| *requests > 0)
        .map(|(id, (_, requests, late))| LateRow {
            department_id: DepartmentId(*id),
            name: name(*id),
            requests: *requests,
            late: *late,
            share_bp: share_bp(*late, *requests),
        })
        .collect();
    late.sort_by(|a, b| {
        b.share_bp.cmp(&a.share_bp).then_with(|| b.late.cmp(&a.late)).then_with(|| a.name.cmp(&b.name))
    });

    let by_group: Vec<TaskRow> = tasks
        .iter()
        .map(|t| TaskRow {
            group: t.group_key.clone(),
            done: t.done,
            on_time: t.on_time,
            share_bp: share_bp(t.on_time, t.done),
        })
        .collect();
    let (done, on_time) = by_group.iter().fold((0, 0), |(d, o), r| (d + r.done, o + r.on_time));
    let tasks = TaskFigures { done, on_time, share_bp: share_bp(on_time, done), by_group };

    let by_item: Vec<SavingRow> = savings
        .into_iter()
        .map(|s| SavingRow { name: s.name, quantity: s.quantity, value_fen: Fen::new(s.value_fen) })
        .collect();
    let total_fen = Fen::checked_sum(by_item.iter().map(|s| s.value_fen)).unwrap_or(Fen::MAX);
    let savings = SavingFigures { total_fen, by_item };

    Ok(Summary {
        from: period.from,
        to: period.to,
        department_id: period.department,
        receptions,
        spend: Default::default(),
        satisfaction: satisfaction(&survey_days, &procedure.procedure.survey, &period),
        late,
        tasks,
        savings,
        actions: Default::default(),
    })
}

/// A normalised total out of 100, in hundredths: the scores' sum against their references'.
fn total_of(score_sum: i64, reference_sum: i64) -> Option<i64> {
    share_bp(score_sum, reference_sum)
}

/// Satisfaction per item (the items of today's survey first, in its order; items of earlier
/// versions after them) and the normalised total by month of the visit.
fn satisfaction(days: &[SurveyDay], survey: &Survey, period: &Period) -> SatisfactionFigures {
    let mut items: BTreeMap<&str, (i64, i64, i64)> = BTreeMap::new();
    let mut months: BTreeMap<Month, (i64, i64, i64)> = BTreeMap::new();
    for d in days {
        let sum = if d.item_key.is_empty() {
            months.entry(Month::of(d.visit_start)).or_default()
        } else {
            items.entry(d.item_key.as_str()).or_default()
        };
        sum.0 += d.responses;
        sum.1 += d.score_sum;
        sum.2 += d.reference_sum;
    }
    let mut out: Vec<ItemScore> = survey
        .items
        .iter()
        .map(|i| {
            let (n, score, _) = items.remove(i.key.as_str()).unwrap_or_default();
            ItemScore {
                key: i.key.clone(),
                text_zh: i.text_zh.clone(),
                text_en: i.text_en.clone(),
                reference: i64::from(i.reference_score),
                average_hundredths: average_hundredths(score, n),
            }
        })
        .collect();
    out.extend(items.into_iter().map(|(key, (n, score, reference))| ItemScore {
        key: key.to_owned(),
        text_zh: key.to_owned(),
        text_en: key.to_owned(),
        reference: if n > 0 { reference / n } else { 0 },
        average_hundredths: average_hundredths(score, n),
    }));
    let (responses, score, reference) = months.values().fold((0, 0, 0), |(a, b, c), (n, s, r)| (a + n, b + s, c + r));
    let by_month = period
        .months()
        .into_iter()
        .map(|m| {
            let (n, s, r) = months.get(&m).copied().unwrap_or_default();
            MonthScore { month: m, responses: n, total_hundredths: total_of(s, r) }
        })
        .collect();
    SatisfactionFigures { responses, total_hundredths: total_of(score, reference), items: out, by_month }
}
