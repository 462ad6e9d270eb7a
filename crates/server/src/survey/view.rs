//! What the survey's forms show: each item with its text in the reader's language, its
//! reference, what was typed and its problems; and the typed answer read back from a form.

use std::collections::HashMap;

use jiedai_domain::Language;
use jiedai_domain::procedure::Survey;
use jiedai_domain::survey::RawAnswer;

use crate::forms::FormErrors;

/// One item of the survey's form.
pub struct ItemRow {
    /// The item's key (the score's field is `score.{key}`).
    pub key: String,
    /// Its text in the reader's language.
    pub text: String,
    /// Its reference score.
    pub reference: u32,
    /// The score typed.
    pub value: String,
    /// The comment typed.
    pub comment: String,
    /// The score's problem.
    pub error: Option<String>,
    /// The comment's problem.
    pub comment_error: Option<String>,
}

/// An item's text in a language.
pub fn item_text(lang: Language, zh: &str, en: &str) -> String {
    if lang == Language::En && !en.trim().is_empty() { en.to_owned() } else { zh.to_owned() }
}

/// The form's rows: every item of the survey with what was typed and its problems.
pub fn item_rows(lang: Language, survey: &Survey, typed: &RawAnswer, errs: &FormErrors) -> Vec<ItemRow> {
    survey
        .items
        .iter()
        .map(|i| ItemRow {
            key: i.key.clone(),
            text: item_text(lang, &i.text_zh, &i.text_en),
            reference: i.reference_score,
            value: typed.scores.get(&i.key).cloned().unwrap_or_default(),
            comment: typed.comments.get(&i.key).cloned().unwrap_or_default(),
            error: errs.get(&i.key),
            comment_error: errs.get(&format!("comment.{}", i.key)),
        })
        .collect()
}

/// The answer typed into a form: `score.{key}`, `comment.{key}` and `comment`.
pub fn raw_of(form: &HashMap<String, String>) -> RawAnswer {
    let mut raw = RawAnswer::default();
    for (k, v) in form {
        if let Some(key) = k.strip_prefix("score.") {
            raw.scores.insert(key.to_owned(), v.clone());
        } else if let Some(key) = k.strip_prefix("comment.") {
            if !v.trim().is_empty() {
                raw.comments.insert(key.to_owned(), v.clone());
            }
        } else if k == "comment" {
            raw.comment = v.clone();
        }
    }
    raw
}
