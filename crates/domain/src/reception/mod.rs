//! The reception request (接待申请单, Attachment 1, both parts) and its life: the states
//! and who may move it between them, the checks of a draft and of a submission, the
//! late flag against the proposal deadline, and the timeline of the procedure's stages
//! on the working-day calendar.

mod check;
mod derived;
mod form;
mod policy;
mod state;
mod timeline;

pub use check::{Arrival, Check, Findings, SubmittedReception, limits, normalize_plate};
pub use form::{ArrivalMeans, Booking, Grade, Hotel, MeetingRoom, Person, PickupCar, ReceptionForm, Tea, TrainTickets};
pub use policy::{Standing, Viewer, may_cancel_on};
pub use state::{Action, State};
pub use timeline::{StageStatus, TimelineEntry, late_working_days, proposal_deadline, stage_due, timeline};

#[cfg(test)]
mod tests;
