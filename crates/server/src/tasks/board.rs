//! The coordinator's board (`/board`, `GET /api/v1/board`): every reception in planning,
//! its next stage and day, tasks done out of all, overdue, and whom it waits on.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use jiedai_app::tasks::{self, BoardRow};
use jiedai_app::{accounts, receptions};
use jiedai_domain::{Language, Role, UserId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Cx;
use crate::error::{AppError, AppResult};
use crate::extract::Query;
use crate::render::{Chrome, json, page};
use crate::state::AppState;

/// The board's filter.
#[derive(Deserialize, IntoParams, Default)]
pub struct BoardQuery {
    /// Only the receptions this coordinator (a user id) took on.
    #[param(value_type = Option<i32>)]
    pub coordinator: Option<String>,
}

impl BoardQuery {
    /// The coordinator asked for; a value that is not a user id is refused (422), as the
    /// document says.
    fn coordinator(&self) -> AppResult<Option<UserId>> {
        match self.coordinator.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            None => Ok(None),
            Some(c) => c
                .parse()
                .map(Some)
                .map_err(|_| AppError::field(jiedai_domain::FieldError::new("coordinator", "unknown_reference"))),
        }
    }
}

/// One reception on the board.
#[derive(Serialize, ToSchema)]
pub struct BoardItem {
    /// Reception id.
    pub reception_id: i32,
    /// Its code.
    pub code: String,
    /// Guest organisation.
    pub guest_organization: String,
    /// `planning`, `on_site` or `closing`.
    pub state: jiedai_domain::reception::State,
    /// First visit day.
    pub visit_start: NaiveDate,
    /// Last visit day.
    pub visit_end: NaiveDate,
    /// The coordinator who took it on (a user id).
    pub coordinator_id: Option<i32>,
    /// The procedure's next stage (its key), if any is left.
    pub next_stage: Option<String>,
    /// That stage's day.
    pub next_stage_due: Option<NaiveDate>,
    /// Tasks done or waived.
    pub tasks_done: usize,
    /// Tasks in all.
    pub tasks_total: usize,
    /// Tasks overdue.
    pub overdue: usize,
    /// Open tasks nobody is responsible for.
    pub unassigned: usize,
    /// Lost property not yet gone back.
    pub lost_found_open: usize,
    /// Whom it waits on (user ids): the responsible of each overdue task, else of the soonest
    /// open one.
    pub waits_on: Vec<i32>,
}

/// The board.
#[derive(Serialize, ToSchema)]
pub struct BoardList {
    /// Receptions under way (planning, on site, closing), by first visit day.
    pub items: Vec<BoardItem>,
}

fn item(r: BoardRow) -> BoardItem {
    BoardItem {
        reception_id: r.reception.id.get(),
        code: r.reception.code,
        guest_organization: r.reception.organization,
        state: r.reception.state,
        visit_start: r.reception.visit_start,
        visit_end: r.reception.visit_end,
        coordinator_id: r.reception.coordinator_id.map(|u| u.get()),
        next_stage_due: r.next_stage.as_ref().map(|s| s.1),
        next_stage: r.next_stage.map(|s| s.0),
        tasks_done: r.done,
        tasks_total: r.total,
        overdue: r.overdue,
        unassigned: r.unassigned,
        lost_found_open: r.lost_found_open,
        waits_on: r.waits_on.iter().map(|u| u.get()).collect(),
    }
}

/// The coordinator's board: every reception under way — planning, on site or closing
/// (General Management and administrators).
#[utoipa::path(get, path = "/api/v1/board", tag = "tasks", params(BoardQuery),
    responses((status = 200, body = BoardList),
        (status = 422, description = "A coordinator that is not a user id", body = crate::render::Problem),
        (status = 403, description = "Only General Management and administrators see the board", body = crate::render::Problem)))]
pub async fn board_api(State(s): State<AppState>, cx: Cx, Query(q): Query<BoardQuery>) -> AppResult<Response> {
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let items = tasks::board(&s.app, &viewer, q.coordinator()?).await?.into_iter().map(item).collect();
    Ok(json(StatusCode::OK, BoardList { items }))
}

/// A row of the board page.
pub struct BoardLine {
    id: i32,
    code: String,
    organization: String,
    state: String,
    badge: &'static str,
    dates: String,
    coordinator: String,
    next: String,
    progress: String,
    overdue: usize,
    unassigned: usize,
    lost_found_open: usize,
    waits_on: String,
}

#[derive(Template)]
#[template(path = "tasks/board.html")]
struct BoardPage {
    c: Chrome,
    lines: Vec<BoardLine>,
    coordinators: Vec<(String, String)>,
    chosen: String,
}

/// `GET /board`.
pub async fn board_page(State(s): State<AppState>, cx: Cx, Query(q): Query<BoardQuery>) -> AppResult<Response> {
    let tr = cx.tr();
    let zh = tr.lang == Language::ZhCn;
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let coordinator = q.coordinator()?;
    let rows = tasks::board(&s.app, &viewer, coordinator).await?;
    let c = Chrome::new(&cx);
    let mut lines = Vec::with_capacity(rows.len());
    for r in rows {
        let procedure = s.app.procedure(r.reception.procedure_version).await?;
        let next = match &r.next_stage {
            Some((key, due)) => {
                let name = procedure
                    .stages
                    .iter()
                    .find(|st| &st.key == key)
                    .map(|st| if zh { st.name_zh.clone() } else { st.name_en.clone() })
                    .unwrap_or_else(|| key.clone());
                format!("{name} · {}", c.date(due))
            }
            None => "—".to_owned(),
        };
        let mut names = Vec::new();
        for u in &r.waits_on {
            names.push(accounts::display_name(&s.app, *u).await?);
        }
        lines.push(BoardLine {
            id: r.reception.id.get(),
            state: crate::receptions::view::state_label(tr, r.reception.state),
            badge: crate::receptions::view::state_badge(r.reception.state),
            dates: c.dates(&r.reception.visit_start, &r.reception.visit_end),
            coordinator: match r.reception.coordinator_id {
                Some(u) => accounts::display_name(&s.app, u).await?,
                None => String::new(),
            },
            next,
            progress: format!("{}/{}", r.done, r.total),
            overdue: r.overdue,
            unassigned: r.unassigned,
            lost_found_open: r.lost_found_open,
            waits_on: if names.is_empty() { "—".to_owned() } else { tr.list(&names) },
            code: r.reception.code,
            organization: r.reception.organization,
        });
    }
    let mut coordinators: Vec<(String, String)> = accounts::list_users(&s.app, None)
        .await?
        .into_iter()
        .filter(|u| u.active && (u.roles.contains(Role::Coordinator) || u.roles.contains(Role::Admin)))
        .map(|u| (u.id.to_string(), u.display_name))
        .collect();
    coordinators.sort_by(|a, b| a.1.cmp(&b.1));
    let chosen = coordinator.map(|u| u.to_string()).unwrap_or_default();
    Ok(page(&BoardPage { c, lines, coordinators, chosen }))
}
