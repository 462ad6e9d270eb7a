//! Settlements (财务结算): a reception's expense lines, their receipts and the settlement's
//! state. Every change of a line first raises the settlement's version with one guarded
//! `UPDATE … WHERE state IN (…)`, so an edit racing finance's approval either lands before
//! it (and the approval of the older version answers "stale") or finds the settlement locked,
//! on both engines. The audit record and the notification event go in the same transaction.

use chrono::{DateTime, NaiveDate, Utc};
use jiedai_domain::settlement::{Expense, ExpenseCategory, PaidBy, SettlementAction, SettlementState};
use jiedai_domain::{Actor, Code, ExpenseId, ItemLineId, ReceptionId, UserId};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;

mod periods;
mod receipts;

pub use periods::SettlementRow;
pub use receipts::ReceiptMeta;

use crate::audit::record;
use crate::entity::{expense, expense_receipt, settlement};
use crate::notify::{NewEvent, emit};
use crate::{Store, StoreError};

/// A reception's settlement (open at version 0 before anything was written).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StoredSettlement {
    /// Where it stands.
    pub state: SettlementState,
    /// Raised by every change of its lines and state.
    pub version: i32,
    /// Finance's comment on the last decision.
    pub comment: String,
    /// Who submitted it last, and when.
    pub submitted: Option<(UserId, DateTime<Utc>)>,
    /// Who decided last (approved or returned), and when.
    pub decided: Option<(UserId, DateTime<Utc>)>,
    /// When it was approved.
    pub approved_at: Option<DateTime<Utc>>,
}

/// A stored expense line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredExpense {
    /// Id.
    pub id: ExpenseId,
    /// Its reception.
    pub reception_id: ReceptionId,
    /// Its values.
    pub expense: Expense,
    /// Its receipts, oldest first.
    pub receipts: Vec<ReceiptMeta>,
    /// Optimistic-locking version of the line.
    pub version: i32,
    /// Who wrote it.
    pub created_by: Option<UserId>,
    /// When.
    pub created_at: DateTime<Utc>,
}

pub(crate) fn stored_settlement(m: Option<settlement::Model>) -> StoredSettlement {
    let Some(m) = m else { return StoredSettlement::default() };
    StoredSettlement {
        state: SettlementState::parse(&m.state).unwrap_or_default(),
        version: m.version,
        comment: m.comment,
        submitted: m.submitted_by.map(UserId).zip(m.submitted_at),
        decided: m.decided_by.map(UserId).zip(m.decided_at),
        approved_at: m.approved_at,
    }
}

pub(crate) fn stored_expense(m: expense::Model, receipts: Vec<ReceiptMeta>) -> StoredExpense {
    StoredExpense {
        id: ExpenseId(m.id),
        reception_id: ReceptionId(m.reception_id),
        expense: Expense {
            category: ExpenseCategory::parse(&m.category).unwrap_or(ExpenseCategory::Other),
            amount: jiedai_domain::Fen::new(m.amount_fen),
            date: m.date,
            paid_by: m.paid_by_user_id.map_or(PaidBy::Company, |u| PaidBy::Person(UserId(u))),
            vendor: m.vendor,
            note: m.note,
            adjusting: m.adjusting,
            reason: m.reason,
            item_line_id: m.item_line_id.map(ItemLineId),
        },
        receipts,
        version: m.version,
        created_by: m.created_by.map(UserId),
        created_at: m.created_at,
    }
}

/// The states in which a line of this kind may change: ordinary lines while the settlement
/// is open or returned, adjusting lines once it is approved.
fn changeable_in(adjusting: bool) -> &'static [&'static str] {
    if adjusting { &["approved"] } else { &["open", "returned"] }
}

