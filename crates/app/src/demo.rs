//! Demo data: departments and one user per role, so that a newcomer sees a populated
//! product at once. Idempotent: what exists already is left alone.

use jiedai_domain::{Actor, Code, Role};

use crate::accounts::{self, DepartmentInput, UserInput};
pub(crate) use crate::demo_form::{Lcg, demo_form};
use crate::{App, Result};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "jiedai-demo";

/// Demo departments: (name, username of the head).
const DEPARTMENTS: &[(&str, Option<&str>)] =
    &[("综管部", Some("coordinator")), ("销售部", Some("approver")), ("财务部", Some("finance")), ("研发部", None)];

/// Demo users: (username, display name, department, roles, language).
const USERS: &[(&str, &str, &str, &[Role], &str)] = &[
    ("admin", "系统管理员", "综管部", &[Role::Admin], "zh-CN"),
    ("requester", "王芳", "销售部", &[Role::Requester], "zh-CN"),
    ("approver", "李强", "销售部", &[Role::Approver, Role::Requester], "zh-CN"),
    ("coordinator", "张伟", "综管部", &[Role::Coordinator], "zh-CN"),
    ("staff", "刘洋", "综管部", &[Role::Staff], "zh-CN"),
    ("finance", "陈静", "财务部", &[Role::Finance], "en"),
];

/// Loads the demo data; answers the usernames created.
pub async fn load(app: &App) -> Result<Vec<String>> {
    let actor = Actor::system();
    for (name, _) in DEPARTMENTS {
        if accounts::find_department_by_name(app, name).await?.is_none() {
            let i = DepartmentInput { name: (*name).into(), ..Default::default() };
            accounts::create_department(app, &i, &actor).await?;
        }
    }
    let mut created = Vec::new();
    for (username, display, dept, roles, lang) in USERS {
        if accounts::find_user_by_username(app, username).await?.is_some() {
            continue;
        }
        let dept_id = accounts::find_department_by_name(app, dept).await?.map(|d| d.id.to_string());
        let i = UserInput {
            username: (*username).into(),
            display_name: (*display).into(),
            department_id: dept_id,
            phone: "13800138000".into(),
            email: format!("{username}@example.com"),
            language: (*lang).into(),
            roles: roles.iter().map(|r| r.as_str().to_owned()).collect(),
            password: DEMO_PASSWORD.into(),
            ..Default::default()
        };
        accounts::users::create_demo_user(app, &i, &actor).await?;
        created.push((*username).to_owned());
    }
    for (name, head) in DEPARTMENTS {
        let (Some(head), Some(d)) = (head, accounts::find_department_by_name(app, name).await?) else {
            continue;
        };
        if d.head_user_id.is_none()
            && let Some(u) = accounts::find_user_by_username(app, head).await?
        {
            let i = DepartmentInput {
                name: d.name.clone(),
                head_user_id: Some(u.id.to_string()),
                version: Some(d.version),
            };
            accounts::update_department(app, d.id, &i, &actor).await?;
        }
    }
    Ok(created)
}

/// The demo accounts, for printing how to sign in.
pub fn accounts() -> impl Iterator<Item = (&'static str, &'static [Role])> {
    USERS.iter().map(|(u, _, _, r, _)| (*u, *r))
}

/// The demo's tasks in every status: those of past receptions done (one waived), today's
/// done before the day and under way on it, the first of the next reception's under way.
async fn demo_task_progress(app: &App, r: &jiedai_store::StoredReception, offset: i32, actor: &Actor) -> Result<()> {
    use jiedai_domain::tasks::TaskStatus;
    let tasks = app.store().tasks_of_reception(r.id).await?;
    for (i, t) in tasks.iter().enumerate() {
        let (status, reason) = match (offset, i) {
            (o, 1) if o < 0 => (TaskStatus::Waived, "领导临时出差"),
            (o, _) if o < 0 => (TaskStatus::Done, ""),
            (0, _) if t.phase == jiedai_domain::procedure::Phase::Before => (TaskStatus::Done, ""),
            (0, _) if t.phase == jiedai_domain::procedure::Phase::OnSite && t.status == TaskStatus::Todo => {
                (TaskStatus::Doing, "")
            }
            (1, 0) => (TaskStatus::Doing, ""),
            _ => continue,
        };
        let change = jiedai_store::TaskChange {
            status: Some(status),
            waive_reason: Some(reason.to_owned()),
            ..Default::default()
        };
        app.store().change_task(t.id, t.version, change, status.as_str(), actor).await?;
    }
    Ok(())
}

