//! The satisfaction survey (Attachment 4): guests answer once through a link without an
//! account, General Management and the host department answer signed in, the results add up,
//! and the survey may be waived.

use jiedai_domain::{ReceptionId, SurveyLinkId};
use serde_json::{Value, json};

use crate::day::taken_on_today;
use crate::harness::{TestApp, browser, csrf_of, each_engine};
use crate::receptions::{Api, api, whole_form};

/// The item keys of the default survey, in order.
pub fn item_keys() -> Vec<String> {
    jiedai_domain::procedure::Procedure::default_procedure().survey.items.into_iter().map(|i| i.key).collect()
}

/// Every item scored `n`, as a form sends it.
pub fn form_scores(n: &str) -> Vec<(String, String)> {
    item_keys().into_iter().map(|k| (format!("score.{k}"), n.to_owned())).collect()
}

/// Every item scored `n`, as the API takes it.
fn json_scores(n: i64) -> Value {
    Value::Object(item_keys().into_iter().map(|k| (k, json!(n))).collect())
}

/// Makes a guest link on a reception (`path` its API path): the link's JSON.
pub async fn link_of(gm: &Api<'_>, path: &str) -> Value {
    let (s, l) = gm.post(&format!("{path}/survey-links"), json!({"language": "en"})).await;
    assert_eq!(s, 201, "{l}");
    l
}

/// A guest's visit to a link's page: the client (with its cookies) and the CSRF token.
async fn open_as_guest(url: &str) -> (reqwest::Client, String, u16, String) {
    let b = browser();
    let res = b.get(url).send().await.unwrap();
    let status = res.status().as_u16();
    let html = res.text().await.unwrap();
    let csrf = if status == 200 { csrf_of(&html) } else { String::new() };
    (b, csrf, status, html)
}

