//! The test harness: the real server on 127.0.0.1:0 over a fresh database — a
//! temporary SQLite file, and also a fresh PostgreSQL database when
//! `JIEDAI_TEST_DATABASE_URL` is set (dropped afterwards).

use std::future::Future;

use jiedai::{AppState, Settings};
use jiedai_app::accounts::{self, DepartmentInput, UserInput};
use jiedai_app::{App, Hashing};
use jiedai_domain::{Actor, DepartmentId, User};
use jiedai_store::{PoolOptions, Store};
use sea_orm::{ConnectionTrait, Database};
use tokio::sync::oneshot;

/// The password of every user made by [`TestApp::user`].
pub const PASSWORD: &str = "Quartz-lantern-meadow-47";

/// A department with the people of a reception's approval.
pub struct HostDepartment {
    pub id: DepartmentId,
    pub requester: User,
    pub head: User,
    pub coordinator: User,
}

/// Which database a test runs on.
#[derive(Clone, Debug)]
pub enum Engine {
    Sqlite,
    Postgres(String),
}

/// The engines this run covers: SQLite always, PostgreSQL when configured.
pub fn engines() -> Vec<Engine> {
    let mut v = vec![Engine::Sqlite];
    match std::env::var("JIEDAI_TEST_DATABASE_URL").ok().filter(|s| !s.is_empty()) {
        Some(url) => v.push(Engine::Postgres(url)),
        None if std::env::var("JIEDAI_REQUIRE_POSTGRES").as_deref() == Ok("1") => {
            panic!("JIEDAI_REQUIRE_POSTGRES=1 but JIEDAI_TEST_DATABASE_URL is not set")
        }
        None => {}
    }
    v
}

/// Runs a scenario once per engine, each on a fresh database and server, the engines at
/// the same time.
pub async fn each_engine<F, Fut>(scenario: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: Future<Output = ()>,
{
    let runs = engines().into_iter().map(|engine| {
        let scenario = &scenario;
        async move { scenario(TestApp::start(engine).await).await }
    });
    futures::future::join_all(runs).await;
}

/// The migrations' names: a template made for another set is not used.
/// The migrations' names and their source text: a migration changed in place (before it
/// landed) makes a new template too.
fn schema_fingerprint() -> String {
    use jiedai_migration::MigratorTrait;
    let mut parts: Vec<Vec<u8>> =
        jiedai_migration::Migrator::migrations().iter().map(|m| m.name().as_bytes().to_vec()).collect();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../migration/src");
    let mut files: Vec<_> =
        std::fs::read_dir(&dir).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
    files.sort();
    parts.extend(files.iter().filter_map(|f| std::fs::read(f).ok()));
    jiedai_app::secrets::fingerprint(&parts.iter().map(Vec::as_slice).collect::<Vec<_>>())[..12].to_owned()
}

/// Runs a future to completion on a runtime of its own (for one-time set-up shared by
/// tests that each run on their own runtime).
fn on_own_runtime<T: Send + 'static>(f: impl Future<Output = T> + Send + 'static) -> T {
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime").block_on(f)
    })
    .join()
    .expect("set-up thread")
}

/// One migrated SQLite file per test run; each test's database is a copy of it.
fn sqlite_template() -> &'static std::path::Path {
    static TEMPLATE: std::sync::OnceLock<(tempfile::TempDir, std::path::PathBuf)> = std::sync::OnceLock::new();
    &TEMPLATE
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("template.db");
            let url = jiedai_store::sqlite_url(&path);
            on_own_runtime(async move {
                let store = Store::connect(&url, PoolOptions::default()).await.expect("template");
                store.migrate().await.expect("migrate template");
                store.close().await.expect("close template");
            });
            (dir, path)
        })
        .1
}

/// One migrated PostgreSQL database per schema (kept between runs, named after the
/// migrations); each test's database is made from it with `CREATE DATABASE … TEMPLATE`.
fn postgres_template(admin_url: &str) -> &'static str {
    static TEMPLATE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let admin_url = admin_url.to_owned();
        on_own_runtime(async move {
            let name = format!("jiedai_tpl_{}", schema_fingerprint());
            let admin = Database::connect(admin_url.as_str()).await.expect("connect to PostgreSQL");
            let exists = admin
                .query_one_raw(sea_orm::Statement::from_string(
                    sea_orm::DatabaseBackend::Postgres,
                    format!("SELECT 1 AS one FROM pg_database WHERE datname = '{name}'"),
                ))
                .await
                .expect("look for the template")
                .is_some();
            if !exists {
                // Made under a name of its own and renamed when complete, so a run that
                // stopped half-way never leaves a broken template behind.
                let building = format!("{name}_{}", &jiedai_app::secrets::random_hex()[..8]);
                admin.execute_unprepared(&format!("CREATE DATABASE {building}")).await.expect("create template");
                let base = admin_url.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin_url);
                let store =
                    Store::connect(&format!("{base}/{building}"), PoolOptions::default()).await.expect("template");
                store.migrate().await.expect("migrate template");
                store.close().await.expect("close template");
                if admin.execute_unprepared(&format!("ALTER DATABASE {building} RENAME TO {name}")).await.is_err() {
                    let _ = admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {building}")).await;
                }
            }
            admin.close().await.ok();
            name
        })
    })
}

