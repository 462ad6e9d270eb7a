//! The command line: one enum of subcommands. Every subcommand uses the same
//! database: `--database-url` / `DATABASE_URL`, else `./data/jiedai.db`.

mod commands;

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::LogFormat;

pub use commands::run;

/// Jiedai (接待): client receptions run end to end.
#[derive(Parser, Debug)]
#[command(name = "jiedai", version, about, long_about = None)]
pub struct Cli {
    /// Database URL (sqlite://… or postgres://…); default ./data/jiedai.db (also
    /// `DATABASE_URL`, `[database] url`).
    #[arg(long, global = true)]
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
    /// Also give the demo's staff member this many open tasks on receptions in planning (for
    /// benchmarks of "my tasks").
    #[arg(long)]
    pub tasks: Option<usize>,
    /// Also add 50 rooms and 20 cars and this many bookings of them over the coming 30 days
    /// on receptions in planning (for benchmarks of availability and the schedule).
    #[arg(long)]
    pub bookings: Option<usize>,
    /// Close the generated receptions whose visit has ended and write their close-out
    /// history (tasks done, material back, survey sums; no money or reviews) for benchmarks of the
    /// reports.
    #[arg(long)]
    pub history: bool,
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
    /// Address to listen on (default 127.0.0.1:8080; also `[server] listen`).
    #[arg(long)]
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verify_cli() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
