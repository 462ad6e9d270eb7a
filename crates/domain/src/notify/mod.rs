//! Notifications as rules: the events that ask someone to act, the channels that carry
//! them, a delivery's states and its retry schedule, and what a channel's settings must be.
//! Who receives an event is decided where the people are known (the application); how a
//! message reads is the server's (its language files).

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::field::{FieldError, FieldErrors};

#[cfg(test)]
mod tests;

/// What happened, as the key scripts and channel settings name it.
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum EventKey {
    /// A request was submitted: its department's approvers decide.
    #[serde(rename = "reception.submitted")]
    #[strum(serialize = "reception.submitted")]
    ReceptionSubmitted,
    /// A request was returned to its requester for changes.
    #[serde(rename = "reception.returned")]
    #[strum(serialize = "reception.returned")]
    ReceptionReturned,
    /// A request was rejected.
    #[serde(rename = "reception.rejected")]
    #[strum(serialize = "reception.rejected")]
    ReceptionRejected,
    /// A request was approved: its requester is told, General Management takes it on.
    #[serde(rename = "reception.approved")]
    #[strum(serialize = "reception.approved")]
    ReceptionApproved,
    /// A reception was cancelled: everyone holding a task is told.
    #[serde(rename = "reception.cancelled")]
    #[strum(serialize = "reception.cancelled")]
    ReceptionCancelled,
    /// A task was given to someone (or taken from them).
    #[serde(rename = "task.assigned")]
    #[strum(serialize = "task.assigned")]
    TaskAssigned,
    /// A task is due on the next working day.
    #[serde(rename = "task.due")]
    #[strum(serialize = "task.due")]
    TaskDue,
    /// A task is past due and not done.
    #[serde(rename = "task.overdue")]
    #[strum(serialize = "task.overdue")]
    TaskOverdue,
    /// A draft's proposal deadline is two working days away.
    #[serde(rename = "draft.deadline")]
    #[strum(serialize = "draft.deadline")]
    DraftDeadline,
    /// A visit starts on the next working day.
    #[serde(rename = "visit.tomorrow")]
    #[strum(serialize = "visit.tomorrow")]
    VisitTomorrow,
    /// A settlement was submitted: finance approves or returns it.
    #[serde(rename = "settlement.submitted")]
    #[strum(serialize = "settlement.submitted")]
    SettlementSubmitted,
    /// A settlement was returned by finance: whoever submitted it corrects it.
    #[serde(rename = "settlement.returned")]
    #[strum(serialize = "settlement.returned")]
    SettlementReturned,
    /// A settlement was approved by finance: whoever submitted it is told.
    #[serde(rename = "settlement.approved")]
    #[strum(serialize = "settlement.approved")]
    SettlementApproved,
    /// An improvement action of a review meeting was given to someone.
    #[serde(rename = "action.assigned")]
    #[strum(serialize = "action.assigned")]
    ActionAssigned,
    /// An improvement action is past its due day and not done.
    #[serde(rename = "action.overdue")]
    #[strum(serialize = "action.overdue")]
    ActionOverdue,
    /// A guest's survey link, mailed to the address it was made for (to nobody else: the link
    /// is the guest's key, so no channel, bell or preference carries this event).
    #[serde(rename = "survey.invite")]
    #[strum(serialize = "survey.invite")]
    SurveyInvite,
}

impl EventKey {
    /// The part of a locale key that names it (`reception_submitted`).
    pub fn slug(self) -> String {
        crate::Code::as_str(self).replace('.', "_")
    }

    /// The event a reception's action causes, if it asks anyone to act or tells them of a
    /// decision: submitted, returned, rejected, approved, cancelled.
    pub fn of_action(action: crate::reception::Action) -> Option<EventKey> {
        use crate::reception::Action;
        match action {
            Action::Submit => Some(Self::ReceptionSubmitted),
            Action::Return => Some(Self::ReceptionReturned),
            Action::Reject => Some(Self::ReceptionRejected),
            Action::Approve => Some(Self::ReceptionApproved),
            Action::Cancel => Some(Self::ReceptionCancelled),
            _ => None,
        }
    }

    /// True for an event mailed to an address outside the company (a guest's survey link):
    /// never a channel's, a bell's or a preference's.
    pub fn is_for_guests(self) -> bool {
        self == Self::SurveyInvite
    }

