//! Sign-in, sessions and forms under attack ([J5]): throttling that a burst cannot walk
//! through (sign-in and the current-password check), weak passwords, redirect targets, and
//! the CSRF table over every form.

use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use serde_json::json;

use crate::harness::{PASSWORD, TestApp, api_client, csrf_of, each_engine};

/// A signed-in session made by hand: the session cookie's value and the page token.
struct Session {
    cookie: String,
    csrf: String,
}

/// `name=value` of a cookie set by a response.
fn set_cookie_value(res: &reqwest::Response, name: &str) -> Option<String> {
    res.headers().get_all(SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|v| {
        let pair = v.split(';').next()?;
        let (k, val) = pair.split_once('=')?;
        (k == name && !val.is_empty()).then(|| pair.to_owned())
    })
}

/// The anonymous cookie and the token of the sign-in form.
async fn anonymous(app: &TestApp) -> (String, String) {
    let res = api_client().get(app.url("/login")).send().await.unwrap();
    let cookie = set_cookie_value(&res, "jiedai_csrf").expect("an anonymous CSRF cookie");
    (cookie, csrf_of(&res.text().await.unwrap()))
}

async fn post_login(app: &TestApp, cookie: &str, csrf: &str, user: &str, pw: &str, next: &str) -> reqwest::Response {
    api_client()
        .post(app.url("/login"))
        .header(COOKIE, cookie)
        .form(&[("csrf", csrf), ("username", user), ("password", pw), ("next", next)])
        .send()
        .await
        .unwrap()
}

async fn session(app: &TestApp, user: &str) -> Session {
    let (anon, csrf) = anonymous(app).await;
    let res = post_login(app, &anon, &csrf, user, PASSWORD, "/").await;
    assert_eq!(res.status(), 303);
    let cookie = set_cookie_value(&res, "jiedai_session").expect("a session cookie");
    let home = api_client().get(app.url("/account")).header(COOKIE, &cookie).send().await.unwrap();
    Session { cookie, csrf: csrf_of(&home.text().await.unwrap()) }
}

#[tokio::test]
async fn a_burst_of_wrong_passwords_gets_no_more_checks_than_the_limit() {
    each_engine(|app| async move {
        app.user("target", &["requester"]).await;
        let (cookie, csrf) = anonymous(&app).await;
        let statuses =
            futures::future::join_all(
                (0..300).map(|i| {
                    let (app, cookie, csrf) = (&app, &cookie, &csrf);
                    async move {
                        post_login(app, cookie, csrf, "target", &format!("wrong-{i}"), "/").await.status().as_u16()
                    }
                }),
            )
            .await;
        let checked = statuses.iter().filter(|s| **s != 429).count();
        assert!(checked <= 5, "{checked} passwords were checked: {statuses:?}");
        assert!(statuses.iter().all(|s| matches!(s, 401 | 429)), "{statuses:?}");
        // The right one, sent last, is refused too.
        let res = post_login(&app, &cookie, &csrf, "target", PASSWORD, "/").await;
        assert_eq!(res.status(), 429);
        assert!(res.headers().contains_key("retry-after"));
    })
    .await;
}

#[tokio::test]
async fn the_current_password_check_is_throttled_too_and_weak_passwords_are_refused() {
    each_engine(|app| async move {
        let u = app.user("pwuser", &["requester"]).await;
        let token = app.token(&u).await;
        let c = api_client();
        let change = |current: &'static str, new: &'static str| {
            let c = c.clone();
            let (url, token) = (app.url("/api/v1/me/password"), token.clone());
            async move {
                let res = c
                    .post(url)
                    .bearer_auth(token)
                    .json(&json!({"current_password": current, "new_password": new}))
                    .send()
                    .await
                    .unwrap();
                let s = res.status().as_u16();
                (s, res.json::<serde_json::Value>().await.unwrap_or_default())
            }
        };
        for weak in ["password123", "qwertyuiop", "pwuser-2026!", "11111111", "jiedai2026"] {
            let (s, e) = change("irrelevant", weak).await;
            assert_eq!(s, 422, "{weak}: {e}");
            let code = e["errors"][0]["code"].as_str().unwrap_or("");
            assert!(code == "weak_password" || code == "password_contains_name", "{weak}: {e}");
        }
        let answers =
            futures::future::join_all((0..40).map(|_| change("not-my-password", "Ochre-violin-harbour-83"))).await;
        let checked = answers.iter().filter(|(s, _)| *s == 422).count();
        assert!(checked <= 5, "{checked} current passwords were checked");
        assert!(answers.iter().any(|(s, _)| *s == 429));
    })
    .await;
}

#[tokio::test]
async fn a_disabled_account_is_refused_with_the_wrong_password_answer() {
    each_engine(|app| async move {
        let u = app.user("leaver", &["requester"]).await;
        jiedai_app::accounts::disable_user(&app.app, &u, &jiedai_domain::Actor::system()).await.unwrap();
        let (cookie, csrf) = anonymous(&app).await;
        let disabled = post_login(&app, &cookie, &csrf, "leaver", PASSWORD, "/").await;
        let (status, body) = (disabled.status(), disabled.text().await.unwrap());
        let wrong = post_login(&app, &cookie, &csrf, "nobody-here", PASSWORD, "/").await;
        assert_eq!(status, wrong.status());
        let msg = |html: &str| crate::harness::text_of(html, ".error, [role=alert]");
        assert_eq!(msg(&body), msg(&wrong.text().await.unwrap()));
    })
    .await;
}

