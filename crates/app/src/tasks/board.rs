//! The coordinator's board: every reception in planning with its next stage and day, its
//! tasks done out of all, how many are overdue, and whom it waits on.

use chrono::NaiveDate;
use jiedai_domain::reception::{StageStatus, Viewer, timeline};
use jiedai_domain::tasks::is_overdue;
use jiedai_domain::{Role, UserId};
use jiedai_store::BoardReception;

use super::now_local;
use crate::{App, Error, Result};

/// The most receptions the board shows.
pub const MAX_BOARD: u64 = 2000;

/// One reception on the board.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardRow {
    /// The reception.
    pub reception: BoardReception,
    /// Its next stage of the procedure (its key) and that stage's day.
    pub next_stage: Option<(String, NaiveDate)>,
    /// Tasks done or waived.
    pub done: usize,
    /// Tasks in all.
    pub total: usize,
    /// Tasks overdue.
    pub overdue: usize,
    /// Whom it waits on: the responsible of each overdue task, else of the soonest open one
    /// (each once; unassigned open tasks count as waiting on nobody yet).
    pub waits_on: Vec<UserId>,
    /// Open tasks with nobody responsible.
    pub unassigned: usize,
    /// Lost property of the reception not yet gone back.
    pub lost_found_open: usize,
}

/// The board, for General Management and administrators, optionally of one coordinator's
/// receptions.
pub async fn board(app: &App, viewer: &Viewer, coordinator: Option<UserId>) -> Result<Vec<BoardRow>> {
    if !(viewer.roles.contains(Role::Coordinator) || viewer.roles.contains(Role::Admin)) {
        return Err(Error::Forbidden);
    }
    let cal = app.calendar().await?;
    let now = now_local(app);
    let today = now.date();
    let mut lost: std::collections::HashMap<jiedai_domain::ReceptionId, usize> = std::collections::HashMap::new();
    for l in app.store().lost_found_open(false).await? {
        *lost.entry(l.reception_id).or_default() += 1;
    }
    let mut out = Vec::new();
    for (r, tasks) in app.board_rows(coordinator, MAX_BOARD).await?.iter().cloned() {
        let procedure = app.procedure(r.procedure_version).await?;
        let next_stage = timeline(&cal, &procedure, r.visit_start, r.visit_end, r.state, today)
            .into_iter()
            .zip(procedure.stages.iter())
            .find(|(t, _)| matches!(t.status, StageStatus::Next | StageStatus::Overdue))
            .map(|(t, s)| (s.key.clone(), t.due));
        let open: Vec<&jiedai_store::StoredTask> = tasks.iter().filter(|t| !t.status.is_settled()).collect();
        let late: Vec<&jiedai_store::StoredTask> =
            open.iter().copied().filter(|t| is_overdue(t.status, t.due, t.due_time, now)).collect();
        let mut waits_on: Vec<UserId> = Vec::new();
        let waiting: Vec<&jiedai_store::StoredTask> = if late.is_empty() {
            open.iter().copied().min_by_key(|t| (t.due, t.due_time)).into_iter().collect()
        } else {
            late.clone()
        };
        for t in waiting {
            if let Some(u) = t.responsible_id
                && !waits_on.contains(&u)
            {
                waits_on.push(u);
            }
        }
        out.push(BoardRow {
            done: tasks.len() - open.len(),
            total: tasks.len(),
            overdue: late.len(),
            unassigned: open.iter().filter(|t| t.responsible_id.is_none()).count(),
            waits_on,
            next_stage,
            lost_found_open: lost.get(&r.id).copied().unwrap_or(0),
            reception: r,
        });
    }
    Ok(out)
}
