//! The application form in HTML: its inputs are named as the JSON is
//! (`hotel.budget_fen`, `companions[2].phone`), so the domain's field errors land next
//! to their inputs. Amounts are typed in yuan, times in the browser's local format;
//! what was typed is kept as typed when the form comes back with errors.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use jiedai_domain::Fen;
use jiedai_domain::reception::ReceptionForm;
use jiedai_domain::{FieldError, FieldErrors};
use serde_json::{Map, Value};

use crate::forms::FormErrors;
use crate::i18n::{Tr, keys};

const DATES: &[&str] = &["visit_start", "visit_end"];
const DATETIMES: &[&str] = &["arrival_at", "departure_at", "pickup_car.at"];
const COUNTS: &[&str] = &[
    "companion_count",
    "train_tickets.count",
    "hotel.nights",
    "lunch.headcount",
    "dinner.headcount",
    "entertainment.headcount",
];
const CHOICES: &[(&str, &[&str])] = &[
    ("arrival_means", &["car", "train", "flight", "other"]),
    ("fruit", &["fine", "simple"]),
    ("gifts", &["fine", "simple"]),
    ("tier", &["high_end", "business", "simple"]),
];
/// An element id for an input name.
pub fn input_id(name: &str) -> String {
    name.replace(['[', ']', '.'], "-")
}

/// Blank rows offered after the rows entered.
const SPARE_ROWS: usize = 2;

/// The form as the page shows it: raw values by input name, and the messages.
pub struct FormState {
    values: BTreeMap<String, String>,
    /// Errors by field.
    pub errs: FormErrors,
    /// Warnings by field.
    pub warns: FormErrors,
    companion_rows: usize,
    staff_rows: usize,
    tr: Tr,
}

fn flatten(prefix: &str, v: &Value, out: &mut BTreeMap<String, String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                flatten(&key, v, out);
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                flatten(&format!("{prefix}[{i}]"), v, out);
            }
        }
        Value::Bool(b) => {
            out.insert(prefix.to_owned(), if *b { "on".into() } else { String::new() });
        }
        Value::Null => {
            out.insert(prefix.to_owned(), String::new());
        }
        Value::Number(n) if prefix.ends_with("budget_fen") => {
            out.insert(prefix.to_owned(), n.as_i64().map(|f| Fen::new(f).yuan_plain()).unwrap_or_default());
        }
        Value::Number(n) => {
            out.insert(prefix.to_owned(), n.to_string());
        }
        Value::String(s) if DATETIMES.contains(&prefix) => {
            out.insert(prefix.to_owned(), s.get(..16).unwrap_or(s).to_owned());
        }
        Value::String(s) => {
            out.insert(prefix.to_owned(), s.clone());
        }
    }
}

/// Splits `companions[2].name` into its steps.
fn steps(key: &str) -> Vec<Result<String, usize>> {
    let mut out = Vec::new();
    for part in key.split('.') {
        match part.split_once('[') {
            Some((name, rest)) => {
                out.push(Ok(name.to_owned()));
                if let Ok(i) = rest.trim_end_matches(']').parse::<usize>() {
                    out.push(Err(i));
                }
            }
            None => out.push(Ok(part.to_owned())),
        }
    }
    out
}

fn set_path(root: &mut Value, key: &str, v: Value) {
    let mut cur = root;
    let path = steps(key);
    for (n, step) in path.iter().enumerate() {
        let last = n + 1 == path.len();
        let next_is_index = path.get(n + 1).is_some_and(|s| s.is_err());
        let fresh = || if next_is_index { Value::Array(Vec::new()) } else { Value::Object(Map::new()) };
        match step {
            Ok(name) => {
                let Value::Object(m) = cur else { return };
                if last {
                    m.insert(name.clone(), v);
                    return;
                }
                cur = m.entry(name.clone()).or_insert_with(fresh);
            }
            Err(i) => {
                let Value::Array(a) = cur else { return };
                if *i > 200 {
                    return;
                }
                while a.len() <= *i {
                    a.push(Value::Object(Map::new()));
                }
                cur = &mut a[*i];
            }
        }
    }
}

