//! People: creating them (with a hashed password), changing their profile, roles, language
//! and password, and reading them.

use jiedai_domain::{Actor, FieldError, FieldErrors, Language, Password, Role, RoleSet, User, UserId, Username};
use jiedai_store::{NewUser, UserUpdate};

use super::input::{UserInput, parse_profile};
use super::password;
use crate::{App, Error, Result};

/// How many people have an account (first-run set-up is open while none has).
pub async fn count_users(app: &App) -> Result<u64> {
    Ok(app.store().count_users().await?)
}

/// Creates a user. The password is required when `require_password` (forms), else
/// optional (an account without one cannot sign in until it is set).
pub async fn create_user(app: &App, i: &UserInput, require_password: bool, actor: &Actor) -> Result<User> {
    Ok(app.store().create_user(parse_new_user(app, i, require_password, true).await?, actor).await?)
}

/// Creates a demo user with the published demo password (not checked for strength: demo
/// data is for trying the product, never for real use).
pub(crate) async fn create_demo_user(app: &App, i: &UserInput, actor: &Actor) -> Result<User> {
    Ok(app.store().create_user(parse_new_user(app, i, true, false).await?, actor).await?)
}

/// Creates the first administrator at set-up; refused (a conflict on `first_user`) once
/// any user exists.
pub async fn create_first_admin(app: &App, i: &UserInput, actor: &Actor) -> Result<User> {
    let mut i = i.clone();
    i.roles = vec![jiedai_domain::Code::as_str(Role::Admin).to_owned()];
    Ok(app.store().create_first_user(parse_new_user(app, &i, true, true).await?, actor).await?)
}

async fn parse_new_user(app: &App, i: &UserInput, require_password: bool, strength: bool) -> Result<NewUser> {
    let mut errs = FieldErrors::new();
    let username = errs.check(Username::parse("username", &i.username));
    let profile = parse_profile(&mut errs, i);
    let password = if require_password || !i.password.is_empty() {
        errs.check(Password::parse("password", &i.password))
    } else {
        None
    };
    if let Some(pw) = &password
        && strength
    {
        let personal = [i.username.as_str(), i.display_name.as_str(), i.email.as_str()];
        errs.check(password::check_strength("password", pw.expose(), &personal).await);
    }
    let (Some(username), Some(p), true) = (username, profile, errs.is_empty()) else {
        return Err(Error::Validation(errs));
    };
    let password_hash = match password {
        Some(pw) => Some(password::hash(pw.expose().to_owned(), app.config().hashing).await?),
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

/// Updates a user's profile, roles and active flag at the version they read. Nobody
/// disables themselves or drops their own administrator role.
pub async fn update_user(app: &App, id: UserId, i: &UserInput, actor: &Actor) -> Result<User> {
    let mut errs = FieldErrors::new();
    let profile = parse_profile(&mut errs, i);
    let version = i.version;
    if version.is_none() {
        errs.push(FieldError::new("version", "required"));
    }
    let (Some(p), Some(version), true) = (profile, version, errs.is_empty()) else {
        return Err(Error::Validation(errs));
    };
    let active = matches!(i.active.as_deref(), Some("true" | "on" | "1" | "yes"));
    if !active && actor.user_id == Some(id) {
        return Err(Error::field("active", "cannot_disable_self"));
    }
    if !p.roles.contains(Role::Admin) && actor.user_id == Some(id) {
        return Err(Error::field("roles", "cannot_drop_own_admin"));
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
    Ok(app.store().update_user(id, version, upd, actor).await?)
}

/// The profile of a user as it is, with other roles and active flag.
fn update_of(u: &User, roles: RoleSet, active: bool) -> UserUpdate {
    UserUpdate {
        display_name: u.display_name.clone(),
        department_id: u.department_id,
        phone: u.phone.clone(),
        email: u.email.clone(),
        language: u.language,
        active,
        roles,
    }
}

/// Replaces a user's roles (the command line).
pub async fn set_roles(app: &App, u: &User, roles: RoleSet, actor: &Actor) -> Result<User> {
    Ok(app.store().update_user(u.id, u.version, update_of(u, roles, u.active), actor).await?)
}

/// Disables a user: their sessions end and their tokens stop working (the command line).
pub async fn disable_user(app: &App, u: &User, actor: &Actor) -> Result<User> {
    Ok(app.store().update_user(u.id, u.version, update_of(u, u.roles, false), actor).await?)
}

/// Sets a new password (after checking the current one when `current` is given) and ends
/// the user's other sessions (all when `keep_session` is `None`).
pub async fn change_password(
    app: &App,
    user_id: UserId,
    current: Option<&str>,
    new: &str,
    keep_session: Option<&str>,
    actor: &Actor,
) -> Result<()> {
    let pw = Password::parse("new_password", new)?;
    let user = app.store().get_user(user_id).await?;
    let personal = [user.username.as_str(), user.display_name.as_str(), user.email.as_deref().unwrap_or("")];
    password::check_strength("new_password", pw.expose(), &personal).await?;
    if let Some(current) = current {
        // Throttled like a sign-in: a stolen session cannot try passwords at will.
        let attempt = super::signin::take_attempt(app, &user.username, actor.ip.as_deref()).await?;
        let (_, hash) = app.store().find_login(&user.username).await?.ok_or(Error::NotFound)?;
        if !password::verify(current.to_owned(), hash).await {
            return Err(Error::field("current_password", "wrong_password"));
        }
        app.store().succeeded(attempt, None, chrono::Utc::now() - app.config().login.window).await?;
    }
    let hash = password::hash(pw.expose().to_owned(), app.config().hashing).await?;
    app.store().set_password(user_id, hash, keep_session, actor).await?;
    Ok(())
}

/// Sets a user's preferred language.
pub async fn set_language(app: &App, id: UserId, lang: Language, actor: &Actor) -> Result<User> {
    Ok(app.store().set_language(id, lang, actor).await?)
}

/// One user.
pub async fn get_user(app: &App, id: UserId) -> Result<User> {
    Ok(app.store().get_user(id).await?)
}

/// A user by username (any case).
pub async fn find_user_by_username(app: &App, username: &str) -> Result<Option<User>> {
    Ok(app.store().find_user_by_username(&username.trim().to_lowercase()).await?)
}

/// Every user, by username; optionally only those matching `q` in username or name.
pub async fn list_users(app: &App, q: Option<&str>) -> Result<Vec<User>> {
    Ok(app.store().list_users(q).await?)
}

/// A person's name as shown (empty for an unknown id), read through the auth cache.
pub async fn display_name(app: &App, id: UserId) -> Result<String> {
    let generation = app.store().generation(jiedai_store::Topic::Auth);
    if let Some(n) = app.auth_cache().display_name(generation, id) {
        return Ok(n);
    }
    let name = match app.store().get_user(id).await {
        Ok(u) => u.display_name,
        Err(jiedai_store::StoreError::NotFound) => String::new(),
        Err(e) => return Err(e.into()),
    };
    app.auth_cache().put_display_name(generation, id, name.clone());
    Ok(name)
}
