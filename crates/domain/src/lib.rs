//! Pure rules of Jiedai: the types that input is parsed into, roles and the permission
//! table, the working-day calendar, the procedure as data and the reception request.
//! Nothing here does I/O, so every rule can be unit-tested on its own.
//!
//! One folder per feature (`accounts`, `calendar`, `procedure`, `reception`); the types
//! every feature shares sit at the top: typed ids, money ([`Fen`]), the [`Tier`], field
//! errors and the [`Code`] of every closed set.

pub mod accounts;
pub mod agenda;
pub mod audit;
pub mod bounds;
pub mod calendar;
pub mod codec;
#[cfg(test)]
mod extremes;
pub mod field;
pub mod ids;
pub mod language;
pub mod money;
pub mod notify;
pub mod procedure;
pub mod reception;
pub mod reports;
pub mod resources;
pub mod review;
pub mod settlement;
pub mod survey;
pub mod tasks;
pub mod tier;

pub use accounts::{
    ApiToken, Department, DepartmentName, DisplayName, Email, Password, Permission, Phone, Role, RoleSet, User,
    Username,
};
pub use audit::{Actor, AuditEntry};
pub use calendar::{Calendar, DayKind, Entry as CalendarEntry, EntryKind};
pub use codec::Code;
pub use field::{FieldError, FieldErrors};
pub use ids::ImprovementActionId;
pub use ids::{
    AuditId, BookingId, ChannelId, DepartmentId, ExpenseId, ItemLineId, LostFoundId, ReceiptId, ReceptionId, RoomId,
    StockItemId, SurveyLinkId, TaskId, TeamId, TokenId, UserId, VehicleId,
};
pub use language::Language;
pub use money::Fen;
pub use tier::Tier;
