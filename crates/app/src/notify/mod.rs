//! Notifications: the fan-out of the outbox's events, the deliveries the worker sends (it
//! lives with the server, which renders messages in each reader's language), the in-app
//! messages, the channels and each person's e-mail preferences.

mod channels;
mod inbox;
mod links;
mod recipients;
mod reminders;
pub use links::{LINK_DAYS, LinkState, OpenedLink, make_decision_links, open_link, use_link};
pub mod sign;
pub use reminders::make_reminders;

use std::collections::HashMap;

use chrono::Utc;
use jiedai_domain::notify::{DeliveryStatus, EventKey, next_attempt};
use jiedai_domain::{ReceptionId, TaskId, User, UserId};
use jiedai_store::Outcome;
pub use jiedai_store::{DeliveryCounts, StoredChannel, StoredDelivery, StoredEvent, Subject, TaskSubject};

pub use channels::{
    ChannelDraft, channel, channels, create_channel, delete_channel, email_preferences, set_email_preferences,
    update_channel,
};
pub use inbox::{Item, mark_all_read, mark_read, notifications, unread_count};

use crate::{App, Result};

/// Events fanned out per round (each instance holds them for `Config::delivery_lease`).
const EVENT_BATCH: u64 = 50;
/// Deliveries sent per round (each instance holds them for `Config::delivery_lease`).
const DELIVERY_BATCH: u64 = 20;

/// Fans out the events waiting in the outbox (a batch); how many this instance fanned out.
pub async fn fan_out_pending(app: &App) -> Result<usize> {
    let events = app.store().lease_events(EVENT_BATCH, app.config().delivery_lease).await?;
    if events.is_empty() {
        return Ok(0);
    }
    let ids: Vec<ReceptionId> = events.iter().filter_map(|e| e.reception_id).collect();
    let subjects = app.store().subjects(&ids).await?;
    let dir = recipients::Directory::read(app).await?;
    let mut done = 0;
    for e in &events {
        let fan = recipients::fan(app, e, e.reception_id.and_then(|r| subjects.get(&r)), &dir).await?;
        if app.store().fan_out(e.id, &fan).await? {
            done += 1;
        }
    }
    Ok(done)
}

/// One delivery to make, with what its message needs.
#[derive(Debug, Clone)]
pub struct Job {
    /// The delivery (leased).
    pub delivery: StoredDelivery,
    /// Its event.
    pub event: StoredEvent,
    /// The reception it is about.
    pub subject: Option<Subject>,
    /// The task it is about.
    pub task: Option<TaskSubject>,
    /// Who caused it.
    pub actor: Option<User>,
    /// The e-mail's recipient.
    pub recipient: Option<User>,
    /// The channel.
    pub channel: Option<StoredChannel>,
    /// For a visit on the next working day: its first day's agenda (as saved, else the starting
    /// set the form makes, in Chinese), for the message to carry.
    pub agenda: Vec<jiedai_domain::agenda::AgendaItem>,
    /// For a guest's survey link: the link, its secret and where it stands.
    pub guest: Option<crate::survey::LinkView>,
}

/// Leases the deliveries that are due (a batch) with what their messages need.
pub async fn due_jobs(app: &App) -> Result<Vec<Job>> {
    let store = app.store();
    let leased = store.lease_deliveries(DELIVERY_BATCH, app.config().delivery_lease).await?;
    if leased.is_empty() {
        return Ok(Vec::new());
    }
    let events: HashMap<i64, StoredEvent> =
        store.events_by_id(leased.iter().map(|d| d.event_id).collect()).await?.into_iter().map(|e| (e.id, e)).collect();
    let reception_ids: Vec<ReceptionId> = events.values().filter_map(|e| e.reception_id).collect();
    let task_ids: Vec<TaskId> = events.values().filter_map(|e| e.task_id).collect();
    let subjects = store.subjects(&reception_ids).await?;
    let tasks = store.task_subjects(&task_ids).await?;
    let channels: HashMap<_, _> = store.channels().await?.into_iter().map(|c| (c.id, c)).collect();
    let links: Vec<_> = leased.iter().filter_map(|d| d.survey_link_id).collect();
    let mut guests = crate::survey::links_by_id(app, &links).await?;
    let mut users: HashMap<UserId, User> = HashMap::new();
    let mut jobs = Vec::new();
    for d in leased {
        let Some(event) = events.get(&d.event_id).cloned() else { continue };
        for u in [d.user_id, event.actor].into_iter().flatten() {
            if let std::collections::hash_map::Entry::Vacant(slot) = users.entry(u)
                && let Ok(user) = store.get_user(u).await
            {
                slot.insert(user);
            }
        }
        let agenda = match (event.key, event.reception_id) {
            (Some(EventKey::VisitTomorrow), Some(r)) => first_day_agenda(app, r).await?,
            _ => Vec::new(),
        };
        let guest = d.survey_link_id.and_then(|l| guests.remove(&l));
        jobs.push(Job {
            agenda,
            guest,
            subject: event.reception_id.and_then(|r| subjects.get(&r).cloned()),
            task: event.task_id.and_then(|t| tasks.get(&t).cloned()),
            actor: event.actor.and_then(|u| users.get(&u).cloned()),
            recipient: d.user_id.and_then(|u| users.get(&u).cloned()),
            channel: d.channel_id.and_then(|c| channels.get(&c).cloned()),
            event,
            delivery: d,
        });
    }
    Ok(jobs)
}

