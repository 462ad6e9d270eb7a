//! The settlement of a reception (财务结算): General Management writes its expenses (with
//! receipts) while it is carried out and closed down and submits it; finance approves it or
//! returns it with a comment. An approved settlement is locked: corrections are adjusting
//! lines with a reason. Anyone who may see the reception sees its settlement.

use std::collections::HashMap;

use jiedai_domain::reception::{State, Viewer};
use jiedai_domain::resources::ItemSource;
use jiedai_domain::settlement::{Expense, ExpenseInput, SumLine, Summary, budgets_of, saving};
use jiedai_domain::{Actor, AuditEntry, ExpenseId, Fen, FieldError, FieldErrors, ReceptionId, Role, UserId};
pub use jiedai_store::{ReceiptMeta, SettlementRow, StoredExpense, StoredSettlement};
use jiedai_store::{StoreError, StoredLine, StoredReception};

use crate::{App, Error, Result, receptions};

mod receipts;
mod workflow;

pub use receipts::{add_receipt, delete_receipt, read_receipt};
pub use workflow::{PeriodRow, act, close_blocker, period, period_export};

/// General Management and administrators write expenses and submit settlements.
pub fn keeps(viewer: &Viewer) -> bool {
    viewer.roles.contains(Role::Coordinator) || viewer.roles.contains(Role::Admin)
}

/// Finance and administrators approve or return settlements.
pub fn decides(viewer: &Viewer) -> bool {
    viewer.roles.contains(Role::Finance) || viewer.roles.contains(Role::Admin)
}

/// A reception's settlement as its page and the API show it.
#[derive(Debug, Clone)]
pub struct SettlementView {
    /// The reception.
    pub reception: StoredReception,
    /// The settlement's state and version.
    pub settlement: StoredSettlement,
    /// Its lines.
    pub expenses: Vec<StoredExpense>,
    /// Budget against actual.
    pub summary: Summary,
    /// Rented and bought lines of the item list no expense settles yet.
    pub proposals: Vec<StoredLine>,
    /// Who is who (payers, submitter, decider), by id.
    pub names: HashMap<UserId, String>,
    /// The settlement's history, newest first.
    pub history: Vec<AuditEntry>,
    /// The viewer may add, change and remove lines now.
    pub may_edit: bool,
    /// The viewer may add adjusting lines now.
    pub may_adjust: bool,
    /// The viewer may submit now.
    pub may_submit: bool,
    /// The viewer may approve or return now.
    pub may_decide: bool,
    /// The viewer may approve it (not a settlement they submitted themselves).
    pub may_approve: bool,
}

/// Maps the store's refusals to the settlement's codes.
pub(crate) fn refused(e: StoreError) -> Error {
    match e {
        StoreError::Conflict("settlement_locked") => Error::Conflict { code: "settlement_locked", field: "state" },
        StoreError::Conflict("settlement_not_approved") => {
            Error::Conflict { code: "settlement_not_approved", field: "adjusting" }
        }
        StoreError::Conflict("settlement_state") => Error::Conflict { code: "settlement_state", field: "state" },
        StoreError::Conflict("too_many_receipts") => {
            FieldError::with_limit("file", "too_many_receipts", jiedai_domain::settlement::MAX_RECEIPTS as usize).into()
        }
        e => e.into(),
    }
}

/// Expenses are written for a reception taken on and not stopped; adjusting lines also once
/// it is closed.
fn takes_expenses(r: &StoredReception, adjusting: bool) -> Result<()> {
    match r.state {
        State::Cancelled | State::Rejected => Err(Error::Conflict { code: "reception_stopped", field: "state" }),
        State::Planning | State::OnSite | State::Closing => Ok(()),
        State::Closed if adjusting => Ok(()),
        State::Closed => Err(Error::Conflict { code: "settlement_locked", field: "state" }),
        _ => Err(Error::Conflict { code: "reception_not_taken_on", field: "state" }),
    }
}

/// The headcount, the tier's standard per person on the visit's first day (in the procedure
/// version in force now, which keeps every standard with the day it took effect), and the
/// sums.
async fn summarize(app: &App, r: &StoredReception, expenses: &[StoredExpense]) -> Result<Summary> {
    let current = app.current_procedure().await?;
    let standard = match r.form.tier {
        Some(tier) => match current.procedure.tier_on(tier, r.visit_start) {
            Some(t) => Some(t.standard_per_person),
            None => {
                app.procedure(r.procedure_version).await?.tier_on(tier, r.visit_start).map(|t| t.standard_per_person)
            }
        },
        None => None,
    };
    let returned = app.store().returned_to_stock(r.id).await?;
    let saved = saving(returned.into_iter().map(|(n, cost)| (n, Fen::new(cost))))
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("saving overflows")))?;
    let lines: Vec<SumLine> = expenses
        .iter()
        .map(|e| SumLine { category: e.expense.category, amount: e.expense.amount, adjusting: e.expense.adjusting })
        .collect();
    Summary::compute(&lines, &budgets_of(&r.form), r.form.headcount(), standard, saved)
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("settlement sums overflow")))
}

/// A reception's first and last visit day (an expense's day is checked against them).
pub async fn visit_of(app: &App, id: ReceptionId) -> Result<(chrono::NaiveDate, chrono::NaiveDate)> {
    let r = app.store().get_reception(id).await?;
    Ok((r.visit_start, r.visit_end))
}

