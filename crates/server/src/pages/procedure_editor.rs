//! Field-by-field editing of the procedure's lists: stages, the task template, the item
//! template and the survey. Each list is one form of row cards (a phone shows them one
//! under the other); rows are added in blank cards and removed with a tick, without
//! JavaScript. Saving makes a new procedure version on top of the one the editor read,
//! checked as a whole; on an error the page comes back with what was typed and the
//! message next to each field.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveTime;
use jiedai_domain::procedure::{
    CONDITION_FIELDS, Group, ItemTemplate, Phase, Procedure, Stage, SurveyItem, TaskTemplate,
};
use jiedai_domain::{FieldError, FieldErrors, Role};

use super::{FormErrors, role_key};
use crate::app::AppState;
use crate::auth::Cx;
use crate::auth::csrf::CsrfForm;
use crate::error::{AppError, AppResult};
use crate::i18n::Tr;
use crate::render::{Chrome, page, redirect_with_flash};
use crate::service::procedure;

/// The survey's total, as [`Procedure::validate`] names it.
const TOTAL_FIELD: &str = "survey.total";

/// Blank cards offered for new rows.
const NEW_ROWS: usize = 3;

/// The lists that can be edited.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// The stages (their keys are fixed: the workflow refers to them).
    Stages,
    /// The task division template.
    Tasks,
    /// The item list template.
    Items,
    /// The satisfaction survey.
    Survey,
}

/// How a column is typed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text(usize),
    Long(usize),
    Int,
    Time,
    Check,
    Hidden,
    Phase,
    Group,
    Owner,
    When,
}

impl Section {
    fn parse(s: &str) -> Option<Section> {
        match s {
            "stages" => Some(Section::Stages),
            "tasks" => Some(Section::Tasks),
            "items" => Some(Section::Items),
            "survey" => Some(Section::Survey),
            _ => None,
        }
    }

