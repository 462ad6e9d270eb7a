//! The command line: one enum of subcommands. Every subcommand uses the same
//! database: `--database-url` / `DATABASE_URL`, else `./data/jiedai.db`.

use std::collections::BTreeMap;
use std::io::Read;
use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use jiedai_domain::{Actor, Role, RoleSet};
use jiedai_store::{Store, UserUpdate};
use tracing_subscriber::EnvFilter;

use crate::config::{LogFormat, Settings};
use crate::service::{accounts, demo};
use crate::{AppState, auth};

/// Jiedai (接待): client receptions run end to end.
#[derive(Parser, Debug)]
#[command(name = "jiedai", version, about, long_about = None)]
pub struct Cli {
    /// Database URL (sqlite://… or postgres://…); default ./data/jiedai.db.
    #[arg(long, global = true, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// Configuration file (default ./jiedai.toml when present).
    #[arg(long, global = true, env = "JIEDAI_CONFIG")]
    pub config: Option<PathBuf>,
    /// Log format.
    #[arg(long, global = true, value_enum)]
    pub log_format: Option<LogFormat>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the web server (pages and API).
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Load demo departments, users (one per role) and receptions in every state.
    Demo(DemoArgs),
    /// Move the reception procedure between installations as TOML.
    #[command(subcommand)]
    Procedure(ProcedureCommand),
}

/// `demo`.
#[derive(clap::Args, Debug)]
pub struct DemoArgs {
    /// Also write this many generated receptions (for benchmarks), without history.
    #[arg(long)]
    pub receptions: Option<usize>,
}

/// `procedure …`.
#[derive(Subcommand, Debug)]
pub enum ProcedureCommand {
    /// Print a version (default: the one in force) as TOML.
    Export {
        /// Version number.
        #[arg(long)]
        version: Option<i32>,
    },
    /// Make a new version from a TOML file (as `export` writes it).
    Import {
        /// The file.
        file: PathBuf,
        /// What changed.
        #[arg(long, default_value = "imported")]
        note: String,
    },
}

/// Options of `serve`.
#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on (default 127.0.0.1:8080).
    #[arg(long, env = "JIEDAI_LISTEN")]
    pub listen: Option<SocketAddr>,
    /// On an empty database, load demo data first.
    #[arg(long)]
    pub demo: bool,
}

/// `user …`.
#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create a user. Without --password-stdin a random password is printed.
    Add {
        /// Login name.
        username: String,
        /// Role (repeatable): requester, approver, coordinator, staff, finance, admin.
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// Department name (must exist).
        #[arg(long)]
        department: Option<String>,
        /// Name shown (default: the username).
        #[arg(long)]
        display_name: Option<String>,
        /// E-mail address.
        #[arg(long)]
        email: Option<String>,
        /// Phone number.
        #[arg(long)]
        phone: Option<String>,
        /// Read the password from standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List users.
    List,
    /// Set a user's password (ends their sessions).
    SetPassword {
        /// Login name.
        username: String,
        /// Read the password from standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Replace a user's roles.
    SetRoles {
        /// Login name.
        username: String,
        /// Role (repeatable).
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
    },
    /// Disable a user (ends their sessions; their tokens stop working).
    Disable {
        /// Login name.
        username: String,
    },
}

/// `token …`.
#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Create a token for a user; the token is printed alone on the last line.
    Create {
        /// Login name.
        username: String,
        /// Label.
        #[arg(long, default_value = "cli")]
        name: String,
    },
    /// List tokens (of one user, or all).
    List {
        /// Login name.
        username: Option<String>,
    },
    /// Revoke a token by id.
    Revoke {
        /// Token id (from `token list`).
        id: i32,
    },
}

