//! The whole-procedure check names things as the file does (a stage's key, a duplicate
//! key); the editor says them as people read them, on the row they changed: a stage whose
//! deadline falls before the previous one is named by its name and deadline, and the
//! message goes to the row whose deadline was changed; a repeated survey key says which
//! row it repeats.

use std::collections::BTreeMap;

use jiedai_domain::procedure::{Procedure, deadline_label};
use jiedai_domain::{FieldError, FieldErrors, Language};

use super::sections::Section;

/// The row index of a field named `prefix[i].name`.
fn index_in(field: &str, prefix: &str) -> Option<usize> {
    field.strip_prefix(prefix)?.strip_prefix('[')?.split_once(']')?.0.parse().ok()
}

/// The errors of the rows typed, said as people read them (see the module's comment).
pub(super) fn explain(
    section: Section,
    mut errs: FieldErrors,
    base: &Procedure,
    rows: &[BTreeMap<String, String>],
    lang: Language,
) -> FieldErrors {
    let get = |i: usize, k: &str| rows.get(i).and_then(|r| r.get(k)).map(|v| v.trim().to_owned()).unwrap_or_default();
    match section {
        Section::Stages => {
            let offset = |i: usize| get(i, "offset_working_days").parse::<i32>().ok();
            let changed = |i: usize| offset(i) != base.stages.get(i).map(|s| s.offset_working_days);
            let name = |i: usize| {
                let n = get(i, if lang == Language::ZhCn { "name_zh" } else { "name_en" });
                let n = if n.is_empty() { get(i, "key") } else { n };
                match offset(i) {
                    Some(o) => format!("{n} {}", deadline_label(o)),
                    None => n,
                }
            };
            for e in errs.0.iter_mut().filter(|e| e.code == "stage_before_previous") {
                let Some(i) = index_in(&e.field, "stages").filter(|i| *i > 0 && *i < rows.len()) else { continue };
                if !changed(i) && changed(i - 1) {
                    // The previous stage was moved past this one: say so on the row moved.
                    let field = format!("stages[{}].offset_working_days", i - 1);
                    *e = FieldError::on_line(&field, "stage_after_next", None, name(i));
                } else {
                    e.value = Some(name(i - 1));
                }
            }
        }
        Section::Survey => {
            for e in errs.0.iter_mut().filter(|e| e.code == "duplicate_key") {
                let Some(i) = index_in(&e.field, "survey.items") else { continue };
                let key = get(i, "key");
                if let Some(first) = (0..i).find(|j| get(*j, "key") == key) {
                    *e = FieldError::on_line(&e.field, "duplicate_of_row", None, (first + 1).to_string());
                }
            }
        }
        Section::Tasks | Section::Items => {}
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stage_moved_past_the_next_is_told_on_its_own_row_by_name() {
        let p = Procedure::default_procedure();
        let mut rows = Section::Stages.rows_of(&p);
        // 工作分配 (T-4) moved after 准备工作 (T-2).
        rows[1].insert("offset_working_days".into(), "-1".into());
        let errs = Section::Stages.apply(&p, &rows, "").unwrap_err();
        let errs = explain(Section::Stages, errs, &p, &rows, Language::ZhCn);
        let e = errs.0.iter().find(|e| e.code == "stage_after_next").expect("the moved row is told");
        assert_eq!(e.field, "stages[1].offset_working_days");
        assert_eq!(e.value.as_deref(), Some("准备工作 T-2"));
        assert!(!errs.0.iter().any(|e| e.field == "stages[2].offset_working_days"), "{errs:?}");

        // The next row moved before this one: told there, naming this one.
        let mut rows = Section::Stages.rows_of(&p);
        rows[2].insert("offset_working_days".into(), "-5".into());
        let errs = Section::Stages.apply(&p, &rows, "").unwrap_err();
        let errs = explain(Section::Stages, errs, &p, &rows, Language::En);
        let e = errs.0.iter().find(|e| e.code == "stage_before_previous").unwrap();
        assert_eq!(e.field, "stages[2].offset_working_days");
        assert!(e.value.as_deref().unwrap().ends_with("T-4"), "{e:?}");
        assert!(!e.value.as_deref().unwrap().contains("assignment"), "no key: {e:?}");
    }

    #[test]
    fn a_repeated_survey_key_names_the_row_it_repeats() {
        let p = Procedure::default_procedure();
        let mut rows = Section::Survey.rows_of(&p);
        let first = rows[0]["key"].clone();
        rows[2].insert("key".into(), first);
        let errs = Section::Survey.apply(&p, &rows, &p.survey.total.to_string()).unwrap_err();
        let errs = explain(Section::Survey, errs, &p, &rows, Language::ZhCn);
        let e = errs.0.iter().find(|e| e.field == "survey.items[2].key").unwrap();
        assert_eq!((e.code, e.value.as_deref()), ("duplicate_of_row", Some("1")));
    }
}