    fn slug(self) -> &'static str {
        match self {
            Section::Stages => "stages",
            Section::Tasks => "tasks",
            Section::Items => "items",
            Section::Survey => "survey",
        }
    }

    /// The prefix of field names, as [`Procedure::validate`] names them.
    fn prefix(self) -> &'static str {
        match self {
            Section::Survey => "survey.items",
            s => s.slug(),
        }
    }

    fn title_key(self) -> &'static str {
        match self {
            Section::Stages => "procedure.stages",
            Section::Tasks => "procedure.tasks",
            Section::Items => "procedure.items",
            Section::Survey => "procedure.survey",
        }
    }

    /// Rows can be added and removed (stages cannot: the workflow refers to their keys).
    fn open_ended(self) -> bool {
        self != Section::Stages
    }

    fn columns(self) -> &'static [(&'static str, Kind)] {
        use Kind::*;
        match self {
            Section::Stages => &[
                ("key", Hidden),
                ("name_zh", Text(32)),
                ("name_en", Text(64)),
                ("offset_working_days", Int),
                ("owner", Owner),
                ("work_zh", Long(500)),
                ("work_en", Long(500)),
                ("record_zh", Text(100)),
                ("record_en", Text(100)),
            ],
            Section::Tasks => &[
                ("phase", Phase),
                ("group", Group),
                ("item_zh", Text(64)),
                ("item_en", Text(100)),
                ("due_offset_working_days", Int),
                ("due_time", Time),
                ("when", When),
                ("duties_zh", Long(500)),
                ("duties_en", Long(500)),
            ],
            Section::Items => &[
                ("category_zh", Text(32)),
                ("category_en", Text(64)),
                ("name_zh", Text(32)),
                ("name_en", Text(64)),
                ("unit_zh", Text(8)),
                ("unit_en", Text(16)),
                ("when", When),
                ("reusable", Check),
            ],
            Section::Survey => {
                &[("key", Text(32)), ("text_zh", Text(100)), ("text_en", Text(200)), ("reference_score", Int)]
            }
        }
    }

    /// The rows of a procedure as the form shows them, one value per column.
    fn rows_of(self, p: &Procedure) -> Vec<BTreeMap<String, String>> {
        let row = |pairs: Vec<(&str, String)>| pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        match self {
            Section::Stages => p
                .stages
                .iter()
                .map(|s| {
                    row(vec![
                        ("key", s.key.clone()),
                        ("name_zh", s.name_zh.clone()),
                        ("name_en", s.name_en.clone()),
                        ("offset_working_days", s.offset_working_days.to_string()),
                        ("owner", s.owner.as_str().to_owned()),
                        ("work_zh", s.work_zh.clone()),
                        ("work_en", s.work_en.clone()),
                        ("record_zh", s.record_zh.clone()),
                        ("record_en", s.record_en.clone()),
                    ])
                })
                .collect(),
            Section::Tasks => p
                .tasks
                .iter()
                .map(|t| {
                    row(vec![
                        ("phase", phase_str(t.phase).to_owned()),
                        ("group", group_str(t.group).to_owned()),
                        ("item_zh", t.item_zh.clone()),
                        ("item_en", t.item_en.clone()),
                        ("due_offset_working_days", t.due_offset_working_days.to_string()),
                        ("due_time", t.due_time.map(|d| d.format("%H:%M").to_string()).unwrap_or_default()),
                        ("when", t.when.clone().unwrap_or_default()),
                        ("duties_zh", t.duties_zh.clone()),
                        ("duties_en", t.duties_en.clone()),
                    ])
                })
                .collect(),
            Section::Items => p
                .items
                .iter()
                .map(|i| {
                    row(vec![
                        ("category_zh", i.category_zh.clone()),
                        ("category_en", i.category_en.clone()),
                        ("name_zh", i.name_zh.clone()),
                        ("name_en", i.name_en.clone()),
                        ("unit_zh", i.unit_zh.clone()),
                        ("unit_en", i.unit_en.clone()),
                        ("when", i.when.clone().unwrap_or_default()),
                        ("reusable", if i.reusable { "on".into() } else { String::new() }),
                    ])
                })
                .collect(),
            Section::Survey => p
                .survey
                .items
                .iter()
                .map(|s| {
                    row(vec![
                        ("key", s.key.clone()),
                        ("text_zh", s.text_zh.clone()),
                        ("text_en", s.text_en.clone()),
                        ("reference_score", s.reference_score.to_string()),
                    ])
                })
                .collect(),
        }
    }

    /// The procedure with this list replaced by the rows typed; a value that does not
    /// parse is an error on its field (the whole procedure is checked afterwards).
    fn apply(self, base: &Procedure, rows: &[BTreeMap<String, String>], total: &str) -> Result<Procedure, FieldErrors> {
        let mut errs = FieldErrors::new();
        let mut p = base.clone();
        let prefix = self.prefix();
        // Open-ended lists are rebuilt from the rows typed; stages are edited in place.
        match self {
            Section::Tasks => p.tasks.clear(),
            Section::Items => p.items.clear(),
            Section::Survey => p.survey.items.clear(),
            Section::Stages => {}
        }
        for (i, r) in rows.iter().enumerate() {
            let get = |k: &str| r.get(k).map(|v| v.trim().to_owned()).unwrap_or_default();
            let field = |k: &str| format!("{prefix}[{i}].{k}");
            let int = |errs: &mut FieldErrors, k: &str| match get(k).parse::<i32>() {
                Ok(n) => n,
                Err(_) => {
                    errs.push(FieldError::new(
                        &field(k),
                        if get(k).is_empty() { "required" } else { "invalid_number" },
                    ));
                    0
                }
            };
            let when = Some(get("when")).filter(|w| !w.is_empty());
            match self {
                Section::Stages => {
                    let offset = int(&mut errs, "offset_working_days");
                    let key = get("key");
                    let Some(stage) = p.stages.iter_mut().find(|s| s.key == key) else {
                        errs.push(FieldError::on_line(&field("key"), "unknown_reference", None, key));
                        continue;
                    };
                    let owner = Role::parse(&get("owner"));
                    if owner.is_none() {
                        errs.push(FieldError::new(&field("owner"), "unknown_role"));
                    }
                    *stage = Stage {
                        key: stage.key.clone(),
                        name_zh: get("name_zh"),
                        name_en: get("name_en"),
                        work_zh: get("work_zh"),
                        work_en: get("work_en"),
                        offset_working_days: offset,
                        owner: owner.unwrap_or(stage.owner),
                        record_zh: get("record_zh"),
                        record_en: get("record_en"),
                    };
                }
                Section::Tasks => {
                    let due = int(&mut errs, "due_offset_working_days");
                    let due_time = match get("due_time") {
                        t if t.is_empty() => None,
                        t => match NaiveTime::parse_from_str(&t, "%H:%M") {
                            Ok(t) => Some(t),
                            Err(_) => {
                                errs.push(FieldError::new(&field("due_time"), "invalid_time"));
                                None
                            }
                        },
                    };
                    let phase = parse_phase(&get("phase")).unwrap_or_else(|| {
                        errs.push(FieldError::new(&field("phase"), "unknown_reference"));
                        Phase::Before
                    });
                    let group = parse_group(&get("group")).unwrap_or_else(|| {
                        errs.push(FieldError::new(&field("group"), "unknown_reference"));
                        Group::Service
                    });
                    let t = TaskTemplate {
                        phase,
                        group,
                        item_zh: get("item_zh"),
                        item_en: get("item_en"),
                        duties_zh: get("duties_zh"),
                        duties_en: get("duties_en"),
                        due_offset_working_days: due,
                        due_time,
                        when,
                    };
                    p.tasks.push(t);
                }
                Section::Items => {
                    let it = ItemTemplate {
                        category_zh: get("category_zh"),
                        category_en: get("category_en"),
                        name_zh: get("name_zh"),
                        name_en: get("name_en"),
                        unit_zh: get("unit_zh"),
                        unit_en: get("unit_en"),
                        reusable: !get("reusable").is_empty(),
                        when,
                    };
                    p.items.push(it);
                }
                Section::Survey => {
                    let score = int(&mut errs, "reference_score");
                    if score < 0 {
                        errs.push(FieldError::new(&field("reference_score"), "negative_amount"));
                    }
                    let s = SurveyItem {
                        key: get("key"),
                        text_zh: get("text_zh"),
                        text_en: get("text_en"),
                        reference_score: score.max(0) as u32,
                    };
                    p.survey.items.push(s);
                }
            }
        }
        if self == Section::Survey {
            match total.trim().parse::<u32>() {
                Ok(t) => p.survey.total = t,
                Err(_) => errs.push(FieldError::new(TOTAL_FIELD, "invalid_number")),
            }
        }
        if let Err(more) = p.validate() {
            // Parse errors come first; the whole-procedure check adds what it finds.
            for e in more.0 {
                if !errs.0.iter().any(|x| x.field == e.field) {
                    errs.push(e);
                }
            }
        }
        errs.into_result().map(|()| p)
    }
}

