//! Settlements of a period, for finance's list and exports: each with its reception's code,
//! department, guest organisation and visit days, and its lines.

use std::collections::HashMap;

use chrono::NaiveDate;
use jiedai_domain::settlement::SettlementState;
use jiedai_domain::{Code, DepartmentId, ReceptionId};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{StoredExpense, StoredSettlement, stored_expense, stored_settlement};
use crate::StoreError;
use crate::entity::{expense, reception, settlement};

/// A settlement with what the period's list and exports show of its reception.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettlementRow {
    /// The reception.
    pub reception_id: ReceptionId,
    /// Its code.
    pub code: String,
    /// The host department.
    pub department_id: DepartmentId,
    /// The guests' organisation.
    pub organization: String,
    /// The visit's first and last day.
    pub visit: (NaiveDate, NaiveDate),
    /// The settlement.
    pub settlement: StoredSettlement,
    /// Its lines (without receipts), in the order written.
    pub expenses: Vec<StoredExpense>,
}

pub(super) async fn between<C: ConnectionTrait>(
    c: &C,
    from: NaiveDate,
    to: NaiveDate,
    state: Option<SettlementState>,
) -> Result<Vec<SettlementRow>, StoreError> {
    // The period's settlements (of the state asked for), as a subquery each read shares:
    // no list of ids is read out and bound again (there may be more than a statement takes).
    let settled = || {
        let mut q = Query::select();
        q.column((settlement::Entity, settlement::Column::ReceptionId))
            .from(settlement::Entity)
            .inner_join(
                reception::Entity,
                Expr::col((reception::Entity, reception::Column::Id))
                    .equals((settlement::Entity, settlement::Column::ReceptionId)),
            )
            .and_where(Expr::col((reception::Entity, reception::Column::VisitStart)).gte(from))
            .and_where(Expr::col((reception::Entity, reception::Column::VisitStart)).lte(to));
        if let Some(st) = state {
            q.and_where(Expr::col((settlement::Entity, settlement::Column::State)).eq(st.as_str()));
        }
        q.to_owned()
    };
    let settlements =
        settlement::Entity::find().filter(settlement::Column::ReceptionId.in_subquery(settled())).all(c).await?;
    if settlements.is_empty() {
        return Ok(Vec::new());
    }
    let receptions = reception::Entity::find()
        .filter(reception::Column::Id.in_subquery(settled()))
        .order_by_asc(reception::Column::VisitStart)
        .order_by_asc(reception::Column::Id)
        .all(c)
        .await?;
    let mut lines: HashMap<i32, Vec<StoredExpense>> = HashMap::new();
    for m in expense::Entity::find()
        .filter(expense::Column::ReceptionId.in_subquery(settled()))
        .order_by_asc(expense::Column::Id)
        .all(c)
        .await?
    {
        lines.entry(m.reception_id).or_default().push(stored_expense(m, Vec::new()));
    }
    let mut by_reception: HashMap<i32, settlement::Model> =
        settlements.into_iter().map(|s| (s.reception_id, s)).collect();
    Ok(receptions
        .into_iter()
        .map(|r| SettlementRow {
            reception_id: ReceptionId(r.id),
            code: r.code,
            department_id: DepartmentId(r.department_id),
            organization: r.guest_organization,
            visit: (r.visit_start, r.visit_end),
            settlement: stored_settlement(by_reception.remove(&r.id)),
            expenses: lines.remove(&r.id).unwrap_or_default(),
        })
        .collect())
}
