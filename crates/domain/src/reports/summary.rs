//! The figures of a report as the API answers them and the page and workbooks show them.

use chrono::NaiveDate;
use serde::Serialize;

use super::{Month, Overrun};
use crate::ids::{DepartmentId, ReceptionId};
use crate::money::Fen;

/// Everything the reports page shows for a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Summary {
    /// First visit day counted.
    pub from: NaiveDate,
    /// Last visit day counted.
    pub to: NaiveDate,
    /// The department asked for, or all.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i32>))]
    pub department_id: Option<DepartmentId>,
    /// Receptions by state, tier and department.
    pub receptions: ReceptionFigures,
    /// Spending against budgets and standards.
    pub spend: SpendFigures,
    /// The satisfaction surveys.
    pub satisfaction: SatisfactionFigures,
    /// Late requests by department.
    pub late: Vec<LateRow>,
    /// Tasks finished on time.
    pub tasks: TaskFigures,
    /// Reusable material that came back to stock.
    pub savings: SavingFigures,
    /// Improvement actions still open.
    pub actions: ActionFigures,
}

/// How many of something, under a key (a state, a tier).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Count {
    /// The state or tier (`closed`, `business`; `none` for a request without a tier).
    pub key: String,
    /// How many.
    pub count: i64,
}

/// Receptions of one department.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DepartmentCount {
    /// The department.
    #[cfg_attr(feature = "openapi", schema(value_type = i32))]
    pub department_id: DepartmentId,
    /// Its name.
    pub name: String,
    /// How many receptions.
    pub count: i64,
}

/// The period's receptions counted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReceptionFigures {
    /// Every reception whose visit begins in the period.
    pub total: i64,
    /// Their guests.
    pub guests: i64,
    /// By state, in the order of the procedure.
    pub by_state: Vec<Count>,
    /// By tier (high-end, business, simple, none).
    pub by_tier: Vec<Count>,
    /// By host department, most first.
    pub by_department: Vec<DepartmentCount>,
}

/// Requests of a department and how many came late.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LateRow {
    /// The department.
    #[cfg_attr(feature = "openapi", schema(value_type = i32))]
    pub department_id: DepartmentId,
    /// Its name.
    pub name: String,
    /// Requests submitted (drafts left out).
    pub requests: i64,
    /// Of them, late.
    pub late: i64,
    /// Late as a share of the requests, in basis points.
    pub share_bp: Option<i64>,
}

/// Finished tasks of a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskRow {
    /// The group (`logistics`, `driver`…).
    pub group: String,
    /// Finished.
    pub done: i64,
    /// Finished on or before the due day.
    pub on_time: i64,
    /// On time as a share of those finished, in basis points.
    pub share_bp: Option<i64>,
}

/// Tasks finished on time, overall and by group.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskFigures {
    /// Finished.
    pub done: i64,
    /// Finished on time.
    pub on_time: i64,
    /// On time as a share, in basis points.
    pub share_bp: Option<i64>,
    /// By group.
    pub by_group: Vec<TaskRow>,
}

/// A stock item that came back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SavingRow {
    /// The item.
    pub name: String,
    /// Pieces back in stock.
    pub quantity: i64,
    /// Their value at the unit cost.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub value_fen: Fen,
}

/// What reusing material saved.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SavingFigures {
    /// The whole value that came back.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub total_fen: Fen,
    /// By item, the largest first.
    pub by_item: Vec<SavingRow>,
}

/// Spending of one tier's settled receptions against its standard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TierSpend {
    /// The tier.
    pub tier: String,
    /// Settled receptions.
    pub receptions: i64,
    /// Their guests.
    pub guests: i64,
    /// What they cost.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub actual_fen: Fen,
    /// Per guest (none without guests).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub per_guest_fen: Option<Fen>,
    /// The tier's standard per person: each reception's in force on its first visit day, per guest
    /// over the tier's receptions (none when a reception had no standard).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub standard_per_person_fen: Option<Fen>,
    /// Per guest against the standard.
    pub over: Option<Overrun>,
}

/// A reception that cost more than its budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OverrunRow {
    /// The reception.
    #[cfg_attr(feature = "openapi", schema(value_type = i32))]
    pub reception_id: ReceptionId,
    /// Its code.
    pub code: String,
    /// The guests' organisation.
    pub guest_organization: String,
    /// Its budget.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub budget_fen: Fen,
    /// What it cost.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub actual_fen: Fen,
    /// The over-run.
    pub over: Overrun,
}

/// Spending against budgets: settled (approved) receptions only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SpendFigures {
    /// Receptions whose settlement finance approved.
    pub settled: i64,
    /// What they cost.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub actual_fen: Fen,
    /// Their budgets.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub budget_fen: Fen,
    /// Spending against the budgets (none without budgets).
    pub over: Option<Overrun>,
    /// By tier, against the tier's standard per person.
    pub by_tier: Vec<TierSpend>,
    /// The largest over-runs, the largest first.
    pub largest_overruns: Vec<OverrunRow>,
}

/// The average of a survey item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemScore {
    /// The item's key.
    pub key: String,
    /// Its text in Chinese.
    pub text_zh: String,
    /// Its text in English.
    pub text_en: String,
    /// Its reference score.
    pub reference: i64,
    /// The average score, in hundredths (none without answers).
    pub average_hundredths: Option<i64>,
}

/// The surveys of a month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthScore {
    /// The month.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub month: Month,
    /// Responses received for receptions of that month.
    pub responses: i64,
    /// The average total out of the survey's total, in hundredths.
    pub total_hundredths: Option<i64>,
}

/// Satisfaction across the period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SatisfactionFigures {
    /// Responses.
    pub responses: i64,
    /// The average total out of the survey's total, in hundredths.
    pub total_hundredths: Option<i64>,
    /// Per item.
    pub items: Vec<ItemScore>,
    /// The total by month of the visit.
    pub by_month: Vec<MonthScore>,
}

/// An improvement action still open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpenAction {
    /// The action.
    pub id: i32,
    /// What is to be done.
    pub what: String,
    /// Who does it.
    pub owner: String,
    /// By when.
    pub due_on: NaiveDate,
    /// Past its due day.
    pub overdue: bool,
    /// The reception whose review asked for it.
    pub reception_code: String,
}

/// Improvement actions still open (of every period: they are the lessons to apply now).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionFigures {
    /// Open.
    pub open: i64,
    /// Of them, overdue.
    pub overdue: i64,
    /// The open ones, the most overdue first.
    pub list: Vec<OpenAction>,
}
