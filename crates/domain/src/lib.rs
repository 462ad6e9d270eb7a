//! Pure rules of Jiedai: the types that input is parsed into, roles and the permission
//! table. Nothing here does I/O, so every rule can be unit-tested on its own.

pub mod account;
pub mod calendar;
pub mod field;
pub mod language;
pub mod money;
pub mod permission;
pub mod procedure;
pub mod reception;
pub mod records;
pub mod role;

pub use account::{DepartmentName, DisplayName, Email, Password, Phone, Username};
pub use calendar::{Calendar, DayKind, Entry as CalendarEntry, EntryKind};
pub use field::{FieldError, FieldErrors};
pub use language::Language;
pub use permission::Permission;
pub use records::{Actor, ApiToken, AuditEntry, Department, User};
pub use role::{Role, RoleSet};
