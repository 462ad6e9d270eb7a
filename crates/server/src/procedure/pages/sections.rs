//! The procedure's lists as row editors: which columns each has, its rows as the form
//! shows them, and the procedure with one list replaced by the rows typed (every value that
//! does not parse named by its row and field, then the whole procedure checked).

use std::collections::BTreeMap;

use chrono::NaiveTime;
use jiedai_domain::procedure::{
    CONDITION_FIELDS, Group, ItemTemplate, Phase, Procedure, Stage, SurveyItem, TaskTemplate,
};
use jiedai_domain::{Code, FieldError, FieldErrors, Role};

use crate::forms::rows::{Column, Kind, Rows};
use crate::i18n::{Tr, keys};

/// The survey's total, as [`Procedure::validate`] names it.
pub(super) const TOTAL_FIELD: &str = "survey.total";

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

impl Section {
    pub(super) fn parse(s: &str) -> Option<Section> {
        match s {
            "stages" => Some(Section::Stages),
            "tasks" => Some(Section::Tasks),
            "items" => Some(Section::Items),
            "survey" => Some(Section::Survey),
            _ => None,
        }
    }

    pub(super) fn slug(self) -> &'static str {
        match self {
            Section::Stages => "stages",
            Section::Tasks => "tasks",
            Section::Items => "items",
            Section::Survey => "survey",
        }
    }

    /// The prefix of field names, as [`Procedure::validate`] names them.
    pub(super) fn prefix(self) -> &'static str {
        self.rows().prefix
    }

    pub(super) fn title_key(self) -> &'static str {
        match self {
            Section::Stages => "procedure.stages",
            Section::Tasks => "procedure.tasks",
            Section::Items => "procedure.items",
            Section::Survey => "procedure.survey",
        }
    }

    /// The list as an editor of rows (stages cannot be added or removed: the workflow
    /// refers to their keys).
    pub(super) fn rows(self) -> &'static Rows {
        match self {
            Section::Stages => &STAGES,
            Section::Tasks => &TASKS,
            Section::Items => &ITEMS,
            Section::Survey => &SURVEY,
        }
    }

    /// The rows of a procedure as the form shows them, one value per column.
    pub(super) fn rows_of(self, p: &Procedure) -> Vec<BTreeMap<String, String>> {
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
                        ("phase", t.phase.as_str().to_owned()),
                        ("group", t.group.as_str().to_owned()),
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
    pub(super) fn apply(
        self,
        base: &Procedure,
        rows: &[BTreeMap<String, String>],
        total: &str,
    ) -> Result<Procedure, FieldErrors> {
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
                    let phase = Phase::parse(&get("phase")).unwrap_or_else(|| {
                        errs.push(FieldError::new(&field("phase"), "unknown_reference"));
                        Phase::Before
                    });
                    let group = Group::parse(&get("group")).unwrap_or_else(|| {
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

fn phases(tr: Tr) -> Vec<(String, String)> {
    Phase::all().iter().map(|p| (p.as_str().to_owned(), tr.t(keys::phase(*p)).to_owned())).collect()
}

fn groups(tr: Tr) -> Vec<(String, String)> {
    Group::all().iter().map(|g| (g.as_str().to_owned(), tr.t(keys::group(*g)).to_owned())).collect()
}

fn owners(tr: Tr) -> Vec<(String, String)> {
    Role::ALL.iter().map(|r| (r.as_str().to_owned(), tr.t(keys::role(*r)).to_owned())).collect()
}

fn conditions(tr: Tr) -> Vec<(String, String)> {
    std::iter::once((String::new(), tr.t("arrangement.always").to_owned()))
        .chain(CONDITION_FIELDS.iter().map(|f| ((*f).to_owned(), tr.t(&keys::condition(f)).to_owned())))
        .collect()
}

const STAGES: Rows = Rows {
    prefix: "stages",
    columns: &[
        Column { name: "key", label: "", kind: Kind::Hidden },
        Column { name: "name_zh", label: "procedure_col.name_zh", kind: Kind::Text(32) },
        Column { name: "name_en", label: "procedure_col.name_en", kind: Kind::Text(64) },
        Column { name: "offset_working_days", label: "procedure_col.offset_working_days", kind: Kind::Int },
        Column { name: "owner", label: "procedure_col.owner", kind: Kind::Select(owners) },
        Column { name: "work_zh", label: "procedure_col.work_zh", kind: Kind::Long(500) },
        Column { name: "work_en", label: "procedure_col.work_en", kind: Kind::Long(500) },
        Column { name: "record_zh", label: "procedure_col.record_zh", kind: Kind::Text(100) },
        Column { name: "record_en", label: "procedure_col.record_en", kind: Kind::Text(100) },
    ],
    open_ended: false,
};

const TASKS: Rows = Rows {
    prefix: "tasks",
    columns: &[
        Column { name: "phase", label: "procedure_col.phase", kind: Kind::Select(phases) },
        Column { name: "group", label: "procedure_col.group", kind: Kind::Select(groups) },
        Column { name: "item_zh", label: "procedure_col.item_zh", kind: Kind::Text(64) },
        Column { name: "item_en", label: "procedure_col.item_en", kind: Kind::Text(100) },
        Column { name: "due_offset_working_days", label: "procedure_col.due_offset_working_days", kind: Kind::Int },
        Column { name: "due_time", label: "procedure_col.due_time", kind: Kind::Time },
        Column { name: "when", label: "procedure_col.when", kind: Kind::Select(conditions) },
        Column { name: "duties_zh", label: "procedure_col.duties_zh", kind: Kind::Long(500) },
        Column { name: "duties_en", label: "procedure_col.duties_en", kind: Kind::Long(500) },
    ],
    open_ended: true,
};

const ITEMS: Rows = Rows {
    prefix: "items",
    columns: &[
        Column { name: "category_zh", label: "procedure_col.category_zh", kind: Kind::Text(32) },
        Column { name: "category_en", label: "procedure_col.category_en", kind: Kind::Text(64) },
        Column { name: "name_zh", label: "procedure_col.name_zh", kind: Kind::Text(32) },
        Column { name: "name_en", label: "procedure_col.name_en", kind: Kind::Text(64) },
        Column { name: "unit_zh", label: "procedure_col.unit_zh", kind: Kind::Text(8) },
        Column { name: "unit_en", label: "procedure_col.unit_en", kind: Kind::Text(16) },
        Column { name: "when", label: "procedure_col.when", kind: Kind::Select(conditions) },
        Column { name: "reusable", label: "procedure_col.reusable", kind: Kind::Check },
    ],
    open_ended: true,
};

const SURVEY: Rows = Rows {
    prefix: "survey.items",
    columns: &[
        Column { name: "key", label: "procedure_col.key", kind: Kind::Text(32) },
        Column { name: "text_zh", label: "procedure_col.text_zh", kind: Kind::Text(100) },
        Column { name: "text_en", label: "procedure_col.text_en", kind: Kind::Text(200) },
        Column { name: "reference_score", label: "procedure_col.reference_score", kind: Kind::Int },
    ],
    open_ended: true,
};

#[cfg(test)]
mod tests {
    use super::*;

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