fn phase_str(p: Phase) -> &'static str {
    match p {
        Phase::Before => "before",
        Phase::OnSite => "on_site",
        Phase::CloseDown => "close_down",
    }
}

fn parse_phase(s: &str) -> Option<Phase> {
    [Phase::Before, Phase::OnSite, Phase::CloseDown].into_iter().find(|p| phase_str(*p) == s)
}

fn group_str(g: Group) -> &'static str {
    match g {
        Group::Driver => "driver",
        Group::Guest => "guest",
        Group::Logistics => "logistics",
        Group::Process => "process",
        Group::Service => "service",
    }
}

fn parse_group(s: &str) -> Option<Group> {
    [Group::Driver, Group::Guest, Group::Logistics, Group::Process, Group::Service]
        .into_iter()
        .find(|g| group_str(*g) == s)
}

/// What was typed: the rows, the survey total and the note.
type Typed = (Vec<BTreeMap<String, String>>, String, String);

/// One input of a row card.
pub struct Cell {
    name: String,
    id: String,
    label: String,
    kind: &'static str,
    value: String,
    max: usize,
    options: Vec<(String, String)>,
    error: Option<String>,
}

/// One row card.
pub struct RowCard {
    number: usize,
    index: usize,
    is_new: bool,
    removable: bool,
    cells: Vec<Cell>,
    hidden: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "admin/procedure_section.html")]
struct SectionPage {
    c: Chrome,
    section: &'static str,
    prefix: &'static str,
    title: String,
    version: i32,
    rows: Vec<RowCard>,
    new_rows: Vec<RowCard>,
    survey_total: Option<String>,
    total_error: Option<String>,
    note: String,
    errs: FormErrors,
    conflict: Option<String>,
}

fn options(tr: Tr, kind: Kind) -> Vec<(String, String)> {
    let own = |v: &str, k: &str| (v.to_owned(), tr.t_with(k, &[]));
    match kind {
        Kind::Phase => {
            ["before", "on_site", "close_down"].into_iter().map(|p| own(p, &format!("procedure.phase_{p}"))).collect()
        }
        Kind::Group => ["driver", "guest", "logistics", "process", "service"]
            .into_iter()
            .map(|g| own(g, &format!("procedure.group_{g}")))
            .collect(),
        Kind::Owner => Role::ALL.iter().map(|r| own(r.as_str(), role_key(*r))).collect(),
        Kind::When => std::iter::once((String::new(), tr.t("arrangement.always").to_owned()))
            .chain(CONDITION_FIELDS.iter().map(|f| own(f, &format!("arrangement.{f}"))))
            .collect(),
        _ => Vec::new(),
    }
}

