//! Server-rendered pages. Each page is an askama template struct next to its handler;
//! forms post, redirect on success, and re-render with what was typed and the
//! message next to each field on error.

pub mod account;
pub mod admin_audit;
pub mod admin_departments;
pub mod admin_procedure;
pub mod admin_users;
pub mod auth;
pub mod calendar;
pub mod home;
pub mod procedure;
pub mod procedure_editor;
pub mod reception_exports;
pub mod reception_form;
pub mod receptions;

use std::collections::HashMap;

use jiedai_domain::{FieldErrors, Role};

use crate::app::AppState;
use crate::auth::Cx;
use crate::error::{AppError, AppResult};
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
                m.insert((*field).to_owned(), vec![tr.t(&format!("field.{code}")).to_owned()]);
            }
            _ => return None,
        }
        Some(Self(m))
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

    /// True when the field has a message.
    pub fn has(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }
}

/// "Last changed … by …" for a record, from its newest audit entry.
pub async fn last_change(app: &AppState, cx: &Cx, entity: &str, id: i32) -> AppResult<Option<String>> {
    let f = jiedai_store::AuditFilter {
        entity: Some(entity.to_owned()),
        entity_id: Some(id.to_string()),
        ..Default::default()
    };
    let tr = cx.tr();
    Ok(app.store.list_audit(&f, 1).await?.into_iter().next().map(|e| {
        tr.t_with(
            "common.last_changed_by",
            &[("at", &tr.datetime(e.at, app.settings.timezone)), ("who", &e.actor_label)],
        )
    }))
}

/// The locale key naming a role.
pub fn role_key(r: Role) -> &'static str {
    match r {
        Role::Requester => "role.requester",
        Role::Approver => "role.approver",
        Role::Coordinator => "role.coordinator",
        Role::Staff => "role.staff",
        Role::Finance => "role.finance",
        Role::Admin => "role.admin",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiedai_domain::Language;

    #[test]
    fn every_role_has_a_name_in_both_languages() {
        for lang in Language::ALL {
            for r in Role::ALL {
                assert_ne!(Tr::new(lang).t(role_key(r)), role_key(r));
            }
        }
    }
}