/// A database made for one test.
pub struct TestDb {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

impl TestDb {
    /// A fresh, migrated database: a copy of the run's template.
    pub async fn new(engine: &Engine) -> TestDb {
        Self::make(engine, true).await
    }

    /// Another handle on an existing database (a second instance's): never dropped by it.
    pub fn shared(url: &str) -> TestDb {
        TestDb { url: url.to_owned(), _dir: None, pg: None }
    }

    /// A fresh, empty database (no schema yet).
    pub async fn empty(engine: &Engine) -> TestDb {
        Self::make(engine, false).await
    }

    async fn make(engine: &Engine, migrated: bool) -> TestDb {
        match engine {
            Engine::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let path = dir.path().join("jiedai.db");
                if migrated {
                    std::fs::copy(sqlite_template(), &path).expect("copy the template");
                }
                TestDb { url: jiedai_store::sqlite_url(&path), _dir: Some(dir), pg: None }
            }
            Engine::Postgres(admin_url) => {
                let template = if migrated { Some(postgres_template(admin_url)) } else { None };
                let name = format!("jiedai_test_{}", &jiedai_app::secrets::random_hex()[..16]);
                let admin = Database::connect(admin_url.as_str()).await.expect("connect to PostgreSQL");
                let create = match template {
                    Some(t) => format!("CREATE DATABASE {name} TEMPLATE {t}"),
                    None => format!("CREATE DATABASE {name}"),
                };
                // Two copies of one template at the same moment may find it busy: try again.
                let mut tries = 0;
                while let Err(e) = admin.execute_unprepared(&create).await {
                    tries += 1;
                    assert!(tries < 50, "create test database: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
                admin.close().await.ok();
                let base = admin_url.rsplit_once('/').map(|(b, _)| b).unwrap_or(admin_url);
                TestDb { url: format!("{base}/{name}"), _dir: None, pg: Some((admin_url.clone(), name)) }
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = self.pg.take() {
            // Drop runs outside async: use a small runtime of our own on a thread.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
                rt.block_on(async {
                    if let Ok(admin) = Database::connect(admin_url.as_str()).await {
                        let _ = admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
                        let _ = admin.close().await;
                    }
                });
            })
            .join();
        }
    }
}

/// A running server.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// The server's application (use cases), for setting tests up.
    pub app: App,
    /// A connection of the test's own to the database, for looking at what was stored.
    pub store: Store,
    shutdown: Option<oneshot::Sender<()>>,
    handle: Option<tokio::task::JoinHandle<()>>,
    // Declared last: dropped after the server has stopped.
    _db: TestDb,
}

impl TestApp {
    pub async fn start(engine: Engine) -> TestApp {
        let db = TestDb::new(&engine).await;
        Self::start_on(db).await
    }

    /// Starts a server on an existing database (e.g. one the command line prepared).
    pub async fn start_on(db: TestDb) -> TestApp {
        Self::start_with(db, Settings::default()).await
    }