async fn post_form(b: &reqwest::Client, url: &str, csrf: &str, fields: &[(String, String)]) -> (u16, String) {
    let mut form: Vec<(String, String)> = vec![("csrf".into(), csrf.to_owned())];
    form.extend(fields.iter().cloned());
    let res = b.post(url).form(&form).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn a_guest_answers_through_a_link_without_an_account_once_and_the_results_add_up() {
    each_engine(|app: TestApp| async move {
        let host = app.host_department("市场部").await;
        let gm = api(&app, &host.coordinator).await;
        let (r, path) = taken_on_today(&app, &host).await;
        let l = link_of(&gm, &path).await;
        let url = l["url"].as_str().unwrap().to_owned();
        assert!(url.contains("/s/") && url.rsplit('/').next().unwrap().len() == 64, "a long secret: {url}");
        assert_eq!((l["kind"].as_str(), l["status"].as_str()), (Some("guest"), Some("unused")), "{l}");
        let days = (chrono::DateTime::parse_from_rfc3339(l["expires_at"].as_str().unwrap()).unwrap().to_utc()
            - chrono::Utc::now())
        .num_days();
        assert!((13..=14).contains(&days), "14 days: {l}");
        let url = app.url(&format!("/s/{}", url.rsplit('/').next().unwrap()));

        // No account: the page names the guests' organisation and the dates, nothing else.
        let (b, csrf, status, html) = open_as_guest(&format!("{url}?lang=en")).await;
        assert_eq!(status, 200, "{html}");
        assert!(html.contains(r["guest_organization"].as_str().unwrap()), "{html}");
        assert!(!html.contains(r["code"].as_str().unwrap()), "the reception's code stays hidden");
        assert!(html.contains("Reception satisfaction survey"), "in English as asked");
        let (_, _, _, zh) = open_as_guest(&format!("{url}?lang=zh-CN")).await;
        assert!(zh.contains("接待满意度调查表"), "and in Chinese");

        let mut fields = form_scores("9");
        fields.push(("comment".into(), "Very well organised".into()));
        fields.push((format!("comment.{}", item_keys()[0]), "司机很准时".into()));
        let (s, thanks) = post_form(&b, &url, &csrf, &fields).await;
        assert_eq!(s, 200, "{thanks}");
        assert!(thanks.contains("survey-thanks"), "{thanks}");

        // Once only: the link now says it was answered (410 Gone).
        let (s, again) = post_form(&b, &url, &csrf, &form_scores("1")).await;
        assert_eq!(s, 410, "{again}");
        let (_, _, status, used) = open_as_guest(&format!("{url}?lang=en")).await;
        assert_eq!(status, 410);
        assert!(used.contains("already been answered"), "{used}");

        let (_, links) = gm.get(&format!("{path}/survey-links")).await;
        assert_eq!(links["items"][0]["status"], "used", "{links}");
        let (s, res) = gm.get(&format!("{path}/survey")).await;
        assert_eq!(s, 200, "{res}");
        assert_eq!(res["responses"], 1, "{res}");
        assert_eq!(res["total"].as_f64(), Some(90.0), "{res}");
        assert_eq!(res["items"][0]["average"].as_f64(), Some(9.0), "{res}");
        assert_eq!(res["items"][0]["reference"], 10, "{res}");
        assert_eq!(res["by_kind"]["guest"]["responses"], 1, "{res}");
        assert!(res["by_kind"]["internal"]["total"].is_null(), "{res}");
        assert_eq!(res["comments"][0]["comment"], "Very well organised", "{res}");
        assert_eq!(res["comments"][0]["items"][item_keys()[0].as_str()], "司机很准时", "{res}");

        // Every score is a row of its own, for reports in SQL.
        let rid = ReceptionId(r["id"].as_i64().unwrap() as i32);
        let tallies = app.store.survey_tallies(rid).await.unwrap();
        assert_eq!(tallies.len(), 10);
        assert!(tallies.iter().all(|t| t.sum == 9 && t.count == 1));
        let history = app.store.list_audit(&jiedai_store::AuditFilter::default(), 200).await.unwrap();
        assert!(
            history.iter().any(|h| h.entity == "survey_response" && h.actor_label == "guest via link"),
            "audited as the guest"
        );
    })
    .await;
}

#[tokio::test]
async fn two_tabs_answering_one_link_at_once_make_exactly_one_response() {
    each_engine(|app: TestApp| async move {
        let host = app.host_department("市场部").await;
        let gm = api(&app, &host.coordinator).await;
        let (_, path) = taken_on_today(&app, &host).await;
        let l = link_of(&gm, &path).await;
        let url = app.url(&format!("/s/{}", l["url"].as_str().unwrap().rsplit('/').next().unwrap()));
        let (b, csrf, _, _) = open_as_guest(&url).await;
        let fields = form_scores("8");
        let (one, two) = tokio::join!(post_form(&b, &url, &csrf, &fields), post_form(&b, &url, &csrf, &fields));
        let mut statuses = [one.0, two.0];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 410], "one answer, the other told it was answered");
        let (_, res) = gm.get(&format!("{path}/survey")).await;
        assert_eq!(res["responses"], 1, "{res}");
    })
    .await;
}

