//! What changed between two procedure versions, for people: list by list, each changed row
//! named as the procedure page names it, with its settings before and after in the
//! reader's language; rows that did not change fold away.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use jiedai_app::procedure;
use jiedai_domain::procedure::{Group, ListChanges, Phase, Procedure, RowChange, compare, deadline_label};
use jiedai_domain::{Code, Fen, Language, Role};
use serde::Deserialize;

use crate::auth::Cx;
use crate::error::AppResult;
use crate::extract::Query;
use crate::i18n::{Tr, keys};
use crate::render::{Chrome, page};
use crate::state::AppState;

/// Which versions to compare.
#[derive(Deserialize)]
pub struct DiffQuery {
    from: i32,
    to: i32,
}

/// A setting that changed: its label, before and after (a dash where there was none).
pub struct SettingRow {
    label: String,
    before: String,
    after: String,
}

/// A row that changed: what it is, how, and its settings.
pub struct ChangeRow {
    what: String,
    /// `added`, `removed` or `changed`.
    status: &'static str,
    status_label: String,
    settings: Vec<SettingRow>,
}

/// A list of the procedure with its changed rows and the names of those unchanged.
pub struct ListView {
    title: String,
    rows: Vec<ChangeRow>,
    unchanged: Vec<String>,
    unchanged_label: String,
}

#[derive(Template)]
#[template(path = "procedure/diff.html")]
struct DiffPage {
    c: Chrome,
    from: i32,
    to: i32,
    lists: Vec<ListView>,
    changed: bool,
}

/// The label of a setting, as the editor labels its column.
fn setting_label(tr: Tr, field: &str) -> String {
    let key = match field {
        "key" => "procedure_col.key",
        "name_zh" => "procedure_col.name_zh",
        "name_en" => "procedure_col.name_en",
        "offset_working_days" => "procedure_col.offset_working_days",
        "owner" => "procedure_col.owner",
        "work_zh" => "procedure_col.work_zh",
        "work_en" => "procedure_col.work_en",
        "record_zh" => "procedure_col.record_zh",
        "record_en" => "procedure_col.record_en",
        "phase" => "procedure_col.phase",
        "group" => "procedure_col.group",
        "item_zh" => "procedure_col.item_zh",
        "item_en" => "procedure_col.item_en",
        "due_offset_working_days" => "procedure_col.due_offset_working_days",
        "due_time" => "procedure_col.due_time",
        "when" => "procedure_col.when",
        "duties_zh" => "procedure_col.duties_zh",
        "duties_en" => "procedure_col.duties_en",
        "category_zh" => "procedure_col.category_zh",
        "category_en" => "procedure_col.category_en",
        "unit_zh" => "procedure_col.unit_zh",
        "unit_en" => "procedure_col.unit_en",
        "reusable" => "procedure_col.reusable",
        "text_zh" => "procedure_col.text_zh",
        "text_en" => "procedure_col.text_en",
        "reference_score" => "procedure_col.reference_score",
        "standard_per_person_fen" => "procedure.standard",
        "effective_from" => "procedure.since",
        "total" => "procedure.total",
        other => return other.to_owned(),
    };
    tr.t(key).to_owned()
}

/// A setting's value as the reader reads it: roles, phases, groups and conditions by name,
/// deadlines as `T-4`, money in yuan, yes or no.
fn setting_value(tr: Tr, field: &str, raw: &str, present: bool) -> String {
    if !present {
        return "—".to_owned();
    }
    let named = match field {
        "owner" => Role::parse(raw).map(|r| tr.t(keys::role(r)).to_owned()),
        "phase" => Phase::parse(raw).map(|p| tr.t(keys::phase(p)).to_owned()),
        "group" => Group::parse(raw).map(|g| tr.t(keys::group(g)).to_owned()),
        "when" if raw.is_empty() => Some(tr.t("arrangement.always").to_owned()),
        "when" => Some(tr.t(&keys::condition(raw)).to_owned()),
        "reusable" => Some(tr.t(if raw == "true" { "common.yes" } else { "common.no" }).to_owned()),
        "standard_per_person_fen" => raw.parse::<i64>().ok().map(|f| tr.money(Fen::new(f))),
        "offset_working_days" | "due_offset_working_days" => raw.parse::<i32>().ok().map(deadline_label),
        _ => None,
    };
    match named {
        Some(v) => v,
        None if raw.is_empty() => "—".to_owned(),
        None => raw.to_owned(),
    }
}

