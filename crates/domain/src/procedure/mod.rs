//! The reception procedure as data: its stages with their working-day deadlines, the
//! reception tiers with their standard per person, the default task division, the
//! default item list and the satisfaction survey. Seeded from the company's procedure
//! (`data/procedure-default.toml`) and edited by administrators; every edit is checked
//! here as a whole, so a procedure in force is always consistent.

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::Role;
use crate::field::{FieldError, FieldErrors};
use crate::money::Fen;
use crate::tier::Tier;

mod diff;
mod validate;

pub use diff::{ListChanges, RowChange, SettingChange, Settings, compare};

/// The company's procedure as shipped.
pub const DEFAULT_TOML: &str = include_str!("../../data/procedure-default.toml");

/// Fields of the reception request a task or item may depend on (`when = "…"`): the
/// arrangement must be asked for on the request for the row to apply.
pub const CONDITION_FIELDS: &[&str] = &[
    "pickup_car",
    "train_tickets",
    "hotel",
    "lunch",
    "dinner",
    "entertainment",
    "parking",
    "red_carpet",
    "welcome_message",
    "fruit",
    "tea",
    "meeting_room",
    "computer",
    "paper",
    "pencils",
    "pens",
    "projector",
    "clicker",
    "meals",
    "gifts",
    "leader_appointment",
];

/// A stage of the procedure (接待定案, 工作分配…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stage {
    /// Stable key, e.g. `proposal`.
    pub key: String,
    /// Name in Chinese.
    pub name_zh: String,
    /// Name in English.
    pub name_en: String,
    /// The work of the stage, in Chinese.
    #[serde(default)]
    pub work_zh: String,
    /// The work of the stage, in English.
    #[serde(default)]
    pub work_en: String,
    /// Deadline in working days from the visit day T (T-5 is -5).
    pub offset_working_days: i32,
    /// The role that owns the stage.
    pub owner: Role,
    /// The record the stage produces, in Chinese.
    #[serde(default)]
    pub record_zh: String,
    /// The record the stage produces, in English.
    #[serde(default)]
    pub record_en: String,
}

/// A reception tier (接待类型) and its recommended standard per person from a day on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TierStandard {
    /// The tier.
    pub key: Tier,
    /// Name in Chinese.
    pub name_zh: String,
    /// Name in English.
    pub name_en: String,
    /// Recommended spending per person.
    #[serde(rename = "standard_per_person_fen")]
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub standard_per_person: Fen,
    /// The standard applies to receptions planned from this day on.
    pub effective_from: NaiveDate,
}

/// When a task happens (分类).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantArray)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Phase {
    /// 前期.
    Before,
    /// 现场.
    OnSite,
    /// 收尾.
    CloseDown,
}

/// Who does a task (the groups of the task division table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantArray)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Group {
    /// 司机.
    Driver,
    /// 嘉宾组.
    Guest,
    /// 后勤组.
    Logistics,
    /// 流程组.
    Process,
    /// 服务组.
    Service,
}

/// A row of the default task division (Attachment 2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskTemplate {
    /// Phase.
    pub phase: Phase,
    /// Group.
    pub group: Group,
    /// Work item, in Chinese.
    pub item_zh: String,
    /// Work item, in English.
    pub item_en: String,
    /// Duties, in Chinese.
    #[serde(default)]
    pub duties_zh: String,
    /// Duties, in English.
    #[serde(default)]
    pub duties_en: String,
    /// Due, in working days from T.
    pub due_offset_working_days: i32,
    /// Due time of day, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, pattern = "^(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\\.[0-9]{1,9})?$"))]
    pub due_time: Option<NaiveTime>,
    /// The request field that must be asked for (see [`CONDITION_FIELDS`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
}

/// A row of the default item list (Attachment 3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemTemplate {
    /// Category, in Chinese.
    pub category_zh: String,
    /// Category, in English.
    pub category_en: String,
    /// Item, in Chinese (玻璃杯…).
    pub name_zh: String,
    /// Item, in English.
    pub name_en: String,
    /// Unit, in Chinese (个, 套…).
    pub unit_zh: String,
    /// Unit, in English.
    pub unit_en: String,
    /// Reusable items are counted back into storage after the reception.
    pub reusable: bool,
    /// The request field that must be asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
}

/// One evaluation item of the satisfaction survey (Attachment 4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyItem {
    /// Stable key.
    pub key: String,
    /// Text in Chinese.
    pub text_zh: String,
    /// Text in English.
    pub text_en: String,
    /// Reference score (参照分值).
    pub reference_score: u32,
}

/// The satisfaction survey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Survey {
    /// The total of the reference scores.
    pub total: u32,
    /// The items.
    pub items: Vec<SurveyItem>,
}

/// The whole procedure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Procedure {
    /// Stages, in order.
    pub stages: Vec<Stage>,
    /// Tiers (each key may appear with several effective dates).
    pub tiers: Vec<TierStandard>,
    /// Default task division.
    pub tasks: Vec<TaskTemplate>,
    /// Default item list.
    pub items: Vec<ItemTemplate>,
    /// Satisfaction survey.
    pub survey: Survey,
}

/// A deadline as the procedure writes it, counted in working days from the visit day T:
/// `T-5`, `T`, `T+1`.
pub fn deadline_label(offset: i32) -> String {
    match offset {
        0 => "T".into(),
        n if n > 0 => format!("T+{n}"),
        n => format!("T{n}"),
    }
}

/// Largest standard per person accepted: ¥100,000.
pub const MAX_STANDARD: Fen = Fen::new(10_000_000);

impl Procedure {
    /// The company's procedure as shipped.
    pub fn default_procedure() -> Procedure {
        Procedure::from_toml(DEFAULT_TOML).expect("the shipped procedure is valid")
    }

    /// Reads a procedure from TOML and checks it.
    pub fn from_toml(text: &str) -> Result<Procedure, FieldErrors> {
        let p: Procedure = toml::from_str(text).map_err(|e| {
            FieldErrors::from(FieldError::on_line("file", "malformed_toml", None, e.message().to_owned()))
        })?;
        p.validate()?;
        Ok(p)
    }

    /// Writes the procedure as TOML (export).
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_default()
    }

    /// The tier in force for a key on a day: the latest effective on or before it.
    pub fn tier_on(&self, key: Tier, day: NaiveDate) -> Option<&TierStandard> {
        self.tiers.iter().filter(|t| t.key == key && t.effective_from <= day).max_by_key(|t| t.effective_from)
    }

    /// The same procedure with a tier's standard set from a day on: an entry of that key
    /// and day is replaced, else one is added, so receptions planned before keep theirs.
    pub fn with_tier_standard(&self, key: Tier, standard: Fen, from: NaiveDate) -> Procedure {
        let mut p = self.clone();
        match p.tiers.iter_mut().find(|t| t.key == key && t.effective_from == from) {
            Some(t) => t.standard_per_person = standard,
            None => {
                if let Some(base) = self.tier_on(key, from).or_else(|| self.tiers.iter().find(|t| t.key == key)) {
                    p.tiers.push(TierStandard { effective_from: from, standard_per_person: standard, ..base.clone() });
                }
            }
        }
        p.tiers.sort_by_key(|t| (t.key, t.effective_from));
        p
    }
}

#[cfg(test)]
mod tests;