#[tokio::test]
async fn an_expired_or_withdrawn_link_says_so_with_410_and_an_unknown_one_is_404() {
    each_engine(|app: TestApp| async move {
        let host = app.host_department("市场部").await;
        let gm = api(&app, &host.coordinator).await;
        let (_, path) = taken_on_today(&app, &host).await;
        let l = link_of(&gm, &path).await;
        let token = l["url"].as_str().unwrap().rsplit('/').next().unwrap().to_owned();
        let url = app.url(&format!("/s/{token}"));
        let (b, csrf, status, _) = open_as_guest(&url).await;
        assert_eq!(status, 200);

        // Fifteen days later (the clock moved by writing an expiry in the past).
        let id = SurveyLinkId(l["id"].as_i64().unwrap() as i32);
        app.store.set_survey_link_expiry(id, chrono::Utc::now() - chrono::Duration::days(1)).await.unwrap();
        let (_, _, status, html) = open_as_guest(&format!("{url}?lang=en")).await;
        assert_eq!(status, 410);
        assert!(html.contains("expired"), "{html}");
        let (s, _) = post_form(&b, &url, &csrf, &form_scores("5")).await;
        assert_eq!(s, 410);
        let (_, links) = gm.get(&format!("{path}/survey-links")).await;
        assert_eq!(links["items"][0]["status"], "expired", "{links}");

        // Withdrawn.
        let l2 = link_of(&gm, &path).await;
        let (s, e) = gm.delete(&format!("{path}/survey-links/{}", l2["id"])).await;
        assert_eq!(s, 204, "{e}");
        let url2 = app.url(&format!("/s/{}", l2["url"].as_str().unwrap().rsplit('/').next().unwrap()));
        let (_, _, status, _) = open_as_guest(&url2).await;
        assert_eq!(status, 410);

        // Unknown.
        let (_, _, status, _) = open_as_guest(&app.url(&format!("/s/{}", "ab".repeat(32)))).await;
        assert_eq!(status, 404);
        let (_, _, status, _) = open_as_guest(&app.url("/s/short")).await;
        assert_eq!(status, 404);
    })
    .await;
}

#[tokio::test]
async fn a_guest_posting_too_often_is_told_to_wait_with_429() {
    each_engine(|app: TestApp| async move {
        let host = app.host_department("市场部").await;
        let gm = api(&app, &host.coordinator).await;
        let (_, path) = taken_on_today(&app, &host).await;
        let l = link_of(&gm, &path).await;
        let url = app.url(&format!("/s/{}", l["url"].as_str().unwrap().rsplit('/').next().unwrap()));
        let (b, csrf, _, _) = open_as_guest(&url).await;
        for _ in 0..10 {
            let (s, _) = post_form(&b, &url, &csrf, &form_scores("11")).await;
            assert_eq!(s, 422);
        }
        let res = b.post(&url).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 429);
        assert!(res.headers().get("retry-after").is_some());
        let (_, r) = gm.get(&format!("{path}/survey")).await;
        assert_eq!(r["responses"], 0, "{r}");
    })
    .await;
}

