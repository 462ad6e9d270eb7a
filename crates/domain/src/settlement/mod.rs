//! The settlement of a reception (财务结算): its expenses by category, who paid each, the
//! checks an expense must pass, the settlement's states (open → submitted → approved, or
//! returned to be corrected and submitted again) and, in [`sums`], the arithmetic of budget
//! against actual. Money is [`Fen`]: exact integers, never floats.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::field::{FieldError, FieldErrors};
use crate::ids::{ItemLineId, UserId};
use crate::money::Fen;

pub mod sums;
#[cfg(test)]
mod tests;

pub use sums::{Budgets, CategoryRow, Overrun, SumLine, Summary, budgets_of, per_person, saving};

/// Longest vendor name, in characters.
pub const MAX_VENDOR: usize = 64;
/// Longest note, reason or comment, in characters.
pub const MAX_NOTE: usize = 500;
/// Most receipts on one expense.
pub const MAX_RECEIPTS: u64 = 10;
/// How many days before the visit's first and after its last day an expense may be dated.
pub const DATE_WINDOW_DAYS: i64 = 90;

/// What an expense paid for. Declared in the order the statement lists them.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ExpenseCategory {
    /// Hotel rooms (住宿).
    Hotel,
    /// Lunch (午餐).
    Lunch,
    /// Dinner (晚餐).
    Dinner,
    /// Entertainment (娱乐).
    Entertainment,
    /// Gifts (礼品).
    Gifts,
    /// Fruit, snacks and tea (水果茶点).
    FruitTea,
    /// Transport and fuel (交通及油费).
    Transport,
    /// Train and plane tickets (票务).
    Tickets,
    /// Rented material (租赁).
    Rentals,
    /// Bought material (采购).
    Purchases,
    /// Anything else (其他).
    Other,
}

impl ExpenseCategory {
    /// The categories the request form gives a budget of their own.
    pub const BUDGETED: [ExpenseCategory; 4] =
        [ExpenseCategory::Hotel, ExpenseCategory::Lunch, ExpenseCategory::Dinner, ExpenseCategory::Entertainment];
}

/// Who paid an expense: the company's account, or a person to be reimbursed. Written in
/// JSON as `"company"` or the person's user id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PaidBy {
    /// The company's account (公司账户).
    #[default]
    Company,
    /// A person who advanced the money and is reimbursed (报销).
    Person(UserId),
}

impl PaidBy {
    /// As stored and in forms: `company` or the user id.
    pub fn code(self) -> String {
        match self {
            PaidBy::Company => "company".to_owned(),
            PaidBy::Person(u) => u.to_string(),
        }
    }

    /// Reads [`PaidBy::code`]'s text.
    pub fn parse(s: &str) -> Option<PaidBy> {
        match s.trim() {
            "company" | "" => Some(PaidBy::Company),
            s => s.parse().ok().map(PaidBy::Person),
        }
    }

    /// The person to reimburse, if any.
    pub fn person(self) -> Option<UserId> {
        match self {
            PaidBy::Company => None,
            PaidBy::Person(u) => Some(u),
        }
    }
}

impl Serialize for PaidBy {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            PaidBy::Company => s.serialize_str("company"),
            PaidBy::Person(u) => s.serialize_i32(u.get()),
        }
    }
}

impl<'de> Deserialize<'de> for PaidBy {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Id(i32),
            Text(String),
        }
        // Null (or absent) is the company, as the default is.
        match Option::<Raw>::deserialize(d)? {
            None => Ok(PaidBy::Company),
            Some(Raw::Id(n)) => Ok(PaidBy::Person(UserId(n))),
            Some(Raw::Text(t)) => {
                PaidBy::parse(&t).ok_or_else(|| serde::de::Error::custom("paid_by is \"company\" or a user id"))
            }
        }
    }
}

/// In the API document: `"company"` or a user id (null, or absent, is the company).
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for PaidBy {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, OneOfBuilder, SchemaFormat, Type};
        OneOfBuilder::new()
            .item(ObjectBuilder::new().schema_type(Type::String).enum_values(Some(["company"])))
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int32)))
                    .minimum(Some(1)),
            )
            .description(Some("`\"company\"` or the user id of the person to reimburse"))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for PaidBy {}

/// An expense as its writer gives it (a form or a JSON body).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExpenseInput {
    /// What it paid for.
    pub category: Option<ExpenseCategory>,
    /// How much, in fen: above zero; an adjusting line may be negative (not zero).
    #[cfg_attr(feature = "openapi", schema(minimum = -1000000000, maximum = 1000000000))]
    pub amount_fen: i64,
    /// The day it was paid.
    pub date: Option<NaiveDate>,
    /// Who paid: `"company"` or the user id of the person to reimburse.
    pub paid_by: PaidBy,
    /// Who was paid (the hotel, the restaurant…).
    #[cfg_attr(feature = "openapi", schema(max_length = 64))]
    pub vendor: String,
    /// A note.
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub note: String,
    /// Why an adjusting line corrects an approved settlement (needed there).
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub reason: String,
    /// The item-list line (rented or bought) it settles, if it came from one.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i32>))]
    pub item_line_id: Option<ItemLineId>,
}

