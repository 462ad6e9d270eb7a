use super::*;
use crate::Code;
use chrono::TimeZone;

fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, h, m, s).unwrap()
}

#[test]
fn event_keys_and_kinds_read_back_as_scripts_write_them() {
    crate::codec::assert_codes_round_trip::<EventKey>();
    crate::codec::assert_codes_round_trip::<ChannelKind>();
    crate::codec::assert_codes_round_trip::<DeliveryStatus>();
    assert_eq!(EventKey::ReceptionSubmitted.as_str(), "reception.submitted");
    assert_eq!(EventKey::VisitTomorrow.slug(), "visit_tomorrow");
    assert_eq!(EventKey::all().len(), 16);
    assert!(EventKey::TaskDue.is_reminder() && !EventKey::TaskAssigned.is_reminder());
}

#[test]
fn a_guests_survey_link_is_no_event_for_staff_or_channels() {
    assert!(EventKey::SurveyInvite.is_for_guests());
    assert_eq!(EventKey::for_staff().count(), EventKey::all().len() - 1);
    assert!(EventKey::for_staff().all(|k| !k.is_for_guests()));
    let guests = ChannelInput { events: vec!["survey.invite".into()], ..input("https://x.example") };
    let errors = check_channel(&guests).unwrap_err();
    assert_eq!((errors.0[0].field.as_str(), errors.0[0].code), ("events[0]", "unknown_event"));
}

#[test]
fn the_decisions_on_a_request_are_events_and_its_planning_steps_are_not() {
    use crate::reception::Action;
    assert_eq!(EventKey::of_action(Action::Submit), Some(EventKey::ReceptionSubmitted));
    assert_eq!(EventKey::of_action(Action::Return), Some(EventKey::ReceptionReturned));
    assert_eq!(EventKey::of_action(Action::Cancel), Some(EventKey::ReceptionCancelled));
    for quiet in [Action::Withdraw, Action::TakeOn, Action::OpenDay, Action::WrapUp, Action::Close] {
        assert_eq!(EventKey::of_action(quiet), None, "{quiet:?}");
    }
}

#[test]
fn retries_wait_longer_each_time_and_stop_after_a_day() {
    let made = at(8, 0, 0);
    let base = Duration::seconds(RETRY_BASE_SECONDS);
    assert_eq!(next_attempt(made, at(8, 0, 5), 1, base), Some(at(8, 0, 35)));
    assert_eq!(next_attempt(made, at(8, 1, 0), 2, base), Some(at(8, 2, 0)));
    assert_eq!(next_attempt(made, at(8, 2, 0), 3, base), Some(at(8, 4, 0)));
    // Never more than an hour apart, however many tries.
    assert_eq!(next_attempt(made, at(12, 0, 0), 40, base), Some(at(13, 0, 0)));
    // A try that would come more than a day after the delivery was made: a dead letter.
    let late = made + Duration::hours(23) + Duration::minutes(30);
    assert_eq!(next_attempt(made, late, 30, base), None);
}

fn input(url: &str) -> ChannelInput {
    ChannelInput {
        name: " 综管部群 ".into(),
        url: url.into(),
        secret: "SECabc".into(),
        events: vec!["task.due".into(), "reception.submitted".into(), "task.due".into()],
    }
}

#[test]
fn a_channel_takes_any_web_host_and_its_events_once() {
    let s = check_channel(&input("https://oapi.dingtalk.com/robot/send?access_token=abc")).unwrap();
    assert_eq!(s.name, "综管部群");
    assert_eq!(s.events, vec![EventKey::ReceptionSubmitted, EventKey::TaskDue]);
    assert!(check_channel(&input("http://127.0.0.1:8080/hook")).is_ok());
}

#[test]
fn a_channel_names_every_problem_at_once() {
    let bad = ChannelInput {
        name: " ".into(),
        url: "ftp://example.com/x".into(),
        secret: "has space".into(),
        events: vec!["task.due".into(), "nothing.happened".into()],
    };
    let errors = check_channel(&bad).unwrap_err();
    let codes: Vec<(&str, &str)> = errors.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
    assert_eq!(
        codes,
        vec![("name", "required"), ("url", "not_http_url"), ("secret", "has_spaces"), ("events[1]", "unknown_event")]
    );
    for url in ["https://", "http:///path", "javascript:alert(1)", "https://host/ space", "example.com"] {
        assert_eq!(check_channel(&input(url)).unwrap_err().0[0].code, "not_http_url", "{url}");
    }
    let none = ChannelInput { events: vec![], ..input("https://x.example") };
    assert_eq!(check_channel(&none).unwrap_err().0[0].field, "events");
}

#[test]
fn reminders_come_on_the_working_day_before_at_the_hour() {
    use chrono::NaiveDate;
    let cal = crate::Calendar::shipped_with([]).unwrap();
    let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
    // Friday 2026-12-04 at 16:00: Saturday, Sunday and Monday are told.
    assert_eq!(days_told_on(&cal, d(12, 4), 16, 16), Some((d(12, 5), d(12, 7))));
    assert_eq!(days_told_on(&cal, d(12, 4), 15, 16), None);
    // A Saturday is not a working day: nothing is told on it.
    assert_eq!(days_told_on(&cal, d(12, 5), 17, 16), None);
    // Before the National Day holiday (Wednesday 2026-09-30): up to the first working day after.
    let (from, to) = days_told_on(&cal, d(9, 30), 16, 16).unwrap();
    assert_eq!(from, d(10, 1));
    assert!(cal.is_working_day(to) && to > d(10, 7), "{to}");
    // A deadline on Wednesday 2026-12-09 is told on Monday 2026-12-07.
    assert_eq!(deadline_warning_day(&cal, d(12, 9)), d(12, 7));
}

#[test]
fn a_channel_address_is_shown_without_its_credentials() {
    assert_eq!(
        masked_url("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx"),
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***"
    );
    assert_eq!(
        masked_url("https://open.feishu.cn/open-apis/bot/v2/hook/2ab38ab9-0b2c-4f06-a2cd"),
        "https://open.feishu.cn/open-apis/bot/v2/hook/***"
    );
    assert_eq!(masked_url("http://user:pw@127.0.0.1:9000/hook"), "http://127.0.0.1:9000/hook");
}

#[test]
fn a_robot_gets_each_message_while_they_fit_then_one_digest_then_waits_for_the_minute() {
    let wecom = ChannelKind::Wecom.per_minute();
    assert_eq!(pace(wecom, 0, 5), Pace::Each);
    assert_eq!(pace(wecom, 14, 5), Pace::Each);
    assert_eq!(pace(wecom, 15, 5), Pace::Digest, "the last place is kept for a digest");
    assert_eq!(pace(wecom, 0, 20), Pace::Digest, "a burst of a whole minute's worth");
    assert_eq!(pace(wecom, 20, 1), Pace::Later);
    assert_eq!(pace(ChannelKind::Feishu.per_minute(), 20, 50), Pace::Each);
    assert_eq!(pace(ChannelKind::Webhook.per_minute(), 10_000, 500), Pace::Each);
}
