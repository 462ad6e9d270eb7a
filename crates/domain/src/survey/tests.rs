use proptest::prelude::*;

use super::*;
use crate::codec::assert_codes_round_trip;
use crate::procedure::Procedure;

fn survey() -> Survey {
    Procedure::default_procedure().survey
}

fn all_scored(n: u32) -> RawAnswer {
    let mut raw = RawAnswer::default();
    for i in survey().items {
        raw.scores.insert(i.key, n.to_string());
    }
    raw
}

#[test]
fn codes_read_back() {
    assert_codes_round_trip::<RespondentKind>();
}

#[test]
fn the_default_survey_has_ten_items_of_ten_making_a_hundred() {
    let s = survey();
    assert_eq!(s.items.len(), 10);
    assert!(s.items.iter().all(|i| i.reference_score == 10));
    assert_eq!(s.total, 100);
}

#[test]
fn a_full_answer_is_kept_in_the_survey_order_with_its_comments() {
    let mut raw = all_scored(7);
    let first = survey().items[0].key.clone();
    raw.comments.insert(first.clone(), "  good driver ".into());
    raw.comment = " thanks ".into();
    let a = check_answer(&survey(), &raw).unwrap();
    assert_eq!(a.scores.len(), 10);
    assert_eq!(a.scores[0].key, first);
    assert_eq!(a.scores[0].comment, "good driver");
    assert!(a.scores.iter().all(|s| s.score == 7 && s.reference == 10));
    assert_eq!(a.comment, "thanks");
}

#[test]
fn every_bad_score_is_told_at_once_on_its_item() {
    let items = survey().items;
    let mut raw = all_scored(5);
    raw.scores.insert(items[0].key.clone(), "11".into());
    raw.scores.insert(items[1].key.clone(), "-1".into());
    raw.scores.insert(items[2].key.clone(), "seven".into());
    raw.scores.insert(items[3].key.clone(), "7.5".into());
    raw.scores.remove(&items[4].key);
    raw.scores.insert(items[5].key.clone(), "  ".into());
    raw.scores.insert("made_up".into(), "3".into());
    let errs = check_answer(&survey(), &raw).unwrap_err();
    let code = |k: &str| errs.get(k).map(|e| e.code);
    assert_eq!(code(&items[0].key), Some("score_above_reference"));
    assert_eq!(errs.get(&items[0].key).unwrap().limit, Some(10));
    assert_eq!(code(&items[1].key), Some("negative_number"));
    assert_eq!(code(&items[2].key), Some("invalid_number"));
    assert_eq!(code(&items[3].key), Some("invalid_number"));
    assert_eq!(code(&items[4].key), Some("required"));
    assert_eq!(code(&items[5].key), Some("required"));
    assert_eq!(code("made_up"), Some("unknown_item"));
    assert_eq!(errs.0.len(), 7);
}

#[test]
fn the_bounds_zero_and_the_reference_are_allowed() {
    assert!(check_answer(&survey(), &all_scored(0)).is_ok());
    assert!(check_answer(&survey(), &all_scored(10)).is_ok());
}

#[test]
fn overlong_comments_are_refused_on_their_own_field() {
    let mut raw = all_scored(8);
    let key = survey().items[2].key.clone();
    raw.comments.insert(key.clone(), "x".repeat(MAX_COMMENT + 1));
    raw.comment = "y".repeat(MAX_COMMENT + 1);
    let errs = check_answer(&survey(), &raw).unwrap_err();
    assert_eq!(errs.get(&format!("comment.{key}")).unwrap().code, "too_long");
    assert_eq!(errs.get("comment").unwrap().limit, Some(MAX_COMMENT));
}

fn tally(key: &str, kind: RespondentKind, sum: i64, count: i64) -> Tally {
    Tally { key: key.into(), kind, sum, count }
}

#[test]
fn averages_and_total_round_to_hundredths() {
    let s = survey();
    let k0 = s.items[0].key.clone();
    let k1 = s.items[1].key.clone();
    // Three answers: 10, 9, 9 on the first item (9.666…), 7, 8, 8 on the second (7.666…).
    let t = [tally(&k0, RespondentKind::Guest, 28, 3), tally(&k1, RespondentKind::Guest, 23, 3)];
    let r = results(&s, &t, &RespondentKind::ALL, 3);
    assert_eq!(r.items[0].average, Some(9.33));
    assert_eq!(r.items[1].average, Some(7.67));
    assert_eq!(r.items[2].average, None);
    assert_eq!(r.total, Some(17.0));
    assert_eq!(r.responses, 3);
}

