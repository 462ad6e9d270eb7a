//! Submitting, approving and returning a settlement; what closing a reception needs of it;
//! the settlements of a period for finance.

use std::collections::HashMap;

use chrono::NaiveDate;
use jiedai_domain::notify::EventKey;
use jiedai_domain::reception::Viewer;
use jiedai_domain::settlement::{SettlementAction, SettlementState};
use jiedai_domain::{Actor, Fen, FieldError, ReceptionId};

use super::{SettlementRow, StoredSettlement, decides, keeps, refused};
use crate::{App, Error, Result, receptions};

/// Moves a reception's settlement read at `version`: General Management submits (while the
/// reception is taken on), finance approves or returns it (a comment required to return;
/// never approving one they submitted themselves: `approve_own_settlement`).
/// A settlement changed since it was read answers "stale".
pub async fn act(
    app: &App,
    viewer: &Viewer,
    id: ReceptionId,
    action: SettlementAction,
    version: i32,
    comment: &str,
    actor: &Actor,
) -> Result<StoredSettlement> {
    let (r, _) = receptions::visible(app, viewer, id).await?;
    let allowed = match action {
        SettlementAction::Submit => keeps(viewer),
        SettlementAction::Approve | SettlementAction::Return => decides(viewer),
    };
    if !allowed {
        return Err(Error::Forbidden);
    }
    if action == SettlementAction::Submit {
        super::takes_expenses(&r, false)?;
    }
    // Four eyes: who submitted a settlement (holding both roles) does not approve it too.
    if action == SettlementAction::Approve
        && let st = app.store().settlement(id).await?
        && st.state == SettlementState::Submitted
        && st.submitted.is_some_and(|(by, _)| by == viewer.user_id)
    {
        return Err(Error::Conflict { code: "approve_own_settlement", field: "state" });
    }
    let comment = action.check_comment(comment)?;
    let total = Fen::checked_sum(app.store().expenses(id).await?.iter().map(|e| e.expense.amount))
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("settlement total overflows")))?;
    let event = match action {
        SettlementAction::Submit => EventKey::SettlementSubmitted,
        SettlementAction::Approve => EventKey::SettlementApproved,
        SettlementAction::Return => EventKey::SettlementReturned,
    };
    app.store().move_settlement(id, action, version, &comment, Some(event), total.get(), actor).await.map_err(refused)
}

/// What keeps a reception from closing on the settlement's side: `None` once finance has
/// approved it, else `state: settlement_not_approved`.
pub async fn close_blocker(app: &App, id: ReceptionId) -> Result<Option<FieldError>> {
    let s = app.store().settlement(id).await?;
    Ok((s.state != SettlementState::Approved).then(|| FieldError::new("state", "settlement_not_approved")))
}

/// A settlement of a period with its department's name and total.
#[derive(Debug, Clone)]
pub struct PeriodRow {
    /// The settlement, its reception and lines.
    pub row: SettlementRow,
    /// The host department's name.
    pub department: String,
    /// Its lines added up.
    pub total: Fen,
    /// Who paid each line, in the lines' order: `company` or the person's name.
    pub payers: Vec<String>,
}

/// The settlements of receptions whose first visit day lies in `[from, to]` (in `state`, or
/// any), for finance, General Management and administrators.
pub async fn period(
    app: &App,
    viewer: &Viewer,
    from: NaiveDate,
    to: NaiveDate,
    state: Option<SettlementState>,
) -> Result<Vec<PeriodRow>> {
    if !(keeps(viewer) || decides(viewer)) {
        return Err(Error::Forbidden);
    }
    jiedai_domain::reports::check_span(from, to)?;
    let departments: HashMap<_, _> =
        app.store().list_departments().await?.into_iter().map(|d| (d.id, d.name)).collect();
    let rows = app.store().settlements_between(from, to, state).await.map_err(refused)?;
    let mut names: HashMap<jiedai_domain::UserId, String> = HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let total = Fen::checked_sum(row.expenses.iter().map(|e| e.expense.amount))
            .ok_or_else(|| Error::Internal(anyhow::anyhow!("settlement total overflows")))?;
        let department = departments.get(&row.department_id).cloned().unwrap_or_default();
        let mut payers = Vec::with_capacity(row.expenses.len());
        for e in &row.expenses {
            payers.push(match e.expense.paid_by.person() {
                None => "company".to_owned(),
                Some(u) => match names.get(&u) {
                    Some(n) => n.clone(),
                    None => {
                        let n = app.store().get_user(u).await.map(|x| x.display_name.to_string()).unwrap_or_default();
                        names.insert(u, n.clone());
                        n
                    }
                },
            });
        }
        out.push(PeriodRow { row, department, total, payers });
    }
    Ok(out)
}

/// Every approved settlement of a period (by first visit day), for finance's exports:
/// finance and administrators only.
pub async fn period_export(app: &App, viewer: &Viewer, from: NaiveDate, to: NaiveDate) -> Result<Vec<PeriodRow>> {
    if !decides(viewer) {
        return Err(Error::Forbidden);
    }
    period(app, viewer, from, to, Some(SettlementState::Approved)).await
}
