//! An editor of rows: a list edited as one form of row cards, which stack on a phone.
//! Rows are added in blank cards and removed with a tick, without JavaScript; inputs are
//! named as the domain names their fields (`tasks[3].due_time`), so every error lands next
//! to its input. The procedure's lists use it; tasks, item lists, agendas and minutes will.

use std::collections::BTreeMap;

use crate::forms::FormErrors;
use crate::i18n::Tr;

/// Blank cards offered for new rows.
pub const NEW_ROWS: usize = 3;

/// Rows past this index are ignored (a forged form cannot make a huge list).
const MAX_INDEX: usize = 10_000;

/// How a column is typed.
#[derive(Clone, Copy)]
pub enum Kind {
    /// One line of text, at most this many characters.
    Text(usize),
    /// Several lines of text, at most this many characters.
    Long(usize),
    /// A whole number.
    Int,
    /// A time of day.
    Time,
    /// A tick box.
    Check,
    /// Kept as it is, not shown.
    Hidden,
    /// One of a list of (value, label) choices.
    Select(fn(Tr) -> Vec<(String, String)>),
}

impl Kind {
    fn is_text(self) -> bool {
        matches!(self, Kind::Text(_) | Kind::Long(_))
    }
}

/// A column of the rows.
pub struct Column {
    /// The field's name within a row.
    pub name: &'static str,
    /// The catalogue key of its label (empty for a hidden column, which shows none).
    pub label: &'static str,
    /// How it is typed.
    pub kind: Kind,
}

/// The shape of one list.
pub struct Rows {
    /// Prefix of the input names (`tasks`, `survey.items`).
    pub prefix: &'static str,
    /// The columns.
    pub columns: &'static [Column],
    /// Rows can be added and removed.
    pub open_ended: bool,
}

/// One input of a row card.
pub struct Cell {
    /// Input name.
    pub name: String,
    /// Element id.
    pub id: String,
    /// Label.
    pub label: String,
    /// `text`, `long`, `number`, `time`, `check` or `select`.
    pub kind: &'static str,
    /// The value as typed.
    pub value: String,
    /// Longest text accepted.
    pub max: usize,
    /// Choices of a select.
    pub options: Vec<(String, String)>,
    /// The message next to it.
    pub error: Option<String>,
}

/// One row card.
pub struct RowCard {
    /// Prefix of its input names.
    pub prefix: &'static str,
    /// Shown number (from 1).
    pub number: usize,
    /// Index in the input names.
    pub index: usize,
    /// A blank card for a new row.
    pub is_new: bool,
    /// It may be removed.
    pub removable: bool,
    /// Its inputs.
    pub cells: Vec<Cell>,
    /// Hidden inputs: (name, value).
    pub hidden: Vec<(String, String)>,
}

impl Rows {
    /// A card of one row's values.
    pub fn card(
        &self,
        tr: Tr,
        index: usize,
        values: &BTreeMap<String, String>,
        is_new: bool,
        errs: &FormErrors,
    ) -> RowCard {
        let mut cells = Vec::new();
        let mut hidden = Vec::new();
        for col in self.columns {
            let name = format!("{}[{index}].{}", self.prefix, col.name);
            let value = values.get(col.name).cloned().unwrap_or_default();
            let (kind, max, options) = match col.kind {
                Kind::Hidden => {
                    hidden.push((name, value));
                    continue;
                }
                Kind::Text(n) => ("text", n, Vec::new()),
                Kind::Long(n) => ("long", n, Vec::new()),
                Kind::Int => ("number", 0, Vec::new()),
                Kind::Time => ("time", 0, Vec::new()),
                Kind::Check => ("check", 0, Vec::new()),
                Kind::Select(options) => ("select", 0, options(tr)),
            };
            cells.push(Cell {
                id: name.replace(['[', ']', '.'], "-"),
                error: errs.get(&name),
                name,
                label: tr.t(col.label).to_owned(),
                kind,
                value,
                max,
                options,
            });
        }
        RowCard { prefix: self.prefix, number: index + 1, index, is_new, removable: self.open_ended, cells, hidden }
    }

