//! Where a reception stands and the moves between states.

use serde::{Deserialize, Serialize};

/// Where a reception stands. Variants are declared in the order of the workflow.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum State {
    /// Being written by the host department.
    Draft,
    /// Waiting for the department head.
    Submitted,
    /// Sent back to the requester with a comment; editable again.
    Returned,
    /// Approved; waiting for General Management to take it on.
    Approved,
    /// Taken on by a coordinator: tasks are assigned and carried out before the day.
    Planning,
    /// The visit's day has begun (opened by the coordinator from the first visit day).
    OnSite,
    /// The guests have left; close-down work is being finished.
    Closing,
    /// Everything is finished.
    Closed,
    /// Refused by the department head.
    Rejected,
    /// Called off, with a reason.
    Cancelled,
}

impl State {
    /// The request's content can be changed (by its requester).
    pub fn is_editable(self) -> bool {
        matches!(self, State::Draft | State::Returned)
    }

    /// Nothing more happens.
    pub fn is_closed(self) -> bool {
        matches!(self, State::Rejected | State::Cancelled | State::Closed)
    }

    /// Stopped before it was carried out (refused or called off).
    pub fn is_stopped(self) -> bool {
        matches!(self, State::Rejected | State::Cancelled)
    }

    /// The host department's head has approved it.
    pub fn is_approved(self) -> bool {
        matches!(self, State::Approved | State::Planning | State::OnSite | State::Closing | State::Closed)
    }

    /// General Management has taken it on and is carrying it out (its tasks are live).
    pub fn is_under_way(self) -> bool {
        matches!(self, State::Planning | State::OnSite | State::Closing)
    }

    /// States a reception is still being worked on in (not closed).
    pub const OPEN: [State; 7] = [
        State::Draft,
        State::Submitted,
        State::Returned,
        State::Approved,
        State::Planning,
        State::OnSite,
        State::Closing,
    ];
}

/// A move from one state to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantArray)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Action {
    /// Draft or returned → submitted.
    Submit,
    /// Submitted → approved.
    Approve,
    /// Submitted → returned, with a comment.
    Return,
    /// Submitted → rejected, with a reason.
    Reject,
    /// Approved → planning.
    TakeOn,
    /// Any open state before the visit → cancelled, with a reason.
    Cancel,
    /// Submitted → draft again, by its requester, before anyone acted on it (撤回).
    Withdraw,
    /// Planning → on site, from the visit's first day.
    OpenDay,
    /// On site → closing, once the guests have left.
    WrapUp,
    /// Closing → closed, once every task is done or waived.
    Close,
}

impl Action {
    /// The state the action leads to from `from`, if it applies there.
    pub fn next(self, from: State) -> Option<State> {
        use State::*;
        match (self, from) {
            (Action::Submit, Draft | Returned) => Some(Submitted),
            (Action::Approve, Submitted) => Some(Approved),
            (Action::Return, Submitted) => Some(Returned),
            (Action::Reject, Submitted) => Some(Rejected),
            (Action::TakeOn, Approved) => Some(Planning),
            (Action::Cancel, Draft | Submitted | Returned | Approved | Planning) => Some(Cancelled),
            (Action::Withdraw, Submitted) => Some(Draft),
            (Action::OpenDay, Planning) => Some(OnSite),
            (Action::WrapUp, OnSite) => Some(Closing),
            (Action::Close, Closing) => Some(Closed),
            _ => None,
        }
    }

    /// The state the action always leads to (whatever state it starts from).
    pub fn target(self) -> State {
        match self {
            Action::Submit => State::Submitted,
            Action::Approve => State::Approved,
            Action::Return => State::Returned,
            Action::Reject => State::Rejected,
            Action::TakeOn => State::Planning,
            Action::Cancel => State::Cancelled,
            Action::Withdraw => State::Draft,
            Action::OpenDay => State::OnSite,
            Action::WrapUp => State::Closing,
            Action::Close => State::Closed,
        }
    }

    /// The action decides on a submitted request (the approver's part).
    pub fn is_decision(self) -> bool {
        matches!(self, Action::Approve | Action::Return | Action::Reject)
    }

    /// A comment (return) or reason (reject, cancel) is required.
    pub fn needs_comment(self) -> bool {
        matches!(self, Action::Return | Action::Reject | Action::Cancel)
    }

    /// An action of General Management carrying the reception out (open the day, wrap up,
    /// close).
    pub fn is_carrying_out(self) -> bool {
        matches!(self, Action::OpenDay | Action::WrapUp | Action::Close)
    }

    /// An action that undoes or refuses something, which pages mark as dangerous.
    pub fn is_destructive(self) -> bool {
        matches!(self, Action::Reject | Action::Cancel)
    }
}
