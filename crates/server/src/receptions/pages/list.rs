//! The reception list: views, filters, search, paging and the export link.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use jiedai_app::{accounts, receptions};
use jiedai_domain::reception::{Action, State as RState};
use jiedai_domain::{Code, DepartmentId, Permission, ReceptionId, Tier};

use crate::auth::Cx;
use crate::error::{AppError, AppResult};
use crate::extract::Query;
use crate::receptions::query::{ReceptionQuery, parse_view};
use crate::receptions::view::{late_label, state_badge, state_label, tier_label};
use crate::render::{Chrome, page};
use crate::state::AppState;

/// A row of the list.
pub struct ListRow {
    id: ReceptionId,
    code: String,
    organization: String,
    guest: String,
    /// The visit's days as people write them (a dash when they could not be read); written
    /// once, shown by the table and by the phone's card.
    dates: String,
    department: String,
    state: String,
    badge: &'static str,
    tier: String,
    headcount: i32,
    /// The headcount in words ("3 guests"), for the card a phone shows.
    guests: String,
    late: String,
    /// The row's version, which a quick decision carries.
    version: i32,
    /// What the viewer may do right from the list: approve or return (with a comment), take
    /// on — each `(action, label, button class)`.
    quick: Vec<(&'static str, String, &'static str)>,
}

impl ListRow {
    /// A decision is among the row's quick actions: it takes a comment.
    fn takes_comment(&self) -> bool {
        self.quick.iter().any(|(a, _, _)| *a != Action::TakeOn.as_str())
    }

    /// The form's own action (the first button's).
    fn first_quick(&self) -> &str {
        self.quick.first().map_or("", |q| q.0)
    }
}

