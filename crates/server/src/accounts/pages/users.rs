//! Administration of users.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use jiedai_domain::{Code, DepartmentId, Role, TokenId, User, UserId};
use serde::Deserialize;

use super::role_key;
use crate::auth::Cx;
use crate::auth::csrf::CsrfForm;
use crate::error::{AppError, AppResult};
use crate::extract::Id;
use crate::extract::Query;
use crate::forms::FormErrors;
use crate::render::{Chrome, page, redirect_with_flash};
use crate::state::AppState;
use jiedai_app::accounts::{self, UserInput};

/// A user row.
pub struct UserRow {
    id: UserId,
    username: String,
    display_name: String,
    department: Option<String>,
    roles: Vec<&'static str>,
    active: bool,
}

#[derive(Template)]
#[template(path = "accounts/users.html")]
struct UsersPage {
    c: Chrome,
    users: Vec<UserRow>,
    q: String,
}

/// Query of the user list.
#[derive(Deserialize)]
pub struct UsersQuery {
    #[serde(default)]
    q: String,
}

/// `GET /admin/users`.
pub async fn list_users(State(s): State<AppState>, cx: Cx, Query(q): Query<UsersQuery>) -> AppResult<Response> {
    let users = accounts::list_users(&s.app, Some(&q.q))
        .await?
        .into_iter()
        .map(|u| UserRow {
            id: u.id,
            roles: u.roles.iter().map(role_key).collect(),
            username: u.username,
            display_name: u.display_name,
            department: u.department_name,
            active: u.active,
        })
        .collect();
    Ok(page(&UsersPage { c: Chrome::new(&cx), users, q: q.q }))
}

#[derive(Template)]
#[template(path = "accounts/user_form.html")]
struct UserFormPage {
    c: Chrome,
    id: Option<UserId>,
    input: UserInput,
    errs: FormErrors,
    departments: Vec<(DepartmentId, String, bool)>,
    roles: Vec<(&'static str, &'static str, bool)>,
    conflict: Option<String>,
    last_change: Option<String>,
    tokens: Vec<super::account::TokenRow>,
}

async fn form_page(
    s: &AppState,
    cx: &Cx,
    id: Option<UserId>,
    input: UserInput,
    errs: FormErrors,
    conflict: Option<String>,
    status: StatusCode,
) -> AppResult<Response> {
    let selected = input.department_id.clone().unwrap_or_default();
    let departments = accounts::list_departments(&s.app)
        .await?
        .into_iter()
        .map(|d| {
            let sel = d.id.to_string() == selected;
            (d.id, d.name, sel)
        })
        .collect();
    let roles =
        Role::ALL.iter().map(|r| (r.as_str(), role_key(*r), input.roles.iter().any(|x| x == r.as_str()))).collect();
    let (last_change, tokens) = match id {
        Some(id) => {
            (crate::render::last_change(s, cx, "user", id).await?, super::account::token_rows(s, cx, id).await?)
        }
        None => (None, Vec::new()),
    };
    let mut r =
        page(&UserFormPage { c: Chrome::new(cx), id, input, errs, departments, roles, conflict, last_change, tokens });
    *r.status_mut() = status;
    Ok(r)
}

/// `GET /admin/users/new`.
pub async fn new_user(State(s): State<AppState>, cx: Cx) -> AppResult<Response> {
    let input = UserInput { roles: vec!["requester".into()], ..Default::default() };
    form_page(&s, &cx, None, input, FormErrors::none(), None, StatusCode::OK).await
}

/// `POST /admin/users`.
pub async fn create_user(
    State(s): State<AppState>,
    cx: Cx,
    CsrfForm(mut input): CsrfForm<UserInput>,
) -> AppResult<Response> {
    match accounts::create_user(&s.app, &input, true, &cx.actor()).await {
        Ok(u) => Ok(redirect_with_flash(&format!("/admin/users/{}", u.id), "flash.saved", s.secure_cookies())),
        Err(e) => {
            let errs = FormErrors::from_failure(cx.tr(), e)?;
            input.password.clear();
            form_page(&s, &cx, None, input, errs, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

fn input_of(u: &User) -> UserInput {
    UserInput {
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        department_id: u.department_id.map(|d| d.to_string()),
        phone: u.phone.clone().unwrap_or_default(),
        email: u.email.clone().unwrap_or_default(),
        language: u.language.tag().into(),
        roles: u.roles.iter().map(|r| r.as_str().to_owned()).collect(),
        active: u.active.then(|| "true".into()),
        password: String::new(),
        version: Some(u.version),
    }
}

/// `GET /admin/users/{id}`.
pub async fn edit_user(State(s): State<AppState>, cx: Cx, Id(id): Id<UserId>) -> AppResult<Response> {
    let u = accounts::get_user(&s.app, id).await?;
    form_page(&s, &cx, Some(id), input_of(&u), FormErrors::none(), None, StatusCode::OK).await
}

/// `POST /admin/users/{id}`.
pub async fn update_user(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<UserId>,
    CsrfForm(input): CsrfForm<UserInput>,
) -> AppResult<Response> {
    match accounts::update_user(&s.app, id, &input, &cx.actor()).await.map_err(AppError::from) {
        Ok(_) => Ok(redirect_with_flash(&format!("/admin/users/{id}"), "flash.saved", s.secure_cookies())),
        Err(AppError::StaleVersion) => {
            // Someone else saved first: show their version, keep ours in view as the message.
            let current = accounts::get_user(&s.app, id).await?;
            let msg = cx.tr().t("error.stale_version_detail").to_owned();
            form_page(&s, &cx, Some(id), input_of(&current), FormErrors::none(), Some(msg), StatusCode::CONFLICT).await
        }
        Err(e) => {
            let errs = FormErrors::from_failure(cx.tr(), e)?;
            form_page(&s, &cx, Some(id), input, errs, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

/// The reset-password form.
#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    new_password: String,
}

/// `POST /admin/users/{id}/password`: sets a password and ends the user's sessions.
pub async fn reset_password(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<UserId>,
    CsrfForm(f): CsrfForm<ResetForm>,
) -> AppResult<Response> {
    match accounts::change_password(&s.app, id, None, &f.new_password, None, &cx.actor()).await {
        Ok(()) => Ok(redirect_with_flash(&format!("/admin/users/{id}"), "flash.password_changed", s.secure_cookies())),
        Err(e) => {
            let errs = FormErrors::from_failure(cx.tr(), e)?;
            let u = accounts::get_user(&s.app, id).await?;
            form_page(&s, &cx, Some(id), input_of(&u), errs, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

/// `POST /admin/tokens/{id}/revoke`: an administrator revokes anyone's token.
pub async fn revoke_token(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<TokenId>,
    CsrfForm(_): CsrfForm<super::signin::EmptyForm>,
) -> AppResult<Response> {
    let t = accounts::revoke_token(&s.app, id, accounts::Reach::OwnOrAdministered(cx.user()?), &cx.actor()).await?;
    Ok(redirect_with_flash(&format!("/admin/users/{}", t.user_id), "flash.token_revoked", s.secure_cookies()))
}
