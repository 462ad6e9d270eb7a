//! The home page: what waits for this person first.

use askama::Template;
use axum::response::Response;
use jiedai_domain::Role;

use super::role_key;
use crate::auth::Cx;
use crate::error::AppResult;
use crate::render::{Chrome, page};

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
    display_name: String,
    department: Option<String>,
    roles: Vec<&'static str>,
    is_admin: bool,
}

/// `GET /`.
pub async fn home(cx: Cx) -> AppResult<Response> {
    let u = cx.user()?;
    Ok(page(&HomePage {
        display_name: u.display_name.clone(),
        department: u.department_name.clone(),
        roles: u.roles.iter().map(role_key).collect(),
        is_admin: u.roles.contains(Role::Admin),
        c: Chrome::new(&cx),
    }))
}