/// The kind of a key in the default form (booleans are checkboxes).
fn is_bool(template: &Value, key: &str) -> bool {
    let mut cur = template;
    for step in steps(key) {
        cur = match (step, cur) {
            (Ok(name), Value::Object(m)) => match m.get(&name) {
                Some(v) => v,
                None => return false,
            },
            _ => return false,
        };
    }
    cur.is_boolean()
}

fn parse_datetime(s: &str) -> Option<NaiveDateTime> {
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
}

/// Booleans of the form, which a browser leaves out when unticked.
fn bool_keys(template: &Value) -> Vec<String> {
    let mut flat = BTreeMap::new();
    flatten("", template, &mut flat);
    flat.keys().filter(|k| is_bool(template, k)).cloned().collect()
}

impl FormState {
    /// The form of a stored request.
    pub fn of(form: &ReceptionForm) -> FormState {
        let mut values = BTreeMap::new();
        if let Ok(v) = serde_json::to_value(form) {
            flatten("", &v, &mut values);
        }
        FormState {
            values,
            errs: FormErrors::none(),
            warns: FormErrors::none(),
            companion_rows: form.companions.len() + SPARE_ROWS,
            staff_rows: form.support_staff.len() + SPARE_ROWS,
            tr: Tr::new(jiedai_domain::Language::ZhCn),
        }
    }

    /// Reads a submitted form: the request, and the values that did not parse.
    /// `more_rows` names the list (`companions`, `support_staff`) that asked for more rows.
    pub fn parse(pairs: &[(String, String)], more_rows: Option<&str>) -> (FormState, ReceptionForm, FieldErrors) {
        let template = serde_json::to_value(ReceptionForm::default()).unwrap_or(Value::Null);
        let Value::Object(top) = &template else { unreachable!("a form is an object") };
        let mut root = template.clone();
        for k in bool_keys(&template) {
            set_path(&mut root, &k, Value::Bool(false));
        }
        let mut values = BTreeMap::new();
        let mut errs = FieldErrors::new();
        let mut max_row = BTreeMap::<&str, usize>::new();
        for (k, raw) in pairs {
            let first = steps(k).first().and_then(|s| s.clone().ok()).unwrap_or_default();
            if !top.contains_key(&first) {
                continue;
            }
            for list in ["companions", "support_staff"] {
                if let Some(Err(i)) = steps(k).get(1)
                    && first == list
                {
                    let e = max_row.entry(list).or_default();
                    *e = (*e).max(i + 1);
                }
            }
            values.insert(k.clone(), raw.clone());
            let s = raw.trim();
            let v = if k.ends_with("budget_fen") {
                if s.is_empty() {
                    Value::Null
                } else {
                    match Fen::parse_yuan(k, s) {
                        Ok(fen) => Value::from(fen.get()),
                        Err(e) => {
                            errs.push(e);
                            Value::Null
                        }
                    }
                }
            } else if DATES.contains(&k.as_str()) {
                match jiedai_domain::bounds::parse_date(k, s) {
                    _ if s.is_empty() => Value::Null,
                    Ok(d) => Value::from(d.to_string()),
                    Err(e) => {
                        errs.push(e);
                        Value::Null
                    }
                }
            } else if DATETIMES.contains(&k.as_str()) {
                match parse_datetime(s) {
                    _ if s.is_empty() => Value::Null,
                    Some(t) => Value::from(t.format("%Y-%m-%dT%H:%M:%S").to_string()),
                    None => {
                        errs.push(FieldError::new(k, "invalid_datetime"));
                        Value::Null
                    }
                }
            } else if COUNTS.contains(&k.as_str()) {
                match s.parse::<u32>() {
                    _ if s.is_empty() => {
                        if k == "companion_count" {
                            Value::from(0)
                        } else {
                            Value::Null
                        }
                    }
                    Ok(n) => Value::from(n),
                    // Say what is wrong with a number that is one: "-1" is below zero, not
                    // "not a whole number".
                    Err(_) => {
                        let code = match s.parse::<i64>() {
                            Ok(n) if n < 0 => "negative_number",
                            Ok(_) => "number_too_large",
                            Err(_) if s.parse::<f64>().is_ok_and(|f| f.is_finite()) => "not_whole_number",
                            Err(_) => "invalid_number",
                        };
                        errs.push(FieldError::new(k, code));
                        Value::Null
                    }
                }
            } else if let Some((_, allowed)) = CHOICES.iter().find(|(c, _)| *c == k) {
                if s.is_empty() {
                    Value::Null
                } else if allowed.contains(&s) || k == "tier" {
                    // An unknown tier is the domain's to name (`unknown_tier`).
                    Value::from(s)
                } else {
                    errs.push(FieldError::new(k, "unknown_reference"));
                    Value::Null
                }
            } else if is_bool(&template, k) {
                Value::Bool(!s.is_empty())
            } else {
                Value::from(raw.replace("\r\n", "\n"))
            };
            set_path(&mut root, k, v);
        }
        let form: ReceptionForm = serde_json::from_value(root).unwrap_or_default();
        let rows = |list: &str, entered: usize| {
            let spare = if more_rows == Some(list) { SPARE_ROWS + 3 } else { SPARE_ROWS };
            max_row.get(list).copied().unwrap_or(0).max(entered) + spare
        };
        let state = FormState {
            values,
            errs: FormErrors::none(),
            warns: FormErrors::none(),
            companion_rows: rows("companions", form.companions.len()).min(100),
            staff_rows: rows("support_staff", form.support_staff.len()).min(100),
            tr: Tr::new(jiedai_domain::Language::ZhCn),
        };
        (state, form, errs)
    }