/// What a row is, named as the procedure page names it (in the reader's language).
fn row_name(tr: Tr, list: &str, p: &Procedure, i: usize) -> String {
    let zh = tr.lang == Language::ZhCn;
    let pick = |a: &str, b: &str| if zh || b.is_empty() { a.to_owned() } else { b.to_owned() };
    match list {
        "stages" => p.stages.get(i).map(|s| pick(&s.name_zh, &s.name_en)),
        "tiers" => p.tiers.get(i).map(|t| {
            let name = pick(&t.name_zh, &t.name_en);
            let name = if name.is_empty() { tr.t(keys::tier(t.key)).to_owned() } else { name };
            format!("{name} · {} {}", tr.t("procedure.since"), t.effective_from)
        }),
        "tasks" => p.tasks.get(i).map(|t| format!("{}: {}", tr.t(keys::group(t.group)), pick(&t.item_zh, &t.item_en))),
        "items" => p.items.get(i).map(|it| pick(&it.name_zh, &it.name_en)),
        "survey.items" => p.survey.items.get(i).map(|s| pick(&s.text_zh, &s.text_en)),
        "survey" => Some(tr.t("procedure.total").to_owned()),
        _ => None,
    }
    .unwrap_or_default()
}

fn list_title(list: &str) -> &'static str {
    match list {
        "stages" => "procedure.stages",
        "tiers" => "procedure.tiers",
        "tasks" => "procedure.tasks",
        "items" => "procedure.items",
        _ => "procedure.survey",
    }
}

fn change_row(tr: Tr, list: &str, old: &Procedure, new: &Procedure, r: &RowChange) -> ChangeRow {
    let (status, key) = match (r.old, r.new) {
        (None, _) => ("added", "procedure.diff_added"),
        (_, None) => ("removed", "procedure.diff_removed"),
        _ => ("changed", "procedure.diff_changed"),
    };
    let what = match (r.new, r.old) {
        (Some(i), _) => row_name(tr, list, new, i),
        (None, Some(i)) => row_name(tr, list, old, i),
        (None, None) => String::new(),
    };
    let settings = r
        .settings
        .iter()
        .map(|(field, before, after)| SettingRow {
            label: setting_label(tr, field),
            before: setting_value(tr, field, before, r.old.is_some()),
            after: setting_value(tr, field, after, r.new.is_some()),
        })
        .collect();
    ChangeRow { what, status, status_label: tr.t(key).to_owned(), settings }
}

/// The comparison as the page shows it: only lists that changed; the survey's total joins
/// the survey's items.
fn lists(tr: Tr, old: &Procedure, new: &Procedure, changes: &[ListChanges]) -> Vec<ListView> {
    let mut out: Vec<(&'static str, ListView)> = Vec::new();
    for c in changes {
        let title = list_title(c.list);
        let rows: Vec<ChangeRow> = c.rows.iter().map(|r| change_row(tr, c.list, old, new, r)).collect();
        let unchanged: Vec<String> = if c.list == "survey" {
            Vec::new()
        } else {
            c.unchanged.iter().map(|i| row_name(tr, c.list, new, *i)).collect()
        };
        match out.iter().position(|(t, _)| *t == title) {
            Some(k) => {
                out[k].1.rows.extend(rows);
                out[k].1.unchanged.extend(unchanged);
            }
            None => out.push((
                title,
                ListView { title: tr.t(title).to_owned(), rows, unchanged, unchanged_label: String::new() },
            )),
        }
    }
    out.into_iter()
        .map(|(_, mut v)| {
            v.unchanged_label =
                tr.plural("procedure.unchanged_rows", i64::try_from(v.unchanged.len()).unwrap_or(i64::MAX));
            v
        })
        .filter(|v| !v.rows.is_empty())
        .collect()
}

/// `GET /procedure/diff?from=1&to=2`: what changed between two versions.
pub async fn diff(State(s): State<AppState>, cx: Cx, Query(q): Query<DiffQuery>) -> AppResult<Response> {
    // The procedure in force is read first: on a fresh database it is the one seeded.
    procedure::current(&s.app).await?;
    let old = procedure::version(&s.app, q.from).await?.procedure;
    let new = procedure::version(&s.app, q.to).await?.procedure;
    let tr = cx.tr();
    let lists = lists(tr, &old, &new, &compare(&old, &new));
    Ok(page(&DiffPage { c: Chrome::new(&cx), from: q.from, to: q.to, changed: !lists.is_empty(), lists }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_deadline_reads_as_a_deadline_under_its_stage_name() {
        let tr = Tr::new(Language::ZhCn);
        let old = Procedure::default_procedure();
        let mut new = old.clone();
        new.stages[1].offset_working_days = -3;
        let v = lists(tr, &old, &new, &compare(&old, &new));
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].rows[0].what, "工作分配");
        let s = &v[0].rows[0].settings[0];
        assert_eq!((s.before.as_str(), s.after.as_str()), ("T-4", "T-3"));
        assert_eq!(v[0].unchanged.len(), old.stages.len() - 1);
    }
}
