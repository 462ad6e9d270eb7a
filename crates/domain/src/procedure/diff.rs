//! What changed between two procedure versions, list by list and setting by setting, for
//! people to read (the file's lines would be thousands of lines of TOML).

use super::{ItemTemplate, Procedure, Stage, SurveyItem, TaskTemplate, TierStandard};
use crate::Code;

/// The settings of one row of a list, in the order the procedure writes them:
/// (field, value as stored).
pub type Settings = Vec<(&'static str, String)>;

/// One setting that differs: (field, before, after); empty on the side where the row is not.
pub type SettingChange = (&'static str, String, String);

/// A row of one list that differs between two versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowChange {
    /// Its position in the old version (from 0), if it was there.
    pub old: Option<usize>,
    /// Its position in the new version (from 0), if it is there.
    pub new: Option<usize>,
    /// The settings that differ (every setting that has a value, for a row added or removed).
    pub settings: Vec<SettingChange>,
}

/// What changed in one list of the procedure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListChanges {
    /// The list, as the procedure names it: `stages`, `tiers`, `tasks`, `items`,
    /// `survey.items`, or `survey` (the survey's total).
    pub list: &'static str,
    /// The rows that differ, in the new version's order (removed rows where they were).
    pub rows: Vec<RowChange>,
    /// Positions in the new version of the rows that did not change.
    pub unchanged: Vec<usize>,
}

fn stage_settings(s: &Stage) -> Settings {
    vec![
        ("name_zh", s.name_zh.clone()),
        ("name_en", s.name_en.clone()),
        ("offset_working_days", s.offset_working_days.to_string()),
        ("owner", s.owner.as_str().to_owned()),
        ("work_zh", s.work_zh.clone()),
        ("work_en", s.work_en.clone()),
        ("record_zh", s.record_zh.clone()),
        ("record_en", s.record_en.clone()),
    ]
}

fn tier_settings(t: &TierStandard) -> Settings {
    vec![
        ("name_zh", t.name_zh.clone()),
        ("name_en", t.name_en.clone()),
        ("standard_per_person_fen", t.standard_per_person.get().to_string()),
        ("effective_from", t.effective_from.to_string()),
    ]
}

fn task_settings(t: &TaskTemplate) -> Settings {
    vec![
        ("phase", t.phase.as_str().to_owned()),
        ("group", t.group.as_str().to_owned()),
        ("item_zh", t.item_zh.clone()),
        ("item_en", t.item_en.clone()),
        ("due_offset_working_days", t.due_offset_working_days.to_string()),
        ("due_time", t.due_time.map(|d| d.format("%H:%M").to_string()).unwrap_or_default()),
        ("when", t.when.clone().unwrap_or_default()),
        ("duties_zh", t.duties_zh.clone()),
        ("duties_en", t.duties_en.clone()),
    ]
}

fn item_settings(i: &ItemTemplate) -> Settings {
    vec![
        ("category_zh", i.category_zh.clone()),
        ("category_en", i.category_en.clone()),
        ("name_zh", i.name_zh.clone()),
        ("name_en", i.name_en.clone()),
        ("unit_zh", i.unit_zh.clone()),
        ("unit_en", i.unit_en.clone()),
        ("when", i.when.clone().unwrap_or_default()),
        ("reusable", i.reusable.to_string()),
    ]
}

fn survey_settings(s: &SurveyItem) -> Settings {
    vec![
        ("key", s.key.clone()),
        ("text_zh", s.text_zh.clone()),
        ("text_en", s.text_en.clone()),
        ("reference_score", s.reference_score.to_string()),
    ]
}

/// The settings that differ between two rows (either side may be missing).
fn setting_changes(old: Option<&Settings>, new: Option<&Settings>) -> Vec<SettingChange> {
    let empty = Settings::new();
    let (a, b) = (old.unwrap_or(&empty), new.unwrap_or(&empty));
    let fields = if b.is_empty() { a } else { b };
    fields
        .iter()
        .map(|(f, _)| {
            let get = |s: &Settings| s.iter().find(|(g, _)| g == f).map(|(_, v)| v.clone()).unwrap_or_default();
            (*f, get(a), get(b))
        })
        .filter(|(_, before, after)| before != after)
        .collect()
}

