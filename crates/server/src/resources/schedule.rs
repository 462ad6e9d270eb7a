//! `/resources/schedule`: a week of every room and every car, a row each and a column a day,
//! each day listing its bookings in the company's time (the reception's code, what for, the
//! driver, a mark when booked over a clash) or free. Drivers and staff read it; on a phone
//! each room or car is a block of its own with its days.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use jiedai_app::resources::{self, ResourceRow};
use jiedai_domain::resources::{Purpose, ResourceKind};
use serde::Deserialize;

use super::page_form::people;
use crate::auth::Cx;
use crate::error::AppResult;
use crate::extract::{Query, empty_as_none};
use crate::i18n::Tr;
use crate::render::{Chrome, page};
use crate::state::AppState;

/// Which week, and rooms or cars alone.
#[derive(Deserialize, Default)]
pub struct ScheduleQuery {
    /// A day of the week shown (its Monday to Sunday); this week when absent.
    #[serde(default, deserialize_with = "empty_as_none")]
    week: Option<NaiveDate>,
    /// `room` or `vehicle`; both when absent.
    #[serde(default)]
    kind: String,
}

/// The key naming what a booking is for.
fn purpose_label(p: Purpose) -> &'static str {
    match p {
        Purpose::Meeting => "resources.purpose_meeting",
        Purpose::Pickup => "resources.purpose_pickup",
        Purpose::Standby => "resources.purpose_standby",
        Purpose::Other => "resources.purpose_other",
    }
}

/// A day's column.
pub struct Day {
    label: String,
    today: bool,
}

/// A booking on one day.
pub struct Slot {
    /// `09:00–18:00` in the company's time, cut to the day (`00:00`, `24:00` when it goes on).
    time: String,
    reception_id: i32,
    code: String,
    organization: String,
    purpose: &'static str,
    /// `司机：张三`, or empty.
    driver: String,
    /// Booked over a clash, and why (empty: it clashed with nothing).
    overridden: String,
}

/// A room or car and its week.
pub struct Line {
    key: String,
    name: String,
    /// `6 座`, `6 seats`.
    seats: String,
    active: bool,
    /// Monday to Sunday: the bookings touching each day.
    days: Vec<Vec<Slot>>,
}

/// Rooms, or cars.
pub struct Group {
    id: &'static str,
    title: &'static str,
    empty: &'static str,
    lines: Vec<Line>,
}

#[derive(Template)]
#[template(path = "resources/schedule.html")]
struct SchedulePage {
    c: Chrome,
    range: String,
    days: Vec<Day>,
    groups: Vec<Group>,
    kind: String,
    /// The Monday shown, `YYYY-MM-DD`.
    week: String,
    prev: String,
    next: String,
    this_week: String,
    is_this_week: bool,
}

impl SchedulePage {
    /// The same week with rooms, cars or both.
    fn kind_link(&self, kind: &str) -> String {
        link(&self.week, kind)
    }
}

fn link(week: &str, kind: &str) -> String {
    match kind {
        "room" | "vehicle" => format!("/resources/schedule?week={week}&kind={kind}"),
        _ => format!("/resources/schedule?week={week}"),
    }
}

/// The bookings of a row touching a day, each cut to it.
fn slots(
    row: &ResourceRow,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    s: &AppState,
    tr: Tr,
    names: &HashMap<jiedai_domain::UserId, String>,
) -> Vec<Slot> {
    let tz = s.tz();
    let hm = |t: DateTime<Utc>| t.with_timezone(&tz).format("%H:%M").to_string();
    let mut out: Vec<(DateTime<Utc>, Slot)> = row
        .bookings
        .iter()
        .filter(|b| b.span.start < end && b.span.end > start)
        .map(|b| {
            let from = if b.span.start <= start { "00:00".to_owned() } else { hm(b.span.start) };
            let to = if b.span.end >= end { "24:00".to_owned() } else { hm(b.span.end) };
            let slot = Slot {
                time: format!("{from}–{to}"),
                reception_id: b.reception_id.get(),
                code: b.reception_code.clone(),
                organization: b.organization.clone(),
                purpose: purpose_label(b.purpose),
                driver: b
                    .driver_id
                    .and_then(|d| names.get(&d))
                    .map(|n| tr.t_with("resources.driver", &[("name", n)]))
                    .unwrap_or_default(),
                overridden: match b.override_reason.trim() {
                    "" => String::new(),
                    why => tr.t_with("resources.overridden", &[("reason", why)]),
                },
            };
            (b.span.start, slot)
        })
        .collect();
    out.sort_by_key(|(t, _)| *t);
    out.into_iter().map(|(_, s)| s).collect()
}

/// `GET /resources/schedule?week=YYYY-MM-DD&kind=room|vehicle`.
pub async fn schedule(State(s): State<AppState>, cx: Cx, Query(q): Query<ScheduleQuery>) -> AppResult<Response> {
    let today = s.app.today();
    let day = q.week.unwrap_or(today);
    let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
    let sunday = monday + Duration::days(6);
    let week: Vec<NaiveDate> = (0..7).map(|i| monday + Duration::days(i)).collect();
    let bounds: Vec<(DateTime<Utc>, DateTime<Utc>)> = week
        .iter()
        .map(|d| (resources::midnight(&s.app, *d), resources::midnight(&s.app, *d + Duration::days(1))))
        .collect();
    let (names, _) = people(&s).await?;
    let kind = match q.kind.as_str() {
        "room" | "vehicle" => q.kind.clone(),
        _ => String::new(),
    };
    let tr = cx.tr();
    let mut groups = Vec::new();
    for (k, id, title, empty) in [
        (ResourceKind::Room, "room", "resources.rooms", "resources.no_rooms"),
        (ResourceKind::Vehicle, "vehicle", "resources.vehicles", "resources.no_vehicles"),
    ] {
        if !kind.is_empty() && kind != id {
            continue;
        }
        let rows = resources::availability(&s.app, k, monday, sunday).await?.rows;
        let lines = rows
            .iter()
            .map(|row| Line {
                key: format!("{id}-{}", row.id),
                name: row.name.clone(),
                seats: tr.plural("resources.seats_count", i64::from(row.seats)),
                active: row.active,
                days: bounds.iter().map(|(a, b)| slots(row, *a, *b, &s, tr, &names)).collect(),
            })
            .collect();
        groups.push(Group { id, title, empty, lines });
    }
    let days = week.iter().map(|d| Day { label: tr.date(*d, today), today: *d == today }).collect();
    let iso = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    Ok(page(&SchedulePage {
        c: Chrome::new(&cx),
        range: tr.date_range(monday, sunday, today),
        days,
        groups,
        prev: link(&iso(monday - Duration::days(7)), &kind),
        next: link(&iso(monday + Duration::days(7)), &kind),
        this_week: link(&iso(today), &kind),
        is_this_week: (monday..=sunday).contains(&today),
        week: iso(monday),
        kind,
    }))
}