#[test]
fn results_of_one_kind_leave_the_others_out() {
    let s = survey();
    let k0 = s.items[0].key.clone();
    let t = [tally(&k0, RespondentKind::Guest, 10, 1), tally(&k0, RespondentKind::Host, 4, 1)];
    assert_eq!(results(&s, &t, &[RespondentKind::Guest], 1).items[0].average, Some(10.0));
    assert_eq!(results(&s, &t, &[RespondentKind::Host], 1).items[0].average, Some(4.0));
    assert_eq!(results(&s, &t, &RespondentKind::ALL, 2).items[0].average, Some(7.0));
}

#[test]
fn no_responses_have_no_total() {
    let r = results(&survey(), &[], &RespondentKind::ALL, 0);
    assert_eq!(r.total, None);
    assert!(r.items.iter().all(|i| i.average.is_none()));
}

#[test]
fn a_survey_whose_references_differ_from_its_total_is_scaled() {
    let mut s = survey();
    s.items.truncate(4);
    s.total = 100;
    let t: Vec<Tally> = s.items.iter().map(|i| tally(&i.key, RespondentKind::Internal, 5, 1)).collect();
    // 4 items at 5 of 10 = 20 of 40, i.e. 50 of 100.
    assert_eq!(results(&s, &t, &RespondentKind::ALL, 1).total, Some(50.0));
}

proptest! {
    #[test]
    fn the_total_is_the_scaled_sum_of_the_averages_and_stays_within_the_survey_total(
        answers in proptest::collection::vec(proptest::collection::vec(0u32..=10, 10), 1..20),
        total in 1u32..=200,
    ) {
        let mut s = survey();
        s.total = total;
        let mut t = Vec::new();
        for (i, item) in s.items.iter().enumerate() {
            let sum: i64 = answers.iter().map(|a| i64::from(a[i])).sum();
            t.push(tally(&item.key, RespondentKind::Guest, sum, answers.len() as i64));
        }
        let r = results(&s, &t, &RespondentKind::ALL, answers.len() as i64);
        let got = r.total.unwrap();
        let exact: f64 = s.items.iter().enumerate()
            .map(|(i, _)| answers.iter().map(|a| f64::from(a[i])).sum::<f64>() / answers.len() as f64)
            .sum::<f64>() * f64::from(total) / 100.0;
        prop_assert!((got - exact).abs() <= 0.005 + 1e-9, "{got} vs {exact}");
        prop_assert!((0.0..=f64::from(total)).contains(&got));
        for it in &r.items {
            let a = it.average.unwrap();
            prop_assert!((0.0..=10.0).contains(&a));
        }
    }
}

#[test]
fn a_link_is_used_before_withdrawn_before_expired() {
    use chrono::{Duration, Utc};
    let now = Utc::now();
    let later = now + Duration::days(1);
    let earlier = now - Duration::seconds(1);
    assert_codes_round_trip::<LinkStatus>();
    assert_eq!(LinkStatus::of(None, None, later, now), LinkStatus::Unused);
    assert_eq!(LinkStatus::of(None, None, now, now), LinkStatus::Expired);
    assert_eq!(LinkStatus::of(None, Some(earlier), earlier, now), LinkStatus::Withdrawn);
    assert_eq!(LinkStatus::of(Some(earlier), Some(earlier), earlier, now), LinkStatus::Used);
}

#[test]
fn a_links_mail_reads_its_delivery_and_says_when_no_mail_server_is_set_up() {
    use crate::notify::DeliveryStatus as D;
    assert_codes_round_trip::<InviteMail>();
    assert_eq!(InviteMail::of(None, true), InviteMail::Waiting);
    assert_eq!(InviteMail::of(None, false), InviteMail::NoMailServer);
    assert_eq!(InviteMail::of(Some((D::Pending, "")), false), InviteMail::Waiting);
    assert_eq!(InviteMail::of(Some((D::Sent, "")), true), InviteMail::Sent);
    assert_eq!(InviteMail::of(Some((D::Failed, "SMTP: refused")), true), InviteMail::Retrying);
    assert_eq!(InviteMail::of(Some((D::Dead, "SMTP: refused")), true), InviteMail::Failed);
    assert_eq!(InviteMail::of(Some((D::Skipped, "link withdrawn")), true), InviteMail::NotSent);
    // Skipped for want of a mail server stays so once one is set up.
    let none = Some((D::Skipped, crate::notify::NO_MAIL_SERVER));
    assert_eq!(InviteMail::of(none, true), InviteMail::NoMailServer);
}