#[tokio::test]
async fn every_bad_score_is_told_at_once_and_what_was_typed_is_kept() {
    each_engine(|app: TestApp| async move {
        let host = app.host_department("市场部").await;
        let gm = api(&app, &host.coordinator).await;
        let (_, path) = taken_on_today(&app, &host).await;
        let l = link_of(&gm, &path).await;
        let url = app.url(&format!("/s/{}", l["url"].as_str().unwrap().rsplit('/').next().unwrap()));
        let keys = item_keys();
        let (b, csrf, _, _) = open_as_guest(&url).await;
        let fields = vec![
            (format!("score.{}", keys[0]), "11".to_owned()),
            (format!("score.{}", keys[1]), "abc".to_owned()),
            (format!("score.{}", keys[2]), "-2".to_owned()),
            (format!("score.{}", keys[3]), "7".to_owned()),
            ("comment".to_owned(), "保留的意见".to_owned()),
        ];
        let (s, html) = post_form(&b, &format!("{url}?lang=en"), &csrf, &fields).await;
        assert_eq!(s, 422);
        let doc = scraper::Html::parse_document(&html);
        let errors = doc.select(&scraper::Selector::parse(".survey-item .field-error").unwrap()).count();
        assert_eq!(errors, 9, "every item but the one scored 7: {html}");
        for (name, value) in &fields[..4] {
            let sel = scraper::Selector::parse(&format!("input[name=\"{name}\"]")).unwrap();
            let input = doc.select(&sel).next().unwrap();
            assert_eq!(input.value().attr("value"), Some(value.as_str()), "kept: {name}");
        }
        assert!(html.contains("保留的意见"));
        assert!(html.contains("At most 10"), "names the reference: {html}");

        // The API tells the same, each on its item's key.
        let mut scores = json_scores(5);
        scores[&keys[0]] = json!(12);
        scores[&keys[1]] = json!("x");
        scores.as_object_mut().unwrap().remove(&keys[2]);
        let (s, e) = gm.post(&format!("{path}/survey/responses"), json!({"scores": scores})).await;
        assert_eq!(s, 422, "{e}");
        let codes: Vec<(&str, &str)> = e["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| (x["field"].as_str().unwrap(), x["code"].as_str().unwrap()))
            .collect();
        assert!(codes.contains(&(keys[0].as_str(), "score_above_reference")), "{e}");
        assert!(codes.contains(&(keys[1].as_str(), "invalid_number")), "{e}");
        assert!(codes.contains(&(keys[2].as_str(), "required")), "{e}");
    })
    .await;
}

#[tokio::test]
async fn general_management_and_the_host_department_answer_once_each_signed_in() {
    each_engine(|app: TestApp| async move {
        let host = app.host_department("市场部").await;
        let other = app.host_department("财务部").await;
        let gm = api(&app, &host.coordinator).await;
        let req = api(&app, &host.requester).await;
        let (_, path) = taken_on_today(&app, &host).await;
        let answer = |n: i64| json!({"scores": json_scores(n), "comment": "ok"});

        let (s, r) = gm.post(&format!("{path}/survey/responses"), answer(10)).await;
        assert_eq!((s, r["kind"].as_str()), (201, Some("internal")), "{r}");
        let (s, e) = gm.post(&format!("{path}/survey/responses"), answer(1)).await;
        assert_eq!((s, e["code"].as_str()), (409, Some("already_answered")), "refused, not replaced: {e}");
        let (s, r) = req.post(&format!("{path}/survey/responses"), answer(7)).await;
        assert_eq!((s, r["kind"].as_str()), (201, Some("host")), "{r}");
        let (s, _) = api(&app, &other.requester).await.post(&format!("{path}/survey/responses"), answer(3)).await;
        assert!(s == 403 || s == 404, "someone of another department: {s}");

        let (_, res) = req.get(&format!("{path}/survey")).await;
        assert_eq!(res["responses"], 2, "{res}");
        assert_eq!(res["total"].as_f64(), Some(85.0), "{res}");
        assert_eq!(res["by_kind"]["internal"]["total"].as_f64(), Some(100.0), "{res}");
        assert_eq!(res["by_kind"]["host"]["total"].as_f64(), Some(70.0), "{res}");
        assert_eq!(res["by_kind"]["host"]["items"][0]["average"].as_f64(), Some(7.0), "{res}");
        assert_eq!(res["by_kind"]["guest"]["responses"], 0, "{res}");

        // A request not yet taken on: no links, no answers.
        let (s, draft) = req.post("/api/v1/receptions", whole_form(crate::day::today())).await;
        assert_eq!(s, 201, "{draft}");
        let dpath = format!("/api/v1/receptions/{}", draft["id"]);
        let (s, e) = gm.post(&format!("{dpath}/survey-links"), json!({})).await;
        assert_eq!((s, e["code"].as_str()), (409, Some("not_under_way")), "{e}");
        let (s, e) = req.post(&format!("{dpath}/survey/responses"), answer(5)).await;
        assert_eq!((s, e["code"].as_str()), (409, Some("not_under_way")), "{e}");
    })
    .await;
}

#[tokio::test]
async fn the_survey_blocks_closing_until_answered_or_waived_and_a_response_undoes_a_waiver() {
    each_engine(|app: TestApp| async move {
        let host = app.host_department("市场部").await;
        let gm = api(&app, &host.coordinator).await;
        let req = api(&app, &host.requester).await;
        let (r, path) = taken_on_today(&app, &host).await;
        let id = ReceptionId(r["id"].as_i64().unwrap() as i32);
        let blocker = jiedai_app::survey::close_blocker(&app.app, id).await.unwrap().expect("blocks");
        assert_eq!((blocker.field.as_str(), blocker.code), ("state", "survey_missing"));

        let (s, e) = gm.post(&format!("{path}/survey/waive"), json!({"reason": "  "})).await;
        assert_eq!((s, e["errors"][0]["field"].as_str()), (422, Some("reason")), "{e}");
        let (s, _) = req.post(&format!("{path}/survey/waive"), json!({"reason": "客户婉拒"})).await;
        assert_eq!(s, 403, "General Management waives");
        let (s, e) = gm.post(&format!("{path}/survey/waive"), json!({"reason": "客户婉拒填写"})).await;
        assert_eq!(s, 204, "{e}");
        let (_, res) = gm.get(&format!("{path}/survey")).await;
        assert_eq!(res["waived"]["reason"], "客户婉拒填写", "{res}");
        assert!(jiedai_app::survey::close_blocker(&app.app, id).await.unwrap().is_none());

        let (s, _) = gm.delete(&format!("{path}/survey/waive")).await;
        assert_eq!(s, 204);
        assert!(jiedai_app::survey::close_blocker(&app.app, id).await.unwrap().is_some());

        gm.post(&format!("{path}/survey/waive"), json!({"reason": "客户婉拒填写"})).await;
        let (s, _) = req.post(&format!("{path}/survey/responses"), json!({"scores": json_scores(6)})).await;
        assert_eq!(s, 201);
        let (_, res) = gm.get(&format!("{path}/survey")).await;
        assert!(res["waived"].is_null(), "a response takes the waiver back: {res}");
        assert!(jiedai_app::survey::close_blocker(&app.app, id).await.unwrap().is_none());
        let history = app.store.list_audit(&jiedai_store::AuditFilter::default(), 200).await.unwrap();
        for action in ["waive", "unwaive"] {
            assert!(history.iter().any(|h| h.entity == "survey" && h.action == action), "{action} audited");
        }
    })
    .await;
}

#[tokio::test]
async fn a_link_made_with_an_address_is_mailed_to_the_guest_in_its_language_and_only_there() {
    use crate::harness::{TestDb, engines};
    use crate::notify::{SmtpSink, eventually, notifying};
    for engine in engines() {
        let (sink, port) = SmtpSink::start().await;
        let app = TestApp::start_with(TestDb::new(&engine).await, notifying(Some(port))).await;
        let host = app.host_department("市场部").await;
        let gm = api(&app, &host.coordinator).await;
        let (_, path) = taken_on_today(&app, &host).await;

        // A bad address is refused with the field named, and nothing is made.
        let (s, e) = gm.post(&format!("{path}/survey-links"), json!({"email": "not an address"})).await;
        assert_eq!(s, 422, "{e}");
        assert_eq!(e["errors"][0]["field"], "email", "{e}");

        let body = json!({"email": "guest@partner.example", "language": "en"});
        let (s, l) = gm.post(&format!("{path}/survey-links"), body).await;
        assert_eq!(s, 201, "{l}");
        assert_eq!((l["email"].as_str(), l["mail"].as_str()), (Some("guest@partner.example"), Some("waiting")));
        let url = l["url"].as_str().unwrap().to_owned();
        eventually("the guest's mail", || sink.to("guest@partner.example").len() == 1).await;
        let mail = sink.to("guest@partner.example")[0].clone();
        assert!(mail.subject.contains("how did we do"), "in English: {}", mail.subject);
        assert!(mail.text.contains(&url) && mail.html.contains(&url), "the link itself: {}", mail.text);
        assert!(mail.text.contains("Take the survey") && mail.text.contains("works once"), "{}", mail.text);
        // The sink holds the mail before it answers: the worker records it sent just after.
        let mailed = crate::browser::until_api(&gm, &format!("{path}/survey-links"), |list| {
            list["items"].as_array().unwrap().iter().any(|x| x["id"] == l["id"] && x["mail"] == "sent")
        })
        .await;
        assert_eq!(mailed["items"].as_array().unwrap().len(), 1, "{mailed}");
        // Administrators see the delivery, to whom it went.
        let boss = app.user("boss", &["admin"]).await;
        let admin = api(&app, &boss).await;
        let (_, sent) = admin.get("/api/v1/deliveries?status=sent").await;
        assert!(sent["items"].as_array().unwrap().iter().any(|d| d["survey_link_id"] == l["id"]), "{sent}");
        let b = browser();
        crate::harness::sign_in(&app, &b, "boss").await;
        let page = b.get(app.url("/admin/notifications?status=sent")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("guest@partner.example"), "{page}");

        // A link without an address is not mailed (and says nothing of mail); the creation is
        // audited with whether it was mailed.
        let plain = link_of(&gm, &path).await;
        assert!(plain["mail"].is_null(), "{plain}");
        // The reception page and the run sheet show the plain link's QR code, never the one
        // made for the guest's address (it is that guest's key).
        let token = |v: &serde_json::Value| v["url"].as_str().unwrap().rsplit('/').next().unwrap().to_owned();
        let coordinator = browser();
        crate::harness::sign_in(&app, &coordinator, &host.coordinator.username).await;
        for page in [path.replace("/api/v1", ""), format!("{}/run-sheet", path.replace("/api/v1", ""))] {
            let html = coordinator.get(app.url(&page)).send().await.unwrap().text().await.unwrap();
            assert!(html.contains(&token(&plain)), "{page} shows the plain link");
            assert!(!html.contains(&token(&l)), "{page} must not show the guest's own link");
        }
        let (_, audit) = admin.get("/api/v1/audit?entity=survey_link").await;
        assert!(audit.to_string().contains("\"mailed\":true"), "{audit}");

        // No channel carries a guest's link: it is no event a channel can take.
        let hook =
            json!({"kind": "webhook", "name": "all", "url": "http://127.0.0.1:9/x", "events": ["survey.invite"]});
        let (s, e) = admin.post("/api/v1/channels", hook).await;
        assert_eq!((s, e["errors"][0]["code"].as_str()), (422, Some("unknown_event")), "{e}");
        assert_eq!(sink.mails.lock().unwrap().len(), 1, "one mail in all");
        app.stop().await;
    }
}

#[tokio::test]
async fn without_a_mail_server_a_link_with_an_address_says_it_was_not_mailed() {
    each_engine(|app: TestApp| async move {
        let host = app.host_department("市场部").await;
        let gm = api(&app, &host.coordinator).await;
        let (_, path) = taken_on_today(&app, &host).await;
        let (s, l) = gm.post(&format!("{path}/survey-links"), json!({"email": "guest@partner.example"})).await;
        assert_eq!(s, 201, "{l}");
        assert_eq!(l["mail"], "no_mail_server", "{l}");
        jiedai_app::notify::fan_out_pending(&app.app).await.unwrap();
        let (_, list) = gm.get(&format!("{path}/survey-links")).await;
        assert_eq!(list["items"][0]["mail"], "no_mail_server", "{list}");
        assert!(jiedai_app::notify::due_jobs(&app.app).await.unwrap().is_empty(), "nothing to send");
        // At most 30 links with an address a reception a day: the 31st is refused (links
        // without an address are still made).
        for i in 1..30 {
            let (s, e) =
                gm.post(&format!("{path}/survey-links"), json!({"email": format!("g{i}@partner.example")})).await;
            assert_eq!(s, 201, "{e}");
        }
        let (s, e) = gm.post(&format!("{path}/survey-links"), json!({"email": "g31@partner.example"})).await;
        assert_eq!(
            (s, e["code"].as_str(), e["errors"][0]["field"].as_str()),
            (409, Some("too_many_mailed_links"), Some("email")),
            "{e}"
        );
        assert_eq!(gm.post(&format!("{path}/survey-links"), json!({})).await.0, 201);
        // The page tells it beside the link, and offers the address field.
        let b = browser();
        crate::harness::sign_in(&app, &b, &host.coordinator.username).await;
        let page = format!("{}/survey", path.replace("/api/v1", ""));
        let html = b.get(app.url(&page)).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("id=\"link-email\""), "the address field");
        assert!(html.contains("未发送：未配置邮件服务器") || html.contains("not mailed: no mail server"), "{html}");
    })
    .await;
}
