//! The satisfaction survey (Attachment 4) as rules: who answers it, how an answer is
//! checked against the survey of the reception's procedure version (every problem at once,
//! each on its item's key), and how the answers add up into per-item averages and a total.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::field::{FieldError, FieldErrors};
use crate::procedure::Survey;

#[cfg(test)]
mod tests;

/// The longest comment, per item or overall.
pub const MAX_COMMENT: usize = 500;

/// How many days a guest's link works.
pub const LINK_DAYS: i64 = 14;

/// At most this many links with an address a reception, a day: the company's mail server is
/// not to be used to mail anyone at will.
pub const MAILED_LINKS_PER_DAY: u64 = 30;

/// Who answered.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RespondentKind {
    /// General Management (综合管理部), signed in.
    Internal,
    /// The host department: the requester and people of that department, signed in.
    Host,
    /// A guest, through a link that needs no account.
    Guest,
}

impl RespondentKind {
    /// Every kind, in order.
    pub const ALL: [RespondentKind; 3] = [RespondentKind::Internal, RespondentKind::Host, RespondentKind::Guest];
}

/// An answer as typed: each item's score as text (a form's field, or a JSON number written
/// out), each item's comment, and the overall comment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawAnswer {
    /// Scores by item key.
    pub scores: BTreeMap<String, String>,
    /// Comments by item key.
    pub comments: BTreeMap<String, String>,
    /// The overall comment.
    pub comment: String,
}

/// One item's score, with the reference it was given against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Score {
    /// The item's key.
    pub key: String,
    /// The score, 0 … `reference`.
    pub score: u32,
    /// The item's reference score (参照分值) when answered.
    pub reference: u32,
    /// A comment on this item (may be empty).
    pub comment: String,
}

/// A checked answer: a score for every item of the survey, in the survey's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answer {
    /// The scores.
    pub scores: Vec<Score>,
    /// The overall comment.
    pub comment: String,
}

fn comment_of(errs: &mut FieldErrors, field: &str, raw: Option<&String>) -> String {
    let s = raw.map_or("", |s| s.trim());
    if s.chars().count() > MAX_COMMENT {
        errs.push(FieldError::with_limit(field, "too_long", MAX_COMMENT));
    } else if s.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        errs.push(FieldError::new(field, "control_chars"));
    }
    s.to_owned()
}

/// Checks an answer against a survey, every problem at once: each item needs a whole number
/// from 0 to its reference (field = the item's key: `required`, `invalid_number`,
/// `negative_number`, `score_above_reference` naming the reference); comments at most
/// [`MAX_COMMENT`] characters (field = `comment.<key>`, `comment`); a score for an item the
/// survey does not have is `unknown_item`.
pub fn check_answer(survey: &Survey, raw: &RawAnswer) -> Result<Answer, FieldErrors> {
    let mut errs = FieldErrors::new();
    let mut scores = Vec::with_capacity(survey.items.len());
    for item in &survey.items {
        let text = raw.scores.get(&item.key).map_or("", |s| s.trim());
        let score = if text.is_empty() {
            errs.push(FieldError::new(&item.key, "required"));
            None
        } else {
            match text.parse::<i64>() {
                Err(_) => {
                    errs.push(FieldError::new(&item.key, "invalid_number"));
                    None
                }
                Ok(n) if n < 0 => {
                    errs.push(FieldError::new(&item.key, "negative_number"));
                    None
                }
                Ok(n) if n > i64::from(item.reference_score) => {
                    errs.push(FieldError::with_limit(
                        &item.key,
                        "score_above_reference",
                        item.reference_score as usize,
                    ));
                    None
                }
                Ok(n) => u32::try_from(n).ok(),
            }
        };
        let comment = comment_of(&mut errs, &format!("comment.{}", item.key), raw.comments.get(&item.key));
        if let Some(score) = score {
            scores.push(Score { key: item.key.clone(), score, reference: item.reference_score, comment });
        }
    }
    for key in raw.scores.keys().chain(raw.comments.keys()) {
        if !survey.items.iter().any(|i| &i.key == key) && errs.get(key).is_none() {
            errs.push(FieldError::new(key, "unknown_item"));
        }
    }
    let comment = comment_of(&mut errs, "comment", Some(&raw.comment));
    errs.into_result().map(|()| Answer { scores, comment })
}

