//! The request flow a whole company needs, through the API: withdraw, copy, delegation,
//! a department head's own request, attachments, and a history that says what changed.

use serde_json::json;

use crate::harness::{api_client, browser, each_engine, form_fields, set_field, sign_in, text_of};
use crate::receptions::{api, visit_day, whole_form};

#[tokio::test]
async fn a_submitted_request_nobody_acted_on_can_be_withdrawn_and_the_history_says_what_changed() {
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let req = api(&app, &host.requester).await;
        let head = api(&app, &host.head).await;
        let (s, r) = req.post("/api/v1/receptions", whole_form(visit_day(20))).await;
        assert_eq!(s, 201, "{r}");
        let path = format!("/api/v1/receptions/{}", r["id"]);
        let mut changed = whole_form(visit_day(20));
        changed["budget_fen"] = json!(123400);
        changed["version"] = r["version"].clone();
        let (s, r) = req.put(&path, changed).await;
        assert_eq!(s, 200, "{r}");
        // Actions take a comment alone; the version is optional.
        let (s, r) = req.post(&format!("{path}/submit"), json!({"comment": "请审批\n谢谢"})).await;
        assert_eq!((s, r["state"].as_str()), (200, Some("submitted")), "{r}");
        assert!(r["actions"].as_array().unwrap().contains(&json!("withdraw")), "{r}");
        let (s, e) = head.post(&format!("{path}/withdraw"), json!({"comment": ""})).await;
        assert_eq!(s, 403, "{e}");
        let (s, r) = req.post(&format!("{path}/withdraw"), json!({"comment": "还要改日期"})).await;
        assert_eq!((s, r["state"].as_str()), (200, Some("draft")), "{r}");
        let (s, e) = req.post(&format!("{path}/withdraw"), json!({"comment": ""})).await;
        assert_eq!(s, 409, "{e}");

        let (_, r) = req.get(&path).await;
        let history = r["history"].as_array().unwrap();
        let actions: Vec<&str> = history.iter().map(|h| h["action"].as_str().unwrap()).collect();
        assert_eq!(actions, ["withdraw", "submit", "update", "create"]);
        assert_eq!(history[1]["comment"], "请审批\n谢谢");
        assert_eq!(history[0]["actor"], host.requester.username.as_str());
        assert_eq!(history[0]["actor_name"], host.requester.display_name.as_str());
        let update = &history[2]["changes"].as_array().unwrap()[0];
        assert_eq!(update["field"], "budget_fen");
        assert_eq!(update["after"], 123400);
        assert!(
            history[1]["changes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["field"] == "state" && c["after"] == "submitted")
        );
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn a_past_request_is_copied_for_a_returning_guest() {
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let req = api(&app, &host.requester).await;
        let (_, r) = req.post("/api/v1/receptions", whole_form(visit_day(20))).await;
        let (s, copy) = req.post(&format!("/api/v1/receptions/{}/copy", r["id"]), json!({})).await;
        assert_eq!(s, 201, "{copy}");
        assert_ne!(copy["id"], r["id"]);
        assert_eq!((copy["state"].as_str(), copy["visit_start"].is_null()), (Some("draft"), true), "{copy}");
        assert_eq!(copy["guest_organization"], r["guest_organization"]);
        let day = visit_day(30);
        let (s, dated) = req.post(&format!("/api/v1/receptions/{}/copy", r["id"]), json!({"visit_start": day})).await;
        assert_eq!(s, 201, "{dated}");
        assert_eq!(dated["visit_start"], json!(day));
        assert!(dated["arrival_at"].as_str().unwrap().starts_with(&day.to_string()), "{dated}");
        let (s, _) = req.post("/api/v1/receptions/999999/copy", json!({})).await;
        assert_eq!(s, 404);
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn a_deputy_approves_for_the_head_meanwhile_and_a_heads_own_request_goes_to_an_administrator() {
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let deputy = app.user("deputy", &["requester"]).await;
        let admin = app.user("boss", &["admin"]).await;
        let req = api(&app, &host.requester).await;
        let head = api(&app, &host.head).await;
        let dep = api(&app, &deputy).await;

        let (s, d) = head.get("/api/v1/me/delegation").await;
        assert_eq!((s, d), (200, json!(null)));
        let today = visit_day(0) - chrono::Duration::days(0);
        let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive().min(today);
        let (s, e) = head
            .put(
                "/api/v1/me/delegation",
                json!({"deputy_id": host.head.id.get(), "from": today, "until": "2000-01-01"}),
            )
            .await;
        assert_eq!(s, 422, "{e}");
        assert_eq!(e["errors"].as_array().unwrap().len(), 2, "every problem at once: {e}");
        let until = today + chrono::Duration::days(10);
        let (s, d) = head
            .put("/api/v1/me/delegation", json!({"deputy_id": deputy.id.get(), "from": today, "until": until}))
            .await;
        assert_eq!(s, 200, "{d}");
        assert_eq!((d["deputy_id"].as_i64(), d["active"].as_bool()), (Some(i64::from(deputy.id.get())), Some(true)));

        let (_, r) = req.post("/api/v1/receptions", whole_form(visit_day(20))).await;
        let path = format!("/api/v1/receptions/{}", r["id"]);
        req.post(&format!("{path}/submit"), json!({})).await;
        let (s, list) = dep.get("/api/v1/receptions?view=approve").await;
        assert_eq!(s, 200, "{list}");
        let waiting: Vec<&serde_json::Value> = list["items"].as_array().unwrap().iter().map(|r| &r["id"]).collect();
        assert_eq!(waiting, [&r["id"]], "the request waits for the deputy meanwhile: {list}");
        let (s, r) = dep.post(&format!("{path}/approve"), json!({"comment": "代为审批"})).await;
        assert_eq!((s, r["state"].as_str()), (200, Some("approved")), "{r}");
        let approval = &r["history"][0];
        assert_eq!(approval["actor"], "deputy");
        assert_eq!(approval["on_behalf_of_name"], host.head.display_name.as_str());
        assert_eq!(approval["comment"], "代为审批");

        // Ended: the deputy no longer decides.
        let (s, d) = head.put("/api/v1/me/delegation", json!({"deputy_id": null})).await;
        assert_eq!((s, d), (200, json!(null)));

        // The head's own request: not to themselves, to an administrator.
        let (s, own) = head.post("/api/v1/receptions", whole_form(visit_day(20))).await;
        assert_eq!(s, 201, "{own}");
        let own_path = format!("/api/v1/receptions/{}", own["id"]);
        let (s, r) = head.post(&format!("{own_path}/submit"), json!({})).await;
        assert_eq!(s, 200, "{r}");
        assert!(!r["actions"].as_array().unwrap().contains(&json!("approve")), "{r}");
        let (s, _) = head.post(&format!("{own_path}/approve"), json!({})).await;
        assert_eq!(s, 403);
        let boss = api(&app, &admin).await;
        let (s, r) = boss.post(&format!("{own_path}/approve"), json!({})).await;
        assert_eq!((s, r["state"].as_str()), (200, Some("approved")), "{r}");
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn attachments_are_kept_in_the_database_and_typed_by_their_content() {
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let token = app.token(&host.requester).await;
        let req = api(&app, &host.requester).await;
        let (_, r) = req.post("/api/v1/receptions", whole_form(visit_day(20))).await;
        let upload = |name: &'static str, bytes: Vec<u8>| {
            let part = reqwest::multipart::Part::bytes(bytes).file_name(name).mime_str("text/plain").unwrap();
            api_client()
                .post(app.url(&format!("/api/v1/receptions/{}/attachments", r["id"])))
                .bearer_auth(&token)
                .multipart(reqwest::multipart::Form::new().part("file", part))
                .send()
        };
        let pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n".to_vec();
        let res = upload("../行程安排.exe", pdf.clone()).await.unwrap();
        assert_eq!(res.status().as_u16(), 201);
        let a: serde_json::Value = res.json().await.unwrap();
        assert_eq!((a["name"].as_str(), a["content_type"].as_str()), (Some("行程安排.pdf"), Some("application/pdf")));
        let res = upload("evil.pdf", b"<script>alert(1)</script>".to_vec()).await.unwrap();
        assert_eq!(res.status().as_u16(), 422);

        let got = api_client()
            .get(app.url(&format!("/api/v1/attachments/{}", a["id"])))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(got.status().as_u16(), 200);
        assert_eq!(got.headers()["content-type"], "application/pdf");
        assert_eq!(got.bytes().await.unwrap().to_vec(), pdf);
        let (_, r) = req.get(&format!("/api/v1/receptions/{}", r["id"])).await;
        assert_eq!(r["attachments"][0]["id"], a["id"]);
        assert_eq!(r["history"][0]["action"], "attach");

        // Someone of another department sees nothing of it.
        let other = app.host_department("财务部").await;
        let stranger = app.token(&other.requester).await;
        let res = api_client()
            .get(app.url(&format!("/api/v1/attachments/{}", a["id"])))
            .bearer_auth(&stranger)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 404);
        let res = api_client()
            .delete(app.url(&format!("/api/v1/attachments/{}", a["id"])))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 204);
        let res = api_client()
            .get(app.url(&format!("/api/v1/attachments/{}", a["id"])))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 404);
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn an_approver_decides_from_the_list_with_a_comment_and_comes_back_to_the_list() {
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let req = api(&app, &host.requester).await;
        let mut ids = Vec::new();
        for _ in 0..2 {
            let (_, r) = req.post("/api/v1/receptions", whole_form(visit_day(20))).await;
            req.post(&format!("/api/v1/receptions/{}/submit", r["id"]), json!({})).await;
            ids.push(r["id"].as_i64().unwrap());
        }
        let head = browser();
        sign_in(&app, &head, &host.head.username).await;
        let list = "/receptions?view=approve";
        let html = head.get(app.url(list)).send().await.unwrap().text().await.unwrap();
        let first = format!("form.quick-decide[action=\"/receptions/{}/approve\"]", ids[0]);
        let mut fields = form_fields(&html, &first);
        assert!(fields.iter().any(|(n, v)| n == "back" && v.starts_with("/receptions?")), "{fields:?}");
        set_field(&mut fields, "comment", "同意\n请安排车辆");
        let res = head.post(app.url(&format!("/receptions/{}/approve", ids[0]))).form(&fields).send().await.unwrap();
        assert_eq!(res.status(), 303);
        let back = res.headers()["location"].to_str().unwrap().to_owned();
        assert!(back.starts_with("/receptions?") && back.contains("view=approve"), "{back}");
        let (_, r) = req.get(&format!("/api/v1/receptions/{}", ids[0])).await;
        assert_eq!(
            (r["state"].as_str(), r["history"][0]["comment"].as_str()),
            (Some("approved"), Some("同意\n请安排车辆"))
        );

        // A return needs its comment: without one the confirmation asks for it, nothing changes.
        let html = head.get(app.url(&back)).send().await.unwrap().text().await.unwrap();
        assert!(!html.contains(&format!("/receptions/{}/approve\"", ids[0])), "decided rows leave the list");
        let second = format!("form.quick-decide[action=\"/receptions/{}/approve\"]", ids[1]);
        let mut fields = form_fields(&html, &second);
        let res = head.post(app.url(&format!("/receptions/{}/return", ids[1]))).form(&fields).send().await.unwrap();
        assert_eq!(res.status(), 422);
        let (_, r) = req.get(&format!("/api/v1/receptions/{}", ids[1])).await;
        assert_eq!(r["state"], "submitted");
        // Only a list of this site is gone back to.
        set_field(&mut fields, "comment", "日期再确认");
        set_field(&mut fields, "back", "//evil.example/receptions");
        let res = head.post(app.url(&format!("/receptions/{}/return", ids[1]))).form(&fields).send().await.unwrap();
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()["location"], format!("/receptions/{}", ids[1]).as_str());

        // The requester's own list offers no decision.
        let requester = browser();
        sign_in(&app, &requester, &host.requester.username).await;
        let html = requester.get(app.url("/receptions?view=mine")).send().await.unwrap().text().await.unwrap();
        assert!(!html.contains("quick-decide"), "a requester decides nothing from the list");
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn the_audit_log_reads_in_yuan_with_names_and_labels_not_raw_json() {
    each_engine(|app| async move {
        let host = app.host_department("市场部").await;
        let admin = app.user("auditor", &["admin"]).await;
        let req = api(&app, &host.requester).await;
        let (_, r) = req.post("/api/v1/receptions", whole_form(visit_day(20))).await;
        let path = format!("/api/v1/receptions/{}", r["id"]);
        let mut changed = whole_form(visit_day(20));
        changed["budget_fen"] = json!(123400);
        changed["version"] = r["version"].clone();
        let (s, _) = req.put(&path, changed).await;
        assert_eq!(s, 200);
        req.post(&format!("{path}/submit"), json!({"comment": "请审批"})).await;

        let b = browser();
        sign_in(&app, &b, &admin.username).await;
        let html = b.get(app.url("/admin/audit?entity=reception")).send().await.unwrap().text().await.unwrap();
        let table = text_of(&html, "table.data").expect("the log shows the reception's records");
        assert!(table.contains("1,234.00"), "the budget in yuan: {table}");
        assert!(!table.contains("123400") && !table.contains("budget_fen"), "no fen, no raw keys: {table}");
        assert!(!table.contains("{\"") && !table.contains("\":"), "no raw JSON: {table}");
        assert!(table.contains(host.requester.display_name.as_str()), "people by name: {table}");
        assert!(table.contains("待审批") && table.contains("请审批"), "states by label, the comment kept: {table}");
        app.stop().await;
    })
    .await;
}
