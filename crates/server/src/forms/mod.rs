//! Pieces every form shares: the messages by field that a form shows next to its inputs,
//! and the editor of rows (row cards) that several lists use.

pub mod rows;

use std::collections::HashMap;

use jiedai_domain::FieldErrors;

use crate::error::AppError;
use crate::i18n::Tr;

/// Messages by field, in the reader's language, for a form.
#[derive(Default)]
pub struct FormErrors(HashMap<String, Vec<String>>);

impl FormErrors {
    /// No errors.
    pub fn none() -> Self {
        Self::default()
    }

    /// Field messages from a validation or conflict error; `None` for any other error,
    /// which the caller propagates.
    pub fn from_error(tr: Tr, e: &AppError) -> Option<Self> {
        let mut m = HashMap::new();
        match e {
            AppError::Validation(FieldErrors(list)) => {
                for f in list {
                    m.entry(f.field.clone()).or_insert_with(Vec::new).push(tr.field_error(f));
                }
            }
            AppError::Conflict { code, field } => {
                m.insert((*field).to_owned(), vec![tr.field_code(code)]);
            }
            AppError::Clash { code, clashes } => {
                let field = if *code == "stock_short" { "stock_item_id" } else { "resource_id" };
                let mut codes: Vec<&str> = clashes.iter().map(|c| c.reception_code.as_str()).collect();
                codes.dedup();
                let msg = format!("{} {}", tr.field_code(code), codes.join("、"));
                m.insert(field.to_owned(), vec![msg.trim_end().to_owned()]);
            }
            _ => return None,
        }
        Some(Self(m))
    }

    /// The messages of a failed use case by field; any other failure is passed on.
    pub fn from_failure(tr: Tr, e: impl Into<AppError>) -> Result<Self, AppError> {
        let e = e.into();
        Self::from_error(tr, &e).ok_or(e)
    }

    /// Field messages of a list of problems.
    pub fn of(tr: Tr, errs: &FieldErrors) -> Self {
        Self::from_error(tr, &AppError::Validation(errs.clone())).unwrap_or_default()
    }

    /// The message for a field (several joined).
    pub fn get(&self, field: &str) -> Option<String> {
        self.0.get(field).map(|v| v.join(" "))
    }

    /// Every message for a field (a file import can have one per line).
    pub fn all(&self, field: &str) -> &[String] {
        self.0.get(field).map(Vec::as_slice).unwrap_or(&[])
    }

    /// True when no field has a message.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every message of every field.
    pub fn messages(&self) -> Vec<&String> {
        let mut v: Vec<&String> = self.0.values().flatten().collect();
        v.sort();
        v
    }

    /// The messages of fields other than those shown (a problem with a list as a whole,
    /// or with a field the form has no input for), so that none goes unseen.
    pub fn messages_outside(&self, shown: &[&str]) -> Vec<String> {
        let mut v: Vec<String> =
            self.0.iter().filter(|(f, _)| !shown.contains(&f.as_str())).flat_map(|(_, m)| m.iter().cloned()).collect();
        v.sort();
        v
    }

    /// True when the field has a message.
    pub fn has(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }
}

/// The first value of a field in a submitted form (empty when absent).
pub fn one<'a>(pairs: &'a [(String, String)], k: &str) -> &'a str {
    pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str()).unwrap_or("")
}

/// Everyone's name by id (the disabled too, for what they did), and the people to choose
/// from, `(id, "name（username）")` by name: the active ones, and those of `keep` (a disabled
/// person a saved value names: left out, the select would quietly change to someone else).
pub async fn people(
    s: &crate::state::AppState,
    keep: &[jiedai_domain::UserId],
) -> crate::error::AppResult<(HashMap<jiedai_domain::UserId, String>, Vec<(String, String)>)> {
    let users = jiedai_app::accounts::list_users(&s.app, None).await?;
    let names = users.iter().map(|u| (u.id, u.display_name.clone())).collect();
    let mut choosable: Vec<(String, String)> = users
        .iter()
        .filter(|u| u.active || keep.contains(&u.id))
        .map(|u| (u.id.to_string(), format!("{}（{}）", u.display_name, u.username)))
        .collect();
    choosable.sort_by(|a, b| a.1.cmp(&b.1));
    Ok((names, choosable))
}
