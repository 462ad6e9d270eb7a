//! Persistence of Jiedai. SeaORM entities stay inside this crate; repositories, one folder
//! per feature (`accounts`, `calendar`, `procedure`, `reception`), take and return domain
//! types. Every write runs in one transaction together with its audit record, and marks
//! the cached data it changes (see [`Topic`]) so that every instance's caches drop it.

mod accounts;
mod audit;
mod calendar;
mod engine;
mod entity;
mod epochs;
mod error;
mod idempotency;
mod notify;
mod procedure;
mod reception;
mod reports;
mod resources;
mod review;
mod secrets;
mod settlement;
mod survey;
mod tasks;

use std::sync::Arc;
use std::time::Duration;

use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, DatabaseTransaction};

pub use accounts::{Attempt, NewUser, UserUpdate};
pub use audit::{AuditFilter, HistoryRow};
pub use calendar::StoredDay;
pub use engine::sqlite_url;
pub use epochs::Topic;
pub use error::StoreError;
pub use idempotency::{Claim, StoredResponse};
pub use notify::{
    ChannelWrite, DeliveryCounts, Fan, NewEvent, Outcome, StoredChannel, StoredDelivery, StoredEvent, StoredLink,
    StoredNotification, Subject, Target, TaskSubject,
};
pub use procedure::ProcedureVersion;
pub use reception::{
    AttachmentMeta, Cursor, NewAttachment, ReceptionChange, ReceptionFilter, ReceptionRow, Scope, Sort,
    StoredReception, form_record,
};
pub use reports::{OpenActionRow, OverrunRowDb, ReceptionCount, Saving, SurveyDay, TaskCount, TierSpendRow};
pub use resources::{
    Midnight, NewBooking, NewItemLine, StoredBooking, StoredLine, StoredLostFound, StoredMovement, StoredRoom,
    StoredStockItem, StoredVehicle,
};
pub use review::{ActionQuery, StoredAction, StoredApplication, StoredMinutes};
pub use settlement::{ReceiptMeta, SettlementRow, StoredExpense, StoredSettlement};
pub use survey::{NewResponse, NewSurveyLink, StoredSurveyLink, StoredSurveyResponse, StoredWaiver};
pub use tasks::{BoardReception, NewTask, PersonTask, StoredAgenda, StoredTask, StoredTeam, TaskChange};

/// How the connection pool is sized; `None` takes the engine's default (SQLite 8,
/// PostgreSQL 16 connections at most, one kept open).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolOptions {
    /// Most connections open at once.
    pub max_connections: Option<u32>,
    /// Connections kept open while idle.
    pub min_connections: Option<u32>,
    /// How long a query waits for a free connection before failing (during an outage, how
    /// long before a request is answered 503).
    pub acquire_timeout: Duration,
    /// SQLite only: `synchronous=FULL` (a commit survives power loss) when true, `NORMAL`
    /// (survives a crash of the process only) when false.
    pub sqlite_full_sync: bool,
}

impl Default for PoolOptions {
    fn default() -> Self {
        Self {
            max_connections: None,
            min_connections: None,
            acquire_timeout: Duration::from_secs(2),
            sqlite_full_sync: true,
        }
    }
}

/// The database, on SQLite or PostgreSQL.
#[derive(Clone)]
pub struct Store {
    db: DatabaseConnection,
    /// SQLite only: writers of this process queue here, in order, before taking the
    /// database's write lock (see [`Store::write`]).
    write_queue: Option<Arc<tokio::sync::Mutex<()>>>,
    /// Which cached data changed, here and (as far as the last look) in other instances.
    epochs: Arc<epochs::Epochs>,
}

/// A write transaction: marks the cached data it changes, and tells this process's caches
/// once it commits.
pub(crate) struct WriteTxn {
    pub(crate) txn: DatabaseTransaction,
    _queued: Option<tokio::sync::OwnedMutexGuard<()>>,
    touched: Vec<Topic>,
    epochs: Arc<epochs::Epochs>,
}