/// Demo receptions in every state across the past and coming weeks, some late, made
/// through the same steps people take (so each has its history). Only when there are
/// none yet; answers how many were made.
pub async fn load_receptions(app: &App, today: chrono::NaiveDate) -> Result<usize> {
    use jiedai_domain::reception::{Action, late_working_days};
    use jiedai_store::{ReceptionChange, ReceptionFilter, Scope};
    let store = app.store();
    if store.count_receptions(&Scope::All, &ReceptionFilter::default()).await? > 0 {
        return Ok(0);
    }
    let (Some(requester), Some(head), Some(gm), Some(staff), Some(finance), Some(dept)) = (
        store.find_user_by_username("requester").await?,
        store.find_user_by_username("approver").await?,
        store.find_user_by_username("coordinator").await?,
        store.find_user_by_username("staff").await?,
        store.find_user_by_username("finance").await?,
        store.find_department_by_name("销售部").await?,
    ) else {
        return Ok(0);
    };
    let people = crate::demo_history::People {
        requester: requester.clone(),
        head: head.clone(),
        gm: gm.clone(),
        staff: staff.clone(),
        finance,
    };
    let cal = app.calendar().await?;
    let proc = app.current_procedure().await?;
    let actor = |u: &jiedai_domain::User| Actor { user_id: Some(u.id), label: u.username.clone(), ip: None };
    // The groups of the task division: the staff member leads every group but the process
    // group, which General Management leads; both are in each.
    for team in store.teams().await? {
        let lead = if team.key == "process" { gm.id } else { staff.id };
        store.save_team(team.id, team.version, Some(lead), &[staff.id, gm.id], &actor(&gm)).await?;
    }
    crate::resources::demo_furnish(app, &staff, &actor(&gm)).await?;
    let mut on_site_and_next = Vec::new();
    const ON_SITE: &[Action] = &[Action::Submit, Action::Approve, Action::TakeOn, Action::OpenDay];
    const CLOSING: &[Action] = &[Action::Submit, Action::Approve, Action::TakeOn, Action::OpenDay, Action::WrapUp];
    const CLOSED: &[Action] =
        &[Action::Submit, Action::Approve, Action::TakeOn, Action::OpenDay, Action::WrapUp, Action::Close];
    let mut rng = Lcg(42);
    // (working days from today, the actions taken, submitted how many working days before the visit)
    let plan: &[(i32, &[Action], i32)] = &[
        (-15, CLOSED, 8),
        (-10, CLOSED, 6),
        (-7, CLOSING, 2),
        (-4, &[Action::Submit, Action::Reject], 6),
        (-2, CLOSING, 7),
        (0, ON_SITE, 7),
        (1, &[Action::Submit, Action::Approve, Action::TakeOn], 9),
        (2, &[Action::Submit, Action::Approve], 3),
        (3, &[Action::Submit], 0),
        (4, &[Action::Submit, Action::Approve, Action::TakeOn], 6),
        (6, &[Action::Submit, Action::Return], 0),
        (8, &[Action::Submit], 0),
        (9, &[], 0),
        (12, &[Action::Submit, Action::Approve], 0),
        (15, &[Action::Cancel], 0),
        (20, &[], 0),
        (25, &[Action::Submit], 0),
    ];
    let mut made = 0;
    for (offset, actions, lead) in plan {
        let day = cal.add_working_days(today, *offset);
        let form = demo_form(&mut rng, day);
        let mut r =
            store.create_reception(dept.id, requester.id, &form, None, proc.version, today, &actor(&requester)).await?;
        for a in *actions {
            let Some(next) = a.next(r.state) else { break };
            if *a == Action::Close {
                // Its money, survey and review first, as closing needs.
                demo_task_progress(app, &r, *offset, &actor(&staff)).await?;
                crate::demo_history::close_out(app, &r, &people, 110, 9, true).await?;
            }
            let mut change = ReceptionChange { state: Some(next), ..Default::default() };
            let who = match a {
                Action::Submit => {
                    // Past receptions were submitted `lead` working days before their visit.
                    let on = if *lead > 0 { cal.add_working_days(day, -lead) } else { today };
                    let late = late_working_days(&cal, &proc.procedure, day, on);
                    change.late = Some((late > 0, late as i32));
                    change.submitted_at = on.and_hms_opt(2, 0, 0).map(|t| t.and_utc());
                    change.procedure_version = Some(proc.version);
                    &requester
                }
                Action::Approve => {
                    change.approver_id = Some(head.id);
                    &head
                }
                Action::Return => {
                    change.state_note = Some("请补充来宾随行人员名单".into());
                    &head
                }
                Action::Reject => {
                    change.state_note = Some("本季度接待预算已用完".into());
                    &head
                }
                Action::Cancel => {
                    change.state_note = Some("客户行程变更".into());
                    &requester
                }
                Action::Withdraw => &requester,
                Action::OpenDay | Action::WrapUp | Action::Close => &gm,
                Action::TakeOn => {
                    change.coordinator_id = Some(gm.id);
                    change.tasks = crate::tasks::generate(app, &r).await?;
                    change.items = crate::resources::generate_items(app, &r).await?;
                    change.bookings = crate::resources::proposals(app, &r).await?;
                    &gm
                }
            };
            change.comment = change.state_note.clone();
            // What asks someone to act now is told, as the product would have told it; what is
            // long past is loaded as history, quietly.
            change.quiet = *offset < 0;
            let current = actions.last() == Some(a);
            if let Some(key) = jiedai_domain::notify::EventKey::of_action(*a).filter(|_| *offset >= 0 && current) {
                let data = serde_json::json!({ "comment": change.comment.clone().unwrap_or_default() });
                change.events.push(jiedai_store::NewEvent::reception(key, r.id, Some(who.id), data));
            }
            r = store.change_reception(r.id, r.version, Some(r.state), change, a.as_str(), &actor(who)).await?;
        }
        if r.state != jiedai_domain::reception::State::Closed {
            demo_task_progress(app, &r, *offset, &actor(&staff)).await?;
        }
        crate::resources::demo_settle(app, &r, &actor(&gm)).await?;
        if matches!(offset, 0 | 1) {
            on_site_and_next.push(r.clone());
        }
        if r.state == jiedai_domain::reception::State::OnSite {
            // The day under way: its agenda written, each item with whom it falls to.
            let mut items = jiedai_domain::agenda::starting_agenda(&r.form, jiedai_domain::Language::ZhCn);
            for (i, it) in items.iter_mut().enumerate() {
                it.responsible_id = Some(if i % 2 == 0 { staff.id } else { gm.id });
                it.key = format!("de{:06x}{i:02x}", r.id.get());
            }
            store.save_agenda(r.id, 0, &items, &actor(&gm)).await?;
        }
        made += 1;
    }
    if let [today, next] = on_site_and_next.as_slice() {
        crate::resources::demo_overridden(app, today, next, &actor(&gm)).await?;
    }
    made += crate::demo_history::load_year(app, today, &people, &mut rng).await?;
    Ok(made)
}

