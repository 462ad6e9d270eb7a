//! Accounts: users, departments, passwords and API tokens.

use jiedai_domain::{
    Actor, ApiToken, Department, DepartmentName, DisplayName, Email, FieldError, FieldErrors, Language, Password,
    Phone, Role, RoleSet, User, Username,
};
use jiedai_store::{NewUser, Store, UserUpdate};
use serde::Deserialize;

use crate::auth::{password, token};
use crate::error::{AppError, AppResult};

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
        match Role::parse(r) {
            Some(role) => set.insert(role),
            None => errs.push(FieldError::new("roles", "unknown_role")),
        }
    }
    set
}

fn parse_department(errs: &mut FieldErrors, raw: Option<&str>) -> Option<i32> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => match s.parse::<i32>() {
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

struct Profile {
    display_name: String,
    department_id: Option<i32>,
    phone: Option<String>,
    email: Option<String>,
    language: Language,
    roles: RoleSet,
}

fn parse_profile(errs: &mut FieldErrors, i: &UserInput) -> Option<Profile> {
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

/// Creates a user. The password is required when `require_password` (forms), else
/// optional (an account without one cannot sign in until it is set).
pub async fn create_user(store: &Store, i: &UserInput, require_password: bool, actor: &Actor) -> AppResult<User> {
    Ok(store.create_user(parse_new_user(i, require_password).await?, actor).await?)
}

/// Creates the first administrator at set-up; refused once any user exists.
pub async fn create_first_admin(store: &Store, i: &UserInput, actor: &Actor) -> AppResult<User> {
    let mut i = i.clone();
    i.roles = vec![Role::Admin.as_str().to_owned()];
    Ok(store.create_first_user(parse_new_user(&i, true).await?, actor).await?)
}

async fn parse_new_user(i: &UserInput, require_password: bool) -> AppResult<NewUser> {
    let mut errs = FieldErrors::new();
    let username = errs.check(Username::parse("username", &i.username));
    let profile = parse_profile(&mut errs, i);
    let password = if require_password || !i.password.is_empty() {
        errs.check(Password::parse("password", &i.password))
    } else {
        None
    };
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    let (Some(username), Some(p)) = (username, profile) else {
        return Err(AppError::Validation(errs));
    };
    let password_hash = match password {
        Some(pw) => Some(password::hash(pw.expose().to_owned()).await?),
        None => None,
    };
    Ok(NewUser {
        username: username.into_inner(),
        display_name: p.display_name,
        department_id: p.department_id,
        phone: p.phone,
        email: p.email,
        language: p.language,
        password_hash,
        roles: p.roles,
    })
}

/// Updates a user's profile, roles and active flag at the version they read.
pub async fn update_user(store: &Store, id: i32, i: &UserInput, actor: &Actor) -> AppResult<User> {
    let mut errs = FieldErrors::new();
    let profile = parse_profile(&mut errs, i);
    let version = i.version;
    if version.is_none() {
        errs.push(FieldError::new("version", "required"));
    }
    let (Some(p), Some(version), true) = (profile, version, errs.is_empty()) else {
        return Err(AppError::Validation(errs));
    };
    let active = matches!(i.active.as_deref(), Some("true" | "on" | "1" | "yes"));
    if !active && actor.user_id == Some(id) {
        return Err(AppError::field(FieldError::new("active", "cannot_disable_self")));
    }
    if !p.roles.contains(Role::Admin) && actor.user_id == Some(id) {
        return Err(AppError::field(FieldError::new("roles", "cannot_drop_own_admin")));
    }
    let upd = UserUpdate {
        display_name: p.display_name,
        department_id: p.department_id,
        phone: p.phone,
        email: p.email,
        language: p.language,
        active,
        roles: p.roles,
    };
    Ok(store.update_user(id, version, upd, actor).await?)
}

/// Sets a new password (after checking the current one when `current` is given).
pub async fn change_password(
    store: &Store,
    user_id: i32,
    current: Option<&str>,
    new: &str,
    keep_session: Option<&str>,
    actor: &Actor,
) -> AppResult<()> {
    let pw = Password::parse("new_password", new).map_err(AppError::field)?;
    if let Some(current) = current {
        let user = store.get_user(user_id).await?;
        let (_, hash) = store.find_login(&user.username).await?.ok_or(AppError::NotFound)?;
        if !password::verify(current.to_owned(), hash).await {
            return Err(AppError::field(FieldError::new("current_password", "wrong_password")));
        }
    }
    let hash = password::hash(pw.expose().to_owned()).await?;
    store.set_password(user_id, hash, keep_session, actor).await?;
    Ok(())
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

fn parse_department_input(i: &DepartmentInput) -> Result<(String, Option<i32>), FieldErrors> {
    let mut errs = FieldErrors::new();
    let name = errs.check(DepartmentName::parse("name", &i.name));
    let head = match i.head_user_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => match s.parse::<i32>() {
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

/// Creates a department.
pub async fn create_department(store: &Store, i: &DepartmentInput, actor: &Actor) -> AppResult<Department> {
    let (name, head) = parse_department_input(i).map_err(AppError::Validation)?;
    Ok(store.create_department(name, head, actor).await?)
}

/// Renames a department or changes its head.
pub async fn update_department(store: &Store, id: i32, i: &DepartmentInput, actor: &Actor) -> AppResult<Department> {
    let (name, head) = parse_department_input(i).map_err(AppError::Validation)?;
    let version = i.version.ok_or_else(|| AppError::field(FieldError::new("version", "required")))?;
    Ok(store.update_department(id, version, name, head, actor).await?)
}

/// Creates an API token; answers the stored token and its secret (shown once).
pub async fn create_token(store: &Store, user_id: i32, name: &str, actor: &Actor) -> AppResult<(ApiToken, String)> {
    let name = if name.trim().is_empty() { "api".to_owned() } else { name.to_owned() };
    let name = jiedai_domain::field::required_text("name", &name, 64).map_err(AppError::field)?;
    let (secret, hash) = token::new_api_token();
    let prefix: String = secret.chars().take(10).collect();
    let t = store.create_token(user_id, name, hash, prefix, actor).await?;
    Ok((t, secret))
}