fn settings(cli: &Cli) -> anyhow::Result<Settings> {
    let env: BTreeMap<String, String> = std::env::vars().collect();
    let mut s = Settings::load(cli.config.as_deref(), &env)?;
    if let Some(url) = &cli.database_url {
        s.database_url = Some(url.clone());
    }
    if let Some(f) = cli.log_format {
        s.log_format = f;
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
        Ok((auth::token::random_hex()[..20].to_owned(), true))
    }
}

fn roles_of(raw: &[String]) -> anyhow::Result<RoleSet> {
    raw.iter()
        .map(|r| {
            Role::parse(r).with_context(|| {
                format!("unknown role `{r}` (requester, approver, coordinator, staff, finance, admin)")
            })
        })
        .collect()
}

/// Explains an error from a service in plain English for the terminal.
fn explain(e: crate::error::AppError) -> anyhow::Error {
    let tr = crate::i18n::Tr::new(jiedai_domain::Language::En);
    match &e {
        crate::error::AppError::Validation(errs) => {
            let lines: Vec<String> = errs.0.iter().map(|f| format!("{}: {}", f.field, tr.field_error(f))).collect();
            anyhow::anyhow!("{}", lines.join("; "))
        }
        crate::error::AppError::Conflict { field, code } => {
            anyhow::anyhow!("{field}: {}", tr.t(&format!("field.{code}")))
        }
        crate::error::AppError::NotFound => anyhow::anyhow!("not found"),
        _ => anyhow::anyhow!("{e}"),
    }
}

async fn user_by_name(store: &Store, name: &str) -> anyhow::Result<jiedai_domain::User> {
    store.find_user_by_username(&name.trim().to_lowercase()).await?.with_context(|| format!("no user `{name}`"))
}

