//! Persistence of Jiedai. SeaORM entities stay inside this crate; repositories take
//! and return domain types. Every write runs in one transaction together with its
//! audit record.

mod audit;
mod auth_cache;
mod calendar;
mod departments;
mod entity;
mod error;
mod procedure;
mod receptions;
mod sessions;
mod throttle;
mod tokens;
mod users;

use std::sync::Arc;
use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, DatabaseTransaction,
    TransactionTrait,
};
use tokio::sync::{Mutex, OwnedMutexGuard};

pub use audit::AuditFilter;
pub use auth_cache::TTL as AUTH_CACHE_TTL;
pub use calendar::StoredDay;
pub use error::StoreError;
pub use procedure::ProcedureVersion;
pub use receptions::{Cursor, ReceptionChange, ReceptionFilter, ReceptionRow, Scope, Sort, StoredReception};
pub use users::{NewUser, UserUpdate};

/// The database, on SQLite or PostgreSQL.
#[derive(Clone)]
pub struct Store {
    db: DatabaseConnection,
    /// On SQLite, writers queue here instead of failing with "database is locked":
    /// SQLite has one writer at a time, and a deferred transaction that upgrades to
    /// a write lock fails at once rather than waiting. Readers never take it.
    write_gate: Option<Arc<Mutex<()>>>,
    /// Who stands behind recent tokens and sessions.
    auth_cache: Arc<auth_cache::AuthCache>,
}

/// A write transaction; on SQLite it also holds the write gate until it ends.
pub(crate) struct WriteTxn {
    pub(crate) txn: DatabaseTransaction,
    _gate: Option<OwnedMutexGuard<()>>,
    auth_cache: Arc<auth_cache::AuthCache>,
}

impl WriteTxn {
    /// Commits; then forgets cached requesters, since the change may concern them.
    /// (After the commit: a reader in between would otherwise cache the old state.)
    pub(crate) async fn commit(self) -> Result<(), StoreError> {
        self.txn.commit().await?;
        self.auth_cache.clear();
        Ok(())
    }
}

impl Store {
    /// Opens a database from a URL (`sqlite://path` or `postgres://…`), creating the
    /// SQLite file and its folder when missing. Does not run migrations.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        let mut opts = ConnectOptions::new(url.to_owned());
        opts.sqlx_logging(false).connect_timeout(Duration::from_secs(10)).acquire_timeout(Duration::from_secs(30));
        // Ping a pooled connection only when it sat idle a while: a ping on every acquire
        // was an extra round trip (a thread hand-over on SQLite) per query.
        opts.test_before_acquire_if_idle_for(Duration::from_secs(30));
        let sqlite = url.starts_with("sqlite:");
        if sqlite {
            if let Some(path) = sqlite_path(url)
                && let Some(dir) = std::path::Path::new(&path).parent()
                && !dir.as_os_str().is_empty()
            {
                std::fs::create_dir_all(dir).map_err(|e| StoreError::Setup(e.to_string()))?;
            }
            opts.max_connections(8).min_connections(1);
            opts.map_sqlx_sqlite_opts(|o| {
                o.create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(30))
            });
        } else {
            opts.max_connections(16).min_connections(1);
        }
        let db = Database::connect(opts).await?;
        Ok(Store { db, write_gate: sqlite.then(|| Arc::new(Mutex::new(()))), auth_cache: Arc::default() })
    }

    /// Applies every pending migration.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        use jiedai_migration::MigratorTrait;
        let _gate = self.gate().await;
        jiedai_migration::Migrator::up(&self.db, None).await?;
        Ok(())
    }

    /// `sqlite` or `postgres`.
    pub fn engine(&self) -> &'static str {
        match self.db.get_database_backend() {
            DatabaseBackend::Sqlite => "sqlite",
            DatabaseBackend::Postgres => "postgres",
            _ => "other",
        }
    }

    /// Checks the database answers (for `/readyz`).
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.db.ping().await?;
        Ok(())
    }

    /// Closes the pool (graceful shutdown).
    pub async fn close(self) -> Result<(), StoreError> {
        self.db.close().await?;
        Ok(())
    }

    async fn gate(&self) -> Option<OwnedMutexGuard<()>> {
        match &self.write_gate {
            Some(g) => Some(g.clone().lock_owned().await),
            None => None,
        }
    }

    pub(crate) async fn write(&self) -> Result<WriteTxn, StoreError> {
        let gate = self.gate().await;
        let txn = self.db.begin().await?;
        Ok(WriteTxn { txn, _gate: gate, auth_cache: self.auth_cache.clone() })
    }

    pub(crate) fn conn(&self) -> &impl ConnectionTrait {
        &self.db
    }
}

/// The file path inside a `sqlite:` URL, without the query.
fn sqlite_path(url: &str) -> Option<String> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or("");
    (!path.is_empty() && path != ":memory:").then(|| path.to_owned())
}

/// The SQLite URL for a file path, creating the file when missing.
pub fn sqlite_url(path: &std::path::Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_path_is_read_from_urls() {
        assert_eq!(sqlite_path("sqlite://./data/jiedai.db?mode=rwc").as_deref(), Some("./data/jiedai.db"));
        assert_eq!(sqlite_path("sqlite:/tmp/x.db").as_deref(), Some("/tmp/x.db"));
        assert_eq!(sqlite_path("sqlite::memory:"), None);
    }
}
