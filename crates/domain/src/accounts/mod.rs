//! Accounts: the values a person's account is made of (parsed at the edge), the roles they
//! hold, the permission table, and the records the store returns.

mod names;
mod permission;
mod records;
mod role;

pub use names::{DepartmentName, DisplayName, Email, Password, Phone, Username};
pub use permission::Permission;
pub use records::{ApiToken, Department, User};
pub use role::{Role, RoleSet};
