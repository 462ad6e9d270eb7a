//! The reception request (接待申请单, Attachment 1, both parts) and its life: the states
//! and who may move it between them, the checks of a draft and of a submission, the
//! late flag against the proposal deadline, and the timeline of the procedure's stages
//! on the working-day calendar.

pub mod attachment;
mod check;
mod delegation;
mod derived;
mod form;
mod policy;
mod state;
mod timeline;

pub use check::{
    Arrival, Check, Findings, MAX_VISIT_DAYS, SubmittedReception, limits, normalize_plate, required_on_submit,
};
pub use delegation::{Delegation, MAX_DELEGATION_DAYS};
pub use derived::BudgetBreakdown;
pub use form::{ArrivalMeans, Booking, Grade, Hotel, MeetingRoom, Person, PickupCar, ReceptionForm, Tea, TrainTickets};
pub use policy::{Deputyship, Standing, Viewer, may_cancel_on, may_open_day_on};
pub use state::{Action, State};
pub use timeline::{StageStatus, TimelineEntry, late_working_days, proposal_deadline, stage_days, stage_due, timeline};

#[cfg(test)]
mod life_tests;
#[cfg(test)]
mod tests;
