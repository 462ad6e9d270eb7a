//! The statement (结算单 / 报销单) as every page, print and workbook shows it: the reception,
//! each line with its label texts, budget against actual with over-runs, the cost per person
//! against the tier's standard, the saving, and who submitted and decided. Amounts stay
//! [`Fen`] until written, so every total is the exact sum of its lines.

use jiedai_app::settlement::SettlementView;
use jiedai_domain::settlement::{Overrun, PaidBy, SettlementState};
use jiedai_domain::{Code, Fen};

use crate::i18n::Tr;
use crate::i18n::keys::{expense_category, settlement_state};

/// A line as written on the statement.
pub struct StatementLine {
    /// Id.
    pub id: i32,
    /// Its version.
    pub version: i32,
    /// The day (ISO).
    pub date: String,
    /// Category code.
    pub category: &'static str,
    /// Category label.
    pub category_label: String,
    /// Amount.
    pub amount: Fen,
    /// `company` or the user id.
    pub paid_by_code: String,
    /// Who paid, as read.
    pub paid_by: String,
    /// Vendor.
    pub vendor: String,
    /// Note.
    pub note: String,
    /// A correction after approval.
    pub adjusting: bool,
    /// Why.
    pub reason: String,
    /// Receipts: (id, name, size in KiB).
    pub receipts: Vec<(i32, String, i64)>,
}

/// A row of budget against actual.
pub struct BudgetRow {
    /// Label.
    pub label: String,
    /// Budget, if any.
    pub budget: Option<Fen>,
    /// Actual.
    pub actual: Fen,
    /// Over by, and the share (`12.50`).
    pub over: Option<(Fen, Option<String>)>,
}

/// The statement.
pub struct Statement {
    /// Reception code.
    pub code: String,
    /// Guests' organisation.
    pub organization: String,
    /// Visit days, as read.
    pub dates: String,
    /// State label.
    pub state_label: String,
    /// State code.
    pub state: SettlementState,
    /// Lines, in the order written.
    pub lines: Vec<StatementLine>,
    /// Every category with something spent or budgeted.
    pub budget_rows: Vec<BudgetRow>,
    /// The whole.
    pub total: Fen,
    /// The adjusting lines' part.
    pub adjustments: Fen,
    /// The reception's budget.
    pub budget: Option<Fen>,
    /// The whole over the budget.
    pub over: Option<(Fen, Option<String>)>,
    /// Guests counted.
    pub headcount: u32,
    /// Per person.
    pub per_person: Option<Fen>,
    /// The tier's standard per person.
    pub standard: Option<Fen>,
    /// Per person over the standard.
    pub per_person_over: Option<(Fen, Option<String>)>,
    /// Reusable material back in stock.
    pub saving: Fen,
    /// Finance's comment.
    pub comment: String,
    /// Submitted by whom, when.
    pub submitted: Option<String>,
    /// Decided by whom, when.
    pub decided: Option<String>,
}

fn over(o: Option<Overrun>) -> Option<(Fen, Option<String>)> {
    o.map(|o| (o.amount, o.percent()))
}

/// The statement of a settlement, in the reader's language.
pub fn statement(tr: Tr, v: &SettlementView, tz: chrono_tz::Tz, today: chrono::NaiveDate) -> Statement {
    let name = |u: &jiedai_domain::UserId| v.names.get(u).cloned().unwrap_or_else(|| format!("#{u}"));
    let lines = v
        .expenses
        .iter()
        .map(|e| {
            let x = &e.expense;
            StatementLine {
                id: e.id.get(),
                version: e.version,
                date: x.date.to_string(),
                category: x.category.as_str(),
                category_label: tr.t(expense_category(x.category)).to_owned(),
                amount: x.amount,
                paid_by_code: x.paid_by.code(),
                paid_by: match x.paid_by {
                    PaidBy::Company => tr.t("settlement.paid_company").to_owned(),
                    PaidBy::Person(u) => name(&u),
                },
                vendor: x.vendor.clone(),
                note: x.note.clone(),
                adjusting: x.adjusting,
                reason: x.reason.clone(),
                receipts: e.receipts.iter().map(|r| (r.id.get(), r.name.clone(), (r.size + 1023) / 1024)).collect(),
            }
        })
        .collect();
    let s = &v.summary;
    let budget_rows = s
        .by_category
        .iter()
        .filter(|r| r.budget.is_some() || r.actual != Fen::ZERO)
        .map(|r| BudgetRow {
            label: tr.t(expense_category(r.category)).to_owned(),
            budget: r.budget,
            actual: r.actual,
            over: over(r.overrun),
        })
        .collect();
    let st = &v.settlement;
    let r = &v.reception;
    Statement {
        code: r.code.clone(),
        organization: r.form.guest_organization.clone(),
        dates: tr.date_range(r.visit_start, r.visit_end, today),
        state_label: tr.t(settlement_state(st.state)).to_owned(),
        state: st.state,
        lines,
        budget_rows,
        total: s.total,
        adjustments: s.adjustments,
        budget: s.budget,
        over: over(s.overrun),
        headcount: s.headcount,
        per_person: s.per_person,
        standard: s.standard_per_person,
        per_person_over: over(s.per_person_overrun),
        saving: s.saving,
        comment: st.comment.clone(),
        submitted: st.submitted.map(|(u, at)| format!("{} {}", name(&u), tr.datetime(at, tz))),
        decided: st.decided.map(|(u, at)| format!("{} {}", name(&u), tr.datetime(at, tz))),
    }
}
