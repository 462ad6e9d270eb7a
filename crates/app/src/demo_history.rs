//! The demo's close-out and its past year: each finished demo reception gets its money
//! (expenses against the budgets, submitted by General Management and approved by finance),
//! its satisfaction survey (General Management's and the guests') and its review meeting
//! with an improvement action; and three receptions a month over the past twelve months go
//! the whole way to closed, so that `/reports` shows trends. Made through the same use cases
//! people use (checked the same way), with the demo's people as actors.

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc};
use jiedai_domain::reception::{Action, State, late_working_days};
use jiedai_domain::review::{ActionInput, GroupReport, MinutesInput};
use jiedai_domain::settlement::{ExpenseCategory, ExpenseInput, PaidBy, SettlementAction};
use jiedai_domain::survey::{RawAnswer, RespondentKind};
use jiedai_domain::tasks::TaskStatus;
use jiedai_domain::{Actor, Code, Fen, User};
use jiedai_store::{ReceptionChange, StoredReception, TaskChange};

use crate::{App, Result};

/// The people who take part in a close-out.
pub(crate) struct People {
    pub requester: User,
    pub head: User,
    pub gm: User,
    pub staff: User,
    pub finance: User,
}

fn actor(u: &User) -> Actor {
    Actor { user_id: Some(u.id), label: u.username.clone(), ip: None }
}

/// Expenses of a reception against what its form budgets, `pct` per cent of each budget.
fn expenses(r: &StoredReception, pct: i64) -> Vec<ExpenseInput> {
    let f = &r.form;
    let day = r.visit_start;
    let scaled = |b: Option<Fen>| b.map(|b| b.get() * pct / 100).filter(|a| *a > 0);
    let mut out = Vec::new();
    let mut line = |category: ExpenseCategory, amount: i64, vendor: &str| {
        out.push(ExpenseInput {
            category: Some(category),
            amount_fen: amount,
            date: Some(day),
            paid_by: PaidBy::Company,
            vendor: vendor.into(),
            ..Default::default()
        });
    };
    for (wanted, budget, category, vendor) in [
        (f.hotel.wanted, f.hotel.budget_fen, ExpenseCategory::Hotel, "锦江饭店"),
        (f.lunch.wanted, f.lunch.budget_fen, ExpenseCategory::Lunch, "公司餐厅"),
        (f.dinner.wanted, f.dinner.budget_fen, ExpenseCategory::Dinner, "老正兴"),
        (f.entertainment.wanted, f.entertainment.budget_fen, ExpenseCategory::Entertainment, "外滩观光"),
    ] {
        if let Some(a) = scaled(budget).filter(|_| wanted) {
            line(category, a, vendor);
        }
    }
    let guests = i64::from(f.headcount());
    line(ExpenseCategory::FruitTea, 3_000 * guests * pct / 100, "鲜丰水果");
    if f.gifts.is_some() {
        line(ExpenseCategory::Gifts, 6_000 * guests * pct / 100, "故宫文创");
    }
    if f.pickup_car.wanted {
        line(ExpenseCategory::Transport, 18_000, "中石化");
    }
    out
}

/// Scores of a survey response: `base` give or take one, never above the reference.
fn answer(app_survey: &jiedai_domain::procedure::Survey, base: i64, salt: i64) -> RawAnswer {
    let scores = app_survey
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let s = (base + (salt + i as i64) % 3 - 1).clamp(0, i64::from(item.reference_score));
            (item.key.clone(), s.to_string())
        })
        .collect();
    let comment =
        if base >= 9 { "接待周到，非常满意" } else { "整体不错，会场设备调试可以更早" };
    RawAnswer { scores, comment: comment.into(), ..Default::default() }
}