/// Compares one list: rows equal in both versions are matched in order (longest common
/// subsequence); between two matches, a removed and an added row with the same identity
/// (a stage's key, a tier and its date, a survey item's key), or, in a list without
/// identities, at the same place, are one row changed.
fn compare_list(
    list: &'static str,
    old: &[(Option<String>, Settings)],
    new: &[(Option<String>, Settings)],
) -> ListChanges {
    let (n, m) = (old.len(), new.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if old[i] == new[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let mut out = ListChanges { list, rows: Vec::new(), unchanged: Vec::new() };
    let (mut i, mut j) = (0, 0);
    let (mut removed, mut added): (Vec<usize>, Vec<usize>) = (Vec::new(), Vec::new());
    let flush = |removed: &mut Vec<usize>, added: &mut Vec<usize>, out: &mut ListChanges| {
        let mut pairs: Vec<(Option<usize>, Option<usize>)> = Vec::new();
        let mut left: Vec<usize> = Vec::new();
        for &r in removed.iter() {
            let ident = &old[r].0;
            let twin = added.iter().position(|&a| ident.is_some() && new[a].0 == *ident);
            match twin {
                Some(k) => pairs.push((Some(r), Some(added.remove(k)))),
                None => left.push(r),
            }
        }
        // Rows without identities pair up in order.
        let mut added_left: Vec<usize> = Vec::new();
        for a in added.drain(..) {
            match left.iter().position(|&r| old[r].0.is_none() && new[a].0.is_none()) {
                Some(k) => pairs.push((Some(left.remove(k)), Some(a))),
                None => added_left.push(a),
            }
        }
        pairs.extend(left.into_iter().map(|r| (Some(r), None)));
        pairs.extend(added_left.into_iter().map(|a| (None, Some(a))));
        pairs.sort_by_key(|(r, a)| (a.unwrap_or(usize::MAX), r.unwrap_or(usize::MAX)));
        for (r, a) in pairs {
            let settings = setting_changes(r.map(|r| &old[r].1), a.map(|a| &new[a].1));
            out.rows.push(RowChange { old: r, new: a, settings });
        }
        removed.clear();
    };
    while i < n || j < m {
        if i < n && j < m && old[i] == new[j] {
            flush(&mut removed, &mut added, &mut out);
            out.unchanged.push(j);
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            added.push(j);
            j += 1;
        } else {
            removed.push(i);
            i += 1;
        }
    }
    flush(&mut removed, &mut added, &mut out);
    out
}

/// What changed between two versions, list by list, setting by setting: for people to
/// read (the editor's labels and values), not as lines of the file.
pub fn compare(old: &Procedure, new: &Procedure) -> Vec<ListChanges> {
    fn rows<T>(
        v: &[T],
        ident: impl Fn(&T) -> Option<String>,
        settings: impl Fn(&T) -> Settings,
    ) -> Vec<(Option<String>, Settings)> {
        v.iter().map(|x| (ident(x), settings(x))).collect()
    }
    let stage_key = |s: &Stage| Some(s.key.clone());
    let tier_key = |t: &TierStandard| Some(format!("{} {}", t.key.as_str(), t.effective_from));
    let survey_key = |s: &SurveyItem| Some(s.key.clone());
    let total = |p: &Procedure| vec![(Some("total".to_owned()), vec![("total", p.survey.total.to_string())])];
    vec![
        compare_list(
            "stages",
            &rows(&old.stages, stage_key, stage_settings),
            &rows(&new.stages, stage_key, stage_settings),
        ),
        compare_list("tiers", &rows(&old.tiers, tier_key, tier_settings), &rows(&new.tiers, tier_key, tier_settings)),
        compare_list("tasks", &rows(&old.tasks, |_| None, task_settings), &rows(&new.tasks, |_| None, task_settings)),
        compare_list("items", &rows(&old.items, |_| None, item_settings), &rows(&new.items, |_| None, item_settings)),
        compare_list(
            "survey.items",
            &rows(&old.survey.items, survey_key, survey_settings),
            &rows(&new.survey.items, survey_key, survey_settings),
        ),
        compare_list("survey", &total(old), &total(new)),
    ]
}
