//! Walks every route of the route table with every role (and anonymously) and checks
//! that the answer is the one the permission table says.

use jiedai::router::routes;
use jiedai_domain::{Code, Permission, Role, RoleSet};
use reqwest::{Method, StatusCode};

use crate::harness::{TestApp, api_client, browser, each_engine, page_csrf, sign_in};

const METHODS: [Method; 5] = [Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE];

struct Caller {
    name: String,
    roles: Option<RoleSet>,
    browser: reqwest::Client,
    token: Option<String>,
    csrf: String,
}

async fn callers(app: &TestApp) -> Vec<Caller> {
    let mut v = Vec::new();
    for role in Role::ALL {
        let u = app.user(&format!("as-{}", role.as_str()), &[role.as_str()]).await;
        let b = browser();
        sign_in(app, &b, &u.username).await;
        let token = app.token(&u).await;
        let csrf = page_csrf(app, &b, "/").await;
        let roles = Some([role].into_iter().collect());
        v.push(Caller { name: role.as_str().into(), roles, browser: b, token: Some(token), csrf });
    }
    // After the users: with none, every page leads to first-run set-up.
    let anon = browser();
    let csrf = page_csrf(app, &anon, "/login").await;
    v.push(Caller { name: "anonymous".into(), roles: None, browser: anon, token: None, csrf });
    v
}

fn concrete(path: &str) -> String {
    path.replace("{id}", "999999")
        .replace("{file}", "app.css")
        .replace("{date}", "2026-10-01")
        .replace("{year}", "2026")
        .replace("{version}", "1")
        .replace("{section}", "tasks")
        .replace("{action}", "submit")
}

#[tokio::test]
async fn every_route_answers_every_role_as_the_permission_table_says() {
    each_engine(|app| async move {
        let mut callers = callers(&app).await;
        let mut checked = 0;
        for spec in routes() {
            let path = concrete(spec.path);
            let is_api = spec.path.starts_with("/api/v1");
            for caller in callers.iter_mut() {
                for method in METHODS {
                    let res = if is_api {
                        let mut rq = api_client().request(method.clone(), app.url(&path));
                        if let Some(t) = &caller.token {
                            rq = rq.bearer_auth(t);
                        }
                        if method != Method::GET {
                            rq = rq.json(&serde_json::json!({}));
                        }
                        rq.send().await.unwrap()
                    } else {
                        let mut rq = caller.browser.request(method.clone(), app.url(&path));
                        if method != Method::GET {
                            rq = rq.form(&[("csrf", caller.csrf.as_str())]);
                        }
                        rq.send().await.unwrap()
                    };
                    let status = res.status();
                    if status == StatusCode::METHOD_NOT_ALLOWED {
                        continue;
                    }
                    checked += 1;
                    let to_login = res
                        .headers()
                        .get("location")
                        .and_then(|l| l.to_str().ok())
                        .is_some_and(|l| l.starts_with("/login?"));
                    let permission = spec.permission_for(&method);
                    let allowed = permission.allows(caller.roles);
                    let what = format!("{method} {path} as {}: {status}", caller.name);
                    assert!(status.as_u16() < 500, "{what}: never a 5xx");
                    if allowed {
                        // Public routes may still answer 401/403 themselves (a wrong password,
                        // a forged form); only the permission check is under test here.
                        if permission != Permission::Public {
                            assert!(
                                status != StatusCode::FORBIDDEN && status != StatusCode::UNAUTHORIZED,
                                "{what} should be allowed"
                            );
                            assert!(!to_login, "{what} should not ask to sign in");
                        }
                    } else if caller.roles.is_none() {
                        if is_api {
                            assert_eq!(status, StatusCode::UNAUTHORIZED, "{what}");
                        } else {
                            assert!(status == StatusCode::SEE_OTHER && to_login, "{what} should lead to sign-in");
                        }
                    } else {
                        assert_eq!(status, StatusCode::FORBIDDEN, "{what}");
                    }
                    if spec.path == "/logout" && caller.roles.is_some() {
                        // Signed out by the walk itself: sign in again for the routes after.
                        sign_in(&app, &caller.browser, &format!("as-{}", caller.name)).await;
                        caller.csrf = page_csrf(&app, &caller.browser, "/").await;
                    }
                }
            }
        }
        assert!(checked > 200, "only {checked} route checks ran");
        app.stop().await;
    })
    .await;
}