/// The agenda of a reception's first visit day: as saved, else the starting set of its form.
async fn first_day_agenda(app: &App, id: ReceptionId) -> Result<Vec<jiedai_domain::agenda::AgendaItem>> {
    let items = match app.store().agenda(id).await? {
        Some(a) => a.items,
        None => {
            let r = app.store().get_reception(id).await?;
            jiedai_domain::agenda::starting_agenda(&r.form, jiedai_domain::Language::ZhCn)
        }
    };
    let first = items.iter().map(|i| i.day).min();
    Ok(items.into_iter().filter(|i| Some(i.day) == first).collect())
}

/// The jobs of a round, paced by each robot's rate limit (counted in the database, so every
/// instance's sends count).
#[derive(Debug, Default)]
pub struct Paced {
    /// Sent each on its own.
    pub each: Vec<Job>,
    /// Sent together, one message per channel.
    pub digests: Vec<Vec<Job>>,
    /// Not now: the robot's minute is used up.
    pub later: Vec<Job>,
}

/// Paces a round's jobs: e-mail and webhooks as they come; a robot's messages each on its own
/// while they fit in its minute, all in one digest when more wait, none when its minute is
/// used up.
pub async fn pace_jobs(app: &App, jobs: Vec<Job>) -> Result<Paced> {
    let mut paced = Paced::default();
    let mut by_channel: Vec<(jiedai_domain::ChannelId, Vec<Job>)> = Vec::new();
    for job in jobs {
        let limited = job.channel.as_ref().filter(|c| c.kind.per_minute().is_some()).map(|c| c.id);
        match limited {
            Some(id) => match by_channel.iter_mut().find(|(c, _)| *c == id) {
                Some((_, v)) => v.push(job),
                None => by_channel.push((id, vec![job])),
            },
            None => paced.each.push(job),
        }
    }
    let since = Utc::now() - chrono::Duration::minutes(1);
    for (id, jobs) in by_channel {
        let per_minute = jobs[0].channel.as_ref().and_then(|c| c.kind.per_minute());
        let sent = app.store().sent_to_channel_since(id, since).await?;
        match jiedai_domain::notify::pace(per_minute, sent, jobs.len()) {
            jiedai_domain::notify::Pace::Each => paced.each.extend(jobs),
            jiedai_domain::notify::Pace::Digest if jobs.len() > 1 => paced.digests.push(jobs),
            jiedai_domain::notify::Pace::Digest => paced.each.extend(jobs),
            jiedai_domain::notify::Pace::Later => paced.later.extend(jobs),
        }
    }
    Ok(paced)
}

/// Records how a digest's try went: every job in it sent (the first carrying the message) or
/// failed as [`finish`] records one.
pub async fn finish_digest(app: &App, jobs: &[Job], result: std::result::Result<(), String>) -> Result<()> {
    let Some(first) = jobs.first() else { return Ok(()) };
    for job in jobs {
        match &result {
            Ok(()) if job.delivery.id == first.delivery.id => finish(app, job, Ok(())).await?,
            Ok(()) => app.store().finish_delivery(job.delivery.id, Outcome::SentIn(first.delivery.id)).await?,
            Err(e) => finish(app, job, Err(e.clone())).await?,
        }
    }
    Ok(())
}

/// Puts a job back until a robot's minute has passed (the try is not counted).
pub async fn later(app: &App, job: &Job) -> Result<()> {
    let at = Utc::now() + chrono::Duration::minutes(1);
    Ok(app.store().finish_delivery(job.delivery.id, Outcome::Later(at)).await?)
}

/// Records how a job's try went: sent; or failed, tried again with a growing wait for a
/// day, then a dead letter.
pub async fn finish(app: &App, job: &Job, result: std::result::Result<(), String>) -> Result<()> {
    let d = &job.delivery;
    let outcome = match result {
        Ok(()) => Outcome::Sent,
        Err(error) => {
            let attempts = u32::try_from(d.attempts.max(1)).unwrap_or(1);
            Outcome::Failed {
                error,
                retry_at: next_attempt(d.created_at, Utc::now(), attempts, app.config().retry_base),
            }
        }
    };
    Ok(app.store().finish_delivery(d.id, outcome).await?)
}

/// Records a job not sent on purpose (its recipient disabled since, its channel removed or
/// turned off).
pub async fn skip(app: &App, job: &Job, why: &str) -> Result<()> {
    Ok(app.store().finish_delivery(job.delivery.id, Outcome::Skipped(why.to_owned())).await?)
}

/// Deliveries in these statuses, newest first (a page before the id `before`).
pub async fn deliveries(
    app: &App,
    statuses: &[DeliveryStatus],
    before: Option<i64>,
    limit: u64,
) -> Result<Vec<StoredDelivery>> {
    Ok(app.store().deliveries(statuses, before, limit).await?)
}

/// Puts a failed or dead delivery back to be tried at once, audited (409 when it is neither).
pub async fn retry(app: &App, id: i64, actor: &jiedai_domain::Actor) -> Result<StoredDelivery> {
    app.store().retry_delivery(id, actor).await.map_err(|e| match e {
        jiedai_store::StoreError::StaleVersion => crate::Error::Conflict { code: "not_retryable", field: "status" },
        e => e.into(),
    })
}

/// How many deliveries each channel (and e-mail) has in each status, for `/metrics`.
pub async fn counts(app: &App) -> Result<Vec<DeliveryCounts>> {
    Ok(app.store().delivery_counts().await?)
}
