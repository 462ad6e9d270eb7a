//! The agenda of a reception's day (议程 / 现场流程): what happens when and where, and who
//! answers for it — a starting set built from the request form, then written by General
//! Management, and the backbone of the run sheet.

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::field::{FieldError, FieldErrors};
use crate::ids::UserId;
use crate::language::Language;
use crate::reception::ReceptionForm;

#[cfg(test)]
mod tests;

/// Most items of one agenda.
pub const MAX_ITEMS: usize = 100;
/// Longest item title.
pub const MAX_TITLE: usize = 200;
/// Longest place.
pub const MAX_PLACE: usize = 200;
/// Longest notes.
pub const MAX_NOTES: usize = 500;

/// One item of the agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaItem {
    /// Its day (one of the visit's).
    pub day: NaiveDate,
    /// Its time, if set.
    pub time: Option<NaiveTime>,
    /// What happens.
    pub title: String,
    /// Where.
    pub place: String,
    /// Who answers for it.
    pub responsible_id: Option<UserId>,
    /// Notes.
    pub notes: String,
    /// Its stable key (calendar feeds name the item by it); given when it is first saved.
    #[serde(default)]
    pub key: String,
}

impl AgendaItem {
    fn new(day: NaiveDate, time: Option<NaiveTime>, title: &str, place: &str) -> Self {
        AgendaItem {
            day,
            time,
            title: title.to_owned(),
            place: place.to_owned(),
            responsible_id: None,
            notes: String::new(),
            key: String::new(),
        }
    }
}

/// A problem on line `line` of the agenda.
fn on(line: usize, e: FieldError) -> FieldError {
    FieldError { line: Some(line), ..e }
}

/// Trims every item, puts them in the order of the day (day, then time; untimed items
/// after the timed ones of their day, in the order given) and tells every problem at once,
/// each on its line (counted from 1 in the order given): a title missing or too long, a
/// place or notes too long, a day outside the visit, too many items.
pub fn check(items: &mut [AgendaItem], visit_start: NaiveDate, visit_end: NaiveDate) -> FieldErrors {
    let mut errs = FieldErrors::new();
    if items.len() > MAX_ITEMS {
        errs.push(FieldError::with_limit("items", "too_many", MAX_ITEMS));
        return errs;
    }
    for (i, it) in items.iter_mut().enumerate() {
        let line = i + 1;
        it.title = it.title.trim().to_owned();
        it.place = it.place.trim().to_owned();
        it.notes = it.notes.trim().to_owned();
        if it.title.is_empty() {
            errs.push(on(line, FieldError::new("title", "required")));
        } else if it.title.chars().count() > MAX_TITLE {
            errs.push(on(line, FieldError::with_limit("title", "too_long", MAX_TITLE)));
        }
        if it.place.chars().count() > MAX_PLACE {
            errs.push(on(line, FieldError::with_limit("place", "too_long", MAX_PLACE)));
        }
        if it.notes.chars().count() > MAX_NOTES {
            errs.push(on(line, FieldError::with_limit("notes", "too_long", MAX_NOTES)));
        }
        if it.day < visit_start || it.day > visit_end {
            errs.push(on(line, FieldError::new("day", "outside_visit")));
        }
        if it.key.len() > 32 || !it.key.bytes().all(|b| b.is_ascii_hexdigit()) {
            // Not one this product gave: the item gets a new one.
            it.key.clear();
        }
    }
    if errs.is_empty() {
        // Stable: items of the same moment keep the order they were given in.
        items.sort_by_key(|it| (it.day, it.time.is_none(), it.time));
    }
    errs
}

/// The starting agenda of a visit, from what the form says: arrival (with the pickup),
/// welcome, meeting, lunch, visit, dinner and departure on the days they fall on, in the
/// reader's language. Times the form gives are used; the usual ones otherwise.
pub fn starting_agenda(form: &ReceptionForm, lang: Language) -> Vec<AgendaItem> {
    let (Some(start), end) = (form.visit_start, form.visit_end) else {
        return Vec::new();
    };
    let end = end.unwrap_or(start).max(start);
    let zh = lang == Language::ZhCn;
    let t = |zh_text: &'static str, en_text: &'static str| if zh { zh_text } else { en_text };
    let at = |h: u32, m: u32| NaiveTime::from_hms_opt(h, m, 0);
    let mut items = Vec::new();
    // Arrival: the pickup when a car fetches the guests, else the arrival itself.
    let (arrival_day, arrival_time) = match (form.pickup_car.wanted, form.pickup_car.at, form.arrival_at) {
        (true, Some(p), _) => (p.date(), Some(p.time())),
        (_, _, Some(a)) => (a.date(), Some(a.time())),
        _ => (start, at(9, 0)),
    };
    let arrival_day = arrival_day.clamp(start, end);
    if form.pickup_car.wanted {
        items.push(AgendaItem::new(arrival_day, arrival_time, t("接站 / 接机", "Pickup"), &form.pickup_car.place));
    } else {
        items.push(AgendaItem::new(arrival_day, arrival_time, t("客人到达", "Guests arrive"), ""));
    }
    let room = form.meeting_room.room.as_str();
    items.push(AgendaItem::new(start, at(9, 30), t("欢迎", "Welcome"), ""));
    if form.meeting_room.wanted {
        items.push(AgendaItem::new(start, at(10, 0), t("会议", "Meeting"), room));
    }
    if form.lunch.wanted {
        items.push(AgendaItem::new(start, at(12, 0), t("午餐", "Lunch"), &form.lunch.place));
    }
    items.push(AgendaItem::new(start, at(14, 0), t("参观", "Visit"), ""));
    if form.dinner.wanted {
        items.push(AgendaItem::new(start, at(18, 0), t("晚宴", "Dinner"), &form.dinner.place));
    }
    let (departure_day, departure_time) = match form.departure_at {
        Some(d) => (d.date().clamp(start, end), Some(d.time())),
        None => (end, at(16, 0)),
    };
    items.push(AgendaItem::new(departure_day, departure_time, t("送别", "Departure"), ""));
    for it in &mut items {
        it.place = it.place.trim().chars().take(MAX_PLACE).collect();
    }
    items.sort_by_key(|it| (it.day, it.time.is_none(), it.time));
    items
}
