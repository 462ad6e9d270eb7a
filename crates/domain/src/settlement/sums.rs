//! Budget against actual: the total and each category's actual (adjusting lines included),
//! each against its budget where the request form gave one, the whole against the
//! reception's budget, the cost per person against the tier's standard, and what reusable
//! material that came back to stock saved. Every sum is checked: `None` rather than a
//! wrapped number.

use super::ExpenseCategory;
use crate::Code;
use crate::money::Fen;
use crate::reception::ReceptionForm;

/// A line as the sums see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SumLine {
    /// Its category.
    pub category: ExpenseCategory,
    /// Its amount (negative only for an adjusting line).
    pub amount: Fen,
    /// A correction after approval.
    pub adjusting: bool,
}

/// The budgets the request form gives: the whole, and the hotel's and meals' where booked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Budgets {
    /// The reception's budget (预算).
    pub total: Option<Fen>,
    /// The budgets of arrangements (hotel, lunch, dinner, entertainment).
    pub by_category: Vec<(ExpenseCategory, Fen)>,
}

/// The budgets of a request form: its total, and each of hotel, lunch, dinner and
/// entertainment that it books with a budget.
pub fn budgets_of(form: &ReceptionForm) -> Budgets {
    let mut by_category = Vec::new();
    let parts = [
        (ExpenseCategory::Hotel, form.hotel.wanted, form.hotel.budget_fen),
        (ExpenseCategory::Lunch, form.lunch.wanted, form.lunch.budget_fen),
        (ExpenseCategory::Dinner, form.dinner.wanted, form.dinner.budget_fen),
        (ExpenseCategory::Entertainment, form.entertainment.wanted, form.entertainment.budget_fen),
    ];
    for (c, wanted, budget) in parts {
        if let (true, Some(b)) = (wanted, budget) {
            by_category.push((c, b));
        }
    }
    Budgets { total: form.budget_fen, by_category }
}

/// By how much an actual exceeds what it is measured against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overrun {
    /// The amount over.
    pub amount: Fen,
    /// The amount over as a share of the budget, in basis points (1 = 0.01 %), rounded half
    /// up; `None` when the budget is zero.
    pub share_bp: Option<i64>,
}

impl Overrun {
    /// The overrun of `actual` against `budget`; `None` when within it.
    pub fn of(actual: Fen, budget: Fen) -> Option<Overrun> {
        if actual <= budget {
            return None;
        }
        let amount = actual.checked_sub(budget)?;
        let share_bp = (budget.get() > 0).then(|| {
            let n = i128::from(amount.get()) * 10_000;
            let d = i128::from(budget.get());
            i64::try_from((2 * n + d) / (2 * d)).unwrap_or(i64::MAX)
        });
        Some(Overrun { amount, share_bp })
    }

    /// The share written as a percentage with two decimals (`12.50`).
    pub fn percent(&self) -> Option<String> {
        self.share_bp.map(|bp| format!("{}.{:02}", bp / 100, bp % 100))
    }
}

/// One category's row of the budget-against-actual table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CategoryRow {
    /// The category.
    pub category: ExpenseCategory,
    /// Its budget on the request form, if it has one.
    pub budget: Option<Fen>,
    /// What was spent (adjusting lines included).
    pub actual: Fen,
    /// Over its budget by.
    pub overrun: Option<Overrun>,
}

/// A settlement's sums.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Every line's amount added up.
    pub total: Fen,
    /// The adjusting lines' part of it.
    pub adjustments: Fen,
    /// The reception's budget.
    pub budget: Option<Fen>,
    /// The total over the budget by.
    pub overrun: Option<Overrun>,
    /// Every category, in the statement's order.
    pub by_category: Vec<CategoryRow>,
    /// Guests counted.
    pub headcount: u32,
    /// The total per guest, rounded to the fen; `None` with no guest counted.
    pub per_person: Option<Fen>,
    /// The tier's standard per person on the visit's first day.
    pub standard_per_person: Option<Fen>,
    /// The cost per person over the standard by.
    pub per_person_overrun: Option<Overrun>,
    /// What reusable material that came back to stock is worth.
    pub saving: Fen,
}

/// `total` shared among `headcount`, rounded half away from zero; `None` for nobody.
pub fn per_person(total: Fen, headcount: u32) -> Option<Fen> {
    if headcount == 0 {
        return None;
    }
    let n = i128::from(total.get());
    let d = i128::from(headcount);
    let q = (2 * n.abs() + d) / (2 * d);
    i64::try_from(if n < 0 { -q } else { q }).ok().map(Fen::new)
}

/// What came back to stock is worth: each (quantity returned, unit cost) multiplied and
/// added up.
pub fn saving(returned: impl IntoIterator<Item = (u32, Fen)>) -> Option<Fen> {
    returned.into_iter().try_fold(Fen::ZERO, |sum, (n, cost)| sum.checked_add(cost.checked_mul(i64::from(n))?))
}

impl Summary {
    /// The sums of `lines` against `budgets`, for `headcount` guests and the tier's
    /// standard; `None` if a sum does not fit.
    pub fn compute(
        lines: &[SumLine],
        budgets: &Budgets,
        headcount: u32,
        standard_per_person: Option<Fen>,
        saving: Fen,
    ) -> Option<Summary> {
        let total = Fen::checked_sum(lines.iter().map(|l| l.amount))?;
        let adjustments = Fen::checked_sum(lines.iter().filter(|l| l.adjusting).map(|l| l.amount))?;
        let mut by_category = Vec::with_capacity(ExpenseCategory::all().len());
        for &category in ExpenseCategory::all() {
            let actual = Fen::checked_sum(lines.iter().filter(|l| l.category == category).map(|l| l.amount))?;
            let budget = budgets.by_category.iter().find(|(c, _)| *c == category).map(|(_, b)| *b);
            let overrun = budget.and_then(|b| Overrun::of(actual, b));
            by_category.push(CategoryRow { category, budget, actual, overrun });
        }
        let per_person = per_person(total, headcount);
        Some(Summary {
            total,
            adjustments,
            budget: budgets.total,
            overrun: budgets.total.and_then(|b| Overrun::of(total, b)),
            by_category,
            headcount,
            per_person,
            standard_per_person,
            per_person_overrun: per_person.zip(standard_per_person).and_then(|(p, s)| Overrun::of(p, s)),
            saving,
        })
    }
}
