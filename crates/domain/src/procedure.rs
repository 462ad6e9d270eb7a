//! The reception procedure as data: its stages with their working-day deadlines, the
//! reception tiers with their standard per person, the default task division, the
//! default item list and the satisfaction survey. Seeded from the company's procedure
//! (`data/procedure-default.toml`) and edited by administrators; every edit is checked
//! here as a whole, so a procedure in force is always consistent.

use std::collections::BTreeSet;

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::field::{FieldError, FieldErrors};
use crate::role::Role;

/// The company's procedure as shipped.
pub const DEFAULT_TOML: &str = include_str!("../data/procedure-default.toml");

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

/// A reception tier (接待类型) and its recommended standard per person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tier {
    /// `high_end`, `business` or `simple`.
    pub key: String,
    /// Name in Chinese.
    pub name_zh: String,
    /// Name in English.
    pub name_en: String,
    /// Recommended spending per person, in fen.
    pub standard_per_person_fen: i64,
    /// The standard applies to receptions planned from this day on.
    pub effective_from: NaiveDate,
}

/// When a task happens (分类).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// 前期.
    Before,
    /// 现场.
    OnSite,
    /// 收尾.
    CloseDown,
}

/// Who does a task (the groups of the task division table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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
    pub due_time: Option<NaiveTime>,
    /// The request field that must be asked for (see [`CONDITION_FIELDS`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
}

/// A row of the default item list (Attachment 3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
pub struct Survey {
    /// The total of the reference scores.
    pub total: u32,
    /// The items.
    pub items: Vec<SurveyItem>,
}

/// The whole procedure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Procedure {
    /// Stages, in order.
    pub stages: Vec<Stage>,
    /// Tiers (each key may appear with several effective dates).
    pub tiers: Vec<Tier>,
    /// Default task division.
    pub tasks: Vec<TaskTemplate>,
    /// Default item list.
    pub items: Vec<ItemTemplate>,
    /// Satisfaction survey.
    pub survey: Survey,
}

/// Tier keys the request form knows.
pub const TIER_KEYS: &[&str] = &["high_end", "business", "simple"];

/// Largest standard per person accepted: ¥100,000.
pub const MAX_STANDARD_FEN: i64 = 10_000_000;

fn text(errs: &mut FieldErrors, field: String, v: &str, required: bool, max: usize) {
    if required && v.trim().is_empty() {
        errs.push(FieldError::new(&field, "required"));
    } else if v.chars().count() > max {
        errs.push(FieldError::with_limit(&field, "too_long", max));
    }
}

