use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn at(day: NaiveDate, h: u32, m: u32) -> NaiveDateTime {
    day.and_hms_opt(h, m, 0).unwrap()
}

fn item(day: NaiveDate, time: Option<(u32, u32)>, title: &str) -> AgendaItem {
    AgendaItem {
        day,
        time: time.map(|(h, m)| NaiveTime::from_hms_opt(h, m, 0).unwrap()),
        title: title.into(),
        place: String::new(),
        responsible_id: None,
        notes: String::new(),
        key: String::new(),
    }
}

#[test]
fn the_starting_agenda_follows_the_form_from_pickup_to_departure() {
    let start = d(2026, 12, 7);
    let mut f = ReceptionForm { visit_start: Some(start), visit_end: Some(d(2026, 12, 8)), ..Default::default() };
    f.pickup_car.wanted = true;
    f.pickup_car.at = Some(at(start, 8, 15));
    f.pickup_car.place = "虹桥站".into();
    f.lunch.wanted = true;
    f.meeting_room.wanted = true;
    f.meeting_room.room = "A301".into();
    f.departure_at = Some(at(d(2026, 12, 8), 15, 0));
    let items = starting_agenda(&f, Language::ZhCn);
    let titles: Vec<&str> = items.iter().map(|i| i.title.as_str()).collect();
    assert_eq!(titles, ["接站 / 接机", "欢迎", "会议", "午餐", "参观", "送别"]);
    assert_eq!(items[0].place, "虹桥站");
    assert_eq!(items[0].time, NaiveTime::from_hms_opt(8, 15, 0));
    assert_eq!(items[2].place, "A301");
    assert_eq!(items.last().unwrap().day, d(2026, 12, 8));
    // No dinner asked for: none planned. In English for an English reader.
    assert_eq!(starting_agenda(&f, Language::En)[0].title, "Pickup");
    assert!(starting_agenda(&ReceptionForm::default(), Language::En).is_empty());
}

#[test]
fn an_agenda_item_outside_the_visit_or_without_a_title_is_refused_on_its_line() {
    let (start, end) = (d(2026, 12, 7), d(2026, 12, 9));
    let mut items = vec![item(start, Some((9, 0)), "欢迎"), item(d(2026, 12, 10), None, "送别"), item(end, None, " ")];
    let errs = check(&mut items, start, end);
    let found: Vec<(&str, &str, Option<usize>)> = errs.0.iter().map(|e| (e.field.as_str(), e.code, e.line)).collect();
    assert_eq!(found, [("day", "outside_visit", Some(2)), ("title", "required", Some(3))]);
}

#[test]
fn a_checked_agenda_is_in_the_order_of_the_day_untimed_items_last() {
    let (start, end) = (d(2026, 12, 7), d(2026, 12, 8));
    let mut items = vec![
        item(end, Some((9, 0)), "c"),
        item(start, None, "b"),
        item(start, Some((14, 0)), "a2"),
        item(start, Some((8, 30)), "a1"),
    ];
    assert!(check(&mut items, start, end).is_empty());
    let titles: Vec<&str> = items.iter().map(|i| i.title.as_str()).collect();
    assert_eq!(titles, ["a1", "a2", "b", "c"]);
    let mut many = vec![item(start, None, "x"); MAX_ITEMS + 1];
    assert_eq!(check(&mut many, start, end).0[0].code, "too_many");
}