    /// Labels in the reader's language.
    pub fn in_language(mut self, tr: Tr) -> FormState {
        self.tr = tr;
        self
    }

    /// The label of an input (`hotel.budget_fen` → 预算（元）).
    pub fn label(&self, name: &str) -> String {
        self.tr.t(&keys::form_label(name)).to_owned()
    }

    /// The label of a choice (the value itself when it is not one of the choices).
    pub fn option_label(&self, name: &str, option: &str) -> String {
        keys::form_option(name, option).map_or_else(|| option.to_owned(), |k| self.tr.t(k).to_owned())
    }

    /// An element id for an input name (`companions[1].name` → `companions-1--name`).
    pub fn id(&self, name: &str) -> String {
        input_id(name)
    }

    /// The name of a row's input.
    pub fn row_name(&self, list: &str, i: &usize, col: &str) -> String {
        format!("{list}[{i}].{col}")
    }

    /// A nested input's name (`lunch` + `place`).
    pub fn key(&self, group: &str, col: &str) -> String {
        format!("{group}.{col}")
    }

    /// Adds messages in the reader's language.
    pub fn with_messages(mut self, tr: Tr, errs: &FieldErrors, warns: &FieldErrors) -> FormState {
        self.tr = tr;
        self.errs = FormErrors::from_error(tr, &crate::error::AppError::Validation(errs.clone())).unwrap_or_default();
        self.warns = FormErrors::from_error(tr, &crate::error::AppError::Validation(warns.clone())).unwrap_or_default();
        self
    }

    /// The request as the values stand (values that do not parse are left empty).
    pub fn to_form(&self) -> ReceptionForm {
        let pairs: Vec<(String, String)> = self.values.clone().into_iter().collect();
        FormState::parse(&pairs, None).1
    }

    /// The input must be filled before the request is submitted (marked `*`).
    pub fn required(&self, name: &str) -> bool {
        jiedai_domain::reception::required_on_submit(name)
    }

    /// The value of an input.
    pub fn v(&self, name: &str) -> &str {
        self.values.get(name).map(String::as_str).unwrap_or("")
    }

    /// A checkbox is ticked.
    pub fn on(&self, name: &str) -> bool {
        !self.v(name).is_empty()
    }

    /// A select or radio holds this value.
    pub fn is(&self, name: &str, value: &str) -> bool {
        self.v(name) == value
    }

    /// The value of a row's input (`companions[1].name`).
    pub fn row(&self, list: &str, i: &usize, col: &str) -> &str {
        self.values.get(&format!("{list}[{i}].{col}")).map(String::as_str).unwrap_or("")
    }

    /// The error of a row's input.
    pub fn row_err(&self, list: &str, i: &usize, col: &str) -> Option<String> {
        self.errs.get(&format!("{list}[{i}].{col}"))
    }

