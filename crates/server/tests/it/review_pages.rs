//! The review meeting on pages: the minutes through their form (every problem at once,
//! what was typed kept), an improvement action added under them, tracked on `/actions` and
//! marked done there by its owner; what the host department reads.

use crate::day::today;
use crate::harness::{TestApp, browser, each_engine, form_fields, set_field, sign_in, text_of};
use crate::review::on_site_today;

async fn page(app: &TestApp, b: &reqwest::Client, path: &str) -> (u16, String) {
    let res = b.get(app.url(path)).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// Posts a form; answers the status, where it leads and the page it shows.
async fn post(app: &TestApp, b: &reqwest::Client, path: &str, fields: &[(String, String)]) -> (u16, String, String) {
    let res = b.post(app.url(path)).form(fields).send().await.unwrap();
    let status = res.status().as_u16();
    let to = res.headers().get("location").map(|l| l.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, to, res.text().await.unwrap())
}

/// Sets the `nth` field of a name (the forms repeat a group's report fields).
fn set_nth(fields: &mut [(String, String)], name: &str, nth: usize, value: &str) {
    let f = fields.iter_mut().filter(|(n, _)| n == name).nth(nth).unwrap_or_else(|| panic!("no {name} #{nth}"));
    f.1 = value.to_owned();
}

fn value<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str()).unwrap_or_else(|| panic!("no {name}"))
}

#[tokio::test]
async fn the_review_page_records_minutes_through_its_form_and_its_actions_are_done_on_the_actions_page() {
    each_engine(|app: TestApp| async move {
        let host = app.host_department("市场部").await;
        let owner = app.user("houqin", &["staff"]).await;
        let (r, _) = on_site_today(&app, &host).await;
        let b = browser();
        sign_in(&app, &b, &host.coordinator.username).await;
        let (_, show) = page(&app, &b, &format!("/receptions/{}", r["id"])).await;
        assert!(text_of(&show, "#open-review").is_some(), "the reception leads to its review");
        let here = format!("/receptions/{}/review", r["id"]);
        let (s, html) = page(&app, &b, &here).await;
        assert_eq!(s, 200, "{html}");
        assert!(text_of(&html, "nav").unwrap().contains("改进事项"), "in the navigation");
        assert!(text_of(&html, "#print-review").is_none(), "nothing to print yet");

        // Nothing ticked and no time: both told at once, what was typed kept.
        let mut f = form_fields(&html, "#minutes-form");
        set_nth(&mut f, "fell_short", 2, "投影仪未提前测试");
        set_field(&mut f, "decisions", "会前一天测试设备");
        let (s, _, html) = post(&app, &b, &here, &f).await;
        assert_eq!(s, 422);
        let form = text_of(&html, "#minutes-form").unwrap();
        assert!(form.contains("必填") && form.contains("请至少填写一位参会人员"), "{form}");
        let kept = form_fields(&html, "#minutes-form");
        assert_eq!(value(&kept, "decisions"), "会前一天测试设备");
        assert!(kept.iter().any(|(n, v)| n == "fell_short" && v == "投影仪未提前测试"), "report kept");

        let mut f = kept;
        let held = (chrono::Utc::now() + chrono::Duration::hours(7)).format("%Y-%m-%dT%H:%M").to_string();
        set_field(&mut f, "held_at", &held);
        f.push(("attendee_ids".into(), host.coordinator.id.to_string()));
        f.push(("attendee_ids".into(), owner.id.to_string()));
        set_field(&mut f, "other_attendees", "华东院 王工\n");
        let (s, to, _) = post(&app, &b, &here, &f).await;
        assert_eq!((s, to.as_str()), (303, here.as_str()));
        let (_, html) = page(&app, &b, &here).await;
        assert!(text_of(&html, "#print-review").is_some());
        let kept = form_fields(&html, "#minutes-form");
        assert_eq!(value(&kept, "version"), "1");
        assert_eq!(kept.iter().filter(|(n, _)| n == "attendee_ids").count(), 2, "both ticked");

        // An action under the minutes, its problems told on its form.
        let mut a = form_fields(&html, "#add-action form");
        set_field(&mut a, "what", "会前一天测试投影仪");
        let (s, _, html) = post(&app, &b, &format!("{here}/actions"), &a).await;
        assert_eq!(s, 422);
        assert!(text_of(&html, "#add-action").unwrap().contains("必填"));
        assert_eq!(value(&form_fields(&html, "#add-action form"), "what"), "会前一天测试投影仪", "kept");
        set_field(&mut a, "owner_id", &owner.id.to_string());
        set_field(&mut a, "due_on", &(today() - chrono::Duration::days(1)).to_string());
        let (s, to, _) = post(&app, &b, &format!("{here}/actions"), &a).await;
        assert_eq!((s, to), (303, format!("{here}#actions")));

        // The owner finds it overdue on /actions and marks it done there, with a note.
        let o = browser();
        sign_in(&app, &o, &owner.username).await;
        let (_, html) = page(&app, &o, "/actions?state=overdue").await;
        let row = text_of(&html, "#action-list li").expect("listed");
        assert!(
            row.contains("会前一天测试投影仪") && row.contains("已逾期") && row.contains(r["code"].as_str().unwrap())
        );
        let id = {
            let doc = scraper::Html::parse_document(&html);
            let sel = scraper::Selector::parse("#action-list li").unwrap();
            doc.select(&sel).next().unwrap().value().attr("id").unwrap().trim_start_matches("action-").to_owned()
        };
        assert!(text_of(&html, &format!("#edit-{id}")).is_none(), "the owner does not edit it");
        let mut d = form_fields(&html, &format!("#done-{id}"));
        let (s, _, html) = post(&app, &o, &format!("/actions/{id}/done"), &d).await;
        assert_eq!(s, 422, "a note is needed");
        assert!(text_of(&html, &format!("#done-{id}")).unwrap().contains("必填"));
        set_field(&mut d, "done_note", "已写入会前检查表");
        let (s, to, _) = post(&app, &o, &format!("/actions/{id}/done"), &d).await;
        assert_eq!((s, to.as_str()), (303, "/actions?state=overdue"));
        let (_, html) = page(&app, &o, "/actions?state=overdue").await;
        assert!(text_of(&html, "#actions-empty").is_some(), "nothing overdue any more");
        let (_, html) = page(&app, &o, "/actions?state=done").await;
        let row = text_of(&html, &format!("#action-{id}")).unwrap();
        assert!(row.contains("已完成") && row.contains("已写入会前检查表"), "{row}");

        // The host department reads the minutes, without a form; in English too.
        let req = browser();
        sign_in(&app, &req, &host.requester.username).await;
        let (s, html) = page(&app, &req, &here).await;
        assert_eq!(s, 200);
        assert!(text_of(&html, "#minutes-form").is_none() && text_of(&html, "#add-action").is_none());
        assert!(text_of(&html, "#minutes-attendees").unwrap().contains("华东院 王工"));
        assert!(text_of(&html, "#report-logistics").unwrap().contains("投影仪未提前测试"));
        let (s, _, _) = post(&app, &req, &here, &f).await;
        assert_eq!(s, 403);
        let (_, html) = page(&app, &req, "/actions").await;
        assert!(text_of(&html, "#actions-empty").is_some(), "none of theirs: {html}");
        app.stop().await;
    })
    .await;
}
