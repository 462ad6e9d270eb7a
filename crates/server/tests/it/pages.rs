//! Pages: sign-in, first run, forms, languages, error pages and operations routes.

use crate::harness::{PASSWORD, TestApp, browser, csrf_of, each_engine, page_csrf, sign_in, text_of};

#[tokio::test]
async fn login_page_is_chinese_by_default_and_english_on_request() {
    each_engine(|app| async move {
        app.user("someone", &["staff"]).await;
        let c = browser();
        let zh = c.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
        assert_eq!(text_of(&zh, "h1").unwrap(), "登录");
        assert!(zh.contains("<html lang=\"zh-CN\">"));
        let en = c
            .get(app.url("/login"))
            .header("accept-language", "en-GB,en;q=0.9")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(text_of(&en, "h1").unwrap(), "Sign in");
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn an_empty_database_leads_to_first_run_setup_which_then_closes() {
    each_engine(|app| async move {
        let c = browser();
        let res = c.get(app.url("/")).send().await.unwrap();
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()["location"], "/setup");
        let page = c.get(app.url("/setup")).send().await.unwrap().text().await.unwrap();
        let csrf = csrf_of(&page);
        // A mistake keeps what was typed and says what is wrong.
        let res = c
            .post(app.url("/setup"))
            .form(&[("csrf", csrf.as_str()), ("username", "boss"), ("display_name", "老板"), ("password", "short")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
        let html = res.text().await.unwrap();
        assert!(html.contains("value=\"老板\""));
        assert_eq!(text_of(&html, "#password-error").unwrap(), "至少 8 个字符。");
        let res = c
            .post(app.url("/setup"))
            .form(&[("csrf", csrf.as_str()), ("username", "boss"), ("display_name", "老板"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        let home = c.get(app.url("/")).send().await.unwrap();
        assert_eq!(home.status(), 200, "signed in after set-up");
        let me = app.store.find_user_by_username("boss").await.unwrap().unwrap();
        assert!(me.roles.contains(jiedai_domain::Role::Admin));
        let again = browser().get(app.url("/setup")).send().await.unwrap();
        assert_eq!(again.headers()["location"], "/login", "set-up closes once a user exists");
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn sign_in_and_out_with_csrf_protection() {
    each_engine(|app| async move {
        app.user("li", &["requester"]).await;
        let c = browser();
        let res = c.get(app.url("/account")).send().await.unwrap();
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()["location"], "/login?next=%2Faccount");

        // A forged token is refused and nobody is signed in.
        c.get(app.url("/login")).send().await.unwrap();
        let res = c
            .post(app.url("/login"))
            .form(&[("csrf", "forged"), ("username", "li"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
        assert!(res.text().await.unwrap().contains("表单已过期"));

        sign_in(&app, &c, "li").await;
        let res = c.get(app.url("/account")).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let csrf = csrf_of(&res.text().await.unwrap());
        let res = c.post(app.url("/logout")).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
        assert_eq!(res.status(), 303);
        assert_eq!(c.get(app.url("/account")).send().await.unwrap().status(), 303, "signed out");
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn wrong_passwords_never_tell_whether_the_user_exists_and_are_throttled() {
    each_engine(|app| async move {
        app.user("zhou", &["staff"]).await;
        let c = browser();
        let csrf = csrf_of(&c.get(app.url("/login")).send().await.unwrap().text().await.unwrap());
        let attempt = |user: &'static str, pw: &'static str| {
            let c = c.clone();
            let url = app.url("/login");
            let csrf = csrf.clone();
            async move {
                c.post(url).form(&[("csrf", csrf.as_str()), ("username", user), ("password", pw)]).send().await.unwrap()
            }
        };
        let known = attempt("zhou", "wrong-password").await;
        assert_eq!(known.status(), 401);
        let known_msg = text_of(&known.text().await.unwrap(), ".flash-error").unwrap();
        let unknown = attempt("nobody", "wrong-password").await;
        assert_eq!(unknown.status(), 401);
        assert_eq!(text_of(&unknown.text().await.unwrap(), ".flash-error").unwrap(), known_msg);
        assert!(!known_msg.contains("zhou"));
        for _ in 0..4 {
            attempt("zhou", "wrong-password").await;
        }
        let blocked = attempt("zhou", PASSWORD).await;
        assert_eq!(blocked.status(), 429, "even the right password waits");
        assert!(blocked.headers().get("retry-after").is_some());
        let log = app
            .store
            .list_audit(&jiedai_store::AuditFilter { entity: Some("session".into()), ..Default::default() }, 50)
            .await
            .unwrap();
        assert!(log.iter().filter(|e| e.action == "login_failed").count() >= 5);
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn disabling_a_user_ends_their_session_and_refuses_sign_in() {
    each_engine(|app| async move {
        let admin = app.user("admin1", &["admin"]).await;
        let u = app.user("wu", &["staff"]).await;
        let theirs = browser();
        sign_in(&app, &theirs, "wu").await;
        assert_eq!(theirs.get(app.url("/")).send().await.unwrap().status(), 200);

        let a = browser();
        sign_in(&app, &a, &admin.username).await;
        let csrf = page_csrf(&app, &a, &format!("/admin/users/{}", u.id)).await;
        let form = [
            ("csrf", csrf.as_str()),
            ("display_name", "吴"),
            ("roles", "staff"),
            ("language", "zh-CN"),
            ("version", &u.version.to_string()),
            ("department_id", ""),
            ("phone", ""),
            ("email", ""),
        ];
        let res = a.post(app.url(&format!("/admin/users/{}", u.id))).form(&form).send().await.unwrap();
        assert_eq!(res.status(), 303);
        let res = theirs.get(app.url("/")).send().await.unwrap();
        assert_eq!(res.status(), 303, "their session is over");
        assert_eq!(res.headers()["location"], "/login?next=%2F");
        let login = theirs.get(app.url("/login?next=%2F")).send().await.unwrap().text().await.unwrap();
        assert_eq!(text_of(&login, ".flash").unwrap(), "登录已过期，请重新登录。");

        let c = browser();
        let csrf = csrf_of(&c.get(app.url("/login")).send().await.unwrap().text().await.unwrap());
        let res = c
            .post(app.url("/login"))
            .form(&[("csrf", csrf.as_str()), ("username", "wu"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        // Refused like a wrong password: nothing tells a guesser the account exists.
        assert_eq!(res.status(), 401);
        assert!(res.text().await.unwrap().contains("用户名或密码不正确"));
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn admin_user_form_keeps_input_and_shows_errors_next_to_fields() {
    each_engine(|app| async move {
        app.user("admin2", &["admin"]).await;
        let c = browser();
        sign_in(&app, &c, "admin2").await;
        let csrf = page_csrf(&app, &c, "/admin/users/new").await;
        let form = [
            ("csrf", csrf.as_str()),
            ("username", "New User"),
            ("display_name", "新同事"),
            ("email", "bad@"),
            ("phone", "13812345678"),
            ("language", "en"),
            ("roles", "staff"),
            ("roles", "finance"),
            ("password", "Marble-osprey-quiver-72"),
        ];
        let res = c.post(app.url("/admin/users")).form(&form).send().await.unwrap();
        assert_eq!(res.status(), 422);
        let html = res.text().await.unwrap();
        assert!(text_of(&html, "#username-error").is_some());
        assert!(text_of(&html, "#email-error").is_some());
        assert!(html.contains("value=\"新同事\"") && html.contains("value=\"13812345678\""));
        assert!(html.contains("value=\"finance\" checked"), "checked roles stay checked");

        let form = [
            ("csrf", csrf.as_str()),
            ("username", "new.user"),
            ("display_name", "新同事"),
            ("email", "new@example.com"),
            ("phone", ""),
            ("language", "en"),
            ("roles", "staff"),
            ("roles", "finance"),
            ("password", "Marble-osprey-quiver-72"),
        ];
        let res = c.post(app.url("/admin/users")).form(&form).send().await.unwrap();
        assert_eq!(res.status(), 303);
        let u = app.store.find_user_by_username("new.user").await.unwrap().unwrap();
        assert!(u.roles.contains(jiedai_domain::Role::Finance) && u.roles.contains(jiedai_domain::Role::Staff));
        assert_eq!(u.language, jiedai_domain::Language::En);
        let list = c.get(app.url("/admin/users?q=new")).send().await.unwrap().text().await.unwrap();
        assert!(list.contains("new.user"));
        let edit = c.get(app.url(&format!("/admin/users/{}", u.id))).send().await.unwrap().text().await.unwrap();
        assert!(text_of(&edit, "p.muted").unwrap().contains("操作人 admin2"), "the page says who changed it last");
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn switching_language_is_remembered_on_the_account() {
    each_engine(|app| async move {
        app.user("ma", &["requester"]).await;
        let c = browser();
        sign_in(&app, &c, "ma").await;
        let csrf = page_csrf(&app, &c, "/").await;
        let res = c
            .post(app.url("/language"))
            .form(&[("csrf", csrf.as_str()), ("lang", "en"), ("next", "/account")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()["location"], "/account");
        let html = c.get(app.url("/account")).send().await.unwrap().text().await.unwrap();
        assert_eq!(text_of(&html, "h1").unwrap(), "My account");
        let u = app.store.find_user_by_username("ma").await.unwrap().unwrap();
        assert_eq!(u.language, jiedai_domain::Language::En);
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn password_change_needs_the_current_password() {
    each_engine(|app| async move {
        app.user("he", &["staff"]).await;
        let c = browser();
        sign_in(&app, &c, "he").await;
        let csrf = page_csrf(&app, &c, "/account").await;
        let res = c
            .post(app.url("/account/password"))
            .form(&[("csrf", csrf.as_str()), ("current_password", "nope-nope"), ("new_password", "brand-new-pw")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
        assert!(text_of(&res.text().await.unwrap(), "#current_password-error").is_some());
        let res = c
            .post(app.url("/account/password"))
            .form(&[("csrf", csrf.as_str()), ("current_password", PASSWORD), ("new_password", "brand-new-pw")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        assert_eq!(c.get(app.url("/account")).send().await.unwrap().status(), 200, "this session stays");
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn tokens_page_shows_a_new_secret_once_and_it_works() {
    each_engine(|app| async move {
        app.user("lu", &["finance"]).await;
        let c = browser();
        sign_in(&app, &c, "lu").await;
        let csrf = page_csrf(&app, &c, "/account/tokens").await;
        let res =
            c.post(app.url("/account/tokens")).form(&[("csrf", csrf.as_str()), ("name", "报表")]).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let html = res.text().await.unwrap();
        let secret = text_of(&html, ".secret").unwrap();
        assert!(secret.starts_with("jd_"));
        let again = c.get(app.url("/account/tokens")).send().await.unwrap().text().await.unwrap();
        assert!(!again.contains(&secret), "shown once");
        let res = reqwest::Client::new().get(app.url("/api/v1/me")).bearer_auth(&secret).send().await.unwrap();
        assert_eq!(res.status(), 200);
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn error_pages_come_in_both_languages_with_security_headers() {
    each_engine(|app| async move {
        app.user("x1", &["staff"]).await;
        let c = browser();
        let res = c.get(app.url("/no/such/page")).send().await.unwrap();
        assert_eq!(res.status(), 404);
        let h = res.headers().clone();
        assert!(h["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"));
        assert!(!h["content-security-policy"].to_str().unwrap().contains("unsafe-inline"));
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(text_of(&res.text().await.unwrap(), "h1").unwrap(), "页面不存在");
        let en =
            c.get(app.url("/no/such/page")).header("accept-language", "en").send().await.unwrap().text().await.unwrap();
        assert_eq!(text_of(&en, "h1").unwrap(), "Not found");

        sign_in(&app, &c, "x1").await;
        let res = c.get(app.url("/admin/users")).send().await.unwrap();
        assert_eq!(res.status(), 403);
        assert_eq!(text_of(&res.text().await.unwrap(), "h1").unwrap(), "无权访问");
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn operations_routes_answer() {
    each_engine(|app: TestApp| async move {
        let c = reqwest::Client::new();
        assert_eq!(c.get(app.url("/healthz")).send().await.unwrap().text().await.unwrap(), "ok");
        assert_eq!(c.get(app.url("/readyz")).send().await.unwrap().status(), 200);
        let spec: serde_json::Value = c.get(app.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
        assert!(spec["openapi"].as_str().unwrap().starts_with("3.1"));
        let m = c.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
        assert!(m.contains("jiedai_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1"), "{m}");
        assert!(m.contains("jiedai_http_request_duration_seconds_bucket"));
        let css = c.get(app.url("/assets/app.css")).send().await.unwrap();
        assert!(css.headers()["cache-control"].to_str().unwrap().contains("immutable"));
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_the_security_headers() {
    each_engine(|app: TestApp| async move {
        let c = reqwest::Client::new();
        let a = c.get(app.url("/healthz")).send().await.unwrap();
        let b = c.get(app.url("/login")).send().await.unwrap();
        let (ida, idb) = (a.headers()["x-request-id"].clone(), b.headers()["x-request-id"].clone());
        assert_ne!(ida, idb, "a fresh id per request");
        for res in [&a, &b] {
            assert_eq!(res.headers()["x-frame-options"], "DENY");
            assert_eq!(res.headers()["referrer-policy"], "same-origin");
            assert!(res.headers()["content-security-policy"].to_str().unwrap().contains("object-src 'none'"));
        }
        let kept = c.get(app.url("/healthz")).header("x-request-id", "edge-42.a_b").send().await.unwrap();
        assert_eq!(kept.headers()["x-request-id"], "edge-42.a_b", "an id from the proxy is followed");
        let long = "x".repeat(200);
        let replaced = c.get(app.url("/healthz")).header("x-request-id", &long).send().await.unwrap();
        assert_ne!(replaced.headers()["x-request-id"], long.as_str(), "a made-up long id is replaced");
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn an_administrator_sees_and_revokes_a_users_tokens() {
    each_engine(|app| async move {
        app.user("admin3", &["admin"]).await;
        let u = app.user("owner", &["staff"]).await;
        let secret = app.token(&u).await;
        let c = browser();
        sign_in(&app, &c, "admin3").await;
        let html = c.get(app.url(&format!("/admin/users/{}", u.id))).send().await.unwrap().text().await.unwrap();
        let doc = scraper::Html::parse_document(&html);
        let sel = scraper::Selector::parse("form[action^='/admin/tokens/']").unwrap();
        let action = doc.select(&sel).next().expect("a revoke button").value().attr("action").unwrap().to_owned();
        let csrf = csrf_of(&html);
        let res = c.post(app.url(&action)).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()["location"], format!("/admin/users/{}", u.id).as_str());
        let me = reqwest::Client::new().get(app.url("/api/v1/me")).bearer_auth(&secret).send().await.unwrap();
        assert_eq!(me.status(), 401);
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn simultaneous_setups_make_exactly_one_administrator() {
    each_engine(|app| async move {
        let mut attempts = Vec::new();
        for i in 0..4 {
            let c = browser();
            let csrf = csrf_of(&c.get(app.url("/setup")).send().await.unwrap().text().await.unwrap());
            let url = app.url("/setup");
            attempts.push(async move {
                let name = format!("first{i}");
                let form =
                    [("csrf", csrf.as_str()), ("username", &name), ("display_name", "管理员"), ("password", PASSWORD)];
                c.post(url).form(&form).send().await.unwrap().status()
            });
        }
        let statuses = futures::future::join_all(attempts).await;
        assert!(statuses.iter().all(|s| *s == 303), "{statuses:?}");
        assert_eq!(app.store.count_users().await.unwrap(), 1);
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn a_stale_user_form_answers_409_and_shows_the_other_change() {
    each_engine(|app| async move {
        app.user("admin4", &["admin"]).await;
        let u = app.user("target", &["staff"]).await;
        let c = browser();
        sign_in(&app, &c, "admin4").await;
        let csrf = page_csrf(&app, &c, &format!("/admin/users/{}", u.id)).await;
        let v = u.version.to_string();
        let form = |name: &'static str| {
            vec![
                ("csrf", csrf.clone()),
                ("display_name", name.to_owned()),
                ("roles", "staff".into()),
                ("language", "zh-CN".into()),
                ("active", "true".into()),
                ("version", v.clone()),
            ]
        };
        let first = c.post(app.url(&format!("/admin/users/{}", u.id))).form(&form("第一次")).send().await.unwrap();
        assert_eq!(first.status(), 303);
        let second = c.post(app.url(&format!("/admin/users/{}", u.id))).form(&form("第二次")).send().await.unwrap();
        assert_eq!(second.status(), 409);
        let html = second.text().await.unwrap();
        assert!(text_of(&html, ".flash-error").unwrap().contains("其他人已保存"));
        assert!(html.contains("value=\"第一次\""), "the form shows the saved version");
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn the_client_address_comes_from_a_trusted_proxy_only() {
    use crate::harness::{Engine, TestDb};
    for trusted in [false, true] {
        let mut settings = jiedai::Settings::default();
        if trusted {
            settings.proxy.trusted = vec!["127.0.0.0/8".parse().unwrap()];
        }
        let app = TestApp::start_with(TestDb::new(&Engine::Sqlite).await, settings).await;
        app.user("ma", &["requester"]).await;
        let c = browser();
        let page = c.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
        let csrf = csrf_of(&page);
        let res = c
            .post(app.url("/login"))
            .header("x-forwarded-for", "203.0.113.7")
            .form(&[("csrf", csrf.as_str()), ("username", "ma"), ("password", "wrong-password")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401);
        let f = jiedai_store::AuditFilter { entity: Some("session".into()), ..Default::default() };
        let failed = app.store.list_audit(&f, 1).await.unwrap().remove(0);
        let want = if trusted { "203.0.113.7" } else { "127.0.0.1" };
        assert_eq!(failed.ip.as_deref(), Some(want), "trusted proxy: {trusted}");
        app.stop().await;
    }
}
