//! What each subcommand does: settings and logging first, then the use cases of
//! `jiedai_app` on the configured database.

use std::collections::BTreeMap;
use std::io::Read;

use anyhow::{Context, bail};
use jiedai_app::{App, accounts, demo, procedure, secrets};
use jiedai_domain::{Actor, Code, Role, RoleSet, TokenId, User};
use tracing_subscriber::EnvFilter;

use super::{Cli, Command, ProcedureCommand, TokenCommand, UserCommand};
use crate::AppState;
use crate::config::{LogFormat, Settings};

fn settings(cli: &Cli) -> anyhow::Result<Settings> {
    let env: BTreeMap<String, String> = std::env::vars().collect();
    let mut s = Settings::load(cli.config.as_deref(), &env)?;
    if let Some(url) = &cli.database_url {
        s.set_database_url(url.clone());
    }
    if let Some(f) = cli.log_format {
        s.server.log_format = f;
    }
    Ok(s)
}

fn init_logging(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let b = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Json => b.json().try_init(),
        LogFormat::Pretty => b.try_init(),
    };
}

fn read_password(stdin: bool) -> anyhow::Result<(String, bool)> {
    if stdin {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).context("reading the password from standard input")?;
        Ok((s.trim_end_matches(['\n', '\r']).to_owned(), false))
    } else {
        Ok((secrets::random_hex()[..20].to_owned(), true))
    }
}

fn roles_of(raw: &[String]) -> anyhow::Result<RoleSet> {
    raw.iter()
        .map(|r| {
            Role::parse(r.trim()).with_context(|| {
                format!("unknown role `{r}` (requester, approver, coordinator, staff, finance, admin)")
            })
        })
        .collect()
}

/// Explains an error from a use case in plain English for the terminal.
fn explain(e: jiedai_app::Error) -> anyhow::Error {
    let tr = crate::i18n::Tr::new(jiedai_domain::Language::En);
    match &e {
        jiedai_app::Error::Validation(errs) => {
            let lines: Vec<String> = errs.0.iter().map(|f| format!("{}: {}", f.field, tr.field_error(f))).collect();
            anyhow::anyhow!("{}", lines.join("; "))
        }
        jiedai_app::Error::Conflict { field, code } => anyhow::anyhow!("{field}: {}", tr.field_code(code)),
        jiedai_app::Error::NotFound => anyhow::anyhow!("not found"),
        _ => anyhow::anyhow!("{e}"),
    }
}

async fn user_by_name(app: &App, name: &str) -> anyhow::Result<User> {
    accounts::find_user_by_username(app, name).await.map_err(explain)?.with_context(|| format!("no user `{name}`"))
}

/// Opens the database, logging how many migrations this start applied.
async fn open(s: &Settings) -> anyhow::Result<App> {
    let (app, applied) = crate::open(s).await?;
    if applied > 0 {
        tracing::info!(applied, "migrations applied");
    }
    Ok(app)
}

/// Runs a parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let mut s = settings(&cli)?;
    init_logging(s.server.log_format);
    for w in &s.warnings {
        tracing::warn!("{w}");
    }
    match cli.command {
        Command::Serve(args) => {
            if let Some(l) = args.listen {
                s.server.listen = l;
            }
            serve(s, args.demo).await
        }
        Command::Migrate => {
            let (_, applied) = crate::open(&s).await?;
            println!("migrations applied: {applied}");
            Ok(())
        }
        Command::Demo(args) => {
            let app = open(&s).await?;
            let created = demo::load(&app).await.map_err(explain)?;
            print_demo_logins(&created);
            let made = demo::load_receptions(&app, app.today()).await.map_err(explain)?;
            if made > 0 {
                println!("{made} demo receptions");
            }
            if let Some(n) = args.receptions {
                let started = std::time::Instant::now();
                let written = demo::load_bulk_receptions(&app, n, app.today()).await.map_err(explain)?;
                println!("{written} generated receptions in {:.1} s", started.elapsed().as_secs_f64());
            }
            if let Some(n) = args.tasks {
                let written = demo::load_bulk_tasks(&app, n).await.map_err(explain)?;
                println!("{written} open tasks for the staff member");
            }
            if let Some(n) = args.bookings {
                let written = jiedai_app::resources::load_bulk_bookings(&app, n, app.today()).await.map_err(explain)?;
                println!("{written} bookings of 50 rooms and 20 cars");
            }
            if args.history {
                let started = std::time::Instant::now();
                let closed = demo::load_bench_history(&app, app.today()).await.map_err(explain)?;
                println!(
                    "{closed} generated receptions closed with their history in {:.1} s",
                    started.elapsed().as_secs_f64()
                );
            }
            Ok(())
        }
        Command::User(cmd) => user(cmd, &open(&s).await?).await,
        Command::Token(cmd) => token(cmd, &open(&s).await?).await,
        Command::Procedure(cmd) => procedure(cmd, &open(&s).await?).await,
    }
}

fn print_demo_logins(created: &[String]) {
    if created.is_empty() {
        println!("demo data already present");
    }
    println!("demo accounts (password: {}):", demo::DEMO_PASSWORD);
    for (u, roles) in demo::accounts() {
        let r: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
        println!("  {u:<12} {}", r.join(", "));
    }
}

