//! Accounts: people and their roles, departments and their heads, API tokens, passwords,
//! signing in and out, and finding who stands behind a request.

mod departments;
mod input;
pub mod password;
mod requester;
mod signin;
mod tokens;
pub(crate) mod users;

pub use departments::{
    create_department, department_name, department_names, departments_headed_by, find_department_by_name,
    get_department, list_departments, update_department,
};
pub use input::{DepartmentInput, UserInput};
pub use requester::{Requester, by_session, by_token};
pub use signin::{SignIn, SignedIn, sign_in, sign_out, start_session};
pub use tokens::{Reach, create_token, list_tokens, revoke_token};
pub use users::{
    change_password, count_users, create_first_admin, create_user, disable_user, display_name, find_user_by_username,
    get_user, list_users, set_language, set_roles, update_user,
};
