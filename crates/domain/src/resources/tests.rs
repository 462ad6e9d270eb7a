use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;

use super::*;
use crate::codec::assert_codes_round_trip;
use crate::procedure::Procedure;
use crate::reception::ReceptionForm;

fn at(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, h, m, 0).unwrap()
}

fn span(a: (u32, u32), b: (u32, u32)) -> Span {
    Span::new(at(a.0, a.1), at(b.0, b.1))
}

#[test]
fn codes_read_back() {
    assert_codes_round_trip::<ResourceKind>();
    assert_codes_round_trip::<Purpose>();
    assert_codes_round_trip::<ItemSource>();
    assert_codes_round_trip::<Movement>();
    assert_codes_round_trip::<ReturnMeans>();
    assert_codes_round_trip::<BookingWarning>();
}

#[test]
fn bookings_that_touch_do_not_overlap_and_any_shared_minute_does() {
    let nine_to_ten = span((9, 0), (10, 0));
    assert!(!nine_to_ten.overlaps(span((10, 0), (11, 0))), "one meeting ends as the next begins");
    assert!(!span((8, 0), (9, 0)).overlaps(nine_to_ten));
    assert!(nine_to_ten.overlaps(span((9, 59), (11, 0))));
    assert!(nine_to_ten.overlaps(span((8, 0), (9, 1))));
    assert!(nine_to_ten.overlaps(span((8, 0), (12, 0))), "one around the other");
    assert!(span((8, 0), (12, 0)).overlaps(nine_to_ten));
    assert!(nine_to_ten.overlaps(nine_to_ten));
}

#[test]
fn a_booking_across_midnight_clashes_with_the_next_mornings() {
    let night = Span::new(at(22, 0), at(22, 0) + chrono::Duration::hours(4));
    let early = Span::new(at(0, 0) + chrono::Duration::days(1), at(1, 0) + chrono::Duration::days(1));
    assert!(night.overlaps(early));
    let later = Span::new(at(2, 0) + chrono::Duration::days(1), at(3, 0) + chrono::Duration::days(1));
    assert!(!night.overlaps(later));
}

#[test]
fn free_slots_are_the_gaps_between_merged_bookings() {
    let day = span((0, 0), (23, 0));
    let busy = [span((13, 0), (15, 0)), span((9, 0), (10, 0)), span((9, 30), (11, 0)), span((22, 0), (23, 30))];
    assert_eq!(free_slots(day, &busy), vec![span((0, 0), (9, 0)), span((11, 0), (13, 0)), span((15, 0), (22, 0))]);
    assert_eq!(free_slots(day, &[]), vec![day]);
    assert_eq!(free_slots(day, &[span((0, 0), (23, 0))]), vec![]);
}

proptest! {
    /// Free slots and bookings never overlap, and together they cover the range.
    #[test]
    fn free_slots_and_bookings_cover_the_range_without_overlap(
        raw in proptest::collection::vec((0u32..24 * 60, 1u32..300), 0..12)
    ) {
        let base = at(0, 0);
        let m = |n: u32| base + chrono::Duration::minutes(i64::from(n));
        let range = Span::new(m(0), m(24 * 60));
        let busy: Vec<Span> = raw.iter().map(|(s, l)| Span::new(m(*s), m(s + l))).collect();
        let free = free_slots(range, &busy);
        for f in &free {
            prop_assert!(f.start < f.end);
            prop_assert!(busy.iter().all(|b| !b.overlaps(*f)));
        }
        // Every minute of the range is either free or booked.
        for minute in (0..24 * 60).step_by(7) {
            let one = Span::new(m(minute), m(minute + 1));
            prop_assert!(free.iter().any(|f| f.contains(one)) || busy.iter().any(|b| b.overlaps(one)));
        }
    }
}

fn booking(kind: ResourceKind, from: DateTime<Utc>, to: DateTime<Utc>) -> BookingInput {
    BookingInput {
        resource_kind: kind,
        resource_id: 1,
        starts_at: from,
        ends_at: to,
        driver_id: None,
        purpose: Purpose::Meeting,
        note: "  ".into(),
        override_reason: String::new(),
    }
}

