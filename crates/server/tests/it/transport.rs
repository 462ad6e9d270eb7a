//! The transport under attack and faults ([J5]): answers in the one format whatever fails
//! (413, 400, 431, 503), no caching of personal data, HSTS over https, clients that hold
//! connections (idle, trickling headers), and a PostgreSQL outage — in a scratch cluster
//! the test starts itself, never the shared one.

use std::time::{Duration, Instant};

use jiedai::Settings;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::harness::{Engine, TestApp, TestDb, api_client, each_engine};

fn content_type(res: &reqwest::Response) -> String {
    res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned()
}

#[tokio::test]
async fn errors_made_outside_the_handlers_answer_in_the_one_format() {
    each_engine(|app| async move {
        let admin = app.user("admin1", &["admin"]).await;
        let token = app.token(&admin).await;
        let c = api_client();
        // 413: a body over 1 MiB, on the API and on a page.
        let big = vec![b'a'; 2 * 1024 * 1024];
        let res = c
            .post(app.url("/api/v1/receptions"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(big.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 413);
        assert_eq!(content_type(&res), "application/problem+json");
        let p: serde_json::Value = res.json().await.unwrap();
        assert_eq!((p["status"].as_u64(), p["code"].as_str()), (Some(413), Some("payload_too_large")), "{p}");
        let res = c
            .post(app.url("/login"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(big)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 413);
        assert!(content_type(&res).starts_with("text/html"), "{}", content_type(&res));
        // 400: invalid UTF-8 in a path parameter.
        let res = c.get(app.url("/api/v1/calendar/days/%FF%FE")).bearer_auth(&token).send().await.unwrap();
        assert!(res.status().is_client_error(), "{}", res.status());
        assert_eq!(content_type(&res), "application/problem+json");
        // 431: headers over 32 KiB (below hyper's own limit), on the API and on a page.
        for path in ["/api/v1/me", "/login", "/healthz"] {
            let res = c.get(app.url(path)).header("x-padding", "p".repeat(40 * 1024)).send().await.unwrap();
            assert_eq!(res.status(), 431, "{path}");
            let ct = content_type(&res);
            assert!(ct == "application/problem+json" || ct.starts_with("text/html"), "{path}: {ct}");
            assert!(!res.text().await.unwrap().is_empty(), "{path}: a body that says what happened");
        }
        // 415 and 405 on the API.
        let res = c
            .post(app.url("/api/v1/receptions"))
            .bearer_auth(&token)
            .header("content-type", "text/plain")
            .body("{}")
            .send()
            .await
            .unwrap();
        assert!(res.status().is_client_error());
        assert_eq!(content_type(&res), "application/problem+json");
    })
    .await;
}

#[tokio::test]
async fn pages_and_api_answers_are_never_cached_and_https_sends_hsts() {
    let db = TestDb::new(&Engine::Sqlite).await;
    let mut settings = Settings::default();
    settings.server.secure_cookies = true;
    let app = TestApp::start_with(db, settings).await;
    app.user("admin1", &["admin"]).await;
    let c = api_client();
    for path in ["/login", "/api/v1/me", "/healthz", "/does-not-exist"] {
        let res = c.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.headers().get("cache-control").unwrap(), "no-store", "{path}");
        assert!(res.headers().get("strict-transport-security").unwrap().to_str().unwrap().contains("max-age="));
    }
    let login = c.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
    let css = login.split("href=\"/assets/").nth(1).and_then(|s| s.split('"').next()).expect("a stylesheet");
    let res = c.get(app.url(&format!("/assets/{css}"))).send().await.unwrap();
    assert!(res.headers().get("cache-control").unwrap().to_str().unwrap().contains("immutable"));
    app.stop().await;
}

/// Reads until the server closes the connection; how long that took.
async fn until_closed(s: &mut TcpStream) -> Duration {
    let start = Instant::now();
    let mut buf = [0u8; 1024];
    loop {
        match tokio::time::timeout(Duration::from_secs(20), s.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return start.elapsed(),
            Ok(Ok(_)) => {}
            Err(_) => panic!("the server kept the connection open for 20 s"),
        }
    }
}

#[tokio::test]
async fn idle_and_trickling_clients_are_cut_off_and_cannot_take_every_connection() {
    let db = TestDb::new(&Engine::Sqlite).await;
    let mut settings = Settings::default();
    settings.server.header_timeout_seconds = 1;
    settings.server.max_connections = 4;
    let app = TestApp::start_with(db, settings).await;
    let addr = app.base.trim_start_matches("http://").to_owned();

    // Silent: closed after the header time-out.
    let mut idle = TcpStream::connect(&addr).await.unwrap();
    until_closed(&mut idle).await;

    // One header line every 400 ms: the whole head must arrive in time, not each line.
    let mut slow = TcpStream::connect(&addr).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let trickle = async {
        for i in 0..50 {
            tokio::time::sleep(Duration::from_millis(400)).await;
            if slow.write_all(format!("X-{i}: y\r\n").as_bytes()).await.is_err() {
                return;
            }
        }
        panic!("still accepting header lines after 20 s");
    };
    tokio::time::timeout(Duration::from_secs(25), trickle).await.expect("cut off");

    // Kept alive after an answer, then silent: closed too.
    let mut kept = TcpStream::connect(&addr).await.unwrap();
    kept.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
    until_closed(&mut kept).await;

    // Twice the connection limit held open by silent clients: a real request still gets
    // through once they are cut off.
    let mut hogs = Vec::new();
    for _ in 0..8 {
        hogs.push(TcpStream::connect(&addr).await.unwrap());
    }
    let res = tokio::time::timeout(Duration::from_secs(15), api_client().get(app.url("/healthz")).send())
        .await
        .expect("served once the silent clients were cut off")
        .unwrap();
    assert_eq!(res.status(), 200);
    drop(hogs);
    app.stop().await;
}

/// A PostgreSQL cluster of the test's own, in a temporary folder, on a free port.
struct ScratchCluster {
    bin: std::path::PathBuf,
    dir: tempfile::TempDir,
    port: u16,
}

impl ScratchCluster {
    fn as_postgres(cmd: &std::path::Path) -> std::process::Command {
        // The server refuses to run as root: run it as the postgres user when we are root.
        let root = std::process::Command::new("id").arg("-u").output().map(|o| o.stdout == b"0\n").unwrap_or(false);
        if root {
            let mut c = std::process::Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(cmd);
            c
        } else {
            std::process::Command::new(cmd)
        }
    }

    fn start() -> Option<ScratchCluster> {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(Result::ok)
            .map(|e| e.path().join("bin"))
            .find(|b| b.join("initdb").exists())?;
        let dir = tempfile::Builder::new().prefix("jiedai-pg").tempdir().ok()?;
        let _ = std::process::Command::new("chmod").arg("777").arg(dir.path()).status();
        let port = std::net::TcpListener::bind("127.0.0.1:0").ok()?.local_addr().ok()?.port();
        let data = dir.path().join("data");
        let ok = Self::as_postgres(&bin.join("initdb"))
            .args(["-A", "trust", "-U", "postgres", "-D"])
            .arg(&data)
            .stdout(std::process::Stdio::null())
            .status()
            .ok()?
            .success();
        if !ok {
            return None;
        }
        let c = ScratchCluster { bin, dir, port };
        c.pg_ctl("start").then_some(c)
    }

    fn pg_ctl(&self, action: &str) -> bool {
        let data = self.dir.path().join("data");
        let mut cmd = Self::as_postgres(&self.bin.join("pg_ctl"));
        cmd.arg("-D").arg(&data).args(["-w", "-l"]).arg(self.dir.path().join("log")).arg(action);
        if action == "start" {
            cmd.args([
                "-o",
                &format!("-p {} -k {} -c listen_addresses=127.0.0.1", self.port, self.dir.path().display()),
            ]);
        } else {
            cmd.args(["-m", "immediate"]);
        }
        cmd.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).status().is_ok_and(|s| s.success())
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for ScratchCluster {
    fn drop(&mut self) {
        self.pg_ctl("stop");
    }
}

#[tokio::test]
async fn during_a_postgresql_outage_readyz_and_the_api_answer_503_quickly_and_recover() {
    let Some(cluster) = ScratchCluster::start() else {
        assert!(std::env::var("JIEDAI_REQUIRE_POSTGRES").as_deref() != Ok("1"), "cannot start a scratch PostgreSQL");
        eprintln!("SKIPPED: no PostgreSQL binaries to start a scratch cluster");
        return;
    };
    // Empty (migrated by the server as it opens): the run's template lives in the shared cluster.
    let db = TestDb::empty(&Engine::Postgres(cluster.url())).await;
    let app = TestApp::start_on(db).await;
    let admin = app.user("admin1", &["admin"]).await;
    let token = app.token(&admin).await;
    let c = api_client();
    assert_eq!(c.get(app.url("/readyz")).send().await.unwrap().status(), 200);
    assert_eq!(c.get(app.url("/api/v1/receptions")).bearer_auth(&token).send().await.unwrap().status(), 200);

    assert!(cluster.pg_ctl("stop"), "stop the scratch cluster");
    // (`/api/v1/me` may still answer from the identity cache: it needs no database.)
    for path in ["/readyz", "/api/v1/receptions", "/api/v1/calendar/years/2026"] {
        let start = Instant::now();
        let res = c.get(app.url(path)).bearer_auth(&token).timeout(Duration::from_secs(20)).send().await.unwrap();
        let took = start.elapsed();
        assert_eq!(res.status(), 503, "{path}");
        assert!(took < Duration::from_secs(6), "{path} answered after {took:?}");
        if path.starts_with("/api/") {
            assert_eq!(content_type(&res), "application/problem+json", "{path}");
            assert!(res.headers().contains_key("retry-after"));
        }
    }

    assert!(cluster.pg_ctl("start"), "start the scratch cluster again");
    let start = Instant::now();
    loop {
        let res = c.get(app.url("/api/v1/receptions")).bearer_auth(&token).send().await.unwrap();
        if res.status() == 200 {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(30), "not recovered: {}", res.status());
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(c.get(app.url("/readyz")).send().await.unwrap().status(), 200);
    app.stop().await;
}
