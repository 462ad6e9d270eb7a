//! The reports across receptions, for General Management, finance and administrators: the
//! store counts each figure in one grouped query, this module puts names and the procedure's
//! standards beside them and works out the shares.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use jiedai_domain::procedure::{Procedure, Survey};
use jiedai_domain::reception::{State, Viewer};
use jiedai_domain::reports::{
    ActionFigures, Count, DepartmentCount, ItemScore, LateRow, Month, MonthScore, OpenAction, Overrun, OverrunRow,
    Period, ReceptionFigures, SatisfactionFigures, SavingFigures, SavingRow, SpendFigures, Summary, TaskFigures,
    TaskRow, TierSpend, average_hundredths, per_guest, share_bp, standard_per_guest,
};
use jiedai_domain::{Code, DepartmentId, Fen, Permission, ReceptionId, Tier};
use jiedai_store::{OpenActionRow, OverrunRowDb, SurveyDay, TierSpendRow};

use crate::{App, Error, Result};

/// The largest over-runs listed.
pub const MAX_OVERRUNS: u64 = 10;
/// The open improvement actions listed (the first due).
pub const MAX_ACTIONS: u64 = 20;

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
    let today = app.today();
    let (counts, tasks, savings, survey_days, departments, tiers, overruns, open_actions) = tokio::try_join!(
        store.report_receptions(&period),
        store.report_tasks(&period),
        store.report_savings(&period),
        store.report_survey_days(&period),
        store.list_departments(),
        store.report_spend(&period),
        store.report_overruns(&period, MAX_OVERRUNS),
        store.report_open_actions(period.department, today, MAX_ACTIONS),
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
        spend: spend(&tiers, overruns, &procedure.procedure),
        satisfaction: satisfaction(&survey_days, &procedure.procedure.survey, &period),
        late,
        tasks,
        savings,
        actions: actions(open_actions.0, open_actions.1, open_actions.2, today),
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

/// Spending of the settled receptions: against their budgets overall, per guest against each
/// tier's standard (each reception's in force on its first visit day), and the largest
/// over-runs.
fn spend(tiers: &[TierSpendRow], overruns: Vec<OverrunRowDb>, procedure: &Procedure) -> SpendFigures {
    let by_tier: Vec<TierSpend> = Tier::all()
        .iter()
        .map(|t| t.as_str())
        .chain([""])
        .filter_map(|key| {
            let days: Vec<&TierSpendRow> = tiers.iter().filter(|t| t.tier == key).collect();
            if days.is_empty() {
                return None;
            }
            let guests: i64 = days.iter().map(|t| t.guests).sum();
            let actual = Fen::new(days.iter().map(|t| t.actual_fen).sum());
            let per_guest = per_guest(actual, guests);
            // Each day's receptions are held to the standard in force on that day.
            let standard = Tier::parse(key).and_then(|k| {
                let groups: Vec<(i64, Option<Fen>)> = days
                    .iter()
                    .map(|t| (t.guests, procedure.tier_on(k, t.visit_start).map(|s| s.standard_per_person)))
                    .collect();
                standard_per_guest(&groups)
            });
            Some(TierSpend {
                tier: if key.is_empty() { "none".into() } else { key.to_owned() },
                receptions: days.iter().map(|t| t.receptions).sum(),
                guests,
                actual_fen: actual,
                per_guest_fen: per_guest,
                standard_per_person_fen: standard,
                over: per_guest.zip(standard).map(|(p, s)| Overrun::of(s, p)),
            })
        })
        .collect();
    let settled = tiers.iter().map(|t| t.receptions).sum();
    let actual_fen = Fen::new(tiers.iter().map(|t| t.actual_fen).sum());
    let budget_fen = Fen::new(tiers.iter().map(|t| t.budget_fen).sum());
    let largest_overruns = overruns
        .into_iter()
        .map(|o| OverrunRow {
            reception_id: ReceptionId(o.reception_id),
            code: o.code,
            guest_organization: o.guest_organization,
            budget_fen: Fen::new(o.budget_fen),
            actual_fen: Fen::new(o.actual_fen),
            over: Overrun::of(Fen::new(o.budget_fen), Fen::new(o.actual_fen)),
        })
        .collect();
    SpendFigures {
        settled,
        actual_fen,
        budget_fen,
        over: (budget_fen.get() > 0).then(|| Overrun::of(budget_fen, actual_fen)),
        by_tier,
        largest_overruns,
    }
}

/// Improvement actions still open, the most overdue first.
fn actions(open: i64, overdue: i64, rows: Vec<OpenActionRow>, today: NaiveDate) -> ActionFigures {
    ActionFigures {
        open,
        overdue,
        list: rows
            .into_iter()
            .map(|a| OpenAction {
                id: a.id,
                what: a.what,
                owner: a.owner,
                due_on: a.due_on,
                overdue: a.due_on < today,
                reception_code: a.reception_code,
            })
            .collect(),
    }
}
