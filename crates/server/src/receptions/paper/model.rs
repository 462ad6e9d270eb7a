//! The paper form's pieces: typed values, marks, labelled lines, parts.

use chrono::{NaiveDate, NaiveDateTime};
use jiedai_domain::Fen;

use crate::i18n::Tr;
use crate::receptions::view::visit_dates;

/// A value of the form, typed.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Nothing written.
    Empty,
    /// Text.
    Text(String),
    /// A count (people, tickets, nights).
    Count(u32),
    /// An amount of money.
    Money(Fen),
    /// A day.
    Date(NaiveDate),
    /// The first and last day of the visit.
    Days(NaiveDate, NaiveDate),
    /// A local date and time.
    DateTime(NaiveDateTime),
}

impl Value {
    pub(super) fn text(s: &str) -> Value {
        if s.trim().is_empty() { Value::Empty } else { Value::Text(s.to_owned()) }
    }

    /// As written on the print view.
    pub fn show(&self, tr: Tr) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Text(s) => s.clone(),
            Value::Count(n) => n.to_string(),
            Value::Money(f) => tr.money(*f),
            Value::Date(d) => d.to_string(),
            Value::Days(a, b) => visit_dates(*a, *b),
            Value::DateTime(t) => t.format("%Y-%m-%d %H:%M").to_string(),
        }
    }
}

/// A box of a question or choice: ticked or not.
pub struct Mark {
    /// What it stands for.
    pub label: String,
    /// Ticked.
    pub on: bool,
}

/// The boxes as printed: `☑ 是 ☐ 否`.
pub fn marks_text(marks: &[Mark]) -> String {
    marks.iter().map(|m| format!("{} {}", if m.on { '☑' } else { '☐' }, m.label)).collect::<Vec<_>>().join("  ")
}

/// A detail of a line (`需要车型：…`), with its value or its boxes.
pub struct Detail {
    /// Its label.
    pub label: String,
    /// Its boxes (规格：☑精致 ☐简单), if it is a choice.
    pub marks: Vec<Mark>,
    /// Its value.
    pub value: Value,
    /// Its value as written.
    pub text: String,
}

/// One line of the paper form.
pub struct Line {
    /// Its label, in the paper's words.
    pub label: String,
    /// Its boxes (是/否, or the tiers), if it asks a question.
    pub marks: Vec<Mark>,
    /// Its value, when it has one.
    pub value: Value,
    /// Its value as written.
    pub text: String,
    /// Its details.
    pub details: Vec<Detail>,
    /// It takes the whole width of the sheet.
    pub wide: bool,
}

/// A table of people (随同人员, 辅助人员).
pub struct People {
    /// Its title.
    pub title: String,
    /// Name, title, phone, needs of each.
    pub rows: Vec<[String; 4]>,
}

/// One part of the form: lines (two to a row where they are short), the tables of people,
/// then the questions.
pub struct Part {
    /// Its title (接待申请单（一）).
    pub title: String,
    /// Its first lines, by row of the sheet.
    pub head: Vec<Vec<Line>>,
    /// Its tables of people.
    pub people: Vec<People>,
    /// Its questions, by row of the sheet.
    pub rest: Vec<Vec<Line>>,
}

/// The two parts of the application form.
pub struct Paper {
    /// Part one: the applicant, the guests and what they need.
    pub one: Part,
    /// Part two: how they are received.
    pub two: Part,
}

impl Paper {
    /// Both parts, in order.
    pub fn parts(&self) -> [&Part; 2] {
        [&self.one, &self.two]
    }
}

/// Lines by row of the sheet: two short lines side by side, a wide line alone.
pub(super) fn rows(lines: Vec<Line>) -> Vec<Vec<Line>> {
    let mut out: Vec<Vec<Line>> = Vec::new();
    for l in lines {
        match out.last_mut() {
            Some(row) if !l.wide && row.len() == 1 && !row[0].wide => row.push(l),
            _ => out.push(vec![l]),
        }
    }
    out
}
