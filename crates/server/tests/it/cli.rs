//! The command line, run as a separate process against the same database the
//! server uses.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use crate::harness::{TestApp, TestDb, api_client, engines};

/// Runs `jiedai` on a database, in a scratch working directory, with optional input. Blocks
/// its thread: a test with a server running beside it needs a runtime of more than one.
pub(crate) fn jiedai(db_url: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let started = std::time::Instant::now();
    let out = run_jiedai(db_url, args, stdin);
    if !out.status.success() {
        eprintln!("jiedai {args:?} failed after {:?}", started.elapsed());
    }
    out
}

fn run_jiedai(db_url: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_jiedai"))
        .args(args)
        .env("DATABASE_URL", db_url)
        .env("RUST_LOG", "warn")
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run jiedai");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    assert!(o.status.success(), "jiedai failed: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn help_lists_the_subcommands() {
    let o = Command::new(env!("CARGO_BIN_EXE_jiedai")).arg("--help").output().unwrap();
    let text = String::from_utf8(o.stdout).unwrap();
    for sub in ["serve", "migrate", "user", "token", "demo"] {
        assert!(text.contains(sub), "{sub} missing from --help");
    }
}

// Two threads: the command line is waited for on one (blocking it), while the server of the
// test, whose delivery worker may be in the middle of a write, goes on on the other. On one
// thread the server would hold SQLite's write lock until the command gave up (30 s).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_from_the_command_line_works_until_revoked() {
    for engine in engines() {
        let db = TestDb::new(&engine).await;
        let url = db.url.clone();
        let out = stdout(&jiedai(
            &url,
            &["user", "add", "Wang", "--role", "requester", "--role", "staff", "--password-stdin"],
            Some("Velvet-canyon-prism-39\n"),
        ));
        assert!(out.contains("created user wang"), "{out}");

        let dup = jiedai(&url, &["user", "add", "wang", "--role", "staff"], None);
        assert!(!dup.status.success());
        assert!(String::from_utf8_lossy(&dup.stderr).contains("already taken"));
        let bad = jiedai(&url, &["user", "add", "zhao", "--role", "boss"], None);
        assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown role"));

        let out = stdout(&jiedai(&url, &["token", "create", "wang"], None));
        let token = out.lines().last().unwrap().trim().to_owned();
        assert!(token.starts_with("jd_"), "{out}");
        let id = out.split_whitespace().nth(2).unwrap().to_owned();

        let app = TestApp::start_on(db).await;
        let c = api_client();
        let me: Value = c.get(app.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
        assert_eq!(me["username"], "wang");
        assert_eq!(me["roles"], serde_json::json!(["requester", "staff"]));

        let out = stdout(&jiedai(&url, &["token", "revoke", &id], None));
        assert!(out.contains("revoked"));
        // Another process revoked it: the server's caches drop it within a second.
        let started = std::time::Instant::now();
        loop {
            let status = c.get(app.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap().status();
            if status == 401 {
                break;
            }
            assert!(started.elapsed() < std::time::Duration::from_secs(1), "still {status} after a second");
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }

        let list = stdout(&jiedai(&url, &["user", "list"], None));
        assert!(list.contains("wang") && list.contains("requester,staff"));
        stdout(&jiedai(&url, &["user", "set-roles", "wang", "--role", "finance"], None));
        stdout(&jiedai(&url, &["user", "disable", "wang"], None));
        let u = app.store.find_user_by_username("wang").await.unwrap().unwrap();
        assert!(!u.active && u.roles.contains(jiedai_domain::Role::Finance));
        let log = app
            .store
            .list_audit(&jiedai_store::AuditFilter { actor: Some("cli".into()), ..Default::default() }, 50)
            .await
            .unwrap();
        assert!(log.len() >= 4, "command-line changes are audited as cli");
        app.stop().await;
    }
}

#[tokio::test]
async fn demo_loads_one_user_per_role_and_is_idempotent() {
    for engine in engines() {
        let db = TestDb::new(&engine).await;
        let out = stdout(&jiedai(&db.url, &["demo"], None));
        assert!(out.contains("jiedai-demo"));
        stdout(&jiedai(&db.url, &["demo"], None));
        let app = TestApp::start_on(db).await;
        let users = app.store.list_users(None).await.unwrap();
        assert_eq!(users.len(), 6);
        for role in jiedai_domain::Role::ALL {
            assert!(users.iter().any(|u| u.roles.contains(role)), "{role} missing");
        }
        let sales = app.store.find_department_by_name("销售部").await.unwrap().unwrap();
        assert_eq!(sales.head_name.as_deref(), Some("李强"));
        let counts: Vec<(String, i64)> =
            app.store.list_departments().await.unwrap().into_iter().map(|d| (d.name, d.member_count)).collect();
        assert!(counts.contains(&("综管部".to_owned(), 3)) && counts.contains(&("研发部".to_owned(), 0)), "{counts:?}");
        app.stop().await;
    }
}

#[tokio::test]
async fn demo_receptions_cover_every_state_and_bulk_ones_come_on_request() {
    use jiedai_store::{ReceptionFilter, Scope};
    for engine in engines() {
        let db = TestDb::new(&engine).await;
        stdout(&jiedai(&db.url, &["demo"], None));
        let out = stdout(&jiedai(&db.url, &["demo", "--receptions", "300", "--tasks", "5", "--history"], None));
        assert!(out.contains("300 generated receptions"), "{out}");
        // The bench's history goes to the generated receptions only, added to the demo's own
        // survey sums (the demo's closed receptions keep theirs).
        assert!(out.contains("generated receptions closed with their history"), "{out}");
        assert!(out.contains("5 open tasks for the staff member"), "{out}");
        let app = TestApp::start_on(db).await;
        let all = ReceptionFilter::default();
        assert_eq!(
            app.store.count_receptions(&Scope::All, &all).await.unwrap(),
            353,
            "17 demo, 36 over the past year and 300 generated"
        );
        // The past year's receptions are closed, each with its money approved.
        let closed = ReceptionFilter { states: vec![jiedai_domain::reception::State::Closed], ..Default::default() };
        assert!(app.store.count_receptions(&Scope::All, &closed).await.unwrap() >= 38);
        for state in <jiedai_domain::reception::State as jiedai_domain::Code>::all().iter().copied() {
            let f = ReceptionFilter { states: vec![state], ..Default::default() };
            assert!(app.store.count_receptions(&Scope::All, &f).await.unwrap() > 0, "no {state:?}");
        }
        let late = ReceptionFilter { late: Some(true), ..Default::default() };
        assert!(app.store.count_receptions(&Scope::All, &late).await.unwrap() > 0, "some are late");
        let history = app
            .store
            .list_audit(&jiedai_store::AuditFilter { entity: Some("reception".into()), ..Default::default() }, 500)
            .await
            .unwrap();
        assert!(history.iter().any(|a| a.action == "take-on"), "demo receptions went through the steps");
        // One on site today with its agenda written; one closed.
        use jiedai_domain::reception::State;
        let mut with_agenda = 0;
        for id in app.store.reception_ids_in(State::OnSite, 100).await.unwrap() {
            if app.store.agenda(id).await.unwrap().is_some_and(|a| a.items.len() >= 5) {
                with_agenda += 1;
            }
        }
        assert_eq!(with_agenda, 1, "the demo's reception on site today has its run sheet's agenda");
        assert!(!app.store.reception_ids_in(State::Closed, 1).await.unwrap().is_empty(), "one closed");
        let staff = app.store.find_user_by_username("staff").await.unwrap().unwrap();
        let held = app.store.tasks_of_person(staff.id).await.unwrap();
        assert!(
            held.iter().filter(|p| p.task.status == jiedai_domain::tasks::TaskStatus::Todo).count() >= 5,
            "the bulk tasks"
        );
        app.stop().await;
    }
}
