//! Demo data: departments and one user per role, so that a newcomer sees a populated
//! product at once. Idempotent: what exists already is left alone.

use jiedai_domain::{Actor, Role};
use jiedai_store::Store;

use crate::error::AppResult;
use crate::service::accounts::{self, DepartmentInput, UserInput};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "jiedai-demo";

/// Demo departments: (name, username of the head).
const DEPARTMENTS: &[(&str, Option<&str>)] =
    &[("综管部", Some("coordinator")), ("销售部", Some("approver")), ("财务部", Some("finance")), ("研发部", None)];

/// Demo users: (username, display name, department, roles, language).
const USERS: &[(&str, &str, &str, &[Role], &str)] = &[
    ("admin", "系统管理员", "综管部", &[Role::Admin], "zh-CN"),
    ("requester", "王芳", "销售部", &[Role::Requester], "zh-CN"),
    ("approver", "李强", "销售部", &[Role::Approver, Role::Requester], "zh-CN"),
    ("coordinator", "张伟", "综管部", &[Role::Coordinator], "zh-CN"),
    ("staff", "刘洋", "综管部", &[Role::Staff], "zh-CN"),
    ("finance", "陈静", "财务部", &[Role::Finance], "en"),
];

/// Loads the demo data; answers the usernames created.
pub async fn load(store: &Store) -> AppResult<Vec<String>> {
    let actor = Actor::system();
    for (name, _) in DEPARTMENTS {
        if store.find_department_by_name(name).await?.is_none() {
            let i = DepartmentInput { name: (*name).into(), ..Default::default() };
            accounts::create_department(store, &i, &actor).await?;
        }
    }
    let mut created = Vec::new();
    for (username, display, dept, roles, lang) in USERS {
        if store.find_user_by_username(username).await?.is_some() {
            continue;
        }
        let dept_id = store.find_department_by_name(dept).await?.map(|d| d.id.to_string());
        let i = UserInput {
            username: (*username).into(),
            display_name: (*display).into(),
            department_id: dept_id,
            phone: "13800138000".into(),
            email: format!("{username}@example.com"),
            language: (*lang).into(),
            roles: roles.iter().map(|r| r.as_str().to_owned()).collect(),
            password: DEMO_PASSWORD.into(),
            ..Default::default()
        };
        accounts::create_user(store, &i, true, &actor).await?;
        created.push((*username).to_owned());
    }
    for (name, head) in DEPARTMENTS {
        let (Some(head), Some(d)) = (head, store.find_department_by_name(name).await?) else {
            continue;
        };
        if d.head_user_id.is_none()
            && let Some(u) = store.find_user_by_username(head).await?
        {
            let i = DepartmentInput {
                name: d.name.clone(),
                head_user_id: Some(u.id.to_string()),
                version: Some(d.version),
            };
            accounts::update_department(store, d.id, &i, &actor).await?;
        }
    }
    Ok(created)
}

/// The demo accounts, for printing how to sign in.
pub fn accounts() -> impl Iterator<Item = (&'static str, &'static [Role])> {
    USERS.iter().map(|(u, _, _, r, _)| (*u, *r))
}
