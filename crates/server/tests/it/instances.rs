//! Two `jiedai serve` processes on one fresh PostgreSQL database, started at the same
//! moment, as behind a load balancer: the schema is migrated once and neither serves before
//! it is current; a session made on one is valid on the other; a calendar day added through
//! one changes a deadline shown by the other within a second; the same idempotency key
//! sent to both creates one reception; sign-in throttling counts failures made on both.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::harness::{Engine, TestDb, api_client, browser, csrf_of, engines};

/// A process of the test's, killed when dropped (also when the test fails half-way).
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A ready `jiedai serve` process.
struct Instance {
    _process: Process,
    base: String,
    migrations_applied: usize,
}

fn command(url: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jiedai"));
    c.env("DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .env_remove("JIEDAI_TEST_DATABASE_URL")
        .env_remove("JIEDAI_REQUIRE_POSTGRES")
        .env_remove("JIEDAI_REQUIRE_BROWSER");
    c
}

/// Starts `jiedai serve` on a free port; the process answers with its address once ready.
fn spawn(url: &str) -> Process {
    Process(
        command(url)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start jiedai serve"),
    )
}

/// Waits for the line a started server prints: its address and the migrations it applied.
fn ready(mut process: Process) -> Instance {
    let mut out = BufReader::new(process.0.stdout.take().expect("stdout"));
    let mut line = String::new();
    out.read_line(&mut line).expect("read the first line");
    // The rest is read and dropped, so the server never writes into a closed pipe.
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    let base = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .map(|a| format!("http://{a}"))
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    let migrations_applied = line
        .split("migrations applied: ")
        .nth(1)
        .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no migration count in {line:?}"));
    Instance { _process: process, base, migrations_applied }
}

fn cli(url: &str, args: &[&str], stdin: Option<&str>) -> String {
    let mut c = command(url);
    c.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
    if stdin.is_some() {
        c.stdin(Stdio::piped());
    }
    let mut child = c.spawn().expect("run jiedai");
    if let Some(text) = stdin {
        use std::io::Write;
        child.stdin.take().expect("stdin").write_all(text.as_bytes()).expect("write stdin");
    }
    let out = child.wait_with_output().expect("jiedai output");
    assert!(out.status.success(), "jiedai {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Signs in through a server's sign-in page; answers the status and the session cookie.
async fn sign_in(base: &str, username: &str, password: &str) -> (u16, Option<String>) {
    let c = browser();
    let page = c.get(format!("{base}/login")).send().await.unwrap().text().await.unwrap();
    let csrf = csrf_of(&page);
    let res = c
        .post(format!("{base}/login"))
        .form(&[("csrf", csrf.as_str()), ("username", username), ("password", password), ("next", "/")])
        .send()
        .await
        .unwrap();
    let session = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("jiedai_session=").map(|r| r.split(';').next().unwrap_or("").to_owned()));
    (res.status().as_u16(), session)
}

async fn shift(base: &str, token: &str, from: &str, days: i32) -> String {
    let url = format!("{base}/api/v1/calendar/shift?from={from}&working_days={days}");
    let v: Value = api_client().get(url).bearer_auth(token).send().await.unwrap().json().await.unwrap();
    v["date"].as_str().unwrap_or_else(|| panic!("no date in {v}")).to_owned()
}

#[tokio::test]
async fn two_instances_on_one_postgresql_behave_as_one() {
    let Some(admin_url) = engines().into_iter().find_map(|e| match e {
        Engine::Postgres(url) => Some(url),
        Engine::Sqlite => None,
    }) else {
        eprintln!("SKIPPED two-instance test: set JIEDAI_TEST_DATABASE_URL to a PostgreSQL server");
        return;
    };
    let db = TestDb::empty(&Engine::Postgres(admin_url)).await;

    // Both start on the empty database at the same moment.
    let (a, b) = (spawn(&db.url), spawn(&db.url));
    let (a, b) = (ready(a), ready(b));
    let applied = [a.migrations_applied, b.migrations_applied];
    assert!(applied.contains(&0) && applied.iter().sum::<usize>() > 0, "migrated once: {applied:?}");
    for i in [&a, &b] {
        assert_eq!(api_client().get(format!("{}/readyz", i.base)).send().await.unwrap().status(), 200);
    }

    cli(&db.url, &["user", "add", "wang", "--role", "admin", "--password-stdin"], Some("Cobalt-heron-lattice-58\n"));
    let token = cli(&db.url, &["token", "create", "wang"], None).lines().last().unwrap().trim().to_owned();

    // A session made on one instance is valid on the other.
    let (status, session) = sign_in(&a.base, "wang", "Cobalt-heron-lattice-58").await;
    assert_eq!(status, 303);
    let session = session.expect("a session cookie");
    let me = api_client()
        .get(format!("{}/api/v1/me", b.base))
        .header("cookie", format!("jiedai_session={session}"))
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    assert_eq!(me.json::<Value>().await.unwrap()["username"], "wang");

    // A company closure added through one changes a deadline shown by the other within a
    // second (the other has the calendar in its cache before the change).
    let before = shift(&b.base, &token, "2026-10-20", -5).await;
    assert_eq!(before, "2026-10-13");
    let added = api_client()
        .post(format!("{}/api/v1/calendar/days", a.base))
        .bearer_auth(&token)
        .json(&json!({"entries": [{"date": "2026-10-15", "kind": "closure", "name_zh": "公司停工", "name_en": "Closure"}]}))
        .send()
        .await
        .unwrap();
    assert!(added.status().is_success(), "{}", added.text().await.unwrap());
    let changed_at = Instant::now();
    loop {
        let now = shift(&b.base, &token, "2026-10-20", -5).await;
        if now != before {
            assert_eq!(now, "2026-10-12", "the closure is not a working day");
            break;
        }
        assert!(changed_at.elapsed() < Duration::from_secs(1), "the other instance still shows {now}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // The same idempotency key sent to both creates one reception.
    let dept: Value = api_client()
        .post(format!("{}/api/v1/departments", a.base))
        .bearer_auth(&token)
        .json(&json!({"name": "销售部"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let body =
        json!({"department_id": dept["id"], "guest_organization": "华东电力设计院", "visit_start": "2027-03-15"});
    let post = |base: String| {
        let (token, body) = (token.clone(), body.clone());
        async move {
            api_client()
                .post(format!("{base}/api/v1/receptions"))
                .bearer_auth(token)
                .header("idempotency-key", "one-request-4711")
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    let (ra, rb) = tokio::join!(post(a.base.clone()), post(b.base.clone()));
    assert_eq!((ra.status().as_u16(), rb.status().as_u16()), (201, 201));
    let replayed = [&ra, &rb].iter().filter(|r| r.headers().contains_key("idempotent-replayed")).count();
    assert_eq!(replayed, 1, "one made it, the other answered what the first answered");
    let (ja, jb): (Value, Value) = (ra.json().await.unwrap(), rb.json().await.unwrap());
    assert_eq!(ja["id"], jb["id"]);
    let list: Value = api_client()
        .get(format!("{}/api/v1/receptions", b.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1), "{list}");
    let other = api_client()
        .post(format!("{}/api/v1/receptions", b.base))
        .bearer_auth(&token)
        .header("idempotency-key", "one-request-4711")
        .json(&json!({"guest_organization": "另一家", "visit_start": "2027-03-16"}))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 422, "the same key with another body is refused");

    // Failed sign-ins on both count against one limit (five per account).
    for (i, base) in [&a.base, &b.base, &a.base, &b.base, &a.base].iter().enumerate() {
        let (status, _) = sign_in(base, "wang", "not-the-password").await;
        assert_eq!(status, 401, "attempt {i}");
    }
    let (status, session) = sign_in(&b.base, "wang", "Cobalt-heron-lattice-58").await;
    assert_eq!((status, session), (429, None), "the sixth attempt is refused, even with the right password");
}

/// A webhook receiver that takes half a second per message and counts each event it got.
async fn slow_receiver() -> (std::sync::Arc<std::sync::Mutex<Vec<i64>>>, String) {
    use axum::routing::post;
    let got = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = got.clone();
    let app = axum::Router::new().route(
        "/slow",
        post(move |body: axum::body::Bytes| {
            let seen = seen.clone();
            async move {
                tokio::time::sleep(Duration::from_millis(500)).await;
                let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                seen.lock().unwrap().push(v["event_id"].as_i64().unwrap_or(-1));
                axum::http::StatusCode::NO_CONTENT
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (got, base)
}

#[tokio::test]
async fn an_instance_killed_in_the_middle_of_its_deliveries_loses_nothing_and_repeats_only_what_was_in_flight() {
    let Some(engine) = engines().into_iter().find(|e| matches!(e, Engine::Postgres(_))) else {
        return;
    };
    let db = TestDb::new(&engine).await;
    let url = db.url.clone();
    let (got, base) = slow_receiver().await;
    // The channel and 300 events, written as the product writes them.
    let opened = jiedai_app::App::open(&url, jiedai_app::PoolOptions::default(), jiedai_app::Config::default())
        .await
        .expect("open");
    let draft = jiedai_app::notify::ChannelDraft {
        kind: "webhook".into(),
        input: jiedai_domain::notify::ChannelInput {
            name: "slow".into(),
            url: format!("{base}/slow"),
            secret: String::new(),
            events: vec!["visit.tomorrow".into()],
        },
        keep_secret: false,
        department_id: None,
        active: true,
    };
    jiedai_app::notify::create_channel(&opened.app, &draft, &jiedai_domain::Actor::system()).await.unwrap();
    let store = jiedai_store::Store::connect(&url, jiedai_store::PoolOptions::default()).await.unwrap();
    for i in 0..300 {
        let e = jiedai_store::NewEvent {
            key: jiedai_domain::notify::EventKey::VisitTomorrow,
            reception_id: None,
            task_id: None,
            actor: None,
            data: json!({}),
            dedupe: Some(format!("kill:{i}")),
        };
        assert!(store.emit_once(&e).await.unwrap());
    }
    let quick = |c: &mut Command| {
        c.env("JIEDAI_NOTIFY__POLL_INTERVAL_MS", "100")
            .env("JIEDAI_NOTIFY__SEND_TIMEOUT_SECONDS", "2")
            .env("JIEDAI_NOTIFY__LEASE_SECONDS", "4");
    };
    let start = || {
        let mut c = command(&url);
        quick(&mut c);
        Process(
            c.args(["serve", "--listen", "127.0.0.1:0"])
                .stdout(Stdio::piped())
                .stderr(Stdio::inherit())
                .spawn()
                .expect("start jiedai serve"),
        )
    };
    let one = ready(start());
    let two = ready(start());
    let started = Instant::now();
    while got.lock().unwrap().len() < 50 {
        assert!(started.elapsed() < Duration::from_secs(30), "deliveries never started");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Killed with SIGKILL in the middle of a batch, then started again.
    drop(one);
    let again = ready(start());
    let all_arrived = || {
        let got = got.lock().unwrap();
        let distinct: std::collections::HashSet<i64> = got.iter().copied().collect();
        distinct.len()
    };
    let started = Instant::now();
    while all_arrived() < 300 {
        assert!(started.elapsed() < Duration::from_secs(60), "only {} of 300 arrived", all_arrived());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Past every lease: nothing more comes, and what came twice was in flight when it died.
    tokio::time::sleep(Duration::from_secs(6)).await;
    let got = got.lock().unwrap().clone();
    let mut counts: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
    for id in &got {
        *counts.entry(*id).or_default() += 1;
    }
    assert_eq!(counts.len(), 300);
    assert!(counts.values().all(|n| *n <= 2), "a message arrived three times");
    let repeated = counts.values().filter(|n| **n == 2).count();
    eprintln!("killed mid-batch: {repeated} of 300 messages arrived twice");
    assert!(repeated <= 20, "{repeated} repeated: more than one batch of the killed instance");
    drop((two, again));
    store.close().await.ok();
    opened.app.close().await.ok();
}