    /// Cards of the rows, and blank cards for new rows.
    pub fn cards(&self, tr: Tr, rows: &[BTreeMap<String, String>], errs: &FormErrors) -> (Vec<RowCard>, Vec<RowCard>) {
        let cards = rows.iter().enumerate().map(|(i, r)| self.card(tr, i, r, false, errs)).collect();
        let new = if self.open_ended {
            (rows.len()..rows.len() + NEW_ROWS).map(|i| self.card(tr, i, &BTreeMap::new(), true, errs)).collect()
        } else {
            Vec::new()
        };
        (cards, new)
    }

    /// The rows of a submitted form, in order: removed rows and blank new rows left out.
    pub fn typed(&self, pairs: &[(String, String)]) -> Vec<BTreeMap<String, String>> {
        let prefix = format!("{}[", self.prefix);
        let mut by_index: BTreeMap<usize, BTreeMap<String, String>> = BTreeMap::new();
        for (k, v) in pairs {
            let Some(rest) = k.strip_prefix(&prefix) else { continue };
            let Some((n, col)) = rest.split_once("].") else { continue };
            let Ok(n) = n.parse::<usize>() else { continue };
            if n > MAX_INDEX {
                continue;
            }
            by_index.entry(n).or_default().insert(col.to_owned(), v.clone());
        }
        let texts: Vec<&str> = self.columns.iter().filter(|c| c.kind.is_text()).map(|c| c.name).collect();
        by_index
            .into_values()
            .filter(|r| !r.contains_key("_remove"))
            .filter(|r| {
                !r.contains_key("_new") || texts.iter().any(|c| r.get(*c).is_some_and(|v| !v.trim().is_empty()))
            })
            .map(|mut r| {
                r.remove("_new");
                r
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ITEMS: Rows = Rows {
        prefix: "items",
        columns: &[
            Column { name: "name_zh", label: "procedure_col.name_zh", kind: Kind::Text(32) },
            Column { name: "when", label: "", kind: Kind::Hidden },
        ],
        open_ended: true,
    };

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter().map(|(a, b)| ((*a).to_owned(), (*b).to_owned())).collect()
    }

    #[test]
    fn removed_rows_and_blank_new_rows_are_left_out() {
        let rows = ITEMS.typed(&pairs(&[
            ("items[0].name_zh", "玻璃杯"),
            ("items[1].name_zh", "茶具"),
            ("items[1]._remove", "on"),
            ("items[2]._new", "1"),
            ("items[2].name_zh", ""),
            ("items[2].when", ""),
            ("items[3]._new", "1"),
            ("items[3].name_zh", "果盘"),
            ("items[99999].name_zh", "太远"),
            ("csrf", "x"),
        ]));
        let names: Vec<&str> = rows.iter().map(|r| r["name_zh"].as_str()).collect();
        assert_eq!(names, vec!["玻璃杯", "果盘"]);
        assert!(!rows[1].contains_key("_new"));
    }

    #[test]
    fn a_card_names_its_inputs_as_the_domain_names_the_fields() {
        let tr = Tr::new(jiedai_domain::Language::ZhCn);
        let values: BTreeMap<String, String> = [("name_zh".to_owned(), "茶具".to_owned())].into();
        let card = ITEMS.card(tr, 2, &values, false, &FormErrors::none());
        assert_eq!(card.cells[0].name, "items[2].name_zh");
        assert_eq!(card.cells[0].id, "items-2--name_zh");
        assert_eq!(card.hidden, vec![("items[2].when".to_owned(), String::new())]);
        let (cards, new) = ITEMS.cards(tr, &[values], &FormErrors::none());
        assert_eq!((cards.len(), new.len(), new[0].index), (1, NEW_ROWS, 1));
    }
}