/// Raises the settlement's version if it is in one of `states` (making it, open, first);
/// `Conflict("settlement_locked")` or `Conflict("settlement_not_approved")` otherwise.
pub(crate) async fn bump<C: ConnectionTrait>(c: &C, reception: ReceptionId, adjusting: bool) -> Result<(), StoreError> {
    let row = settlement::Entity::find().filter(settlement::Column::ReceptionId.eq(reception.get())).one(c).await?;
    if row.is_none() {
        settlement::ActiveModel {
            reception_id: Set(reception.get()),
            state: Set(SettlementState::Open.as_str().to_owned()),
            version: Set(0),
            comment: Set(String::new()),
            updated_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(c)
        .await?;
    }
    let states = changeable_in(adjusting);
    let res = settlement::Entity::update_many()
        .col_expr(settlement::Column::Version, Expr::col(settlement::Column::Version).add(1))
        .col_expr(settlement::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(settlement::Column::ReceptionId.eq(reception.get()))
        .filter(settlement::Column::State.is_in(states.iter().copied()))
        .exec(c)
        .await?;
    if res.rows_affected == 1 {
        Ok(())
    } else if adjusting {
        Err(StoreError::Conflict("settlement_not_approved"))
    } else {
        Err(StoreError::Conflict("settlement_locked"))
    }
}

fn active(reception: ReceptionId, e: &Expense, actor: &Actor) -> expense::ActiveModel {
    let now = Utc::now();
    expense::ActiveModel {
        reception_id: Set(reception.get()),
        category: Set(e.category.as_str().to_owned()),
        amount_fen: Set(e.amount.get()),
        date: Set(e.date),
        paid_by_user_id: Set(e.paid_by.person().map(UserId::get)),
        vendor: Set(e.vendor.clone()),
        note: Set(e.note.clone()),
        adjusting: Set(e.adjusting),
        reason: Set(e.reason.clone()),
        item_line_id: Set(e.item_line_id.map(ItemLineId::get)),
        version: Set(1),
        created_by: Set(actor.user_id.map(UserId::get)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

impl Store {
    /// A reception's settlement.
    pub async fn settlement(&self, reception: ReceptionId) -> Result<StoredSettlement, StoreError> {
        let row = settlement::Entity::find()
            .filter(settlement::Column::ReceptionId.eq(reception.get()))
            .one(self.conn())
            .await?;
        Ok(stored_settlement(row))
    }

    /// A reception's expense lines, in the order they were written, with their receipts.
    pub async fn expenses(&self, reception: ReceptionId) -> Result<Vec<StoredExpense>, StoreError> {
        let rows = expense::Entity::find()
            .filter(expense::Column::ReceptionId.eq(reception.get()))
            .order_by_asc(expense::Column::Id)
            .all(self.conn())
            .await?;
        let mut receipts = self.receipts_of(rows.iter().map(|r| r.id).collect()).await?;
        Ok(rows
            .into_iter()
            .map(|m| {
                let mine = receipts.remove(&m.id).unwrap_or_default();
                stored_expense(m, mine)
            })
            .collect())
    }

    /// One expense line.
    pub async fn expense(&self, id: ExpenseId) -> Result<StoredExpense, StoreError> {
        let m = expense::Entity::find_by_id(id.get()).one(self.conn()).await?.ok_or(StoreError::NotFound)?;
        let mut receipts = self.receipts_of(vec![m.id]).await?;
        let mine = receipts.remove(&m.id).unwrap_or_default();
        Ok(stored_expense(m, mine))
    }

    /// Writes an expense line (checked by the caller): an ordinary line while the settlement
    /// is open or returned, an adjusting one once it is approved; audited.
    pub async fn add_expense(
        &self,
        reception: ReceptionId,
        e: &Expense,
        actor: &Actor,
    ) -> Result<StoredExpense, StoreError> {
        let w = self.write().await?;
        bump(&w.txn, reception, e.adjusting).await?;
        let m = active(reception, e, actor).insert(&w.txn).await?;
        let doc = json!({ "reception_id": reception.get(), "expense": e });
        let id = Some(m.id.to_string());
        if e.adjusting {
            record(&w.txn, actor, "expense", id, "adjust", None::<&()>, Some(&doc)).await?;
        } else {
            record(&w.txn, actor, "expense", id, "create", None::<&()>, Some(&doc)).await?;
        }
        crate::reports::refresh_settlement_total(&w.txn, reception.get()).await?;
        w.commit().await?;
        self.expense(ExpenseId(m.id)).await
    }

    /// Changes an ordinary line read at `version` (any version when `None`), while the
    /// settlement is open or returned; audited with the values replaced.
    pub async fn update_expense(
        &self,
        id: ExpenseId,
        version: Option<i32>,
        e: &Expense,
        actor: &Actor,
    ) -> Result<StoredExpense, StoreError> {
        let w = self.write().await?;
        let before = expense::Entity::find_by_id(id.get()).one(&w.txn).await?.ok_or(StoreError::NotFound)?;
        if before.adjusting {
            return Err(StoreError::Conflict("settlement_locked"));
        }
        let reception_of_line = before.reception_id;
        bump(&w.txn, ReceptionId(before.reception_id), false).await?;
        if version.is_some_and(|v| v != before.version) {
            return Err(StoreError::StaleVersion);
        }
        let mut m = active(ReceptionId(before.reception_id), e, actor);
        m.id = Set(before.id);
        m.adjusting = Set(false);
        m.reason = Set(String::new());
        m.version = Set(before.version + 1);
        m.created_by = Set(before.created_by);
        m.created_at = Set(before.created_at);
        m.update(&w.txn).await?;
        let old = stored_expense(before, Vec::new()).expense;
        record(&w.txn, actor, "expense", Some(id.to_string()), "update", Some(&old), Some(e)).await?;
        crate::reports::refresh_settlement_total(&w.txn, reception_of_line).await?;
        w.commit().await?;
        self.expense(id).await
    }

    /// Removes an ordinary line read at `version` and its receipts, while the settlement is
    /// open or returned; audited.
    pub async fn delete_expense(&self, id: ExpenseId, version: Option<i32>, actor: &Actor) -> Result<(), StoreError> {
        let w = self.write().await?;
        let before = expense::Entity::find_by_id(id.get()).one(&w.txn).await?.ok_or(StoreError::NotFound)?;
        if before.adjusting {
            return Err(StoreError::Conflict("settlement_locked"));
        }
        let reception_of_line = before.reception_id;
        bump(&w.txn, ReceptionId(before.reception_id), false).await?;
        if version.is_some_and(|v| v != before.version) {
            return Err(StoreError::StaleVersion);
        }
        expense_receipt::Entity::delete_many()
            .filter(expense_receipt::Column::ExpenseId.eq(id.get()))
            .exec(&w.txn)
            .await?;
        expense::Entity::delete_by_id(id.get()).exec(&w.txn).await?;
        let old = stored_expense(before, Vec::new()).expense;
        record(&w.txn, actor, "expense", Some(id.to_string()), "delete", Some(&old), None::<&()>).await?;
        crate::reports::refresh_settlement_total(&w.txn, reception_of_line).await?;
        w.commit().await?;
        Ok(())
    }

    /// Moves a settlement read at `version` by `action` (the caller checked who may):
    /// `StaleVersion` when it changed since, `Conflict("settlement_state")` when the action
    /// does not apply to its state. The event is written with it.
    #[expect(clippy::too_many_arguments, reason = "one transition, every part of it named")]
    pub async fn move_settlement(
        &self,
        reception: ReceptionId,
        action: SettlementAction,
        version: i32,
        comment: &str,
        event: Option<jiedai_domain::notify::EventKey>,
        total_fen: i64,
        actor: &Actor,
    ) -> Result<StoredSettlement, StoreError> {
        let w = self.write().await?;
        let c = &w.txn;
        let row = settlement::Entity::find().filter(settlement::Column::ReceptionId.eq(reception.get())).one(c).await?;
        let current = stored_settlement(row.clone());
        if current.version != version {
            return Err(StoreError::StaleVersion);
        }
        let Some(next) = current.state.after(action) else {
            return Err(StoreError::Conflict("settlement_state"));
        };
        let now = Utc::now();
        let by = actor.user_id.map(UserId::get);
        let m = match row {
            Some(m) => m,
            None => {
                settlement::ActiveModel {
                    reception_id: Set(reception.get()),
                    state: Set(SettlementState::Open.as_str().to_owned()),
                    version: Set(0),
                    comment: Set(String::new()),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(c)
                .await?
            }
        };
        let submitted_by = m.submitted_by;
        let mut q = settlement::Entity::update_many()
            .col_expr(settlement::Column::State, Expr::value(next.as_str()))
            .col_expr(settlement::Column::Version, Expr::col(settlement::Column::Version).add(1))
            .col_expr(settlement::Column::UpdatedAt, Expr::value(now));
        q = match action {
            SettlementAction::Submit => q
                .col_expr(settlement::Column::SubmittedBy, Expr::value(by))
                .col_expr(settlement::Column::SubmittedAt, Expr::value(Some(now))),
            SettlementAction::Approve | SettlementAction::Return => q
                .col_expr(settlement::Column::DecidedBy, Expr::value(by))
                .col_expr(settlement::Column::DecidedAt, Expr::value(Some(now)))
                .col_expr(settlement::Column::Comment, Expr::value(comment.to_owned())),
        };
        if action == SettlementAction::Approve {
            q = q.col_expr(settlement::Column::ApprovedAt, Expr::value(Some(now)));
        }
        let res = q
            .filter(settlement::Column::Id.eq(m.id))
            .filter(settlement::Column::Version.eq(version))
            .filter(settlement::Column::State.eq(current.state.as_str()))
            .exec(c)
            .await?;
        if res.rows_affected != 1 {
            return Err(StoreError::StaleVersion);
        }
        let doc = json!({ "state": next.as_str(), "comment": comment, "total_fen": total_fen, "version": version + 1 });
        record(c, actor, "settlement", Some(reception.to_string()), action.as_str(), None::<&()>, Some(&doc)).await?;
        if let Some(key) = event {
            let submitted_by = if action == SettlementAction::Submit { by } else { submitted_by };
            let data = json!({ "comment": comment, "submitted_by": submitted_by, "total_fen": total_fen });
            emit(c, &NewEvent::reception(key, reception, actor.user_id, data)).await?;
        }
        w.commit().await?;
        self.settlement(reception).await
    }

    /// What reusable material of a reception came back to stock: (quantity returned, the
    /// stock item's unit cost in fen) for each line from stock that was counted back.
    pub async fn returned_to_stock(&self, reception: ReceptionId) -> Result<Vec<(u32, i64)>, StoreError> {
        use crate::entity::{item_line, stock_item};
        let lines = item_line::Entity::find()
            .filter(item_line::Column::ReceptionId.eq(reception.get()))
            .filter(item_line::Column::StockItemId.is_not_null())
            .filter(item_line::Column::Returned.gt(0))
            .all(self.conn())
            .await?;
        let ids: Vec<i32> = lines.iter().filter_map(|l| l.stock_item_id).collect();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let items = stock_item::Entity::find().filter(stock_item::Column::Id.is_in(ids)).all(self.conn()).await?;
        Ok(lines
            .iter()
            .filter_map(|l| {
                let item = items.iter().find(|i| Some(i.id) == l.stock_item_id && i.reusable)?;
                Some((u32::try_from(l.returned.unwrap_or(0)).unwrap_or(0), item.unit_cost_fen))
            })
            .collect())
    }

    /// The settlements of receptions whose first visit day is within `[from, to]`, in the
    /// state given (every state when `None`), oldest visit first.
    pub async fn settlements_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        state: Option<SettlementState>,
    ) -> Result<Vec<SettlementRow>, StoreError> {
        periods::between(self.conn(), from, to, state).await
    }
}
