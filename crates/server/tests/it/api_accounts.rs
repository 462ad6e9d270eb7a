//! The accounts API: users, departments, tokens, audit, and its error documents.

use serde_json::{Value, json};

use crate::harness::{TestApp, api_client, each_engine};

async fn admin_token(app: &TestApp) -> String {
    let admin = app.user("root", &["admin"]).await;
    app.token(&admin).await
}

#[tokio::test]
async fn me_answers_with_a_token_and_401_after_it_is_revoked() {
    each_engine(|app| async move {
        let u = app.user("wang", &["requester", "staff"]).await;
        let token = app.token(&u).await;
        let c = api_client();
        let me: Value = c.get(app.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
        assert_eq!(me["username"], "wang");
        assert_eq!(me["roles"], json!(["requester", "staff"]));

        let list: Value =
            c.get(app.url("/api/v1/tokens")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
        let id = list["items"][0]["id"].as_i64().unwrap();
        assert!(list["items"][0]["last_used_at"].is_string(), "use is recorded: {list}");
        let res = c.delete(app.url(&format!("/api/v1/tokens/{id}"))).bearer_auth(&token).send().await.unwrap();
        assert_eq!(res.status(), 200);

        let res = c.get(app.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(res.status(), 401);
        assert_eq!(res.headers()["content-type"], "application/problem+json");
        let p: Value = res.json().await.unwrap();
        assert_eq!(p["code"], "unauthorized");
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn fifty_concurrent_user_creations_all_succeed() {
    each_engine(|app| async move {
        let token = admin_token(&app).await;
        let c = api_client();
        let reqs = (0..50).map(|i| {
            let c = c.clone();
            let url = app.url("/api/v1/users");
            let token = token.clone();
            async move {
                c.post(url)
                    .bearer_auth(token)
                    .json(&json!({"username": format!("user{i:02}"), "display_name": format!("用户{i}"),
                                  "password": "Saffron-glacier-tundra-61", "roles": ["requester"]}))
                    .send()
                    .await
                    .unwrap()
                    .status()
            }
        });
        let statuses = futures::future::join_all(reqs).await;
        assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
        let list: Value =
            c.get(app.url("/api/v1/users")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
        assert_eq!(list["items"].as_array().unwrap().len(), 51);
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn invalid_user_gets_field_messages_in_the_callers_language() {
    each_engine(|app| async move {
        let token = admin_token(&app).await;
        let c = api_client();
        let body =
            json!({"username": "x", "display_name": "", "email": "not-an-email", "phone": "12", "roles": ["boss"]});
        // The caller's preference (zh-CN, the default) wins over Accept-Language.
        let res = c
            .post(app.url("/api/v1/users"))
            .bearer_auth(&token)
            .header("accept-language", "en")
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
        let p: Value = res.json().await.unwrap();
        assert_eq!(p["code"], "validation_failed");
        let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        for f in ["username", "display_name", "email", "phone", "roles"] {
            assert!(fields.contains(&f), "{f} missing in {p}");
        }
        let email = p["errors"].as_array().unwrap().iter().find(|e| e["field"] == "email").unwrap();
        assert_eq!(email["message"], "电子邮箱格式不正确。");

        let res =
            c.patch(app.url("/api/v1/me")).bearer_auth(&token).json(&json!({"language": "en"})).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let res = c.post(app.url("/api/v1/users")).bearer_auth(&token).json(&body).send().await.unwrap();
        let p: Value = res.json().await.unwrap();
        let email = p["errors"].as_array().unwrap().iter().find(|e| e["field"] == "email").unwrap();
        assert_eq!(email["message"], "This is not a valid e-mail address.");

        let list: Value =
            c.get(app.url("/api/v1/users")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
        assert_eq!(list["items"].as_array().unwrap().len(), 1, "nothing half-written");
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn duplicate_username_is_a_409_naming_the_field() {
    each_engine(|app| async move {
        let token = admin_token(&app).await;
        let c = api_client();
        let body = json!({"username": "Li.Na", "display_name": "李娜", "roles": ["finance"]});
        let res = c.post(app.url("/api/v1/users")).bearer_auth(&token).json(&body).send().await.unwrap();
        assert_eq!(res.status(), 201);
        let res = c
            .post(app.url("/api/v1/users"))
            .bearer_auth(&token)
            .json(&json!({"username": "li.na", "display_name": "x"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 409);
        let p: Value = res.json().await.unwrap();
        assert_eq!(p["code"], "username_taken");
        assert_eq!(p["errors"][0]["field"], "username");
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn malformed_json_is_a_400_problem_not_a_500() {
    each_engine(|app| async move {
        let token = admin_token(&app).await;
        let res = api_client()
            .post(app.url("/api/v1/users"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body("{\"username\": ")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400);
        let p: Value = res.json().await.unwrap();
        assert_eq!(p["code"], "malformed_json");
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn a_stale_version_answers_409_and_keeps_the_first_change() {
    each_engine(|app| async move {
        let token = admin_token(&app).await;
        let c = api_client();
        let u: Value = c
            .post(app.url("/api/v1/users"))
            .bearer_auth(&token)
            .json(&json!({"username": "zhao", "display_name": "赵", "roles": ["staff"]}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let url = app.url(&format!("/api/v1/users/{}", u["id"]));
        let edit =
            |name: &str| json!({"display_name": name, "roles": ["staff"], "active": true, "version": u["version"]});
        let first = c.put(&url).bearer_auth(&token).json(&edit("赵一")).send().await.unwrap();
        assert_eq!(first.status(), 200);
        let second = c.put(&url).bearer_auth(&token).json(&edit("赵二")).send().await.unwrap();
        assert_eq!(second.status(), 409);
        let now: Value = c.get(&url).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
        assert_eq!(now["display_name"], "赵一");
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn departments_are_created_with_a_head_and_renamed() {
    each_engine(|app| async move {
        let token = admin_token(&app).await;
        let head = app.user("head", &["approver"]).await;
        let c = api_client();
        let res = c
            .post(app.url("/api/v1/departments"))
            .bearer_auth(&token)
            .json(&json!({"name": "销售部", "head_user_id": head.id}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
        let d: Value = res.json().await.unwrap();
        assert_eq!(d["head_name"], "Test head");
        let res = c
            .post(app.url("/api/v1/departments"))
            .bearer_auth(&token)
            .json(&json!({"name": "销售部"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 409);
        let res = c
            .post(app.url("/api/v1/departments"))
            .bearer_auth(&token)
            .json(&json!({"name": "研发部", "head_user_id": 9999}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
        let url = app.url(&format!("/api/v1/departments/{}", d["id"]));
        let res = c
            .put(&url)
            .bearer_auth(&token)
            .json(&json!({"name": "市场销售部", "head_user_id": head.id, "version": d["version"]}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let list: Value =
            c.get(app.url("/api/v1/departments")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
        assert_eq!(list["items"][0]["name"], "市场销售部");
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn every_change_lands_in_the_audit_log_with_before_and_after() {
    each_engine(|app| async move {
        let token = admin_token(&app).await;
        let c = api_client();
        let u: Value = c.post(app.url("/api/v1/users")).bearer_auth(&token)
            .json(&json!({"username": "sun", "display_name": "孙", "roles": ["staff"]})).send().await.unwrap().json().await.unwrap();
        c.put(app.url(&format!("/api/v1/users/{}", u["id"]))).bearer_auth(&token)
            .json(&json!({"display_name": "孙二", "roles": ["staff", "finance"], "active": true, "version": u["version"]}))
            .send().await.unwrap();
        let log: Value = c.get(app.url("/api/v1/audit?entity=user&actor=root")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
        let items = log["items"].as_array().unwrap();
        let update = items.iter().find(|e| e["action"] == "update").expect("update audited");
        assert_eq!(update["before"]["display_name"], "孙");
        assert_eq!(update["after"]["display_name"], "孙二");
        assert_eq!(update["after"]["roles"], json!(["staff", "finance"]));
        assert!(items.iter().any(|e| e["action"] == "create" && e["entity_id"].as_str() == Some(u["id"].to_string().as_str())));
        assert!(update["before"].get("password_hash").is_none());

        let bad: Value = c.get(app.url("/api/v1/audit?from=yesterday")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
        assert_eq!(bad["code"], "validation_failed");
        let paged: Value = c.get(app.url("/api/v1/audit?limit=1")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
        assert_eq!(paged["items"].as_array().unwrap().len(), 1);
        let next = paged["next"].as_str().expect("more pages");
        let page2: Value = c.get(app.url(&format!("/api/v1/audit?limit=1&before={next}"))).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
        assert!(page2["items"][0]["id"].as_i64().unwrap() < next.parse::<i64>().unwrap());
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn a_disabled_users_token_stops_working() {
    each_engine(|app| async move {
        let token = admin_token(&app).await;
        let u = app.user("qian", &["staff"]).await;
        let their = app.token(&u).await;
        let c = api_client();
        assert_eq!(c.get(app.url("/api/v1/me")).bearer_auth(&their).send().await.unwrap().status(), 200);
        let res = c
            .put(app.url(&format!("/api/v1/users/{}", u.id)))
            .bearer_auth(&token)
            .json(&json!({"display_name": "钱", "roles": ["staff"], "active": false, "version": u.version}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(c.get(app.url("/api/v1/me")).bearer_auth(&their).send().await.unwrap().status(), 401);
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn malformed_queries_and_unknown_methods_are_problem_documents() {
    each_engine(|app| async move {
        let token = admin_token(&app).await;
        let c = api_client();
        let res = c.get(app.url("/api/v1/audit?before=abc")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(res.status(), 400);
        let p: Value = res.json().await.unwrap();
        assert_eq!(p["code"], "malformed_query");
        let res = c.patch(app.url("/api/v1/users")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(res.status(), 405);
        assert_eq!(res.headers()["content-type"], "application/problem+json");
        assert!(res.headers().get("allow").is_some());
        let res = c.get(app.url("/api/v1/users/abc")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(res.status(), 404);
        let res = c.get(app.url("/api/v1/nothing-here")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(res.status(), 404);
        assert_eq!(res.headers()["content-type"], "application/problem+json");
        app.stop().await;
    })
    .await;
}
