//! The review meeting (总结例会) through the API: minutes refused before the day, recorded
//! with their version, printed, read-only once closed; improvement actions created (their
//! owner told), listed open, overdue and done, marked done with a note by their owner; the
//! lessons of an earlier reception on a later one, marked applied there; who may do what.

use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::day::{taken_on_today, today};
use crate::harness::{HostDepartment, TestApp, TestDb, browser, each_engine, engines, sign_in, text_of};
use crate::notify::notifying;
use crate::receptions::{Api, api};
use crate::tasks::taken_on;

/// A reception visiting today, its day opened: on site.
pub async fn on_site_today(app: &TestApp, host: &HostDepartment) -> (Value, String) {
    let (r, path) = taken_on_today(app, host).await;
    let (s, e) = api(app, &host.coordinator).await.post(&format!("{path}/open-day"), json!({})).await;
    assert_eq!(s, 200, "{e}");
    (r, path)
}

/// Minutes that say enough: held an hour ago, attended by `people`.
pub fn minutes(version: i64, people: &[i32]) -> Value {
    json!({
        "version": version,
        "held_at": (Utc::now() - Duration::hours(1)).to_rfc3339(),
        "attendee_ids": people,
        "other_attendees": ["华东院 王工"],
        "reports": [
            {"group": "logistics", "went_well": "茶歇准备充分", "fell_short": "投影仪未提前测试"},
            {"group": "driver", "went_well": "准时接站", "fell_short": ""},
        ],
        "decisions": "下次会前一天测试所有设备",
    })
}