    /// The events that reach the company's people and channels, in order (every event but
    /// the guests').
    pub fn for_staff() -> impl Iterator<Item = EventKey> {
        <Self as crate::Code>::all().iter().copied().filter(|k| !k.is_for_guests())
    }

    /// True for the events computed from the calendar rather than caused by a change.
    pub fn is_reminder(self) -> bool {
        matches!(
            self,
            Self::TaskDue | Self::TaskOverdue | Self::DraftDeadline | Self::VisitTomorrow | Self::ActionOverdue
        )
    }
}

/// A group robot or a plain webhook that messages go to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantArray,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ChannelKind {
    /// A WeCom (企业微信) group robot: markdown messages.
    Wecom,
    /// A DingTalk (钉钉) custom robot: markdown, signed when a secret is set.
    Dingtalk,
    /// A Feishu (飞书) custom bot: signed in the body when a secret is set.
    Feishu,
    /// Any HTTP endpoint: the event as JSON, signed with `X-Jiedai-Signature`.
    Webhook,
}

impl ChannelKind {
    /// Messages a robot of this kind takes a minute, as its vendor documents (WeCom and
    /// DingTalk 20, Feishu 100); none for a webhook.
    pub fn per_minute(self) -> Option<u32> {
        match self {
            Self::Wecom | Self::Dingtalk => Some(20),
            Self::Feishu => Some(100),
            Self::Webhook => None,
        }
    }
}

/// How the messages waiting for one robot go out this round, given how many it took in the
/// last minute: each on its own while they fit with a place to spare; else all of them in one
/// digest (one message instead of many, none dropped); when the minute is used up, none now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pace {
    /// Each message on its own.
    Each,
    /// All of them in one message.
    Digest,
    /// None now: tried again when the minute has passed.
    Later,
}

/// How `waiting` messages go to a robot that took `sent_last_minute` of its `per_minute`.
pub fn pace(per_minute: Option<u32>, sent_last_minute: u64, waiting: usize) -> Pace {
    let Some(limit) = per_minute else { return Pace::Each };
    let room = u64::from(limit).saturating_sub(sent_last_minute);
    match (room, waiting as u64) {
        (0, _) => Pace::Later,
        (room, n) if n < room => Pace::Each,
        _ => Pace::Digest,
    }
}

/// Where a delivery stands.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantArray,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum DeliveryStatus {
    /// Not sent yet, or to be tried again (`failed` says a try went wrong).
    Pending,
    /// Accepted by the receiver.
    Sent,
    /// Tried and failed; tried again later.
    Failed,
    /// Given up after a day of tries: kept to be looked at and retried by hand.
    Dead,
    /// Not sent, on purpose: the recipient was disabled after the event.
    Skipped,
}

/// Why a guest's mail was skipped when no mail server was set up at the time.
pub const NO_MAIL_SERVER: &str = "no mail server is configured";

/// How long failed deliveries are tried again before they are dead letters.
pub const RETRY_FOR_HOURS: i64 = 24;

/// The first wait before a failed delivery is tried again, by default.
pub const RETRY_BASE_SECONDS: i64 = 30;

/// When a delivery that failed its `attempts`-th try (1 for the first) is tried again:
/// `base` (30 seconds by default) after the first failure, doubling each time, at most an
/// hour apart; `None` once the next try would come more than [`RETRY_FOR_HOURS`] after the
/// delivery was made.
pub fn next_attempt(
    created: DateTime<Utc>,
    failed_at: DateTime<Utc>,
    attempts: u32,
    base: Duration,
) -> Option<DateTime<Utc>> {
    let wait = (base * (1i32 << attempts.saturating_sub(1).min(20))).min(Duration::hours(1));
    let next = failed_at + wait;
    (next <= created + Duration::hours(RETRY_FOR_HOURS)).then_some(next)
}

/// The days whose tasks and visits are told of today: from tomorrow to the next working day
/// (so on a Friday, Saturday to Monday), once today is a working day and the reminder hour
/// has come; `None` otherwise.
pub fn days_told_on(
    cal: &crate::Calendar,
    today: chrono::NaiveDate,
    hour_now: u32,
    reminder_hour: u32,
) -> Option<(chrono::NaiveDate, chrono::NaiveDate)> {
    if !cal.is_working_day(today) || hour_now < reminder_hour {
        return None;
    }
    Some((today.succ_opt()?, cal.next_working_day(today)))
}

