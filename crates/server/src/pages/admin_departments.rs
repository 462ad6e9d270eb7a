//! Administration of departments.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use jiedai_domain::Department;

use super::FormErrors;
use crate::app::AppState;
use crate::auth::Cx;
use crate::auth::csrf::CsrfForm;
use crate::error::{AppError, AppResult};
use crate::extract::Id;
use crate::render::{Chrome, page, redirect_with_flash};
use crate::service::accounts::{self, DepartmentInput};

#[derive(Template)]
#[template(path = "admin/departments.html")]
struct DepartmentsPage {
    c: Chrome,
    departments: Vec<Department>,
    id: Option<i32>,
    input: DepartmentInput,
    errs: FormErrors,
    heads: Vec<(i32, String, bool)>,
}

#[derive(Template)]
#[template(path = "admin/department_form.html")]
struct DepartmentFormPage {
    c: Chrome,
    id: Option<i32>,
    input: DepartmentInput,
    errs: FormErrors,
    heads: Vec<(i32, String, bool)>,
    conflict: Option<String>,
    last_change: Option<String>,
}

async fn heads(app: &AppState, selected: Option<&str>) -> AppResult<Vec<(i32, String, bool)>> {
    let sel = selected.unwrap_or("");
    Ok(app
        .store
        .list_users(None)
        .await?
        .into_iter()
        .filter(|u| u.active)
        .map(|u| {
            let s = u.id.to_string() == sel;
            (u.id, format!("{} ({})", u.display_name, u.username), s)
        })
        .collect())
}

async fn list_page(
    app: &AppState,
    cx: &Cx,
    input: DepartmentInput,
    errs: FormErrors,
    status: StatusCode,
) -> AppResult<Response> {
    let departments = app.store.list_departments().await?;
    let heads = heads(app, input.head_user_id.as_deref()).await?;
    let mut r = page(&DepartmentsPage { c: Chrome::new(cx), departments, id: None, input, errs, heads });
    *r.status_mut() = status;
    Ok(r)
}

/// `GET /admin/departments`.
pub async fn list_departments(State(app): State<AppState>, cx: Cx) -> AppResult<Response> {
    list_page(&app, &cx, DepartmentInput::default(), FormErrors::none(), StatusCode::OK).await
}

/// `POST /admin/departments`.
pub async fn create_department(
    State(app): State<AppState>,
    cx: Cx,
    CsrfForm(input): CsrfForm<DepartmentInput>,
) -> AppResult<Response> {
    match accounts::create_department(&app.store, &input, &cx.actor()).await {
        Ok(_) => Ok(redirect_with_flash("/admin/departments", "flash.saved", app.settings.secure_cookies)),
        Err(e) => {
            let errs = FormErrors::from_error(cx.tr(), &e).ok_or(e)?;
            list_page(&app, &cx, input, errs, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

async fn form_page(
    app: &AppState,
    cx: &Cx,
    id: i32,
    input: DepartmentInput,
    errs: FormErrors,
    conflict: Option<String>,
    status: StatusCode,
) -> AppResult<Response> {
    let heads = heads(app, input.head_user_id.as_deref()).await?;
    let last_change = super::last_change(app, cx, "department", id).await?;
    let mut r =
        page(&DepartmentFormPage { c: Chrome::new(cx), id: Some(id), input, errs, heads, conflict, last_change });
    *r.status_mut() = status;
    Ok(r)
}

fn input_of(d: &Department) -> DepartmentInput {
    DepartmentInput {
        name: d.name.clone(),
        head_user_id: d.head_user_id.map(|h| h.to_string()),
        version: Some(d.version),
    }
}

/// `GET /admin/departments/{id}`.
pub async fn edit_department(State(app): State<AppState>, cx: Cx, Id(id): Id) -> AppResult<Response> {
    let d = app.store.get_department(id).await?;
    form_page(&app, &cx, id, input_of(&d), FormErrors::none(), None, StatusCode::OK).await
}

/// `POST /admin/departments/{id}`.
pub async fn update_department(
    State(app): State<AppState>,
    cx: Cx,
    Id(id): Id,
    CsrfForm(input): CsrfForm<DepartmentInput>,
) -> AppResult<Response> {
    match accounts::update_department(&app.store, id, &input, &cx.actor()).await {
        Ok(_) => Ok(redirect_with_flash("/admin/departments", "flash.saved", app.settings.secure_cookies)),
        Err(AppError::StaleVersion) => {
            let current = app.store.get_department(id).await?;
            let msg = cx.tr().t("error.stale_version_detail").to_owned();
            form_page(&app, &cx, id, input_of(&current), FormErrors::none(), Some(msg), StatusCode::CONFLICT).await
        }
        Err(e) => {
            let errs = FormErrors::from_error(cx.tr(), &e).ok_or(e)?;
            form_page(&app, &cx, id, input, errs, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}
