//! The whole-procedure check: a procedure in force is always consistent.

use std::collections::BTreeSet;

use super::{CONDITION_FIELDS, MAX_STANDARD, Procedure};
use crate::Code;
use crate::field::{FieldError, FieldErrors};
use crate::money::Fen;
use crate::tier::Tier;

/// Most working days a stage or task may sit before or after the visit.
const MAX_OFFSET: i32 = 60;

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
            if !(-MAX_OFFSET..=MAX_OFFSET).contains(&s.offset_working_days) {
                errs.push(FieldError::with_limit(
                    &f("offset_working_days"),
                    "offset_out_of_range",
                    MAX_OFFSET as usize,
                ));
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
            text(&mut errs, f("name_zh"), &t.name_zh, true, 32);
            text(&mut errs, f("name_en"), &t.name_en, true, 64);
            if t.standard_per_person < Fen::ZERO {
                errs.push(FieldError::new(&f("standard_per_person_fen"), "negative_amount"));
            } else if t.standard_per_person > MAX_STANDARD {
                errs.push(FieldError::new(&f("standard_per_person_fen"), "amount_too_large"));
            }
            if let Err(e) = crate::bounds::date(&f("effective_from"), t.effective_from) {
                errs.push(e);
            }
            if !tier_dates.insert((t.key, t.effective_from)) {
                errs.push(FieldError::on_line(
                    &f("effective_from"),
                    "duplicate_key",
                    None,
                    t.effective_from.to_string(),
                ));
            }
        }
        for key in Tier::all() {
            if !self.tiers.iter().any(|t| t.key == *key) {
                errs.push(FieldError::on_line("tiers", "missing_tier", None, key.as_str().to_owned()));
            }
        }
        for (i, t) in self.tasks.iter().enumerate() {
            let f = |n: &str| format!("tasks[{i}].{n}");
            text(&mut errs, f("item_zh"), &t.item_zh, true, 64);
            text(&mut errs, f("item_en"), &t.item_en, true, 100);
            text(&mut errs, f("duties_zh"), &t.duties_zh, false, 500);
            text(&mut errs, f("duties_en"), &t.duties_en, false, 500);
            if !(-MAX_OFFSET..=MAX_OFFSET).contains(&t.due_offset_working_days) {
                errs.push(FieldError::with_limit(
                    &f("due_offset_working_days"),
                    "offset_out_of_range",
                    MAX_OFFSET as usize,
                ));
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