/// A reception's settlement, for whoever may see the reception.
pub async fn settlement(app: &App, viewer: &Viewer, id: ReceptionId) -> Result<SettlementView> {
    let (reception, _) = receptions::visible(app, viewer, id).await?;
    let settlement = app.store().settlement(id).await?;
    let expenses = app.store().expenses(id).await?;
    let summary = summarize(app, &reception, &expenses).await?;
    let settled: Vec<_> = expenses.iter().filter_map(|e| e.expense.item_line_id).collect();
    let proposals = app
        .store()
        .item_lines(id)
        .await?
        .into_iter()
        .filter(|l| matches!(l.line.source, ItemSource::Rental | ItemSource::Purchase) && !settled.contains(&l.id))
        .collect();
    let mut names = HashMap::new();
    let people = expenses
        .iter()
        .filter_map(|e| e.expense.paid_by.person())
        .chain(settlement.submitted.map(|s| s.0))
        .chain(settlement.decided.map(|d| d.0));
    for u in people {
        if let std::collections::hash_map::Entry::Vacant(slot) = names.entry(u)
            && let Ok(user) = app.store().get_user(u).await
        {
            slot.insert(user.display_name.to_string());
        }
    }
    let filter = jiedai_store::AuditFilter {
        entity: Some("settlement".into()),
        entity_id: Some(id.to_string()),
        ..Default::default()
    };
    let history = app.store().list_audit(&filter, 50).await?;
    let open = takes_expenses(&reception, false).is_ok();
    let state = settlement.state;
    Ok(SettlementView {
        may_edit: keeps(viewer) && open && state.editable(),
        may_adjust: keeps(viewer)
            && takes_expenses(&reception, true).is_ok()
            && state == jiedai_domain::settlement::SettlementState::Approved,
        may_submit: keeps(viewer) && open && state.editable(),
        may_decide: decides(viewer) && state == jiedai_domain::settlement::SettlementState::Submitted,
        may_approve: decides(viewer)
            && state == jiedai_domain::settlement::SettlementState::Submitted
            && settlement.submitted.is_none_or(|(by, _)| by != viewer.user_id),
        reception,
        settlement,
        expenses,
        summary,
        proposals,
        names,
        history,
    })
}

/// The expense checked against the reception: every problem at once (its own, a payer who
/// is not an active person — unless it is the `saved` one, disabled since —, an item line not
/// of this reception's rented or bought ones).
async fn check(
    app: &App,
    r: &StoredReception,
    input: &ExpenseInput,
    adjusting: bool,
    saved: Option<jiedai_domain::UserId>,
) -> Result<Expense> {
    let (e, mut errs) = match input.check(adjusting, (r.visit_start, r.visit_end)) {
        Ok(e) => (Some(e), FieldErrors::new()),
        Err(errs) => (None, errs),
    };
    if let Some(p) = input.paid_by.person()
        && Some(p) != saved
        && !crate::tasks::is_active(app, p).await?
    {
        errs.push(FieldError::new("paid_by", "person_not_active"));
    }
    if let Some(line) = input.item_line_id {
        let ok = app
            .store()
            .item_line(r.id, line)
            .await
            .is_ok_and(|l| matches!(l.line.source, ItemSource::Rental | ItemSource::Purchase));
        if !ok {
            errs.push(FieldError::new("item_line_id", "unknown_reference"));
        }
    }
    match (e, errs.is_empty()) {
        (Some(e), true) => Ok(e),
        _ => Err(Error::Validation(errs)),
    }
}

/// Writes an expense line of a reception (General Management): an ordinary one while the
/// settlement is open or returned, an adjusting one (`adjusting`, may be negative, with a
/// reason) once it is approved.
pub async fn add_expense(
    app: &App,
    viewer: &Viewer,
    id: ReceptionId,
    input: &ExpenseInput,
    adjusting: bool,
    actor: &Actor,
) -> Result<StoredExpense> {
    let (r, _) = receptions::visible(app, viewer, id).await?;
    if !keeps(viewer) {
        return Err(Error::Forbidden);
    }
    takes_expenses(&r, adjusting)?;
    let e = check(app, &r, input, adjusting, None).await?;
    app.store().add_expense(id, &e, actor).await.map_err(refused)
}

/// The line and its reception, for one who keeps expenses and may see it.
async fn line_of(app: &App, viewer: &Viewer, id: ExpenseId) -> Result<(StoredExpense, StoredReception)> {
    let line = app.store().expense(id).await?;
    let (r, _) = receptions::visible(app, viewer, line.reception_id).await?;
    if !keeps(viewer) {
        return Err(Error::Forbidden);
    }
    Ok((line, r))
}

/// One expense line, for whoever may see its reception.
pub async fn expense(app: &App, viewer: &Viewer, id: ExpenseId) -> Result<StoredExpense> {
    let line = app.store().expense(id).await?;
    receptions::visible(app, viewer, line.reception_id).await?;
    Ok(line)
}

/// Changes an ordinary line read at `version` while the settlement is open or returned.
pub async fn update_expense(
    app: &App,
    viewer: &Viewer,
    id: ExpenseId,
    version: Option<i32>,
    input: &ExpenseInput,
    actor: &Actor,
) -> Result<StoredExpense> {
    let (line, r) = line_of(app, viewer, id).await?;
    takes_expenses(&r, line.expense.adjusting)?;
    if line.expense.adjusting {
        return Err(Error::Conflict { code: "settlement_locked", field: "state" });
    }
    let e = check(app, &r, input, false, line.expense.paid_by.person()).await?;
    app.store().update_expense(id, version, &e, actor).await.map_err(refused)
}

/// Removes an ordinary line read at `version` while the settlement is open or returned.
pub async fn delete_expense(
    app: &App,
    viewer: &Viewer,
    id: ExpenseId,
    version: Option<i32>,
    actor: &Actor,
) -> Result<ReceptionId> {
    let (line, r) = line_of(app, viewer, id).await?;
    takes_expenses(&r, false)?;
    app.store().delete_expense(id, version, actor).await.map_err(refused)?;
    Ok(line.reception_id)
}
