//! What differs between SQLite and PostgreSQL, in small named helpers: opening a SQLite
//! file, starting a write transaction, taking the lock that serialises migrations, and
//! reading one text field of a JSON column.

use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, DatabaseBackend, DatabaseConnection, DatabaseTransaction, SqliteTransactionMode,
    TransactionOptions, TransactionTrait,
};

use crate::StoreError;

/// Key of the PostgreSQL advisory lock that serialises migrations across instances.
pub(crate) const MIGRATION_LOCK: i64 = 0x6a69_6564_6169_0001;

/// SQLite writers of one process queue in order on an async lock before `BEGIN IMMEDIATE`
/// (see docs/architecture.md, "Storage", for what was measured).
pub(crate) const QUEUE_SQLITE_WRITERS: bool = true;

/// One top-level text field of a JSON text column, read by the database (so the rest of the
/// document is never sent): `json_extract` on SQLite, `->>` on PostgreSQL. `key` is ours, a
/// plain identifier, never user input.
pub(crate) fn json_text_field(
    backend: DatabaseBackend,
    column: &'static str,
    key: &'static str,
) -> sea_orm::sea_query::Expr {
    debug_assert!(key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'));
    let sql = match backend {
        DatabaseBackend::Postgres => format!("(\"{column}\"::jsonb ->> '{key}')"),
        _ => format!("json_extract(\"{column}\", '$.{key}')"),
    };
    sea_orm::sea_query::Expr::cust(sql)
}

/// The file path inside a `sqlite:` URL, without the query.
pub(crate) fn sqlite_path(url: &str) -> Option<String> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or("");
    (!path.is_empty() && path != ":memory:").then(|| path.to_owned())
}

/// The SQLite URL for a file path, creating the file when missing.
pub fn sqlite_url(path: &std::path::Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}

/// Creates the SQLite file's folder and sets the connection options: WAL, foreign keys,
/// and a busy timeout long enough that a writer waits for another instead of failing.
pub(crate) fn prepare_sqlite(url: &str, opts: &mut ConnectOptions) -> Result<(), StoreError> {
    if let Some(path) = sqlite_path(url)
        && let Some(dir) = std::path::Path::new(&path).parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Setup(e.to_string()))?;
    }
    opts.map_sqlx_sqlite_opts(|o| {
        o.create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(30))
    });
    Ok(())
}

/// A write transaction: on SQLite `BEGIN IMMEDIATE` (the write lock is taken at once, so
/// waiting happens at the start, where it is safe); on PostgreSQL a plain `BEGIN`.
pub(crate) async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, StoreError> {
    let mode = (db.get_database_backend() == DatabaseBackend::Sqlite).then_some(SqliteTransactionMode::Immediate);
    Ok(db.begin_with_options(TransactionOptions { sqlite_transaction_mode: mode, ..Default::default() }).await?)
}

/// A transaction that holds `lock` until it ends, across every process on the database:
/// a PostgreSQL transaction-scoped advisory lock, or SQLite's write lock.
pub(crate) async fn begin_exclusive(db: &DatabaseConnection, lock: i64) -> Result<DatabaseTransaction, StoreError> {
    let txn = begin_write(db).await?;
    lock_in(&txn, lock).await?;
    Ok(txn)
}

/// On PostgreSQL, serialises the rest of the transaction with every other holder of
/// `lock` (SQLite writers are serialised already).
pub(crate) async fn lock_in<C: ConnectionTrait>(c: &C, lock: i64) -> Result<(), StoreError> {
    if c.get_database_backend() == DatabaseBackend::Postgres {
        c.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({lock})")).await?;
    }
    Ok(())
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
