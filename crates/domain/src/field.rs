//! Field errors: what is wrong with one input field, as a stable code that the
//! server turns into a message in the reader's language.

use serde::Serialize;

/// One problem with one field. `code` is stable (snake_case) and doubles as the
/// locale key suffix `field.<code>`; `limit` carries a number the message mentions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The input field's name, as in the form or JSON body.
    pub field: String,
    /// Stable machine-readable code, e.g. `required`, `too_long`.
    pub code: &'static str,
    /// A number the message refers to (a maximum length, say), if any.
    pub limit: Option<usize>,
    /// The line of an imported file the problem is on, if any.
    pub line: Option<usize>,
    /// The offending text, when the message should quote it.
    pub value: Option<String>,
}

impl FieldError {
    /// A problem without a number.
    pub fn new(field: &str, code: &'static str) -> Self {
        Self { field: field.to_owned(), code, limit: None, line: None, value: None }
    }

    /// A problem that names a limit.
    pub fn with_limit(field: &str, code: &'static str, limit: usize) -> Self {
        Self { field: field.to_owned(), code, limit: Some(limit), line: None, value: None }
    }

    /// A problem on a line of an imported file, quoting the offending text.
    pub fn on_line(field: &str, code: &'static str, line: Option<usize>, value: String) -> Self {
        Self { field: field.to_owned(), code, limit: None, line, value: Some(value) }
    }
}

/// All problems found in one submission, so a form shows every one at once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    /// No problems yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records the error of a parse result and gives back its value, if any.
    pub fn check<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(e);
                None
            }
        }
    }

    /// Adds one problem.
    pub fn push(&mut self, e: FieldError) {
        self.0.push(e);
    }

    /// True when nothing is wrong.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The first problem with a given field.
    pub fn get(&self, field: &str) -> Option<&FieldError> {
        self.0.iter().find(|e| e.field == field)
    }

    /// Ok when empty, else the errors.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl From<FieldError> for FieldErrors {
    fn from(e: FieldError) -> Self {
        Self(vec![e])
    }
}

/// Trims and checks a required text of at most `max` characters.
pub fn required_text(field: &str, raw: &str, max: usize) -> Result<String, FieldError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(FieldError::new(field, "required"));
    }
    if s.chars().count() > max {
        return Err(FieldError::with_limit(field, "too_long", max));
    }
    if s.chars().any(char::is_control) {
        return Err(FieldError::new(field, "control_chars"));
    }
    Ok(s.to_owned())
}