    /// Starts a server with settings of the test's own.
    pub async fn start_with(db: TestDb, mut settings: Settings) -> TestApp {
        settings.set_database_url(db.url.clone());
        let config = jiedai_app::Config { hashing: Hashing::Cheap, ..jiedai::state::app_config(&settings) };
        let app = App::open(&db.url, jiedai::state::pool_options(&settings), config).await.expect("open").app;
        let store = Store::connect(&db.url, PoolOptions::default()).await.expect("open store");
        let state = AppState::new(app.clone(), settings);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = oneshot::channel::<()>();
        let handle = tokio::spawn(async move {
            jiedai::serve(listener, state, async {
                let _ = rx.await;
            })
            .await
            .expect("server runs");
        });
        TestApp { base, app, store, shutdown: Some(tx), handle: Some(handle), _db: db }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The database's URL (for tests that write what the product never would).
    pub fn database_url(&self) -> &str {
        &self._db.url
    }

    /// Creates a user with roles (by identifier) directly through the service.
    /// The user of that name, made with those roles when there is none yet.
    pub async fn user_once(&self, username: &str, roles: &[&str]) -> User {
        match accounts::find_user_by_username(&self.app, username).await.expect("find user") {
            Some(u) => u,
            None => self.user(username, roles).await,
        }
    }

    pub async fn user(&self, username: &str, roles: &[&str]) -> User {
        let input = UserInput {
            username: username.into(),
            display_name: format!("Test {username}"),
            roles: roles.iter().map(|r| r.to_string()).collect(),
            password: PASSWORD.into(),
            ..Default::default()
        };
        accounts::create_user(&self.app, &input, true, &Actor::system()).await.expect("create user")
    }

    /// A user in a department.
    pub async fn user_in(&self, username: &str, roles: &[&str], department_id: DepartmentId) -> User {
        let input = UserInput {
            username: username.into(),
            display_name: format!("Test {username}"),
            department_id: Some(department_id.to_string()),
            roles: roles.iter().map(|r| r.to_string()).collect(),
            password: PASSWORD.into(),
            ..Default::default()
        };
        accounts::create_user(&self.app, &input, true, &Actor::system()).await.expect("create user")
    }

    /// A host department with a requester, a head (approver) and, for General
    /// Management, a coordinator.
    pub async fn host_department(&self, name: &str) -> HostDepartment {
        let input = DepartmentInput { name: name.into(), ..Default::default() };
        let d = accounts::create_department(&self.app, &input, &Actor::system()).await.expect("department");
        let prefix = d.id;
        let requester = self.user_in(&format!("req{prefix}"), &["requester"], d.id).await;
        let head = self.user_in(&format!("head{prefix}"), &["approver"], d.id).await;
        let input = DepartmentInput { name: d.name, head_user_id: Some(head.id.to_string()), version: Some(d.version) };
        let d = accounts::update_department(&self.app, d.id, &input, &Actor::system()).await.unwrap();
        let coordinator = self.user(&format!("gm{prefix}"), &["coordinator"]).await;
        HostDepartment { id: d.id, requester, head, coordinator }
    }

    /// A bearer token for a user.
    pub async fn token(&self, user: &User) -> String {
        accounts::create_token(&self.app, user.id, "test", &Actor::system()).await.expect("token").1
    }

    /// Stops the server and waits for it.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.handle.take() {
            let _ = h.await;
        }
        let _ = self.app.close().await;
        let store = self.store.clone();
        let _ = store.close().await;
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// A client without cookies (API).
pub fn api_client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// A browser-like client: keeps cookies, does not follow redirects.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// Reads the CSRF token out of a page's first form.
pub fn csrf_of(html: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("input[name=csrf]").unwrap();
    doc.select(&sel)
        .next()
        .and_then(|e| e.value().attr("value"))
        .unwrap_or_else(|| panic!("page has no csrf field: {html}"))
        .to_owned()
}

/// Text of the first element matching a selector.
pub fn text_of(html: &str, selector: &str) -> Option<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel).next().map(|e| e.text().collect::<String>().trim().to_owned())
}

/// The fields a browser would submit for the first form matching a selector: inputs
/// (checkboxes only when ticked), the selected option of each select, and textareas.
pub fn form_fields(html: &str, form: &str) -> Vec<(String, String)> {
    let doc = scraper::Html::parse_document(html);
    let form_sel = scraper::Selector::parse(form).unwrap();
    let field_sel = scraper::Selector::parse("input[name], select[name], textarea[name]").unwrap();
    let option_sel = scraper::Selector::parse("option").unwrap();
    let form = doc.select(&form_sel).next().unwrap_or_else(|| panic!("no form {form}"));
    let mut out = Vec::new();
    for el in form.select(&field_sel) {
        let v = el.value();
        let name = v.attr("name").unwrap().to_owned();
        let value = match v.name() {
            "textarea" => el.text().collect::<String>(),
            "select" => {
                let opts: Vec<_> = el.select(&option_sel).collect();
                let chosen = opts.iter().find(|o| o.value().attr("selected").is_some()).or(opts.first());
                chosen.and_then(|o| o.value().attr("value")).unwrap_or("").to_owned()
            }
            _ => {
                if matches!(v.attr("type"), Some("checkbox" | "radio")) && v.attr("checked").is_none() {
                    continue;
                }
                v.attr("value").unwrap_or(if v.attr("type") == Some("checkbox") { "on" } else { "" }).to_owned()
            }
        };
        out.push((name, value));
    }
    out
}

/// Replaces (or adds) a field's value in a form.
pub fn set_field(fields: &mut Vec<(String, String)>, name: &str, value: &str) {
    match fields.iter_mut().find(|(n, _)| n == name) {
        Some(f) => f.1 = value.to_owned(),
        None => fields.push((name.to_owned(), value.to_owned())),
    }
}

/// Signs a browser client in; panics if it fails.
pub async fn sign_in(app: &TestApp, client: &reqwest::Client, username: &str) {
    let page = client.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
    let csrf = csrf_of(&page);
    let res = client
        .post(app.url("/login"))
        .form(&[("csrf", csrf.as_str()), ("username", username), ("password", PASSWORD), ("next", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "sign-in of {username} should redirect");
}

/// A signed-in page's CSRF token (from the home page's forms).
pub async fn page_csrf(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    let html = client.get(app.url(path)).send().await.unwrap().text().await.unwrap();
    csrf_of(&html)
}
