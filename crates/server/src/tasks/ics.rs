//! A person's calendar feed as iCalendar (RFC 5545), written with the `icalendar` crate: each
//! task at its due moment, each visit they take part in over its days, and each agenda item
//! of theirs at its time. Times are the company's local times (the configured zone) given in
//! UTC, so every client places them right; each event keeps one UID, so a client updates it
//! instead of adding a copy.

use chrono::{Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use icalendar::{Calendar, Component, Event, EventLike};
use jiedai_app::tasks::HeldTask;
use jiedai_app::tasks::day::FeedVisit;
use jiedai_domain::Language;
use jiedai_domain::tasks::TaskStatus;

use crate::i18n::{Tr, keys};

/// The instant a local time of the company's zone stands for.
fn utc(tz: chrono_tz::Tz, t: NaiveDateTime) -> chrono::DateTime<Utc> {
    tz.from_local_datetime(&t).earliest().map_or_else(|| t.and_utc(), |d| d.with_timezone(&Utc))
}

/// The feed of `tasks` and `visits`, labelled in `lang`.
pub fn feed(lang: Language, tz: chrono_tz::Tz, tasks: &[HeldTask], visits: &[FeedVisit]) -> String {
    let tr = Tr::new(lang);
    let zh = lang == Language::ZhCn;
    let mut cal = Calendar::new();
    cal.name(tr.t("tasks.feed_name"));
    cal.timezone(tz.name());
    for h in tasks {
        let t = &h.view.task;
        let title = if zh { &t.title_zh } else { &t.title_en };
        let status = tr.t(keys::task_status(t.status));
        let mark = match t.status {
            TaskStatus::Done | TaskStatus::Waived => format!(" ({status})"),
            _ => String::new(),
        };
        let mut e = Event::new();
        e.uid(&format!("jiedai-task-{}@jiedai", t.id))
            .summary(&format!("{} {title}{mark}", h.code))
            .description(&format!("{} · {}\n{}", h.code, h.organization, if zh { &t.duties_zh } else { &t.duties_en }))
            .add_property("SEQUENCE", t.version.to_string())
            .add_property("CATEGORIES", tr.t("tasks.feed_task"));
        match t.due_time {
            Some(time) => {
                let at = utc(tz, t.due.and_time(time));
                e.starts(at).ends(at + Duration::minutes(30));
            }
            None => {
                e.all_day(t.due);
            }
        }
        cal.push(e.done());
    }
    for v in visits {
        let (first, last): (NaiveDate, NaiveDate) = v.days;
        let mut e = Event::new();
        e.uid(&format!("jiedai-visit-{}@jiedai", v.id))
            .summary(&format!("{} {}", v.code, v.organization))
            .description(&format!("{}: {}", tr.t("tasks.feed_visit"), v.code))
            .add_property("CATEGORIES", tr.t("tasks.feed_visit"))
            .starts(first)
            .ends(last + Duration::days(1));
        cal.push(e.done());
        for (i, (_, it)) in v.items.iter().enumerate() {
            let mut e = Event::new();
            let key = if it.key.is_empty() { format!("{}-{i}", v.id) } else { it.key.clone() };
            e.uid(&format!("jiedai-agenda-{key}@jiedai"))
                .summary(&format!("{} {}", v.code, it.title))
                .description(&it.notes)
                .location(&it.place)
                .add_property("CATEGORIES", tr.t("tasks.feed_agenda"));
            match it.time {
                Some(time) => {
                    let at = utc(tz, it.day.and_time(time));
                    // Until the next timed item of the day, else an hour.
                    let next = v.items[i + 1..]
                        .iter()
                        .find_map(|(_, n)| n.time.filter(|nt| n.day == it.day && *nt > time))
                        .map_or(at + Duration::hours(1), |nt| utc(tz, it.day.and_time(nt)));
                    e.starts(at).ends(next);
                }
                None => {
                    e.all_day(it.day);
                }
            }
            cal.push(e.done());
        }
    }
    cal.done().to_string()
}