fn codes(e: &Value) -> Vec<(String, String)> {
    e["errors"]
        .as_array()
        .map(|l| {
            l.iter()
                .map(|x| (x["field"].as_str().unwrap().to_owned(), x["code"].as_str().unwrap().to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

/// Settles the tasks and the material of a reception on site, and closes it.
async fn close(app: &TestApp, host: &HostDepartment, gm: &Api<'_>, path: &str) {
    let (s, r) = gm.post(&format!("{path}/wrap-up"), json!({})).await;
    assert_eq!(s, 200, "{r}");
    let (_, list) = gm.get(&format!("{path}/tasks")).await;
    for t in list["items"].as_array().unwrap() {
        let (s, e) = gm.post(&format!("/api/v1/tasks/{}/done", t["id"]), json!({})).await;
        assert_eq!(s, 200, "{e}");
    }
    crate::resources::count_back_the_rest(gm, path).await;
    crate::closeout::settle_and_answer(app, host, path, 50_000, 9).await;
    let (s, r) = gm.post(&format!("{path}/close"), json!({})).await;
    assert_eq!((s, r["state"].as_str()), (200, Some("closed")), "{r}");
}

#[tokio::test]
async fn minutes_are_refused_before_the_day_recorded_with_their_version_and_read_only_once_closed() {
    each_engine(|app: TestApp| async move {
        let host = app.host_department("市场部").await;
        let other = app.host_department("研发部").await;
        let gm = api(&app, &host.coordinator).await;
        let req = api(&app, &host.requester).await;
        let me = host.coordinator.id.get();

        let (_, later) = taken_on(&app, &host).await;
        let (s, e) = gm.put(&format!("{later}/review"), minutes(0, &[me])).await;
        assert_eq!((s, e["code"].as_str()), (409, Some("review_too_early")), "not before the day: {e}");

        let (r, path) = on_site_today(&app, &host).await;
        let (s, rv) = gm.get(&format!("{path}/review")).await;
        assert_eq!((s, rv["recorded"].as_bool(), rv["version"].as_i64()), (200, Some(false), Some(0)), "{rv}");
        assert_eq!(rv["may_write"], true);
        let (s, _) = req.put(&format!("{path}/review"), minutes(0, &[me])).await;
        assert_eq!(s, 403, "the requester reads, General Management writes");

        // Every problem at once.
        let bad = json!({
            "version": 0,
            "held_at": (Utc::now() + Duration::days(1)).to_rfc3339(),
            "attendee_ids": [],
            "reports": [{"group": "kitchen", "went_well": "好"}, {"group": "service", "fell_short": "x".repeat(2001)}],
            "decisions": "y".repeat(2001),
        });
        let (s, e) = gm.put(&format!("{path}/review"), bad).await;
        assert_eq!(s, 422, "{e}");
        let found = codes(&e);
        for want in [
            ("held_at", "in_future"),
            ("attendee_ids", "no_attendees"),
            ("group", "unknown_group"),
            ("fell_short", "too_long"),
            ("decisions", "too_long"),
        ] {
            assert!(found.contains(&(want.0.into(), want.1.into())), "{want:?} in {found:?}");
        }
        let (s, e) = gm.put(&format!("{path}/review"), minutes(0, &[me, 999_999])).await;
        assert_eq!(codes(&e), [("attendee_ids".to_owned(), "person_not_active".to_owned())], "{s} {e}");

        // Recorded, then changed at its version; a stale version is refused.
        let (s, rv) = gm.put(&format!("{path}/review"), minutes(0, &[me, host.head.id.get()])).await;
        assert_eq!((s, rv["version"].as_i64(), rv["recorded"].as_bool()), (200, Some(1), Some(true)), "{rv}");
        assert_eq!(rv["reports"].as_array().unwrap().len(), 2);
        assert_eq!(rv["other_attendees"][0], "华东院 王工");
        let (s, e) = gm.put(&format!("{path}/review"), minutes(0, &[me])).await;
        assert_eq!(s, 409, "someone recorded them meanwhile: {e}");
        let mut again = minutes(1, &[me]);
        again["decisions"] = json!("会前一天由后勤组测试投影仪和翻页笔");
        let (s, rv) = gm.put(&format!("{path}/review"), again).await;
        assert_eq!((s, rv["version"].as_i64()), (200, Some(2)), "{rv}");

        // The host department reads them; another department does not see the reception.
        let (s, rv) = req.get(&format!("{path}/review")).await;
        assert_eq!((s, rv["recorded"].as_bool(), rv["may_write"].as_bool()), (200, Some(true), Some(false)), "{rv}");
        let (s, _) = api(&app, &other.requester).await.get(&format!("{path}/review")).await;
        assert_eq!(s, 404);

        // Audited: recorded, then updated.
        let admin = app.user("auditor", &["admin"]).await;
        let (_, log) = api(&app, &admin).await.get("/api/v1/audit?entity=review").await;
        let rid = r["id"].to_string();
        let acts: Vec<&str> = log["items"]
            .as_array()
            .map(|l| {
                l.iter()
                    .filter(|i| i["entity_id"].as_str() == Some(&rid))
                    .filter_map(|i| i["action"].as_str())
                    .collect()
            })
            .unwrap_or_default();
        assert!(acts.contains(&"record") && acts.contains(&"update"), "{log}");

        // Printed on A4.
        let b = browser();
        sign_in(&app, &b, &host.requester.username).await;
        let res = b.get(app.url(&format!("/receptions/{}/review/print", r["id"]))).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let html = res.text().await.unwrap();
        assert!(text_of(&html, "h1").unwrap().contains("总结例会记录"), "{html}");
        assert!(text_of(&html, "#paper-decisions").unwrap().contains("测试投影仪"));
        assert!(text_of(&html, "#paper-attendees").unwrap().contains("华东院 王工"));
        assert!(html.contains("投影仪未提前测试") && html.contains(r["code"].as_str().unwrap()));

        // Closed: read-only.
        close(&app, &host, &gm, &path).await;
        let (s, rv) = gm.get(&format!("{path}/review")).await;
        assert_eq!(
            (s, rv["may_write"].as_bool(), rv["blocked"].as_str()),
            (200, Some(false), Some("review_read_only"))
        );
        let (s, e) = gm.put(&format!("{path}/review"), minutes(2, &[me])).await;
        assert_eq!((s, e["code"].as_str()), (409, Some("review_read_only")), "{e}");
        let body = json!({"reception_id": r["id"], "what": "x", "owner_id": me, "due_on": today()});
        let (s, e) = gm.post("/api/v1/actions", body).await;
        assert_eq!((s, e["code"].as_str()), (409, Some("review_read_only")), "no new actions on a closed one: {e}");
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn improvement_actions_tell_their_owner_are_listed_open_overdue_done_and_done_by_their_owner_with_a_note() {
    for engine in engines() {
        let app = TestApp::start_with(TestDb::new(&engine).await, notifying(None)).await;
        let host = app.host_department("市场部").await;
        let gm = api(&app, &host.coordinator).await;
        let owner = app.user("houqin", &["staff"]).await;
        let other = app.user("fuwu", &["staff"]).await;
        let (r, _) = on_site_today(&app, &host).await;
        let new = |what: &str, who: i32, due: chrono::NaiveDate| json!({"reception_id": r["id"], "what": what, "owner_id": who, "due_on": due});

        let (s, e) = gm.post("/api/v1/actions", json!({"reception_id": r["id"], "what": " "})).await;
        assert_eq!(s, 422, "{e}");
        let fields: Vec<String> = codes(&e).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["what", "owner_id", "due_on"], "every problem at once");
        let (s, _) = api(&app, &owner).await.post("/api/v1/actions", new("x", owner.id.get(), today())).await;
        assert_eq!(s, 403, "staff do not decide actions");

        let (s, late) =
            gm.post("/api/v1/actions", new("会前测试投影仪", owner.id.get(), today() - Duration::days(1))).await;
        assert_eq!((s, late["state"].as_str(), late["overdue"].as_bool()), (201, Some("open"), Some(true)), "{late}");
        let (_, due_today) = gm.post("/api/v1/actions", new("备足矿泉水", owner.id.get(), today())).await;
        assert_eq!(due_today["overdue"], false, "on its due day it is not overdue: {due_today}");
        let (_, others) =
            gm.post("/api/v1/actions", new("更新欢迎语模板", other.id.get(), today() + Duration::days(7))).await;

        // The owner is told, in the product's bell.
        let owner_api = api(&app, &owner).await;
        let mut told = Vec::new();
        for _ in 0..100 {
            let (_, list) = owner_api.get("/api/v1/me/notifications").await;
            told =
                list["items"].as_array().unwrap().iter().filter(|i| i["event"] == "action.assigned").cloned().collect();
            if told.len() == 2 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(told.len(), 2, "{told:?}");
        assert!(told.iter().any(|n| n["title"].as_str().unwrap_or_default().contains("会前测试投影仪")), "{told:?}");
        // The daily reminders tell the owner of the overdue one, once however often they run.
        for _ in 0..3 {
            jiedai_app::notify::make_reminders(&app.app, 0).await.unwrap();
        }
        let mut overdue_told = Vec::new();
        for _ in 0..100 {
            let (_, list) = owner_api.get("/api/v1/me/notifications").await;
            overdue_told =
                list["items"].as_array().unwrap().iter().filter(|i| i["event"] == "action.overdue").cloned().collect();
            if !overdue_told.is_empty() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(overdue_told.len(), 1, "{overdue_told:?}");
        assert!(overdue_told[0]["title"].as_str().unwrap_or_default().contains("会前测试投影仪"), "{overdue_told:?}");

        // Listed by state across receptions; others see only their own.
        let ids = |v: &Value| -> Vec<i64> {
            v["items"].as_array().unwrap().iter().map(|a| a["id"].as_i64().unwrap()).collect()
        };
        let (_, open) = gm.get("/api/v1/actions?state=open").await;
        assert_eq!(ids(&open).len(), 3, "{open}");
        let (_, overdue) = gm.get("/api/v1/actions?state=overdue").await;
        assert_eq!(ids(&overdue), [late["id"].as_i64().unwrap()], "{overdue}");
        let (_, mine) = owner_api.get("/api/v1/actions").await;
        assert_eq!(ids(&mine).len(), 2, "only the owner's own: {mine}");
        let (_, by_owner) = gm.get(&format!("/api/v1/actions?owner={}", other.id)).await;
        assert_eq!(ids(&by_owner), [others["id"].as_i64().unwrap()]);
        let (s, _) = gm.get("/api/v1/actions?state=later").await;
        assert_eq!(s, 400);

        // Done needs a note; the owner marks it; once.
        let at = format!("/api/v1/actions/{}", late["id"]);
        let (s, e) = owner_api.put(&at, json!({"version": 1, "done": true, "done_note": " "})).await;
        assert_eq!((s, codes(&e)), (422, vec![("done_note".to_owned(), "required".to_owned())]), "{e}");
        let (s, _) = api(&app, &other).await.put(&at, json!({"version": 1, "done": true, "done_note": "x"})).await;
        assert_eq!(s, 404, "not theirs, nor a reception they see");
        let (s, _) =
            owner_api.put(&at, json!({"version": 1, "what": "改", "owner_id": owner.id, "due_on": today()})).await;
        assert_eq!(s, 403, "the owner does not edit it");
        let (s, done) = owner_api.put(&at, json!({"version": 1, "done": true, "done_note": "已列入会前检查表"})).await;
        assert_eq!((s, done["state"].as_str(), done["overdue"].as_bool()), (200, Some("done"), Some(false)), "{done}");
        let (s, e) = owner_api.put(&at, json!({"version": 2, "done": true, "done_note": "again"})).await;
        assert_eq!((s, e["code"].as_str()), (409, Some("action_done")), "{e}");
        let (_, list) = gm.get("/api/v1/actions?state=done").await;
        assert_eq!(list["items"][0]["done_note"], "已列入会前检查表", "{list}");
        let (_, overdue) = gm.get("/api/v1/actions?state=overdue").await;
        assert!(ids(&overdue).is_empty(), "{overdue}");

        // Re-assigned at its version: the new owner is told; a stale version is refused.
        let at = format!("/api/v1/actions/{}", due_today["id"]);
        let edit = json!({"version": 1, "what": "备足矿泉水和茶叶", "owner_id": other.id, "due_on": today()});
        let (s, moved) = gm.put(&at, edit.clone()).await;
        assert_eq!((s, moved["owner_id"].as_i64()), (200, Some(other.id.get() as i64)), "{moved}");
        let (s, _) = gm.put(&at, edit).await;
        assert_eq!(s, 409, "stale");
        let other_api = api(&app, &other).await;
        let mut n = 0;
        for _ in 0..100 {
            let (_, list) = other_api.get("/api/v1/me/notifications").await;
            n = list["items"].as_array().unwrap().iter().filter(|i| i["event"] == "action.assigned").count();
            if n == 2 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(n, 2, "told of both their actions");
        app.stop().await;
    }
}

#[tokio::test]
async fn an_earlier_receptions_lessons_show_on_a_later_planning_page_and_are_marked_applied_there() {
    each_engine(|app: TestApp| async move {
        let host = app.host_department("市场部").await;
        let gm = api(&app, &host.coordinator).await;
        let (earlier, earlier_path) = on_site_today(&app, &host).await;
        let body = json!({"reception_id": earlier["id"], "what": "提前确认停车位", "owner_id": host.coordinator.id, "due_on": today() + Duration::days(3)});
        let (s, action) = gm.post("/api/v1/actions", body).await;
        assert_eq!(s, 201, "{action}");
        let (later, later_path) = taken_on(&app, &host).await;

        let (_, own) = gm.get(&format!("{earlier_path}/lessons")).await;
        assert!(own["items"].as_array().unwrap().is_empty(), "no lesson for itself: {own}");
        let (s, lessons) = api(&app, &host.requester).await.get(&format!("{later_path}/lessons")).await;
        assert_eq!(s, 200);
        assert_eq!(lessons["items"][0]["action"]["what"], "提前确认停车位", "{lessons}");
        assert_eq!(lessons["items"][0]["applied"], false);

        // On the later reception's planning page, marked applied there.
        let b = browser();
        sign_in(&app, &b, &host.coordinator.username).await;
        let plan = format!("/receptions/{}/tasks", later["id"]);
        let html = b.get(app.url(&plan)).send().await.unwrap().text().await.unwrap();
        let row = text_of(&html, &format!("#lesson-{}", action["id"])).expect("the lesson on the plan");
        assert!(row.contains("提前确认停车位") && row.contains(earlier["code"].as_str().unwrap()), "{row}");
        let fields = crate::harness::form_fields(&html, &format!("#apply-{}", action["id"]));
        let mut fields = fields;
        crate::harness::set_field(&mut fields, "note", "已预留三个车位");
        let res = b
            .post(app.url(&format!("/receptions/{}/lessons/{}/apply", later["id"], action["id"])))
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        let html = b.get(app.url(&plan)).send().await.unwrap().text().await.unwrap();
        let row = text_of(&html, &format!("#lesson-{}", action["id"])).unwrap();
        assert!(row.contains("已在本次落实") && row.contains("已预留三个车位"), "{row}");
        assert!(text_of(&html, &format!("#apply-{}", action["id"])).is_none(), "no second form");

        let (_, lessons) = gm.get(&format!("{later_path}/lessons")).await;
        assert_eq!((lessons["items"][0]["applied"].as_bool(), lessons["items"][0]["note"].as_str()), (Some(true), Some("已预留三个车位")));
        let apply = format!("{later_path}/lessons/{}/apply", action["id"]);
        let (s, e) = gm.post(&apply, json!({})).await;
        assert_eq!((s, e["code"].as_str()), (409, Some("lesson_applied")), "{e}");
        let (s, _) = api(&app, &host.requester).await.post(&apply, json!({})).await;
        assert_eq!(s, 403);
        let (s, e) = gm.post(&format!("{earlier_path}/lessons/{}/apply", action["id"]), json!({})).await;
        assert_eq!((s, e["code"].as_str()), (409, Some("lesson_own_reception")), "{e}");
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn a_person_disabled_since_stays_on_the_minutes_actions_and_expenses_that_name_them() {
    each_engine(|app: TestApp| async move {
        use jiedai_domain::Actor;
        let host = app.host_department("市场部").await;
        let gm = api(&app, &host.coordinator).await;
        let leaver = app.user("lizhi", &["staff"]).await;
        let (r, path) = on_site_today(&app, &host).await;
        let me = host.coordinator.id.get();
        let (s, rv) = gm.put(&format!("{path}/review"), minutes(0, &[me, leaver.id.get()])).await;
        assert_eq!(s, 200, "{rv}");
        let body = json!({"reception_id": r["id"], "what": "复盘接站", "owner_id": leaver.id.get(), "due_on": today()});
        let (s, action) = gm.post("/api/v1/actions", body).await;
        assert_eq!(s, 201, "{action}");
        let line = json!({"category": "gifts", "amount_fen": 9900, "date": today(), "paid_by": leaver.id.get()});
        let (s, expense) = gm.post(&format!("{path}/expenses"), line).await;
        assert_eq!(s, 201, "{expense}");
        jiedai_app::accounts::disable_user(&app.app, &leaver, &Actor::system()).await.unwrap();

        // Edits of something else keep them; naming them anew is refused.
        let (s, rv) = gm.put(&format!("{path}/review"), minutes(rv["version"].as_i64().unwrap(), &[me, leaver.id.get()])).await;
        assert_eq!((s, rv["attendee_ids"].as_array().map(Vec::len)), (200, Some(2)), "{rv}");
        let edit = json!({"version": action["version"], "what": "复盘接站流程", "owner_id": leaver.id.get(), "due_on": today()});
        let (s, a) = gm.put(&format!("/api/v1/actions/{}", action["id"]), edit).await;
        assert_eq!((s, a["owner_id"].as_i64()), (200, Some(i64::from(leaver.id.get()))), "{a}");
        let edit = json!({"version": expense["version"], "category": "gifts", "amount_fen": 9800, "date": today(), "paid_by": leaver.id.get()});
        let (s, e) = gm.put(&format!("/api/v1/expenses/{}", expense["id"]), edit).await;
        assert_eq!((s, e["paid_by"].as_i64()), (200, Some(i64::from(leaver.id.get()))), "{e}");
        let body = json!({"reception_id": r["id"], "what": "新事项", "owner_id": leaver.id.get(), "due_on": today()});
        let (s, e) = gm.post("/api/v1/actions", body).await;
        assert_eq!((s, e["errors"][0]["code"].as_str()), (422, Some("person_not_active")), "{e}");

        // The pages offer them where they are named, so saving does not quietly change them.
        let b = browser();
        sign_in(&app, &b, &host.coordinator.username).await;
        let option = format!("value=\"{}\"", leaver.id.get());
        for page in [format!("/receptions/{}/settlement", r["id"]), "/actions".to_owned(), format!("/receptions/{}/review", r["id"])] {
            let html = b.get(app.url(&page)).send().await.unwrap().text().await.unwrap();
            assert!(html.contains(&option), "{page} offers the person it names");
        }
        app.stop().await;
    })
    .await;
}