/// Bulk receptions for benchmarks: `n` requests spread over two years around today, in
/// every state, written in batches without history. Answers how many were written.
pub async fn load_bulk_receptions(app: &App, n: usize, today: chrono::NaiveDate) -> Result<usize> {
    use jiedai_domain::ReceptionId;
    use jiedai_domain::reception::State;
    use jiedai_store::StoredReception;
    let store = app.store();
    let departments = store.list_departments().await?;
    let users = store.list_users(None).await?;
    if departments.is_empty() || users.is_empty() {
        return Ok(0);
    }
    let cal = app.calendar().await?;
    let proc = app.current_procedure().await?;
    let mut rng = Lcg(7);
    let mut next_seq = std::collections::HashMap::<i32, i32>::new();
    let mut batch = Vec::with_capacity(2000);
    let mut written = 0;
    let states = [
        State::Draft,
        State::Submitted,
        State::Returned,
        State::Approved,
        State::Planning,
        State::Planning,
        State::Planning,
        State::Rejected,
        State::Cancelled,
    ];
    for i in 0..n {
        let day = today + chrono::Duration::days(rng.next(730) as i64 - 365);
        let form = demo_form(&mut rng, day);
        let created = day - chrono::Duration::days(3 + rng.next(20) as i64);
        let year = chrono::Datelike::year(&created);
        let seq = match next_seq.get(&year) {
            Some(s) => *s,
            None => store.last_reception_seq(year).await?,
        } + 1;
        next_seq.insert(year, seq);
        let state = states[rng.next(states.len() as u64) as usize];
        let submitted = (state != State::Draft).then_some(created);
        let late =
            submitted.map(|s| jiedai_domain::reception::late_working_days(&cal, &proc.procedure, day, s)).unwrap_or(0);
        let department = &departments[i % departments.len()];
        let requester = users.iter().find(|u| u.department_id == Some(department.id)).unwrap_or(&users[0]);
        let at = created.and_hms_opt(2, 0, 0).map(|t| t.and_utc()).unwrap_or_default();
        batch.push(StoredReception {
            id: ReceptionId(0),
            code: format!("JD-{year}-{seq:04}"),
            state,
            department_id: department.id,
            requester_id: requester.id,
            visit_start: day,
            visit_end: form.visit_end.unwrap_or(day),
            form,
            late: late > 0,
            late_working_days: late as i32,
            submitted_at: submitted.map(|_| at),
            procedure_version: proc.version,
            state_note: String::new(),
            late_reason: if late > 0 { "客户临时通知来访".into() } else { String::new() },
            approver_id: None,
            coordinator_id: None,
            version: 1,
            attachment_count: 0,
            created_at: at,
            updated_at: at,
        });
        if batch.len() == 2000 || i + 1 == n {
            written += batch.len();
            store.insert_receptions_bulk(std::mem::take(&mut batch)).await?;
        }
    }
    store.analyze().await?;
    Ok(written)
}