#[test]
fn a_booking_that_ends_before_it_starts_or_lasts_too_long_is_refused() {
    let e = check_booking(&booking(ResourceKind::Room, at(10, 0), at(9, 0))).unwrap_err();
    assert_eq!(e.get("ends_at").unwrap().code, "ends_before_start");
    let e = check_booking(&booking(ResourceKind::Room, at(10, 0), at(10, 0))).unwrap_err();
    assert_eq!(e.get("ends_at").unwrap().code, "ends_before_start");
    let long = booking(ResourceKind::Vehicle, at(10, 0), at(10, 0) + chrono::Duration::days(63));
    assert_eq!(check_booking(&long).unwrap_err().get("ends_at").unwrap().code, "booking_too_long");
    let mut room_with_driver = booking(ResourceKind::Room, at(9, 0), at(10, 0));
    room_with_driver.driver_id = Some(crate::UserId(3));
    room_with_driver.note = "x\u{0}".into();
    let e = check_booking(&room_with_driver).unwrap_err();
    assert_eq!(e.get("driver_id").unwrap().code, "driver_for_room");
    assert_eq!(e.get("note").unwrap().code, "control_chars", "every problem at once");
    let ok = check_booking(&booking(ResourceKind::Room, at(9, 0), at(10, 0))).unwrap();
    assert_eq!(ok.note, "", "trimmed");
}

#[test]
fn outside_the_visit_and_too_small_are_warnings() {
    let d = |n| NaiveDate::from_ymd_opt(2026, 12, n).unwrap();
    let visit = Span::of_days(d(7), d(8), |day| day.and_hms_opt(0, 0, 0).unwrap().and_utc());
    assert_eq!(visit, Span::new(at(0, 0), at(0, 0) + chrono::Duration::days(2)));
    let inside = span((9, 0), (10, 0));
    assert!(warnings(ResourceKind::Room, inside, visit, 20, 12).is_empty());
    let late = Span::new(at(9, 0), at(9, 0) + chrono::Duration::days(3));
    assert_eq!(
        warnings(ResourceKind::Room, late, visit, 10, 12),
        vec![BookingWarning::OutsideVisit, BookingWarning::RoomTooSmall]
    );
    assert_eq!(warnings(ResourceKind::Vehicle, inside, visit, 4, 7), vec![BookingWarning::TooFewSeats]);
}

#[test]
fn resources_say_every_problem_at_once() {
    let e =
        RoomInput { capacity: 0, name: " ".into(), notes: "a\u{7}".into(), ..Default::default() }.check().unwrap_err();
    let codes: Vec<_> = e.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
    assert_eq!(codes, vec![("name", "required"), ("notes", "control_chars"), ("capacity", "required")]);
    let car = VehicleInput { model: "GL8".into(), seats: 6, plate: " 沪a·12345 ".into(), ..Default::default() };
    assert_eq!(car.check().unwrap().plate, "沪A·12345");
    let e = StockItemInput {
        category: "茶水".into(),
        name: "茶具".into(),
        unit: "套".into(),
        on_hand: -1,
        low_stock: 2_000_000,
        unit_cost_fen: -5,
        ..Default::default()
    }
    .check()
    .unwrap_err();
    let codes: Vec<_> = e.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
    assert_eq!(codes, vec![("on_hand", "negative"), ("low_stock", "too_large"), ("unit_cost_fen", "negative")]);
    assert!(StockItemInput::is_low(3, 5) && !StockItemInput::is_low(5, 5));
}

fn form() -> ReceptionForm {
    let mut f = ReceptionForm { companion_count: 3, ..Default::default() };
    f.support_staff = vec![Default::default(); 2];
    f.tea.green = true;
    f.fruit = Some(crate::reception::Grade::Simple);
    f.meeting_room.wanted = true;
    f.meeting_room.projector = true;
    f.meeting_room.pens = true;
    f.gifts = Some(crate::reception::Grade::Simple);
    f
}