#[tokio::test]
async fn redirect_targets_only_ever_stay_on_the_site() {
    each_engine(|app| async move {
        app.user("walker", &["requester"]).await;
        let table = [
            ("/receptions?view=mine", "/receptions?view=mine"),
            ("/%09/evil.example", "/"),
            ("/\t/evil.example", "/"),
            ("//evil.example", "/"),
            ("/\\evil.example", "/"),
            ("https://evil.example/", "/"),
            ("/%2F%2Fevil.example", "/"),
            ("/\r\nSet-Cookie: a=b", "/"),
            ("/\0", "/"),
            ("/ok\u{0}x", "/"),
            ("/receptions?q=华", "/receptions?q=%E5%8D%8E"),
        ];
        for (next, want) in table {
            let (cookie, csrf) = anonymous(&app).await;
            let res = post_login(&app, &cookie, &csrf, "walker", PASSWORD, next).await;
            assert_eq!(res.status(), 303, "{next:?}");
            assert_eq!(res.headers().get(LOCATION).unwrap(), want, "{next:?}");
            // And the language switch, which redirects back too.
            let res = api_client()
                .post(app.url("/language"))
                .header(COOKIE, &cookie)
                .form(&[("csrf", csrf.as_str()), ("lang", "en"), ("next", next)])
                .send()
                .await
                .unwrap();
            assert_eq!(res.headers().get(LOCATION).unwrap(), want, "language {next:?}");
        }
        let res = api_client().get(app.url("/login?next=%2F%09%2Fevil.example")).send().await.unwrap();
        let html = res.text().await.unwrap();
        let fields = crate::harness::form_fields(&html, "form[action='/login']");
        assert!(fields.contains(&("next".to_owned(), "/".to_owned())), "the form does not carry it on: {fields:?}");
    })
    .await;
}

#[tokio::test]
async fn every_form_refuses_a_missing_wrong_foreign_or_planted_token_and_a_cross_site_origin() {
    each_engine(|app| async move {
        app.user("csrf-admin", &["admin"]).await;
        app.user("csrf-other", &["admin"]).await;
        let me = session(&app, "csrf-admin").await;
        let other = session(&app, "csrf-other").await;
        let planted = "ab".repeat(32);
        let mut checked = 0;
        for spec in jiedai::router::routes() {
            if spec.path.starts_with("/api/") || !spec.context || spec.path.starts_with("/assets") {
                continue;
            }
            let path = spec
                .path
                .replace("{id}", "1")
                .replace("{section}", "tasks")
                .replace("{action}", "submit")
                .replace("{date}", "2026-10-01")
                .replace("{year}", "2026")
                .replace("{version}", "1");
            // Routes that take no POST at all answer 405 before any token is looked at.
            let probe =
                api_client().post(app.url(&path)).header(COOKIE, &me.cookie).form(&[("x", "y")]).send().await.unwrap();
            if probe.status() == 405 {
                continue;
            }
            let cases: [(&str, String, String, Option<&str>); 5] = [
                ("missing", me.cookie.clone(), String::new(), None),
                ("wrong", me.cookie.clone(), "0".repeat(64), None),
                ("other session's", me.cookie.clone(), other.csrf.clone(), None),
                ("planted pair", format!("{}; jiedai_csrf={planted}", me.cookie), planted.clone(), None),
                ("foreign origin", me.cookie.clone(), me.csrf.clone(), Some("https://evil.example")),
            ];
            // File uploads read a multipart form.
            let multipart = path.ends_with("/import") || path.ends_with("/attachments") || path.ends_with("/receipts");
            for (name, cookie, token, origin) in cases {
                let mut rq = api_client().post(app.url(&path)).header(COOKIE, cookie);
                rq = if multipart {
                    let part = reqwest::multipart::Part::bytes(b"2026-10-01,closure,x,x\n".to_vec()).file_name("f.csv");
                    rq.multipart(reqwest::multipart::Form::new().text("csrf", token.clone()).part("file", part))
                } else {
                    rq.form(&[("csrf", token.as_str())])
                };
                if let Some(o) = origin {
                    rq = rq.header("origin", o).header("sec-fetch-site", "cross-site");
                }
                let res = rq.send().await.unwrap();
                assert_eq!(res.status(), 403, "{path}: {name}");
            }
            checked += 1;
        }
        assert!(checked >= 15, "only {checked} forms found");
        // Anonymous: a planted cookie and form pair does not sign anyone in.
        let res = post_login(&app, &format!("jiedai_csrf={planted}"), &planted, "csrf-admin", PASSWORD, "/").await;
        assert_eq!(res.status(), 403);
        // The API with a session cookie needs the session's token in X-CSRF-Token.
        for token in ["", planted.as_str(), other.csrf.as_str()] {
            let res = api_client()
                .post(app.url("/api/v1/tokens"))
                .header(COOKIE, &me.cookie)
                .header("x-csrf-token", token)
                .json(&json!({"name": "x"}))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 403, "token {token:?}");
        }
    })
    .await;
}