/// Close-out history for benchmarks of the reports: the generated receptions in planning
/// whose visit has ended are closed, with their tasks done, material back and the survey's
/// day sums (no money or review: the spend parts of a report read the demo's own settled
/// receptions). Answers how many were closed.
pub async fn load_bench_history(app: &App, today: chrono::NaiveDate) -> Result<usize> {
    let procedure = app.current_procedure().await?;
    let items: Vec<String> = procedure.procedure.survey.items.iter().map(|i| i.key.clone()).collect();
    let closed = app.store().load_bench_history(today, &items).await?;
    app.store().analyze().await?;
    Ok(usize::try_from(closed).unwrap_or(usize::MAX))
}

/// Open tasks for benchmarks: `n` tasks held by the demo's staff member (its "my tasks"),
/// one on each of the first `n` receptions in planning, due on their first visit day.
/// Answers how many were written.
pub async fn load_bulk_tasks(app: &App, n: usize) -> Result<usize> {
    use jiedai_domain::procedure::{Group, Phase};
    use jiedai_domain::reception::State;
    let store = app.store();
    let Some(staff) = store.find_user_by_username("staff").await? else { return Ok(0) };
    let actor = Actor { user_id: Some(staff.id), label: "demo".into(), ip: None };
    let ids = store.reception_ids_in(State::Planning, n as u64).await?;
    for id in &ids {
        let r = store.get_reception(*id).await?;
        let planned = jiedai_domain::tasks::PlannedTask {
            phase: Phase::OnSite,
            group: Group::Service,
            title_zh: "现场服务".into(),
            title_en: "Service on site".into(),
            duties_zh: "茶水、引导".into(),
            duties_en: "Tea, guiding".into(),
            due: r.visit_start,
            due_time: chrono::NaiveTime::from_hms_opt(9, 0, 0),
        };
        let t = jiedai_store::NewTask {
            planned,
            group: "service".into(),
            responsible_id: Some(staff.id),
            assistant_id: None,
        };
        store.add_task(*id, &t, &actor).await?;
    }
    Ok(ids.len())
}
