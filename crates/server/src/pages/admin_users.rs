//! Administration of users.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use jiedai_domain::{Role, User};
use serde::Deserialize;

use super::{FormErrors, role_key};
use crate::app::AppState;
use crate::auth::Cx;
use crate::auth::csrf::CsrfForm;
use crate::error::{AppError, AppResult};
use crate::extract::Id;
use crate::extract::Query;
use crate::render::{Chrome, page, redirect_with_flash};
use crate::service::accounts::{self, UserInput};

/// A user row.
pub struct UserRow {
    id: i32,
    username: String,
    display_name: String,
    department: Option<String>,
    roles: Vec<&'static str>,
    active: bool,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
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
pub async fn list_users(State(app): State<AppState>, cx: Cx, Query(q): Query<UsersQuery>) -> AppResult<Response> {
    let users = app
        .store
        .list_users(Some(&q.q))
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
#[template(path = "admin/user_form.html")]
struct UserFormPage {
    c: Chrome,
    id: Option<i32>,
    input: UserInput,
    errs: FormErrors,
    departments: Vec<(i32, String, bool)>,
    roles: Vec<(&'static str, &'static str, bool)>,
    conflict: Option<String>,
    last_change: Option<String>,
    tokens: Vec<super::account::TokenRow>,
}

async fn form_page(
    app: &AppState,
    cx: &Cx,
    id: Option<i32>,
    input: UserInput,
    errs: FormErrors,
    conflict: Option<String>,
    status: StatusCode,
) -> AppResult<Response> {
    let selected = input.department_id.clone().unwrap_or_default();
    let departments = app
        .store
        .list_departments()
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
        Some(id) => (super::last_change(app, cx, "user", id).await?, super::account::token_rows(app, cx, id).await?),
        None => (None, Vec::new()),
    };
    let mut r =
        page(&UserFormPage { c: Chrome::new(cx), id, input, errs, departments, roles, conflict, last_change, tokens });
    *r.status_mut() = status;
    Ok(r)
}

/// `GET /admin/users/new`.
pub async fn new_user(State(app): State<AppState>, cx: Cx) -> AppResult<Response> {
    let input = UserInput { roles: vec!["requester".into()], ..Default::default() };
    form_page(&app, &cx, None, input, FormErrors::none(), None, StatusCode::OK).await
}

/// `POST /admin/users`.
pub async fn create_user(
    State(app): State<AppState>,
    cx: Cx,
    CsrfForm(mut input): CsrfForm<UserInput>,
) -> AppResult<Response> {
    match accounts::create_user(&app.store, &input, true, &cx.actor()).await {
        Ok(u) => Ok(redirect_with_flash(&format!("/admin/users/{}", u.id), "flash.saved", app.settings.secure_cookies)),
        Err(e) => {
            let errs = FormErrors::from_error(cx.tr(), &e).ok_or(e)?;
            input.password.clear();
            form_page(&app, &cx, None, input, errs, None, StatusCode::UNPROCESSABLE_ENTITY).await
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
pub async fn edit_user(State(app): State<AppState>, cx: Cx, Id(id): Id) -> AppResult<Response> {
    let u = app.store.get_user(id).await?;
    form_page(&app, &cx, Some(id), input_of(&u), FormErrors::none(), None, StatusCode::OK).await
}

/// `POST /admin/users/{id}`.
pub async fn update_user(
    State(app): State<AppState>,
    cx: Cx,
    Id(id): Id,
    CsrfForm(input): CsrfForm<UserInput>,
) -> AppResult<Response> {
    match accounts::update_user(&app.store, id, &input, &cx.actor()).await {
        Ok(_) => Ok(redirect_with_flash(&format!("/admin/users/{id}"), "flash.saved", app.settings.secure_cookies)),
        Err(AppError::StaleVersion) => {
            // Someone else saved first: show their version, keep ours in view as the message.
            let current = app.store.get_user(id).await?;
            let msg = cx.tr().t("error.stale_version_detail").to_owned();
            form_page(&app, &cx, Some(id), input_of(&current), FormErrors::none(), Some(msg), StatusCode::CONFLICT)
                .await
        }
        Err(e) => {
            let errs = FormErrors::from_error(cx.tr(), &e).ok_or(e)?;
            form_page(&app, &cx, Some(id), input, errs, None, StatusCode::UNPROCESSABLE_ENTITY).await
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
    State(app): State<AppState>,
    cx: Cx,
    Id(id): Id,
    CsrfForm(f): CsrfForm<ResetForm>,
) -> AppResult<Response> {
    match accounts::change_password(&app.store, id, None, &f.new_password, None, &cx.actor()).await {
        Ok(()) => Ok(redirect_with_flash(
            &format!("/admin/users/{id}"),
            "flash.password_changed",
            app.settings.secure_cookies,
        )),
        Err(e) => {
            let errs = FormErrors::from_error(cx.tr(), &e).ok_or(e)?;
            let u = app.store.get_user(id).await?;
            form_page(&app, &cx, Some(id), input_of(&u), errs, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

/// `POST /admin/tokens/{id}/revoke`: an administrator revokes anyone's token.
pub async fn revoke_token(
    State(app): State<AppState>,
    cx: Cx,
    Id(id): Id,
    CsrfForm(_): CsrfForm<super::auth::EmptyForm>,
) -> AppResult<Response> {
    let t = app.store.revoke_token(id, &cx.actor()).await?;
    Ok(redirect_with_flash(&format!("/admin/users/{}", t.user_id), "flash.token_revoked", app.settings.secure_cookies))
}