async fn serve(s: Settings, with_demo: bool) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let (app, applied) = crate::open(&s).await?;
    let empty = accounts::count_users(&app).await? == 0;
    if with_demo && empty {
        let created = demo::load(&app).await.map_err(explain)?;
        print_demo_logins(&created);
        demo::load_receptions(&app, app.today()).await.map_err(explain)?;
    }
    let listener =
        tokio::net::TcpListener::bind(s.server.listen).await.with_context(|| format!("binding {}", s.server.listen))?;
    let addr = listener.local_addr()?;
    tracing::info!(engine = app.engine(), %addr, migrations_applied = applied, settings = ?s, "starting");
    println!(
        "Jiedai listening on http://{addr}/  (database: {}, migrations applied: {applied}, ready in {} ms)",
        app.engine(),
        started.elapsed().as_millis()
    );
    if accounts::count_users(&app).await? == 0 {
        println!("No users yet: open http://{addr}/ to create the first administrator,");
        println!("or run `jiedai user add NAME --role admin`.");
    } else if with_demo {
        println!("Sign in at http://{addr}/login with one of the demo accounts above.");
    } else {
        println!("Sign in at http://{addr}/login");
    }
    let state = AppState::new(app.clone(), s);
    crate::serve(listener, state, shutdown_signal()).await?;
    app.close().await?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}

async fn user(cmd: UserCommand, app: &App) -> anyhow::Result<()> {
    let actor = Actor::cli();
    match cmd {
        UserCommand::Add { username, roles, department, display_name, email, phone, password_stdin } => {
            roles_of(&roles)?;
            let department_id = match department {
                Some(name) => Some(
                    accounts::find_department_by_name(app, &name)
                        .await
                        .map_err(explain)?
                        .with_context(|| format!("no department `{name}`"))?
                        .id
                        .to_string(),
                ),
                None => None,
            };
            let (password, generated) = read_password(password_stdin)?;
            let input = accounts::UserInput {
                display_name: display_name.unwrap_or_else(|| username.clone()),
                username,
                department_id,
                phone: phone.unwrap_or_default(),
                email: email.unwrap_or_default(),
                roles,
                password: password.clone(),
                ..Default::default()
            };
            let u = accounts::create_user(app, &input, true, &actor).await.map_err(explain)?;
            println!("created user {} (id {})", u.username, u.id);
            if generated {
                println!("password: {password}");
            }
            Ok(())
        }
        UserCommand::List => {
            for u in accounts::list_users(app, None).await.map_err(explain)? {
                let roles: Vec<&str> = u.roles.iter().map(Role::as_str).collect();
                println!(
                    "{:>5}  {:<20} {:<16} {:<12} {}{}",
                    u.id,
                    u.username,
                    u.display_name,
                    u.department_name.unwrap_or_default(),
                    roles.join(","),
                    if u.active { "" } else { "  (disabled)" }
                );
            }
            Ok(())
        }
        UserCommand::SetPassword { username, password_stdin } => {
            let u = user_by_name(app, &username).await?;
            let (password, generated) = read_password(password_stdin)?;
            accounts::change_password(app, u.id, None, &password, None, &actor).await.map_err(explain)?;
            println!("password set for {}", u.username);
            if generated {
                println!("password: {password}");
            }
            Ok(())
        }
        UserCommand::SetRoles { username, roles } => {
            let set = roles_of(&roles)?;
            let u = user_by_name(app, &username).await?;
            accounts::set_roles(app, &u, set, &actor).await.map_err(explain)?;
            println!("roles of {} set to {}", u.username, roles.join(", "));
            Ok(())
        }
        UserCommand::Disable { username } => {
            let u = user_by_name(app, &username).await?;
            if !u.active {
                bail!("{} is already disabled", u.username);
            }
            accounts::disable_user(app, &u, &actor).await.map_err(explain)?;
            println!("disabled {}", u.username);
            Ok(())
        }
    }
}

async fn token(cmd: TokenCommand, app: &App) -> anyhow::Result<()> {
    let actor = Actor::cli();
    match cmd {
        TokenCommand::Create { username, name } => {
            let u = user_by_name(app, &username).await?;
            let (t, secret) = accounts::create_token(app, u.id, &name, &actor).await.map_err(explain)?;
            println!("created token {} for {} (shown once):", t.id, u.username);
            println!("{secret}");
            Ok(())
        }
        TokenCommand::List { username } => {
            let owner = match username {
                Some(n) => Some(user_by_name(app, &n).await?.id),
                None => None,
            };
            for t in accounts::list_tokens(app, owner).await.map_err(explain)? {
                println!(
                    "{:>5}  {:<16} {:<16} {}…  created {}  last used {}{}",
                    t.id,
                    t.username,
                    t.name,
                    t.prefix,
                    t.created_at.format("%Y-%m-%d %H:%M"),
                    t.last_used_at.map(|d| d.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_else(|| "never".into()),
                    if t.revoked_at.is_some() { "  (revoked)" } else { "" }
                );
            }
            Ok(())
        }
        TokenCommand::Revoke { id } => {
            let t =
                accounts::revoke_token(app, TokenId(id), accounts::Reach::Any, &actor).await.map_err(|e| match e {
                    jiedai_app::Error::NotFound => anyhow::anyhow!("no token with id {id}"),
                    other => explain(other),
                })?;
            println!("revoked token {} of {}", t.id, t.username);
            Ok(())
        }
    }
}

async fn procedure(cmd: ProcedureCommand, app: &App) -> anyhow::Result<()> {
    match cmd {
        ProcedureCommand::Export { version } => {
            print!("{}", procedure::export_toml(app, version).await.map_err(explain)?);
            Ok(())
        }
        ProcedureCommand::Import { file, note } => {
            let text = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
            let before = procedure::current(app).await.map_err(explain)?.version;
            let v = procedure::import_toml(app, &text, &note, &Actor::cli()).await.map_err(explain)?;
            if v == before {
                println!("unchanged: version {v} is already this procedure");
            } else {
                println!("procedure version {v} created");
            }
            Ok(())
        }
    }
}
