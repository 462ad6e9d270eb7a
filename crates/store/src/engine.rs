//! What differs between SQLite and PostgreSQL, in small named helpers: opening a SQLite
//! file, starting a write transaction, taking the lock that serialises migrations, and the
//! few SQL functions whose names differ (JSON fields and arrays, casts).

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

/// SQL for the rows of a subquery as one JSON array of arrays (`[]` when none), built by the
/// database: one value to hand over instead of a row each. `items` are the columns of each
/// array; PostgreSQL keeps `order`, SQLite the subquery's own order.
pub(crate) fn json_rows_sql(backend: DatabaseBackend, items: &str, order: &str) -> String {
    match backend {
        DatabaseBackend::Postgres => {
            format!("coalesce(json_agg(json_build_array({items}) ORDER BY {order}), '[]')::text")
        }
        _ => format!("json_group_array(json_array({items}))"),
    }
}

/// SQL for a value as text (to compare an integer id with a text column).
pub(crate) fn text_sql(backend: DatabaseBackend, expr: &str) -> String {
    match backend {
        DatabaseBackend::Postgres => format!("({expr})::text"),
        _ => format!("CAST({expr} AS TEXT)"),
    }
}

/// A time as the database wrote it into JSON or SQLite keeps it: RFC 3339
/// (`YYYY-MM-DDTHH:MM:SS+00:00`), or with a space for the `T`.
pub(crate) fn stored_time(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(s)
        .or_else(|_| chrono::DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f%:z"))
        .ok()
        .map(|t| t.with_timezone(&chrono::Utc))
}

/// Where a searched text may stand in a column's value.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Match {
    /// At the start.
    Prefix,
    /// At the end.
    Suffix,
    /// Anywhere.
    Anywhere,
}

/// `column LIKE pattern ESCAPE '\'` that matches `text` literally: `%`, `_` and `\` typed by
/// a user are escaped, so they match themselves and never everything. (The shorthands
/// `contains`, `starts_with`, `ends_with` of sea-orm do not escape; clippy.toml forbids them.)
pub(crate) fn like_text(column: impl sea_orm::ColumnTrait, text: &str, m: Match) -> sea_orm::sea_query::Expr {
    let mut escaped = String::with_capacity(text.len() + 2);
    for ch in text.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(ch);
    }
    let pattern = match m {
        Match::Prefix => format!("{escaped}%"),
        Match::Suffix => format!("%{escaped}"),
        Match::Anywhere => format!("%{escaped}%"),
    };
    column.like(sea_orm::sea_query::LikeExpr::new(pattern).escape('\\'))
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
/// a busy timeout long enough that a writer waits for another instead of failing, and how
/// durable a commit is (`FULL`: the WAL is synced at every commit, so an acknowledged write
/// survives power loss; `NORMAL`: synced at checkpoints only, so it survives `kill -9` but a
/// power loss may drop the last commits).
pub(crate) fn prepare_sqlite(url: &str, opts: &mut ConnectOptions, full_sync: bool) -> Result<(), StoreError> {
    if let Some(path) = sqlite_path(url)
        && let Some(dir) = std::path::Path::new(&path).parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Setup(e.to_string()))?;
    }
    opts.map_sqlx_sqlite_opts(move |o| {
        o.create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(if full_sync { SqliteSynchronous::Full } else { SqliteSynchronous::Normal })
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