impl WriteTxn {
    /// Marks cached data as changed by this transaction (written in the same transaction,
    /// so other instances see it exactly when the change commits).
    pub(crate) async fn touch(&mut self, topic: Topic) -> Result<(), StoreError> {
        if !self.touched.contains(&topic) {
            epochs::bump(&self.txn, topic).await?;
            self.touched.push(topic);
        }
        Ok(())
    }

    /// Commits; then this process's caches of what was touched are dropped at once.
    /// (After the commit: a reader in between would otherwise cache the old state.)
    pub(crate) async fn commit(self) -> Result<(), StoreError> {
        self.txn.commit().await?;
        for t in self.touched {
            self.epochs.changed_here(t);
        }
        Ok(())
    }
}

impl Store {
    /// Opens a database from a URL (`sqlite://path` or `postgres://…`), creating the
    /// SQLite file and its folder when missing. Does not run migrations.
    pub async fn connect(url: &str, pool: PoolOptions) -> Result<Store, StoreError> {
        let mut opts = ConnectOptions::new(url.to_owned());
        // Connecting counts against the same wait: during an outage a request fails after
        // `acquire_timeout`, not after the driver's own longer connect timeout.
        opts.sqlx_logging(false).connect_timeout(pool.acquire_timeout).acquire_timeout(pool.acquire_timeout);
        // Ping a pooled connection only when it sat idle a while: a ping on every acquire
        // was an extra round trip (a thread hand-over on SQLite) per query.
        opts.test_before_acquire_if_idle_for(Duration::from_secs(30));
        let sqlite = url.starts_with("sqlite:");
        let (max, min) = if sqlite {
            engine::prepare_sqlite(url, &mut opts, pool.sqlite_full_sync)?;
            (8, 1)
        } else {
            (16, 1)
        };
        opts.max_connections(pool.max_connections.unwrap_or(max).max(2))
            .min_connections(pool.min_connections.unwrap_or(min));
        let db = Database::connect(opts).await?;
        let write_queue = (sqlite && engine::QUEUE_SQLITE_WRITERS).then(Arc::default);
        Ok(Store { db, write_queue, epochs: Arc::default() })
    }

    /// Applies every pending migration and answers how many were applied. Several
    /// processes starting at once migrate once: the first takes a lock (a PostgreSQL
    /// advisory lock, SQLite's write lock) and the others wait for it, then find nothing
    /// left to do; none goes on before the schema is current.
    pub async fn migrate(&self) -> Result<usize, StoreError> {
        use jiedai_migration::MigratorTrait;
        let txn = engine::begin_exclusive(&self.db, engine::MIGRATION_LOCK).await?;
        jiedai_migration::Migrator::install(&txn).await?;
        let pending = jiedai_migration::Migrator::get_pending_migrations(&txn).await?.len();
        if pending > 0 {
            jiedai_migration::Migrator::up(&txn, None).await?;
        }
        txn.commit().await?;
        Ok(pending)
    }

    /// `sqlite` or `postgres`.
    pub fn engine(&self) -> &'static str {
        match self.db.get_database_backend() {
            DatabaseBackend::Sqlite => "sqlite",
            DatabaseBackend::Postgres => "postgres",
            _ => "other",
        }
    }

    pub(crate) fn backend(&self) -> DatabaseBackend {
        self.db.get_database_backend()
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

    /// A write transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`),
    /// so a second writer — another request, the command line, another process — waits
    /// for it instead of failing with "database is locked" when it upgrades later.
    pub(crate) async fn write(&self) -> Result<WriteTxn, StoreError> {
        let queued = match &self.write_queue {
            Some(q) => Some(q.clone().lock_owned().await),
            None => None,
        };
        let txn = engine::begin_write(&self.db).await?;
        Ok(WriteTxn { txn, _queued: queued, touched: Vec::new(), epochs: self.epochs.clone() })
    }

    pub(crate) fn conn(&self) -> &impl ConnectionTrait {
        &self.db
    }
}
