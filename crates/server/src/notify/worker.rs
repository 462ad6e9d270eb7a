//! The delivery worker, one in every instance: fans out new events, makes the reminders of
//! the day, and sends what is due, a batch at a time. Instances share the work through the
//! database (leases; on PostgreSQL `FOR UPDATE SKIP LOCKED`), so each message goes out once
//! per recipient and channel. A message acknowledged by its receiver but not yet recorded
//! when an instance dies is sent again once its lease passes: at most one repeat, and only
//! then (see docs/operations.md).

use std::time::Duration;

use jiedai_app::notify::{self, Job};
use jiedai_domain::notify::EventKey;
use jiedai_domain::{Code, Language};
use tokio::task::JoinSet;

use super::message::{Message, Parts, compose};
use super::send::{Outgoing, Sender};
use crate::i18n::Tr;
use crate::state::AppState;

/// Starts the worker; it runs until the returned handle is aborted.
pub fn spawn(state: AppState, sender: Sender) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let poll = Duration::from_millis(state.settings.notify.poll_interval_ms);
        let mut reminded = None;
        loop {
            let busy = match round(&state, &sender, &mut reminded).await {
                Ok(busy) => busy,
                Err(e) => {
                    tracing::warn!(error = %e, "notification round failed");
                    false
                }
            };
            if !busy {
                tokio::time::sleep(poll).await;
            }
        }
    })
}

/// One round; true when there may be more to do at once.
async fn round(s: &AppState, sender: &Sender, reminded: &mut Option<std::time::Instant>) -> anyhow::Result<bool> {
    let app = &s.app;
    let fanned = notify::fan_out_pending(app).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    super::reminders::run(s, reminded).await?;
    let jobs = notify::due_jobs(app).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let sent = jobs.len();
    let paced = notify::pace_jobs(app, jobs).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    for job in &paced.later {
        if let Err(e) = notify::later(app, job).await {
            tracing::warn!(delivery = job.delivery.id, error = ?e, "could not put a delivery back");
        }
    }
    let mut running = JoinSet::new();
    for jobs in paced.digests {
        let (s, sender) = (s.clone(), sender.clone());
        running.spawn(async move {
            let result = send_digest(&s, &sender, &jobs).await;
            if let Err(e) = notify::finish_digest(&s.app, &jobs, result).await {
                tracing::warn!(error = ?e, "could not record a digest's deliveries");
            }
        });
    }
    for job in paced.each {
        let (s, sender) = (s.clone(), sender.clone());
        running.spawn(async move {
            let result = deliver(&s, &sender, &job).await;
            let recorded = match result {
                Delivery::Done(result) => notify::finish(&s.app, &job, result).await,
                Delivery::Skip(why) => notify::skip(&s.app, &job, why).await,
            };
            if let Err(e) = recorded {
                tracing::warn!(delivery = job.delivery.id, error = ?e, "could not record a delivery");
            }
        });
    }
    while running.join_next().await.is_some() {}
    Ok(fanned > 0 || sent > 0)
}

/// Many messages waiting for one robot, as one: a line per message, each with its link.
async fn send_digest(s: &AppState, sender: &Sender, jobs: &[Job]) -> Result<(), String> {
    let Some(channel) = jobs.first().and_then(|j| j.channel.clone()) else {
        return Err("channel removed".to_owned());
    };
    let tr = Tr::new(Language::ZhCn);
    let base = base_url(s);
    let title = tr.plural("notify.digest_title", i64::try_from(jobs.len()).unwrap_or(i64::MAX));
    let messages: Vec<Message> = jobs.iter().map(|j| message_of(s, j, Language::ZhCn)).collect();
    let text = std::iter::once(title.clone())
        .chain(messages.iter().map(|m| format!("· {} {}", m.title, m.link_at(&base))))
        .collect::<Vec<_>>()
        .join("\n");
    let markdown = std::iter::once(format!("### {title}"))
        .chain(messages.iter().map(|m| format!("- [{}]({})", m.title.replace(['[', ']'], ""), m.link_at(&base))))
        .collect::<Vec<_>>()
        .join("\n");
    let json = serde_json::json!({"event": "digest", "title": title, "text": text});
    let out = Outgoing { title: &title, text: &text, markdown: &markdown, html: "", json: &json };
    sender.channel(&channel, &out).await.map_err(|e| e.0)
}