#[test]
fn the_item_list_follows_the_form_one_each_for_people_equipment_and_guests() {
    let p = Procedure::default_procedure();
    let items = plan_items(&p, &form());
    let got: Vec<(&str, u32, bool)> = items.iter().map(|i| (i.name.as_str(), i.quantity, i.reusable)).collect();
    // 1 guest + 3 companions + 2 staff = 6 people; 4 guests get gifts; one projector.
    assert_eq!(
        got,
        vec![
            ("玻璃杯", 6, true),
            ("茶具", 6, true),
            ("果碟", 6, true),
            ("投影仪", 1, true),
            ("签字笔", 6, false),
            ("礼品", 4, false)
        ]
    );
    assert_eq!(items[0].category, "茶水");
    assert!(plan_items(&p, &ReceptionForm::default()).is_empty(), "nothing asked, nothing listed");
}

fn line(source: ItemSource, stock: Option<i32>) -> ItemLineInput {
    ItemLineInput {
        category: "茶水".into(),
        name: "茶具".into(),
        quantity: 12,
        source,
        stock_item_id: stock.map(crate::StockItemId),
        ..Default::default()
    }
}

#[test]
fn a_line_from_stock_names_its_item_and_only_a_rental_has_a_return_day() {
    assert!(line(ItemSource::Stock, Some(1)).check().is_ok());
    assert_eq!(line(ItemSource::Stock, None).check().unwrap_err().get("stock_item_id").unwrap().code, "required");
    let mut bought = line(ItemSource::Purchase, Some(1));
    bought.return_due = NaiveDate::from_ymd_opt(2026, 12, 9);
    bought.quantity = 0;
    let e = bought.check().unwrap_err();
    let codes: Vec<_> = e.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
    assert_eq!(
        codes,
        vec![("quantity", "required"), ("stock_item_id", "only_from_stock"), ("return_due", "only_rented")]
    );
    let mut rented = line(ItemSource::Rental, None);
    rented.return_due = NaiveDate::from_ymd_opt(2026, 12, 9);
    assert!(rented.check().is_ok());
}

#[test]
fn a_count_back_adds_up_to_the_line_and_explains_losses() {
    let c = CountBack { returned: 10, consumed: 0, lost: 1, damaged: 1, note: "one broke".into(), write_off: false };
    let ok = c.check(12).unwrap();
    assert_eq!(ok.movements(), vec![(Movement::Returned, 10, 10), (Movement::Lost, 1, 0), (Movement::Damaged, 1, 0)]);
    let short = CountBack { returned: 10, ..Default::default() };
    assert_eq!(short.check(12).unwrap_err().get("returned").unwrap().code, "count_does_not_add_up");
    let unexplained = CountBack { returned: 11, lost: 1, ..Default::default() };
    assert_eq!(unexplained.check(12).unwrap_err().get("note").unwrap().code, "required");
    let too_many = CountBack { returned: 13, ..Default::default() };
    assert!(too_many.check(12).is_err());
    let huge = CountBack { returned: u32::MAX, consumed: u32::MAX, ..Default::default() };
    assert!(huge.check(12).is_err(), "no overflow");
    let written_off = CountBack { write_off: true, note: "not needed after all".into(), ..Default::default() };
    assert!(written_off.check(12).unwrap().movements().is_empty());
    assert!(CountBack { write_off: true, ..Default::default() }.check(12).is_err());
}

#[test]
fn lost_property_goes_back_by_courier_with_a_tracking_number() {
    let now = at(12, 0);
    let found = FoundInput { what: " 雨伞 ".into(), found_where: "一号会议室".into(), ..Default::default() };
    let f = found.check(now).unwrap();
    assert_eq!((f.what.as_str(), f.found_at), ("雨伞", Some(now)));
    let future = FoundInput { found_at: Some(at(18, 0)), ..found };
    assert_eq!(future.check(now).unwrap_err().get("found_at").unwrap().code, "in_future");
    let courier = ReturnInput { returned_to: "张先生".into(), means: ReturnMeans::Courier, ..Default::default() };
    assert_eq!(courier.check(now).unwrap_err().get("tracking").unwrap().code, "required");
    let passed = ReturnInput { returned_to: "前台".into(), means: ReturnMeans::PassedOn, ..Default::default() };
    assert_eq!(passed.check(now).unwrap_err().get("note").unwrap().code, "required");
    let handed = ReturnInput { returned_to: "张先生".into(), ..Default::default() };
    assert_eq!(handed.check(now).unwrap().returned_at, Some(now));
}