/// Runs a parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let mut s = settings(&cli)?;
    init_logging(s.log_format);
    for w in &s.warnings {
        tracing::warn!("{w}");
    }
    match cli.command {
        Command::Serve(args) => {
            if let Some(l) = args.listen {
                s.listen = l;
            }
            serve(s, args.demo).await
        }
        Command::Migrate => {
            crate::open_store(&s).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Demo(args) => {
            let store = crate::open_store(&s).await?;
            let created = demo::load(&store).await.map_err(explain)?;
            print_demo_logins(&created);
            let today = chrono::Utc::now().with_timezone(&s.timezone).date_naive();
            let made = demo::load_receptions(&store, today).await.map_err(explain)?;
            if made > 0 {
                println!("{made} demo receptions");
            }
            if let Some(n) = args.receptions {
                let started = std::time::Instant::now();
                let written = demo::load_bulk_receptions(&store, n, today).await.map_err(explain)?;
                println!("{written} generated receptions in {:.1} s", started.elapsed().as_secs_f64());
            }
            Ok(())
        }
        Command::User(cmd) => user(cmd, &crate::open_store(&s).await?).await,
        Command::Token(cmd) => token(cmd, &crate::open_store(&s).await?).await,
        Command::Procedure(cmd) => procedure(cmd, &crate::open_store(&s).await?).await,
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
    let store = crate::open_store(&s).await?;
    let empty = store.count_users().await? == 0;
    if with_demo && empty {
        let created = demo::load(&store).await.map_err(explain)?;
        print_demo_logins(&created);
        let today = chrono::Utc::now().with_timezone(&s.timezone).date_naive();
        demo::load_receptions(&store, today).await.map_err(explain)?;
    }
    let listener = tokio::net::TcpListener::bind(s.listen).await.with_context(|| format!("binding {}", s.listen))?;
    let addr = listener.local_addr()?;
    tracing::info!(engine = store.engine(), %addr, settings = ?s, "starting");
    println!(
        "Jiedai listening on http://{addr}/  (database: {}, ready in {} ms)",
        store.engine(),
        started.elapsed().as_millis()
    );
    if store.count_users().await? == 0 {
        println!("No users yet: open http://{addr}/ to create the first administrator,");
        println!("or run `jiedai user add NAME --role admin`.");
    } else if with_demo {
        println!("Sign in at http://{addr}/login with one of the demo accounts above.");
    } else {
        println!("Sign in at http://{addr}/login");
    }
    let state = AppState::new(store.clone(), s).await?;
    crate::serve(listener, state, shutdown_signal()).await?;
    store.close().await?;
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

async fn user(cmd: UserCommand, store: &Store) -> anyhow::Result<()> {
    let actor = Actor::cli();
    match cmd {
        UserCommand::Add { username, roles, department, display_name, email, phone, password_stdin } => {
            roles_of(&roles)?;
            let department_id = match department {
                Some(name) => Some(
                    store
                        .find_department_by_name(name.trim())
                        .await?
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
            let u = accounts::create_user(store, &input, true, &actor).await.map_err(explain)?;
            println!("created user {} (id {})", u.username, u.id);
            if generated {
                println!("password: {password}");
            }
            Ok(())
        }
        UserCommand::List => {
            for u in store.list_users(None).await? {
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
            let u = user_by_name(store, &username).await?;
            let (password, generated) = read_password(password_stdin)?;
            accounts::change_password(store, u.id, None, &password, None, &actor).await.map_err(explain)?;
            println!("password set for {}", u.username);
            if generated {
                println!("password: {password}");
            }
            Ok(())
        }
        UserCommand::SetRoles { username, roles } => {
            let set = roles_of(&roles)?;
            let u = user_by_name(store, &username).await?;
            let upd = update_of(&u, set, u.active);
            store.update_user(u.id, u.version, upd, &actor).await?;
            println!("roles of {} set to {}", u.username, roles.join(", "));
            Ok(())
        }
        UserCommand::Disable { username } => {
            let u = user_by_name(store, &username).await?;
            if !u.active {
                bail!("{} is already disabled", u.username);
            }
            store.update_user(u.id, u.version, update_of(&u, u.roles, false), &actor).await?;
            println!("disabled {}", u.username);
            Ok(())
        }
    }
}

fn update_of(u: &jiedai_domain::User, roles: RoleSet, active: bool) -> UserUpdate {
    UserUpdate {
        display_name: u.display_name.clone(),
        department_id: u.department_id,
        phone: u.phone.clone(),
        email: u.email.clone(),
        language: u.language,
        active,
        roles,
    }
}

async fn token(cmd: TokenCommand, store: &Store) -> anyhow::Result<()> {
    let actor = Actor::cli();
    match cmd {
        TokenCommand::Create { username, name } => {
            let u = user_by_name(store, &username).await?;
            let (t, secret) = accounts::create_token(store, u.id, &name, &actor).await.map_err(explain)?;
            println!("created token {} for {} (shown once):", t.id, u.username);
            println!("{secret}");
            Ok(())
        }
        TokenCommand::List { username } => {
            let scope = match username {
                Some(n) => Some(user_by_name(store, &n).await?.id),
                None => None,
            };
            for t in store.list_tokens(scope).await? {
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
            let t = store.revoke_token(id, &actor).await.map_err(|e| match e {
                jiedai_store::StoreError::NotFound => anyhow::anyhow!("no token with id {id}"),
                other => other.into(),
            })?;
            println!("revoked token {} of {}", t.id, t.username);
            Ok(())
        }
    }
}

async fn procedure(cmd: ProcedureCommand, store: &Store) -> anyhow::Result<()> {
    use crate::service::procedure as p;
    match cmd {
        ProcedureCommand::Export { version } => {
            print!("{}", p::export_toml(store, version).await.map_err(explain)?);
            Ok(())
        }
        ProcedureCommand::Import { file, note } => {
            let text = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
            let before = p::current(store).await.map_err(explain)?.version;
            let v = p::import_toml(store, &text, &note, &Actor::cli()).await.map_err(explain)?;
            if v == before {
                println!("unchanged: version {v} is already this procedure");
            } else {
                println!("procedure version {v} created");
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verify_cli() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