enum Delivery {
    Done(Result<(), String>),
    Skip(&'static str),
}

/// The site's address for links: `[server] public_url`, else the listening address.
pub fn base_url(s: &AppState) -> String {
    let configured = s.settings.server.public_url.trim();
    if configured.is_empty() { format!("http://{}", s.settings.server.listen) } else { configured.to_owned() }
}

/// The message of a job for its reader (the recipient's language; a channel's is Chinese).
pub fn message_of(s: &AppState, job: &Job, lang: Language) -> Message {
    let data: serde_json::Value = serde_json::from_str(&job.event.data).unwrap_or_default();
    let tr = Tr::new(lang);
    let key = job.event.key.unwrap_or(EventKey::ReceptionSubmitted);
    compose(
        &tr,
        &Parts {
            key,
            reception_id: job.event.reception_id,
            subject: job.subject.as_ref(),
            task: job.task.as_ref(),
            data: &data,
            actor: job.actor.as_ref().map(|u| u.display_name.as_str()),
            reader: job.recipient.as_ref().map(|u| u.id),
            today: s.app.today(),
        },
    )
}

async fn deliver(s: &AppState, sender: &Sender, job: &Job) -> Delivery {
    if job.event.key.is_none() {
        return Delivery::Skip("unknown event");
    }
    if job.delivery.survey_link_id.is_some() {
        return invite(s, sender, job).await;
    }
    let lang = job.recipient.as_ref().map_or(Language::ZhCn, |u| u.language);
    let tr = Tr::new(lang);
    let mut m = message_of(s, job, lang);
    // The day before a visit: its agenda, line by line.
    for item in &job.agenda {
        let time = item.time.map(|t| t.format("%H:%M").to_string()).unwrap_or_default();
        let place = if item.place.is_empty() { String::new() } else { format!(" · {}", item.place) };
        m.lines.push(format!("{time} {}{place}", item.title).trim().to_owned());
    }
    // An approver's mail acts at once: approve and return links of their own (signed, used
    // once, for a week), made when it is sent.
    if let (Some(user), Some(reception), Some(EventKey::ReceptionSubmitted)) =
        (&job.recipient, job.event.reception_id, job.event.key)
    {
        match notify::make_decision_links(&s.app, user.id, reception).await {
            Ok(Some((approve, give_back))) => {
                m.actions.push((tr.t("notify.link_approve").to_owned(), format!("/l/{approve}")));
                m.actions.push((tr.t("notify.link_return").to_owned(), format!("/l/{give_back}")));
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = ?e, "could not make the decision links"),
        }
    }
    let base = base_url(s);
    let (text, markdown, html) = (m.text(&base, &tr), m.markdown(&base, &tr), m.html(&base, &tr));
    let json = webhook_body(job, &m, &base);
    let out = Outgoing { title: &m.title, text: &text, markdown: &markdown, html: &html, json: &json };
    if job.delivery.user_id.is_some() {
        let Some(user) = &job.recipient else { return Delivery::Skip("recipient removed") };
        if !user.active {
            return Delivery::Skip("recipient disabled");
        }
        let Some(address) = user.email.as_deref().filter(|a| !a.trim().is_empty()) else {
            return Delivery::Skip("no e-mail address");
        };
        return Delivery::Done(sender.email(address, &user.display_name, &out).await.map_err(|e| e.0));
    }
    match &job.channel {
        None => Delivery::Skip("channel removed"),
        Some(c) if !c.active => Delivery::Skip("channel turned off"),
        Some(c) => Delivery::Done(sender.channel(c, &out).await.map_err(|e| e.0)),
    }
}

/// A guest's survey link, mailed in the link's language to the address it was made for,
/// while it can still be answered.
async fn invite(s: &AppState, sender: &Sender, job: &Job) -> Delivery {
    use jiedai_domain::survey::LinkStatus;
    let Some(v) = &job.guest else { return Delivery::Skip("link removed") };
    match v.status {
        LinkStatus::Unused => {}
        LinkStatus::Used => return Delivery::Skip("link answered already"),
        LinkStatus::Withdrawn => return Delivery::Skip("link withdrawn"),
        LinkStatus::Expired => return Delivery::Skip("link expired"),
    }
    let Some(address) = v.link.email.as_deref().filter(|a| !a.trim().is_empty()) else {
        return Delivery::Skip("no e-mail address");
    };
    let lang = Language::parse(&v.link.language).unwrap_or_default();
    let tr = Tr::new(lang);
    let mut m = message_of(s, job, lang);
    m.path = format!("/s/{}", v.token);
    let until = v.link.expires_at.with_timezone(&s.app.config().timezone).date_naive();
    m.lines.push(tr.t_with("notify.invite_expires", &[("date", tr.date(until, s.app.today()).as_str())]));
    let base = base_url(s);
    let (text, html) = (m.text(&base, &tr), m.html(&base, &tr));
    let json = serde_json::Value::Null;
    let out = Outgoing { title: &m.title, text: &text, markdown: "", html: &html, json: &json };
    Delivery::Done(sender.email(address, "", &out).await.map_err(|e| e.0))
}

/// What a plain webhook receives: the event, what it is about, and the message.
pub fn webhook_body(job: &Job, m: &Message, base: &str) -> serde_json::Value {
    let e = &job.event;
    serde_json::json!({
        "event": e.key.map(|k| k.as_str()),
        "event_id": e.id,
        "delivery_id": job.delivery.id,
        "created_at": e.created_at,
        "reception": job.subject.as_ref().map(|s| serde_json::json!({
            "id": e.reception_id.map(|r| r.get()),
            "code": s.code,
            "organization": s.organization,
            "visit_start": s.visit_start,
            "visit_end": s.visit_end,
        })),
        "task": job.task.as_ref().map(|t| serde_json::json!({
            "id": e.task_id.map(|t| t.get()),
            "title_zh": t.title_zh,
            "title_en": t.title_en,
            "due": t.due,
            "due_time": t.due_time.map(|t| t.format("%H:%M").to_string()),
        })),
        "data": serde_json::from_str::<serde_json::Value>(&e.data).unwrap_or_default(),
        "title": m.title,
        "text": m.lines.join("\n"),
        "link": m.link_at(base),
    })
}