/// The sum and count of one item's scores from one kind of respondent (as the database adds
/// them up).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    /// The item's key.
    pub key: String,
    /// Who answered.
    pub kind: RespondentKind,
    /// The sum of the scores.
    pub sum: i64,
    /// How many scores.
    pub count: i64,
}

/// One item's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemResult {
    /// The item's key.
    pub key: String,
    /// Its reference score.
    pub reference: u32,
    /// The average score, rounded to 0.01 (none without answers).
    pub average: Option<f64>,
}

/// Results over some responses: per item, and the total out of the survey's total.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Results {
    /// Each item of the survey, in order.
    pub items: Vec<ItemResult>,
    /// The sum of the items' averages scaled to the survey's total, rounded to 0.01 (none
    /// without answers).
    pub total: Option<f64>,
    /// How many responses.
    pub responses: i64,
}

/// Rounds to 0.01.
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Adds up tallies (of the kinds in `kinds`) into results against `survey`; `responses`
/// is how many responses they come from. An item nobody scored counts nothing toward the
/// total; the total is the sum of the item averages scaled from the sum of the references
/// to the survey's total, so it stays within 0 … total.
pub fn results(survey: &Survey, tallies: &[Tally], kinds: &[RespondentKind], responses: i64) -> Results {
    let mut raw_total = 0.0;
    let mut any = false;
    let items: Vec<ItemResult> = survey
        .items
        .iter()
        .map(|item| {
            let (sum, count) = tallies
                .iter()
                .filter(|t| t.key == item.key && kinds.contains(&t.kind))
                .fold((0i64, 0i64), |(s, c), t| (s + t.sum, c + t.count));
            let average = (count > 0).then(|| sum as f64 / count as f64);
            if let Some(a) = average {
                raw_total += a;
                any = true;
            }
            ItemResult { key: item.key.clone(), reference: item.reference_score, average: average.map(round2) }
        })
        .collect();
    let references: u32 = survey.items.iter().map(|i| i.reference_score).sum();
    let total = (any && responses > 0).then(|| {
        let scaled = if references == 0 { 0.0 } else { raw_total * f64::from(survey.total) / f64::from(references) };
        round2(scaled.clamp(0.0, f64::from(survey.total)))
    });
    Results { items, total, responses }
}

/// Where a guest's link stands.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum LinkStatus {
    /// Not answered through yet, and still working.
    Unused,
    /// Answered through (once only).
    Used,
    /// Its days are over.
    Expired,
    /// Taken back by General Management or the host department.
    Withdrawn,
}

impl LinkStatus {
    /// A link's status at `now`: used first (an answer stands), then withdrawn, then expired.
    pub fn of(
        used_at: Option<chrono::DateTime<chrono::Utc>>,
        withdrawn_at: Option<chrono::DateTime<chrono::Utc>>,
        expires_at: chrono::DateTime<chrono::Utc>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> LinkStatus {
        if used_at.is_some() {
            LinkStatus::Used
        } else if withdrawn_at.is_some() {
            LinkStatus::Withdrawn
        } else if expires_at <= now {
            LinkStatus::Expired
        } else {
            LinkStatus::Unused
        }
    }
}

/// Where the mail of a guest's link stands (a link made with an address).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum InviteMail {
    /// Not sent yet.
    Waiting,
    /// Taken by the mail server.
    Sent,
    /// A try failed: tried again for a day.
    Retrying,
    /// Given up after a day of tries (an administrator can retry it).
    Failed,
    /// Not sent on purpose (the link was withdrawn, answered or expired first).
    NotSent,
    /// No mail server is set up: hand the link or its QR code over.
    NoMailServer,
}

impl InviteMail {
    /// The mail's state from its delivery's status and last error (none yet: waiting when
    /// mail is set up now; skipped for want of a mail server at the time: no mail server).
    pub fn of(delivery: Option<(crate::notify::DeliveryStatus, &str)>, mail_enabled: bool) -> InviteMail {
        use crate::notify::DeliveryStatus as D;
        match delivery {
            None if mail_enabled => InviteMail::Waiting,
            None => InviteMail::NoMailServer,
            Some((D::Pending, _)) => InviteMail::Waiting,
            Some((D::Sent, _)) => InviteMail::Sent,
            Some((D::Failed, _)) => InviteMail::Retrying,
            Some((D::Dead, _)) => InviteMail::Failed,
            Some((D::Skipped, why)) if why == crate::notify::NO_MAIL_SERVER => InviteMail::NoMailServer,
            Some((D::Skipped, _)) => InviteMail::NotSent,
        }
    }
}
