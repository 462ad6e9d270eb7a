//! Administration of departments.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use jiedai_domain::{Department, DepartmentId, UserId};

use crate::auth::Cx;
use crate::auth::csrf::CsrfForm;
use crate::error::{AppError, AppResult};
use crate::extract::Id;
use crate::forms::FormErrors;
use crate::render::{Chrome, page, redirect_with_flash};
use crate::state::AppState;
use jiedai_app::accounts::{self, DepartmentInput};

#[derive(Template)]
#[template(path = "accounts/departments.html")]
struct DepartmentsPage {
    c: Chrome,
    departments: Vec<Department>,
    id: Option<DepartmentId>,
    input: DepartmentInput,
    errs: FormErrors,
    heads: Vec<(UserId, String, bool)>,
}

#[derive(Template)]
#[template(path = "accounts/department_form.html")]
struct DepartmentFormPage {
    c: Chrome,
    id: Option<DepartmentId>,
    input: DepartmentInput,
    errs: FormErrors,
    heads: Vec<(UserId, String, bool)>,
    conflict: Option<String>,
    last_change: Option<String>,
}

async fn heads(s: &AppState, selected: Option<&str>) -> AppResult<Vec<(UserId, String, bool)>> {
    let sel = selected.unwrap_or("");
    Ok(accounts::list_users(&s.app, None)
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
    s: &AppState,
    cx: &Cx,
    input: DepartmentInput,
    errs: FormErrors,
    status: StatusCode,
) -> AppResult<Response> {
    let departments = accounts::list_departments(&s.app).await?;
    let heads = heads(s, input.head_user_id.as_deref()).await?;
    let mut r = page(&DepartmentsPage { c: Chrome::new(cx), departments, id: None, input, errs, heads });
    *r.status_mut() = status;
    Ok(r)
}

/// `GET /admin/departments`.
pub async fn list_departments(State(s): State<AppState>, cx: Cx) -> AppResult<Response> {
    list_page(&s, &cx, DepartmentInput::default(), FormErrors::none(), StatusCode::OK).await
}

/// `POST /admin/departments`.
pub async fn create_department(
    State(s): State<AppState>,
    cx: Cx,
    CsrfForm(input): CsrfForm<DepartmentInput>,
) -> AppResult<Response> {
    match accounts::create_department(&s.app, &input, &cx.actor()).await {
        Ok(_) => Ok(redirect_with_flash("/admin/departments", "flash.saved", s.secure_cookies())),
        Err(e) => {
            let errs = FormErrors::from_failure(cx.tr(), e)?;
            list_page(&s, &cx, input, errs, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

async fn form_page(
    s: &AppState,
    cx: &Cx,
    id: DepartmentId,
    input: DepartmentInput,
    errs: FormErrors,
    conflict: Option<String>,
    status: StatusCode,
) -> AppResult<Response> {
    let heads = heads(s, input.head_user_id.as_deref()).await?;
    let last_change = crate::render::last_change(s, cx, "department", id).await?;
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
pub async fn edit_department(State(s): State<AppState>, cx: Cx, Id(id): Id<DepartmentId>) -> AppResult<Response> {
    let d = accounts::get_department(&s.app, id).await?;
    form_page(&s, &cx, id, input_of(&d), FormErrors::none(), None, StatusCode::OK).await
}

/// `POST /admin/departments/{id}`.
pub async fn update_department(
    State(s): State<AppState>,
    cx: Cx,
    Id(id): Id<DepartmentId>,
    CsrfForm(input): CsrfForm<DepartmentInput>,
) -> AppResult<Response> {
    match accounts::update_department(&s.app, id, &input, &cx.actor()).await.map_err(AppError::from) {
        Ok(_) => Ok(redirect_with_flash("/admin/departments", "flash.saved", s.secure_cookies())),
        Err(AppError::StaleVersion) => {
            let current = accounts::get_department(&s.app, id).await?;
            let msg = cx.tr().t("error.stale_version_detail").to_owned();
            form_page(&s, &cx, id, input_of(&current), FormErrors::none(), Some(msg), StatusCode::CONFLICT).await
        }
        Err(e) => {
            let errs = FormErrors::from_failure(cx.tr(), e)?;
            form_page(&s, &cx, id, input, errs, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}