/// An expense as checked: what is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expense {
    /// What it paid for.
    pub category: ExpenseCategory,
    /// How much.
    pub amount: Fen,
    /// The day it was paid.
    pub date: NaiveDate,
    /// Who paid.
    pub paid_by: PaidBy,
    /// Who was paid.
    pub vendor: String,
    /// A note.
    pub note: String,
    /// A correction of an approved settlement.
    pub adjusting: bool,
    /// Why (adjusting lines).
    pub reason: String,
    /// The item-list line it settles.
    pub item_line_id: Option<ItemLineId>,
}

fn text(errs: &mut FieldErrors, field: &str, raw: &str, required: bool, max: usize) -> String {
    let s = raw.trim();
    if required && s.is_empty() {
        errs.push(FieldError::new(field, "required"));
    } else if s.chars().count() > max {
        errs.push(FieldError::with_limit(field, "too_long", max));
    } else if s.chars().any(|c| c.is_control() && c != '\n' && c != '\r') {
        errs.push(FieldError::new(field, "control_chars"));
    }
    s.to_owned()
}

impl ExpenseInput {
    /// The expense checked, every problem at once: a category; an amount above zero and at
    /// most ¥10 million (an adjusting line: not zero, either sign, with a reason); a date
    /// within [`DATE_WINDOW_DAYS`] of the visit's days (`visit`); texts not too long.
    pub fn check(&self, adjusting: bool, visit: (NaiveDate, NaiveDate)) -> Result<Expense, FieldErrors> {
        let mut errs = FieldErrors::new();
        if self.category.is_none() {
            errs.push(FieldError::new("category", "required"));
        }
        let amount = Fen::new(self.amount_fen);
        if amount == Fen::ZERO {
            errs.push(FieldError::new("amount_fen", "zero_amount"));
        } else if amount.is_negative() && !adjusting {
            errs.push(FieldError::new("amount_fen", "negative_amount"));
        } else if self.amount_fen.unsigned_abs() > Fen::MAX.get().unsigned_abs() {
            errs.push(FieldError::new("amount_fen", "amount_too_large"));
        }
        match self.date {
            None => errs.push(FieldError::new("date", "required")),
            Some(d) => {
                let window = Duration::days(DATE_WINDOW_DAYS);
                if d < visit.0 - window || d > visit.1 + window {
                    errs.push(FieldError::with_limit("date", "expense_date_out_of_range", DATE_WINDOW_DAYS as usize));
                }
            }
        }
        let vendor = text(&mut errs, "vendor", &self.vendor, false, MAX_VENDOR);
        let note = text(&mut errs, "note", &self.note, false, MAX_NOTE);
        let reason = if adjusting { text(&mut errs, "reason", &self.reason, true, MAX_NOTE) } else { String::new() };
        match (self.category, self.date, errs.is_empty()) {
            (Some(category), Some(date), true) => Ok(Expense {
                category,
                amount,
                date,
                paid_by: self.paid_by,
                vendor,
                note,
                adjusting,
                reason,
                item_line_id: self.item_line_id,
            }),
            _ => Err(errs),
        }
    }
}

/// Parses an amount in yuan that may be negative (an adjusting line): `-120.50`.
pub fn parse_signed_yuan(field: &str, raw: &str) -> Result<Fen, FieldError> {
    let t = raw.trim();
    match t.strip_prefix('-').or_else(|| t.strip_prefix('−')) {
        Some(rest) => Fen::parse_yuan(field, rest).map(|f| Fen::new(-f.get())),
        None => Fen::parse_yuan(field, t),
    }
}

/// Where a settlement stands.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SettlementState {
    /// Expenses are being written by General Management.
    #[default]
    Open,
    /// Sent to finance to approve.
    Submitted,
    /// Approved by finance: locked; corrections only by adjusting lines.
    Approved,
    /// Returned by finance with a comment: editable again.
    Returned,
}

/// A move of a settlement.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SettlementAction {
    /// Open or returned → submitted (General Management).
    Submit,
    /// Submitted → approved (finance).
    Approve,
    /// Submitted → returned, with a comment (finance).
    Return,
}

impl SettlementState {
    /// Expenses may be added, changed and removed.
    pub fn editable(self) -> bool {
        matches!(self, SettlementState::Open | SettlementState::Returned)
    }

    /// Where an action leads from here; `None` when it does not apply.
    pub fn after(self, action: SettlementAction) -> Option<SettlementState> {
        use SettlementAction as A;
        use SettlementState as S;
        match (self, action) {
            (S::Open | S::Returned, A::Submit) => Some(S::Submitted),
            (S::Submitted, A::Approve) => Some(S::Approved),
            (S::Submitted, A::Return) => Some(S::Returned),
            _ => None,
        }
    }
}

impl SettlementAction {
    /// The comment checked: required to return, at most [`MAX_NOTE`] characters.
    pub fn check_comment(self, comment: &str) -> Result<String, FieldErrors> {
        let mut errs = FieldErrors::new();
        let c = text(&mut errs, "comment", comment, self == SettlementAction::Return, MAX_NOTE);
        errs.into_result().map(|()| c)
    }
}