fn condition(errs: &mut FieldErrors, field: String, when: &Option<String>) {
    if let Some(w) = when
        && !CONDITION_FIELDS.contains(&w.as_str())
    {
        errs.push(FieldError::on_line(&field, "unknown_condition", None, w.clone()));
    }
}

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
    pub fn tier_on(&self, key: &str, day: NaiveDate) -> Option<&Tier> {
        self.tiers.iter().filter(|t| t.key == key && t.effective_from <= day).max_by_key(|t| t.effective_from)
    }

    /// The same procedure with a tier's standard set from a day on: an entry of that key
    /// and day is replaced, else one is added, so receptions planned before keep theirs.
    pub fn with_tier_standard(&self, key: &str, fen: i64, from: NaiveDate) -> Procedure {
        let mut p = self.clone();
        match p.tiers.iter_mut().find(|t| t.key == key && t.effective_from == from) {
            Some(t) => t.standard_per_person_fen = fen,
            None => {
                if let Some(base) = self.tier_on(key, from).or_else(|| self.tiers.iter().find(|t| t.key == key)) {
                    p.tiers.push(Tier { effective_from: from, standard_per_person_fen: fen, ..base.clone() });
                }
            }
        }
        p.tiers.sort_by(|a, b| {
            let rank = |k: &str| TIER_KEYS.iter().position(|x| *x == k).unwrap_or(usize::MAX);
            (rank(&a.key), a.effective_from).cmp(&(rank(&b.key), b.effective_from))
        });
        p
    }

    /// Checks the whole procedure; every problem names its field, e.g. `stages[2].offset_working_days`.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut errs = FieldErrors::new();
        if self.stages.is_empty() {
            errs.push(FieldError::new("stages", "required"));
        }
        let mut keys = BTreeSet::new();
        for (i, s) in self.stages.iter().enumerate() {
            let f = |n: &str| format!("stages[{i}].{n}");
            text(&mut errs, f("key"), &s.key, true, 32);
            if !keys.insert(s.key.as_str()) {
                errs.push(FieldError::on_line(&f("key"), "duplicate_key", None, s.key.clone()));
            }
            text(&mut errs, f("name_zh"), &s.name_zh, true, 32);
            text(&mut errs, f("name_en"), &s.name_en, true, 64);
            text(&mut errs, f("work_zh"), &s.work_zh, false, 500);
            text(&mut errs, f("work_en"), &s.work_en, false, 500);
            text(&mut errs, f("record_zh"), &s.record_zh, false, 100);
            text(&mut errs, f("record_en"), &s.record_en, false, 100);
            if s.offset_working_days.abs() > 60 {
                errs.push(FieldError::with_limit(&f("offset_working_days"), "offset_out_of_range", 60));
            }
            if i > 0 && s.offset_working_days < self.stages[i - 1].offset_working_days {
                errs.push(FieldError::on_line(
                    &f("offset_working_days"),
                    "stage_before_previous",
                    None,
                    self.stages[i - 1].key.clone(),
                ));
            }
        }
        let mut tier_dates = BTreeSet::new();
        for (i, t) in self.tiers.iter().enumerate() {
            let f = |n: &str| format!("tiers[{i}].{n}");
            if !TIER_KEYS.contains(&t.key.as_str()) {
                errs.push(FieldError::on_line(&f("key"), "unknown_tier", None, t.key.clone()));
            }
            text(&mut errs, f("name_zh"), &t.name_zh, true, 32);
            text(&mut errs, f("name_en"), &t.name_en, true, 64);
            if t.standard_per_person_fen < 0 {
                errs.push(FieldError::new(&f("standard_per_person_fen"), "negative_amount"));
            } else if t.standard_per_person_fen > MAX_STANDARD_FEN {
                errs.push(FieldError::new(&f("standard_per_person_fen"), "amount_too_large"));
            }
            if !tier_dates.insert((t.key.as_str(), t.effective_from)) {
                errs.push(FieldError::on_line(
                    &f("effective_from"),
                    "duplicate_key",
                    None,
                    t.effective_from.to_string(),
                ));
            }
        }
        for key in TIER_KEYS {
            if !self.tiers.iter().any(|t| t.key == *key) {
                errs.push(FieldError::on_line("tiers", "missing_tier", None, (*key).to_owned()));
            }
        }
        for (i, t) in self.tasks.iter().enumerate() {
            let f = |n: &str| format!("tasks[{i}].{n}");
            text(&mut errs, f("item_zh"), &t.item_zh, true, 64);
            text(&mut errs, f("item_en"), &t.item_en, true, 100);
            text(&mut errs, f("duties_zh"), &t.duties_zh, false, 500);
            text(&mut errs, f("duties_en"), &t.duties_en, false, 500);
            if t.due_offset_working_days.abs() > 60 {
                errs.push(FieldError::with_limit(&f("due_offset_working_days"), "offset_out_of_range", 60));
            }
            condition(&mut errs, f("when"), &t.when);
        }
        for (i, it) in self.items.iter().enumerate() {
            let f = |n: &str| format!("items[{i}].{n}");
            for (n, v, max) in [
                ("category_zh", &it.category_zh, 32),
                ("category_en", &it.category_en, 64),
                ("name_zh", &it.name_zh, 32),
                ("name_en", &it.name_en, 64),
                ("unit_zh", &it.unit_zh, 8),
                ("unit_en", &it.unit_en, 16),
            ] {
                text(&mut errs, f(n), v, true, max);
            }
            condition(&mut errs, f("when"), &it.when);
        }
        let mut survey_keys = BTreeSet::new();
        for (i, s) in self.survey.items.iter().enumerate() {
            let f = |n: &str| format!("survey.items[{i}].{n}");
            text(&mut errs, f("key"), &s.key, true, 32);
            if !survey_keys.insert(s.key.as_str()) {
                errs.push(FieldError::on_line(&f("key"), "duplicate_key", None, s.key.clone()));
            }
            text(&mut errs, f("text_zh"), &s.text_zh, true, 100);
            text(&mut errs, f("text_en"), &s.text_en, true, 200);
        }
        let sum: u32 = self.survey.items.iter().map(|s| s.reference_score).sum();
        if self.survey.items.is_empty() {
            errs.push(FieldError::new("survey.items", "required"));
        } else if sum != self.survey.total {
            errs.push(FieldError::on_line("survey.total", "survey_total_mismatch", None, sum.to_string()));
        }
        errs.into_result()
    }
}

