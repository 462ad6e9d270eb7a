//! Accounts as submitted by forms, the API and the command line, parsed into valid values
//! with every problem named at once.

use jiedai_domain::{
    Code, DepartmentId, DepartmentName, DisplayName, Email, FieldError, FieldErrors, Language, Phone, Role, RoleSet,
    UserId,
};
use serde::Deserialize;

/// A user as submitted (form, JSON or command line), not yet valid.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct UserInput {
    /// Login name.
    #[serde(default)]
    pub username: String,
    /// Name shown.
    #[serde(default)]
    pub display_name: String,
    /// Department id, empty for none.
    #[serde(default)]
    pub department_id: Option<String>,
    /// Phone.
    #[serde(default)]
    pub phone: String,
    /// E-mail.
    #[serde(default)]
    pub email: String,
    /// Language tag.
    #[serde(default)]
    pub language: String,
    /// Role identifiers.
    #[serde(default)]
    pub roles: Vec<String>,
    /// Active (edit only).
    #[serde(default)]
    pub active: Option<String>,
    /// Initial password (create only).
    #[serde(default)]
    pub password: String,
    /// Version read (edit only).
    #[serde(default)]
    pub version: Option<i32>,
}

fn parse_roles(errs: &mut FieldErrors, raw: &[String]) -> RoleSet {
    let mut set = RoleSet::empty();
    for r in raw {
        match Role::parse(r.trim()) {
            Some(role) => set.insert(role),
            None => errs.push(FieldError::new("roles", "unknown_role")),
        }
    }
    set
}

fn parse_department(errs: &mut FieldErrors, raw: Option<&str>) -> Option<DepartmentId> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => match s.parse::<DepartmentId>() {
            Ok(id) => Some(id),
            Err(_) => {
                errs.push(FieldError::new("department_id", "unknown_reference"));
                None
            }
        },
    }
}

fn parse_language(errs: &mut FieldErrors, raw: &str) -> Language {
    if raw.trim().is_empty() {
        return Language::default();
    }
    Language::parse(raw).unwrap_or_else(|| {
        errs.push(FieldError::new("language", "unknown_language"));
        Language::default()
    })
}

pub(super) struct Profile {
    pub(super) display_name: String,
    pub(super) department_id: Option<DepartmentId>,
    pub(super) phone: Option<String>,
    pub(super) email: Option<String>,
    pub(super) language: Language,
    pub(super) roles: RoleSet,
}

pub(super) fn parse_profile(errs: &mut FieldErrors, i: &UserInput) -> Option<Profile> {
    let display_name = errs.check(DisplayName::parse("display_name", &i.display_name));
    let phone = errs.check(Phone::parse_optional("phone", &i.phone));
    let email = errs.check(Email::parse_optional("email", &i.email));
    let department_id = parse_department(errs, i.department_id.as_deref());
    let language = parse_language(errs, &i.language);
    let roles = parse_roles(errs, &i.roles);
    Some(Profile {
        display_name: display_name?.into_inner(),
        department_id,
        phone: phone?.map(Phone::into_inner),
        email: email?.map(Email::into_inner),
        language,
        roles,
    })
}

/// A department as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DepartmentInput {
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Head's user id, empty for none.
    #[serde(default)]
    pub head_user_id: Option<String>,
    /// Version read (edit only).
    #[serde(default)]
    pub version: Option<i32>,
}

pub(super) fn parse_department_input(i: &DepartmentInput) -> Result<(String, Option<UserId>), FieldErrors> {
    let mut errs = FieldErrors::new();
    let name = errs.check(DepartmentName::parse("name", &i.name));
    let head = match i.head_user_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => match s.parse::<UserId>() {
            Ok(id) => Some(id),
            Err(_) => {
                errs.push(FieldError::new("head_user_id", "unknown_reference"));
                None
            }
        },
    };
    match (name, errs.is_empty()) {
        (Some(n), true) => Ok((n.into_inner(), head)),
        _ => Err(errs),
    }
}
