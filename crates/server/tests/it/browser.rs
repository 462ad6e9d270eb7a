//! A journey in headless Chromium (Debian's chromium and chromium-driver), driven
//! through WebDriver: sign in, switch language, sign out.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{ClientBuilder, Locator};

use crate::harness::{Engine, PASSWORD, TestApp};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts chromedriver, or says why the browser tests cannot run.
fn start_driver() -> Option<(Driver, u16)> {
    let present = std::path::Path::new(CHROMEDRIVER).exists() && std::path::Path::new(CHROMIUM).exists();
    if !present {
        if std::env::var("JIEDAI_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!(
                "JIEDAI_REQUIRE_BROWSER=1 but {CHROMEDRIVER} or {CHROMIUM} is missing (apt-get install chromium chromium-driver)"
            );
        }
        eprintln!("SKIPPED browser test: install Debian's chromium and chromium-driver to run it");
        return None;
    }
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    Some((Driver(child), port))
}

async fn connect(port: u16) -> fantoccini::Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": CHROMIUM,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-dev-shm-usage", "--no-first-run", "--disable-component-update", "--disable-sync",
                     "--window-size=375,800", "--lang=zh-CN"],
            "prefs": {"intl.accept_languages": "zh-CN,zh"}
        }),
    );
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..50 {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector).capabilities(caps.clone()).connect(&url).await {
            Ok(c) => return c,
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
    panic!("chromedriver did not answer on port {port}");
}

#[tokio::test]
async fn a_person_signs_in_switches_language_and_signs_out_in_chromium() {
    let Some((_driver, port)) = start_driver() else {
        return;
    };
    let app = TestApp::start(Engine::Sqlite).await;
    app.user("browser.user", &["requester", "admin"]).await;
    let b = connect(port).await;

    b.goto(&app.url("/")).await.unwrap();
    let h1 = b.find(Locator::Css("h1")).await.unwrap().text().await.unwrap();
    assert_eq!(h1, "登录", "redirected to the Chinese sign-in page");
    b.find(Locator::Id("username")).await.unwrap().send_keys("browser.user").await.unwrap();
    b.find(Locator::Id("password")).await.unwrap().send_keys(PASSWORD).await.unwrap();
    b.find(Locator::Css("form.stack button[type=submit]")).await.unwrap().click().await.unwrap();
    b.wait().for_element(Locator::Css(".user-menu")).await.unwrap();
    assert_eq!(b.find(Locator::Css("h1")).await.unwrap().text().await.unwrap(), "首页");

    b.find(Locator::Css(".lang-switch button[value=en]")).await.unwrap().click().await.unwrap();
    b.wait().for_element(Locator::XPath("//h1[text()='Home']")).await.unwrap();
    let nav = b.find(Locator::Css("nav.nav")).await.unwrap().text().await.unwrap();
    assert!(nav.contains("Users") && nav.contains("Audit log"), "{nav}");

    b.find(Locator::Css(".user-menu button")).await.unwrap().click().await.unwrap();
    b.wait().for_element(Locator::XPath("//h1[text()='Sign in']")).await.unwrap();
    let flash = b.find(Locator::Css(".flash")).await.unwrap().text().await.unwrap();
    assert_eq!(flash, "You have signed out.");
    b.goto(&app.url("/account")).await.unwrap();
    assert!(b.current_url().await.unwrap().path().starts_with("/login"));
    b.close().await.unwrap();
    app.stop().await;
}