fn card(
    tr: Tr,
    section: Section,
    index: usize,
    values: &BTreeMap<String, String>,
    is_new: bool,
    errs: &FormErrors,
) -> RowCard {
    let prefix = section.prefix();
    let mut cells = Vec::new();
    let mut hidden = Vec::new();
    for (col, kind) in section.columns() {
        let name = format!("{prefix}[{index}].{col}");
        let value = values.get(*col).cloned().unwrap_or_default();
        if *kind == Kind::Hidden {
            hidden.push((name, value));
            continue;
        }
        let (kind_str, max) = match kind {
            Kind::Text(n) => ("text", *n),
            Kind::Long(n) => ("long", *n),
            Kind::Int => ("number", 0),
            Kind::Time => ("time", 0),
            Kind::Check => ("check", 0),
            _ => ("select", 0),
        };
        cells.push(Cell {
            id: name.replace(['[', ']', '.'], "-"),
            error: errs.get(&name),
            name,
            label: tr.t_with(&format!("procedure_col.{col}"), &[]),
            kind: kind_str,
            value,
            max,
            options: options(tr, *kind),
        });
    }
    RowCard { number: index + 1, index, is_new, removable: section.open_ended(), cells, hidden }
}

async fn section_page(
    app: &AppState,
    cx: &Cx,
    section: Section,
    typed: Option<Typed>,
    errs: FormErrors,
    conflict: Option<String>,
    status: StatusCode,
) -> AppResult<Response> {
    let cur = procedure::current(&app.store).await?;
    let tr = cx.tr();
    let (rows, total, note) = typed
        .unwrap_or_else(|| (section.rows_of(&cur.procedure), cur.procedure.survey.total.to_string(), String::new()));
    let cards: Vec<RowCard> = rows.iter().enumerate().map(|(i, r)| card(tr, section, i, r, false, &errs)).collect();
    let new_rows: Vec<RowCard> = if section.open_ended() {
        (rows.len()..rows.len() + NEW_ROWS).map(|i| card(tr, section, i, &BTreeMap::new(), true, &errs)).collect()
    } else {
        Vec::new()
    };
    let mut r = page(&SectionPage {
        c: Chrome::new(cx),
        section: section.slug(),
        prefix: section.prefix(),
        title: tr.t_with(section.title_key(), &[]),
        version: cur.version,
        rows: cards,
        new_rows,
        survey_total: (section == Section::Survey).then_some(total),
        total_error: errs.get(TOTAL_FIELD),
        note,
        errs,
        conflict,
    });
    *r.status_mut() = status;
    Ok(r)
}

fn section_of(slug: &str) -> AppResult<Section> {
    Section::parse(slug).ok_or(AppError::NotFound)
}

/// `GET /admin/procedure/{section}`: the list as a form.
pub async fn edit_section(State(app): State<AppState>, cx: Cx, Path(slug): Path<String>) -> AppResult<Response> {
    let section = section_of(&slug)?;
    section_page(&app, &cx, section, None, FormErrors::none(), None, StatusCode::OK).await
}

/// The rows of a submitted form, in order: removed rows and blank new rows left out.
fn typed_rows(section: Section, pairs: &[(String, String)]) -> Vec<BTreeMap<String, String>> {
    let prefix = format!("{}[", section.prefix());
    let mut by_index: BTreeMap<usize, BTreeMap<String, String>> = BTreeMap::new();
    for (k, v) in pairs {
        let Some(rest) = k.strip_prefix(&prefix) else { continue };
        let Some((n, col)) = rest.split_once("].") else { continue };
        let Ok(n) = n.parse::<usize>() else { continue };
        if n > 10_000 {
            continue;
        }
        by_index.entry(n).or_default().insert(col.to_owned(), v.clone());
    }
    let texts: Vec<&str> =
        section.columns().iter().filter(|(_, k)| matches!(k, Kind::Text(_) | Kind::Long(_))).map(|(c, _)| *c).collect();
    by_index
        .into_values()
        .filter(|r| !r.contains_key("_remove"))
        .filter(|r| !r.contains_key("_new") || texts.iter().any(|c| r.get(*c).is_some_and(|v| !v.trim().is_empty())))
        .map(|mut r| {
            r.remove("_new");
            r
        })
        .collect()
}