/// One line of a comparison: `' '` unchanged, `'-'` only in the old text, `'+'` only in the new.
pub type DiffLine = (char, String);

/// Compares two texts line by line (longest common subsequence), for showing what changed
/// between two procedure versions.
pub fn diff_lines(old: &str, new: &str) -> Vec<DiffLine> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            out.push((' ', a[i].to_owned()));
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out.push(('+', b[j].to_owned()));
            j += 1;
        } else {
            out.push(('-', a[i].to_owned()));
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_standard_keeps_the_old_one_for_earlier_days() {
        let p = Procedure::default_procedure();
        let from = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        let q = p.with_tier_standard("high_end", 16000, from);
        q.validate().unwrap();
        assert_eq!(q.tier_on("high_end", from).unwrap().standard_per_person_fen, 16000);
        assert_eq!(q.tier_on("high_end", from.pred_opt().unwrap()).unwrap().standard_per_person_fen, 15000);
        let again = q.with_tier_standard("high_end", 17000, from);
        assert_eq!(again.tiers.len(), q.tiers.len(), "same day: replaced, not added");
    }

    #[test]
    fn diffs_show_removed_and_added_lines() {
        let d = diff_lines("a\nb\nc\n", "a\nx\nc\n");
        assert_eq!(d, vec![(' ', "a".into()), ('+', "x".into()), ('-', "b".into()), (' ', "c".into())]);
    }

    #[test]
    fn the_shipped_procedure_follows_the_company_document() {
        let p = Procedure::default_procedure();
        let stages: Vec<(&str, i32)> = p.stages.iter().map(|s| (s.name_zh.as_str(), s.offset_working_days)).collect();
        assert_eq!(
            stages,
            vec![
                ("接待定案", -5),
                ("工作分配", -4),
                ("准备工作", -2),
                ("现场工作", 0),
                ("接待后总结", 0),
                ("工作总结", 1)
            ]
        );
        assert_eq!(p.stages[0].owner, Role::Requester);
        let day = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let standards: Vec<i64> =
            TIER_KEYS.iter().map(|k| p.tier_on(k, day).unwrap().standard_per_person_fen).collect();
        assert_eq!(standards, vec![15000, 8000, 5000]);
        assert!(p.items.iter().any(|i| i.name_zh == "投影仪" && i.when.as_deref() == Some("projector")));
        assert_eq!(p.survey.items.iter().map(|s| s.reference_score).sum::<u32>(), p.survey.total);
        assert_eq!(&p.survey.items[0].text_zh, "客户对此次来访的满意度");
    }

    #[test]
    fn export_then_import_gives_the_same_procedure() {
        let p = Procedure::default_procedure();
        assert_eq!(Procedure::from_toml(&p.to_toml()).unwrap(), p);
    }

    #[test]
    fn older_receptions_keep_the_standard_they_were_planned_under() {
        let mut p = Procedure::default_procedure();
        let later = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        p.tiers.push(Tier { effective_from: later, standard_per_person_fen: 9000, ..p.tiers[1].clone() });
        p.validate().unwrap();
        assert_eq!(p.tier_on("business", later.pred_opt().unwrap()).unwrap().standard_per_person_fen, 8000);
        assert_eq!(p.tier_on("business", later).unwrap().standard_per_person_fen, 9000);
    }

    #[test]
    fn bad_edits_are_refused_with_the_field_named() {
        let mut p = Procedure::default_procedure();
        p.stages[2].offset_working_days = -6;
        p.tiers[0].standard_per_person_fen = -1;
        p.tasks[0].when = Some("helicopter".into());
        p.survey.total = 90;
        let errs = p.validate().unwrap_err();
        let got: Vec<(&str, &str)> = errs.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert!(got.contains(&("stages[2].offset_working_days", "stage_before_previous")), "{got:?}");
        assert!(got.contains(&("tiers[0].standard_per_person_fen", "negative_amount")));
        assert!(got.contains(&("tasks[0].when", "unknown_condition")));
        assert!(got.contains(&("survey.total", "survey_total_mismatch")));
    }

    #[test]
    fn malformed_toml_is_a_field_error_not_a_panic() {
        let errs = Procedure::from_toml("stages = 3").unwrap_err();
        assert_eq!(errs.0[0].code, "malformed_toml");
    }
}