/// The day a requester is told their draft's proposal deadline is near: two working days
/// before it.
pub fn deadline_warning_day(cal: &crate::Calendar, deadline: chrono::NaiveDate) -> chrono::NaiveDate {
    cal.add_working_days(deadline, -2)
}

/// A channel's settings as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChannelInput {
    /// A name people know it by.
    pub name: String,
    /// The robot's full address, as its vendor gives it (with its access token).
    pub url: String,
    /// The signing secret (may be empty: unsigned).
    pub secret: String,
    /// The event keys it wants, as typed.
    pub events: Vec<String>,
}

/// Longest name of a channel.
pub const CHANNEL_NAME_MAX: usize = 64;
/// Longest robot address.
pub const CHANNEL_URL_MAX: usize = 1000;
/// Longest secret.
pub const CHANNEL_SECRET_MAX: usize = 200;

/// A channel's settings, checked: every problem at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelSettings {
    /// Trimmed name.
    pub name: String,
    /// The address (http or https, with a host).
    pub url: String,
    /// The secret, as typed (no spaces in it).
    pub secret: String,
    /// The events, each once, in their order.
    pub events: Vec<EventKey>,
}

/// Checks a channel's settings.
pub fn check_channel(input: &ChannelInput) -> Result<ChannelSettings, FieldErrors> {
    let mut errors = FieldErrors::new();
    let name = input.name.trim();
    if name.is_empty() {
        errors.push(FieldError::new("name", "required"));
    } else if name.chars().count() > CHANNEL_NAME_MAX {
        errors.push(FieldError::with_limit("name", "too_long", CHANNEL_NAME_MAX));
    }
    let url = input.url.trim();
    if url.is_empty() {
        errors.push(FieldError::new("url", "required"));
    } else if url.chars().count() > CHANNEL_URL_MAX {
        errors.push(FieldError::with_limit("url", "too_long", CHANNEL_URL_MAX));
    } else if !is_web_address(url) {
        errors.push(FieldError::new("url", "not_http_url"));
    }
    if input.secret.chars().any(char::is_whitespace) {
        errors.push(FieldError::new("secret", "has_spaces"));
    } else if input.secret.chars().count() > CHANNEL_SECRET_MAX {
        errors.push(FieldError::with_limit("secret", "too_long", CHANNEL_SECRET_MAX));
    }
    let mut events = Vec::new();
    for (i, e) in input.events.iter().enumerate() {
        match <EventKey as crate::Code>::parse(e.trim()).filter(|k| !k.is_for_guests()) {
            Some(k) if !events.contains(&k) => events.push(k),
            Some(_) => {}
            None => errors.push(FieldError::new(&format!("events[{i}]"), "unknown_event")),
        }
    }
    if input.events.is_empty() {
        errors.push(FieldError::new("events", "required"));
    }
    events.sort();
    errors.into_result()?;
    Ok(ChannelSettings { name: name.to_owned(), url: url.to_owned(), secret: input.secret.clone(), events })
}

/// A channel's address as it may be shown: its credentials (the query's values, a long last
/// path segment such as Feishu's hook token, a user and password) replaced by `***`.
pub fn masked_url(url: &str) -> String {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let (scheme, rest) = base.split_once("://").unwrap_or(("", base));
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.rsplit('@').next().unwrap_or_default();
    let mut segments: Vec<&str> = path.split('/').collect();
    if let Some(last) = segments.last_mut()
        && last.len() >= 16
    {
        *last = "***";
    }
    let mut out = format!("{scheme}://{host}");
    if !path.is_empty() {
        out.push('/');
        out.push_str(&segments.join("/"));
    }
    if !query.is_empty() {
        let masked: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((k, _)) => format!("{k}=***"),
                None => pair.to_owned(),
            })
            .collect();
        out.push('?');
        out.push_str(&masked.join("&"));
    }
    out
}

/// `http://` or `https://` followed by a host, with nothing that could not be in an address.
fn is_web_address(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let Some(rest) = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://")) else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.rsplit('@').next().unwrap_or_default();
    !host.is_empty() && !host.starts_with(':') && url.chars().all(|c| c.is_ascii_graphic())
}