    /// The rows to show for companions.
    pub fn companion_rows(&self) -> Vec<usize> {
        (0..self.companion_rows).collect()
    }

    /// The rows to show for support staff.
    pub fn staff_rows(&self) -> Vec<usize> {
        (0..self.staff_rows).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_input_of_the_form_has_a_label_in_both_languages() {
        let mut form = ReceptionForm::default();
        form.companions.push(Default::default());
        form.support_staff.push(Default::default());
        let s = FormState::of(&form);
        let mut wanted: Vec<String> = s.values.keys().map(|k| keys::form_label(k)).collect();
        wanted.extend(["companions", "support_staff"].map(keys::form_label));
        for (name, options) in CHOICES {
            for o in *options {
                wanted.push(keys::form_option(name, o).unwrap_or_else(|| panic!("{name}: {o} has no key")).to_owned());
            }
        }
        for lang in [jiedai_domain::Language::ZhCn, jiedai_domain::Language::En] {
            let tr = Tr::new(lang);
            let missing: Vec<&String> = wanted.iter().filter(|k| tr.t(k) == k.as_str()).collect();
            assert!(missing.is_empty(), "{lang:?}: {missing:?}");
        }
    }

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter().map(|(a, b)| ((*a).to_owned(), (*b).to_owned())).collect()
    }

    #[test]
    fn a_typed_form_becomes_the_request() {
        let (_, f, errs) = FormState::parse(
            &pairs(&[
                ("csrf", "x"),
                ("guest_organization", "华东院"),
                ("visit_start", "2026-10-09"),
                ("arrival_at", "2026-10-09T09:30"),
                ("budget_fen", "1,234.5"),
                ("hotel.wanted", "on"),
                ("hotel.budget_fen", ""),
                ("lunch.headcount", "8"),
                ("companions[1].name", "钱敏"),
                ("companions[0].name", "赵强"),
                ("tea.green", "on"),
                ("tier", "business"),
                ("fruit", "fine"),
            ]),
            None,
        );
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(f.guest_organization, "华东院");
        assert_eq!(f.budget_fen, Some(Fen::new(123_450)));
        assert!(f.hotel.wanted && f.tea.green && !f.tea.black);
        assert_eq!(f.lunch.headcount, Some(8));
        assert_eq!(f.companions.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), vec!["赵强", "钱敏"]);
        assert_eq!(f.arrival_at.unwrap().format("%H:%M").to_string(), "09:30");
    }

    #[test]
    fn values_that_do_not_parse_are_named_and_kept_as_typed() {
        let (state, f, errs) = FormState::parse(
            &pairs(&[("visit_start", "next friday"), ("budget_fen", "-5"), ("lunch.headcount", "many")]),
            None,
        );
        let got: Vec<(&str, &str)> = errs.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            got,
            vec![
                ("visit_start", "invalid_date"),
                ("budget_fen", "negative_amount"),
                ("lunch.headcount", "invalid_number")
            ]
        );
        assert_eq!(state.v("visit_start"), "next friday");
        assert_eq!(f.visit_start, None);
    }

    #[test]
    fn a_stored_request_shows_in_the_form_as_typed() {
        let f = ReceptionForm {
            budget_fen: Some(Fen::new(30_000)),
            arrival_at: chrono::NaiveDate::from_ymd_opt(2026, 10, 9).unwrap().and_hms_opt(9, 30, 0),
            companions: vec![jiedai_domain::reception::Person { name: "赵强".into(), ..Default::default() }],
            ..Default::default()
        };
        let s = FormState::of(&f);
        assert_eq!(s.v("budget_fen"), "300.00");
        assert_eq!(s.v("arrival_at"), "2026-10-09T09:30");
        assert_eq!(s.row("companions", &0, "name"), "赵强");
        assert_eq!(s.companion_rows().len(), 3, "one entered and two spare");
        let back: Vec<(String, String)> = s.values.clone().into_iter().collect();
        let (_, again, errs) = FormState::parse(&back, None);
        assert!(errs.is_empty());
        let mut expect = f.clone();
        expect.normalize();
        let mut again = again;
        again.normalize();
        assert_eq!(again, expect);
    }
}
