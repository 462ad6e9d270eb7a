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
    /// Taken on by a coordinator.
    Planning,
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
        matches!(self, State::Rejected | State::Cancelled)
    }

    /// The host department's head has approved it.
    pub fn is_approved(self) -> bool {
        matches!(self, State::Approved | State::Planning)
    }

    /// States a reception is still being worked on in (not closed).
    pub const OPEN: [State; 5] = [State::Draft, State::Submitted, State::Returned, State::Approved, State::Planning];
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

    /// An action that undoes or refuses something, which pages mark as dangerous.
    pub fn is_destructive(self) -> bool {
        matches!(self, Action::Reject | Action::Cancel)
    }
}