/// The close-out of a reception closing down or closed: money approved (`pct` per cent of its
/// budgets), two survey responses around `score`, the review's minutes and an improvement
/// action (done when `action_done`).
pub(crate) async fn close_out(
    app: &App,
    r: &StoredReception,
    p: &People,
    pct: i64,
    score: i64,
    action_done: bool,
) -> Result<()> {
    let gm_viewer = crate::receptions::viewer_of(app, &p.gm).await?;
    let fin_viewer = crate::receptions::viewer_of(app, &p.finance).await?;
    for e in expenses(r, pct) {
        crate::settlement::add_expense(app, &gm_viewer, r.id, &e, false, &actor(&p.gm)).await?;
    }
    let st = app.store().settlement(r.id).await?;
    let st =
        crate::settlement::act(app, &gm_viewer, r.id, SettlementAction::Submit, st.version, "", &actor(&p.gm)).await?;
    crate::settlement::act(app, &fin_viewer, r.id, SettlementAction::Approve, st.version, "", &actor(&p.finance))
        .await?;
    let survey = app.procedure(r.procedure_version).await?.survey.clone();
    let salt = i64::from(r.id.get());
    crate::survey::record_response(
        app,
        r.id,
        RespondentKind::Internal,
        Some(p.gm.id),
        &answer(&survey, score, salt),
        &actor(&p.gm),
    )
    .await?;
    let guest = Actor { user_id: None, label: "guest via link".into(), ip: None };
    crate::survey::record_response(app, r.id, RespondentKind::Guest, None, &answer(&survey, score, salt + 1), &guest)
        .await?;
    let held = app
        .config()
        .timezone
        .from_local_datetime(&(r.visit_end + Duration::days(1)).and_hms_opt(10, 0, 0).unwrap_or_default());
    let minutes = MinutesInput {
        held_at: held.earliest().map(|t| t.with_timezone(&Utc)).filter(|t| *t < Utc::now()),
        attendee_ids: vec![p.gm.id, p.staff.id],
        other_attendees: vec![],
        reports: vec![
            GroupReport {
                group: "logistics".into(),
                went_well: "茶歇、果盘准备充分".into(),
                fell_short: if score < 9 { "投影仪未提前调试".into() } else { String::new() },
            },
            GroupReport { group: "driver".into(), went_well: "准时接站".into(), fell_short: String::new() },
        ],
        decisions: "会前一天测试全部设备；物品清单当天清点归还".into(),
    };
    if minutes.held_at.is_some() {
        crate::review::demo_minutes(app, r.id, &minutes, &actor(&p.gm)).await?;
        let input = ActionInput {
            what: if score < 9 {
                "会前一天调试投影仪和翻页笔".into()
            } else {
                "接站时间提前 15 分钟".into()
            },
            owner_id: Some(p.staff.id),
            due_on: Some(r.visit_end + Duration::days(14)),
        };
        let a = crate::review::demo_action(app, r.id, &input, &actor(&p.gm)).await?;
        if action_done {
            crate::review::demo_done(app, a.id, "已写入会前检查清单", &actor(&p.staff)).await?;
        }
    }
    Ok(())
}

/// Three receptions a month over the twelve months before `today`, the whole way to closed,
/// their cost and satisfaction changing over the year. Answers how many were made.
pub(crate) async fn load_year(
    app: &App,
    today: NaiveDate,
    p: &People,
    rng: &mut crate::demo_form::Lcg,
) -> Result<usize> {
    let store = app.store();
    let cal = app.calendar().await?;
    let proc = app.current_procedure().await?;
    let departments = store.list_departments().await?;
    let mut made = 0;
    for age in (1..=12i64).rev() {
        let Some(first) = today.with_day(1).and_then(|d| d.checked_sub_months(chrono::Months::new(age as u32))) else {
            continue;
        };
        for k in 0..3i64 {
            let day = cal.add_working_days(first, (3 + k * 6) as i32);
            let form = crate::demo_form::demo_form(rng, day);
            let dept = &departments[(made + k as usize) % departments.len()];
            // Earlier in the year, more requests came late.
            let lead = if (age + k) % 4 == 0 && age > 4 { 2 } else { 7 };
            let submitted = cal.add_working_days(day, -lead);
            let mut r = store
                .create_reception(dept.id, p.requester.id, &form, None, proc.version, submitted, &actor(&p.requester))
                .await?;
            for a in [Action::Submit, Action::Approve, Action::TakeOn, Action::OpenDay, Action::WrapUp] {
                let Some(next) = a.next(r.state) else { break };
                let mut change = ReceptionChange { state: Some(next), quiet: true, ..Default::default() };
                let who = match a {
                    Action::Submit => {
                        let late = late_working_days(&cal, &proc.procedure, day, submitted);
                        change.late = Some((late > 0, late as i32));
                        change.late_reason = (late > 0).then(|| "客户临时确定来访".to_owned());
                        change.submitted_at = submitted.and_hms_opt(2, 0, 0).map(|t| t.and_utc());
                        change.procedure_version = Some(proc.version);
                        &p.requester
                    }
                    Action::Approve => {
                        change.approver_id = Some(p.head.id);
                        &p.head
                    }
                    Action::TakeOn => {
                        change.coordinator_id = Some(p.gm.id);
                        change.tasks = crate::tasks::generate(app, &r).await?;
                        change.items = crate::resources::generate_items(app, &r).await?;
                        &p.gm
                    }
                    _ => &p.gm,
                };
                r = store.change_reception(r.id, r.version, Some(r.state), change, a.as_str(), &actor(who)).await?;
            }
            // Tasks done on their day; one in five a day late, fewer as the year goes on.
            for (i, t) in store.tasks_of_reception(r.id).await?.into_iter().enumerate() {
                let late = (i as i64 + k + age) % 5 == 0 && age > 3;
                let done_on = if late { t.due + Duration::days(1) } else { t.due };
                let change =
                    TaskChange { status: Some(TaskStatus::Done), done_on: Some(done_on), ..Default::default() };
                store.change_task(t.id, t.version, change, "done", &actor(&p.staff)).await?;
            }
            // Over budget early in the year, under it later; satisfaction rises.
            let pct = 100 + (age - 6) * 4 + k * 5;
            let score = (7 + (12 - age) / 4 + k % 2).min(10);
            close_out(app, &r, p, pct, score, age > 2).await?;
            let change = ReceptionChange { state: Some(State::Closed), quiet: true, ..Default::default() };
            r = store
                .change_reception(r.id, r.version, Some(r.state), change, Action::Close.as_str(), &actor(&p.gm))
                .await?;
            crate::resources::demo_settle(app, &r, &actor(&p.gm)).await?;
            made += 1;
        }
    }
    Ok(made)
}