/// `POST /admin/procedure/{section}`: a new version with the list as typed.
pub async fn save_section(
    State(app): State<AppState>,
    cx: Cx,
    Path(slug): Path<String>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let section = section_of(&slug)?;
    let one = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_owned()).unwrap_or_default();
    let based_on: i32 = one("version").parse().unwrap_or(0);
    let rows = typed_rows(section, &pairs);
    let total = one(TOTAL_FIELD);
    let note = one("note");
    let cur = procedure::current(&app.store).await?;
    let result = if cur.version != based_on {
        Err(AppError::StaleVersion)
    } else {
        match section.apply(&cur.procedure, &rows, &total) {
            Ok(p) => {
                let note = if note.is_empty() {
                    cx.tr().t_with("procedure.note_section", &[("section", cx.tr().t(section.title_key()))])
                } else {
                    note.clone()
                };
                procedure::replace(&app.store, p, based_on, &note, &cx.actor()).await
            }
            Err(e) => Err(AppError::Validation(e)),
        }
    };
    match result {
        Ok(_) => Ok(redirect_with_flash(
            &format!("/admin/procedure/{}", section.slug()),
            "flash.saved",
            app.settings.secure_cookies,
        )),
        Err(AppError::StaleVersion) => {
            let msg = cx.tr().t("error.stale_version_detail").to_owned();
            section_page(&app, &cx, section, None, FormErrors::none(), Some(msg), StatusCode::CONFLICT).await
        }
        Err(e) => {
            let errs = FormErrors::from_error(cx.tr(), &e).ok_or(e)?;
            section_page(&app, &cx, section, Some((rows, total, note)), errs, None, StatusCode::UNPROCESSABLE_ENTITY)
                .await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter().map(|(a, b)| ((*a).to_owned(), (*b).to_owned())).collect()
    }

    #[test]
    fn removed_rows_and_blank_new_rows_are_left_out() {
        let rows = typed_rows(
            Section::Items,
            &pairs(&[
                ("items[0].name_zh", "玻璃杯"),
                ("items[1].name_zh", "茶具"),
                ("items[1]._remove", "on"),
                ("items[2]._new", "1"),
                ("items[2].name_zh", ""),
                ("items[2].when", ""),
                ("items[3]._new", "1"),
                ("items[3].name_zh", "果盘"),
                ("csrf", "x"),
            ]),
        );
        let names: Vec<&str> = rows.iter().map(|r| r["name_zh"].as_str()).collect();
        assert_eq!(names, vec!["玻璃杯", "果盘"]);
        assert!(!rows[1].contains_key("_new"));
    }

    #[test]
    fn the_rows_of_the_shipped_procedure_apply_back_unchanged() {
        let p = Procedure::default_procedure();
        for s in [Section::Stages, Section::Tasks, Section::Items, Section::Survey] {
            let rows = s.rows_of(&p);
            let q = s.apply(&p, &rows, &p.survey.total.to_string()).unwrap();
            assert!(q == p, "{} changed", s.slug());
        }
    }

    #[test]
    fn a_number_that_does_not_parse_names_its_row_and_field() {
        let p = Procedure::default_procedure();
        let mut rows = Section::Tasks.rows_of(&p);
        rows[2].insert("due_offset_working_days".into(), "soon".into());
        rows[3].insert("due_time".into(), "25:99".into());
        rows[4].insert("when".into(), "helicopter".into());
        let errs = Section::Tasks.apply(&p, &rows, "").unwrap_err();
        let got: Vec<(&str, &str)> = errs.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert!(got.contains(&("tasks[2].due_offset_working_days", "invalid_number")), "{got:?}");
        assert!(got.contains(&("tasks[3].due_time", "invalid_time")), "{got:?}");
        assert!(got.contains(&("tasks[4].when", "unknown_condition")), "{got:?}");
    }

    #[test]
    fn a_survey_that_does_not_add_up_is_refused() {
        let p = Procedure::default_procedure();
        let mut rows = Section::Survey.rows_of(&p);
        rows.pop();
        let errs = Section::Survey.apply(&p, &rows, "100").unwrap_err();
        assert_eq!(errs.0[0].field, "survey.total");
    }
}
