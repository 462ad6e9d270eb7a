//! The satisfaction survey: guests' links, responses (with every score as a row), the sums
//! the results are made of, and the waiver.

mod links;
mod responses;

use chrono::{DateTime, Utc};
use jiedai_domain::survey::{Answer, RespondentKind};
use jiedai_domain::{ReceptionId, SurveyLinkId, UserId};
pub use links::NewSurveyLink;

/// A guest's link to a reception's survey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSurveyLink {
    /// Id.
    pub id: SurveyLinkId,
    /// Its reception.
    pub reception_id: ReceptionId,
    /// What its secret is derived from (with the server's key).
    pub nonce: String,
    /// The address it was mailed to, if any.
    pub email: Option<String>,
    /// The language it was made for (`zh-CN`, `en`).
    pub language: String,
    /// Who made it.
    pub created_by: Option<UserId>,
    /// When.
    pub created_at: DateTime<Utc>,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
    /// When it was answered through.
    pub used_at: Option<DateTime<Utc>>,
    /// When it was withdrawn.
    pub withdrawn_at: Option<DateTime<Utc>>,
    /// The `survey.invite` event that mails it (made with it when it has an address).
    pub invite_event_id: Option<i64>,
}

/// A response to record.
#[derive(Debug, Clone)]
pub struct NewResponse {
    /// The reception.
    pub reception_id: ReceptionId,
    /// Who answers.
    pub kind: RespondentKind,
    /// The guest's link (guests).
    pub link_id: Option<SurveyLinkId>,
    /// The person (internal and host).
    pub user_id: Option<UserId>,
    /// The procedure version whose survey was answered.
    pub procedure_version: i32,
    /// The checked answer.
    pub answer: Answer,
}

/// A response as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSurveyResponse {
    /// Id.
    pub id: i32,
    /// Who answered.
    pub kind: RespondentKind,
    /// The person (internal and host).
    pub user_id: Option<UserId>,
    /// Their name (internal and host).
    pub user_name: Option<String>,
    /// The overall comment.
    pub comment: String,
    /// Comments on items, by key.
    pub item_comments: std::collections::BTreeMap<String, String>,
    /// When.
    pub answered_at: DateTime<Utc>,
}

/// A waived survey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredWaiver {
    /// Why.
    pub reason: String,
    /// By whom.
    pub waived_by: Option<UserId>,
    /// When.
    pub waived_at: DateTime<Utc>,
}