#[derive(Template)]
#[template(path = "receptions/list.html")]
struct ListPage {
    c: Chrome,
    q: ReceptionQuery,
    view: &'static str,
    views: Vec<(&'static str, &'static str)>,
    rows: Vec<ListRow>,
    next: Option<String>,
    prev: Option<String>,
    /// "共 123 条" / "123 receptions".
    total: String,
    export: String,
    departments: Vec<(DepartmentId, String)>,
    states: Vec<(&'static str, String)>,
    tiers: Vec<(&'static str, String)>,
    can_create: bool,
    /// Every problem of the filters, each in the reader's language, shown at once beside them.
    errors: Vec<String>,
    /// The filters those problems are about.
    invalid: Vec<String>,
    /// This page's own address, where a quick decision comes back to.
    back: String,
    /// Some row can be decided or taken on from the list.
    any_quick: bool,
    /// How many filters are set (the folded filters on a phone say it).
    filtering: usize,
}

impl ListPage {
    /// True when the filter `name` has a problem.
    fn is_invalid(&self, name: &str) -> bool {
        self.invalid.iter().any(|f| f == name)
    }

    fn department_selected(&self, id: &DepartmentId) -> bool {
        self.q.department.as_deref() == Some(id.to_string().as_str())
    }
}

fn query_string(q: &ReceptionQuery) -> String {
    serde_urlencoded::to_string(q).unwrap_or_default()
}

/// `GET /receptions`.
pub async fn list(State(s): State<AppState>, cx: Cx, Query(mut q): Query<ReceptionQuery>) -> AppResult<Response> {
    let tr = cx.tr();
    // The page opens on the newest requests; the API's default order is by visit.
    if q.sort.as_deref().is_none_or(str::is_empty) {
        q.sort = Some("newest".into());
    }
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let names = accounts::department_names(&s.app).await?;
    let by_id: HashMap<DepartmentId, &str> = names.iter().map(|(id, n)| (*id, n.as_str())).collect();
    let link = |c: receptions::Cursor| {
        let mut q2 = q.clone();
        q2.cursor = Some(receptions::cursor_to_string(c));
        format!("/receptions?{}", query_string(&q2))
    };
    let (found, errors, invalid) = match q.parse() {
        Ok(req) => (receptions::page(&s.app, &viewer, &req).await?, Vec::new(), Vec::new()),
        Err(AppError::Validation(errs)) => (
            receptions::ListPage::default(),
            errs.0.iter().map(|e| tr.field_error(e)).collect(),
            errs.0.iter().map(|e| e.field.clone()).collect(),
        ),
        Err(e) => return Err(e),
    };
    let (next, mut prev) = (found.next.map(link), found.prev.map(link));
    // A page reached through a cursor that has no rows left (they were removed meanwhile)
    // still leads back: to the first page.
    if found.rows.is_empty() && errors.is_empty() && q.cursor.as_deref().is_some_and(|c| !c.trim().is_empty()) {
        let mut first = q.clone();
        first.cursor = None;
        prev = Some(format!("/receptions?{}", query_string(&first)));
    }
    let total = tr.plural("reception.total", i64::try_from(found.total).unwrap_or(i64::MAX));
    let today = s.app.today();
    let rows = found.rows;
    let rows: Vec<ListRow> = rows
        .into_iter()
        .map(|r| ListRow {
            quick: if r.damaged { Vec::new() } else { quick_actions(tr, &viewer, &r, today) },
            version: r.version,
            id: r.id,
            dates: if r.damaged { "—".to_owned() } else { tr.date_range(r.visit_start, r.visit_end, today) },
            department: by_id.get(&r.department_id).map(|n| (*n).to_owned()).unwrap_or_default(),
            state: if r.damaged { tr.t("reception.damaged").to_owned() } else { state_label(tr, r.state) },
            badge: if r.damaged { "badge badge-red" } else { state_badge(r.state) },
            tier: tier_label(tr, r.tier),
            headcount: r.headcount,
            guests: tr.plural("reception.guests", i64::from(r.headcount)),
            late: late_label(tr, r.late, r.late_working_days),
            organization: r.guest_organization,
            guest: r.guest_name,
            code: r.code,
        })
        .collect();
    let mut export_q = q.clone();
    export_q.cursor = None;
    let mut departments: Vec<(DepartmentId, String)> = names.iter().cloned().collect();
    departments.sort_by(|a, b| a.1.cmp(&b.1));
    let view = parse_view(q.view.as_deref().unwrap_or("")).unwrap_or_default().as_str();
    let back = format!("/receptions?{}", query_string(&q));
    let any_quick = rows.iter().any(|r| !r.quick.is_empty());
    let filtering = [&q.q, &q.state, &q.from, &q.to, &q.department, &q.tier, &q.late]
        .into_iter()
        .filter(|v| v.as_deref().is_some_and(|v| !v.trim().is_empty()))
        .count();
    Ok(page(&ListPage {
        c: Chrome::new(&cx),
        view,
        views: vec![
            ("all", "reception.view_all"),
            ("mine", "reception.view_mine"),
            ("approve", "reception.view_approve"),
            ("take-on", "reception.view_take_on"),
        ],
        rows,
        next,
        prev,
        total,
        export: format!("/receptions.xlsx?{}", query_string(&export_q)),
        departments,
        states: RState::all().iter().map(|st| (st.as_str(), state_label(tr, *st))).collect(),
        tiers: Tier::all().iter().map(|t| (t.as_str(), tier_label(tr, Some(*t)))).collect(),
        can_create: cx.allows(Permission::RequestReception),
        errors,
        invalid,
        back,
        any_quick,
        filtering,
        q,
    }))
}

/// The actions a list offers on a row, as on the reception's own page: approve and return
/// for an approver (one tap, with the comment box beside), take on for General Management.
fn quick_actions(
    tr: crate::i18n::Tr,
    viewer: &jiedai_domain::reception::Viewer,
    r: &receptions::ReceptionRow,
    today: chrono::NaiveDate,
) -> Vec<(&'static str, String, &'static str)> {
    let available = viewer.standing(r.requester_id, r.department_id).available_actions(r.state, r.visit_start, today);
    [Action::Approve, Action::Return, Action::TakeOn]
        .into_iter()
        .filter(|a| available.contains(a))
        .map(|a| {
            let class = if a == Action::Return { "btn btn-small" } else { "btn btn-primary btn-small" };
            (a.as_str(), tr.t(crate::i18n::keys::action(a)).to_owned(), class)
        })
        .collect()
}
