//! The SQLite store: one file, one writer thread that group-commits, a few readers.
//!
//! Writes are closures sent to the writer thread. It takes every job that is waiting,
//! runs them in one transaction and commits once, so a burst of webhook deliveries
//! costs one fsync instead of one each. Savepoints keep a failing job from spoiling
//! the others (one per job, or one per run of repeatable jobs: see `job`). A job's future resolves
//! only after the COMMIT that contains it has returned and, with full durability,
//! after the WAL holding it has been synced to disk (on another thread, while the
//! writer goes on with the next batch).

pub mod business_numbers;
mod checkpoint;
pub mod contacts;
pub mod conversations;
pub mod export;
mod job;
pub mod media;
pub mod messages;
pub mod outbound;
pub mod outbox;
mod pool;
pub mod quick_replies;
pub mod reactions;
pub mod search_index;
pub mod statuses;
pub mod templates;
mod wal_sync;
pub mod webhook_events;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

pub use checkpoint::CheckpointPolicy;
use checkpoint::Checkpointer;
pub use job::Isolation;
pub use pool::ReaderPool;
use wal_sync::WalSync;
use writer::{Deferred, Writer};

refinery::embed_migrations!("../../migrations");

/// How long a connection waits for a lock before giving up with SQLITE_BUSY.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Readers kept open: enough for the UI and a worker or two to read in parallel.
const READERS: usize = 4;
/// Prepared statements the writer keeps. One webhook delivery runs about twenty
/// distinct statements; rusqlite's default of 16 made the cache evict and re-prepare
/// them on every delivery.
const WRITER_STATEMENT_CACHE: usize = 128;
/// The writer's page cache (KiB): keeps the hot B-tree pages (indexes on messages,
/// contacts, conversations) in memory across transactions.
const WRITER_CACHE_KIB: i64 = 32 * 1024;
/// How long a new message may wait to become searchable under continuous writes, and
/// how long the writer waits for more work before indexing on its own. Indexing in
/// bulk writes one FTS5 segment per round instead of one per commit: a third of the
/// pages each single-message commit wrote to the WAL (measured: 14.4 → 8.9 per commit).
const SEARCH_INDEX_MAX_DELAY: Duration = Duration::from_millis(100);
const SEARCH_INDEX_IDLE: Duration = Duration::from_millis(10);

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("migration failed: {0}")]
    Migration(#[from] refinery::Error),
    #[error("the database is closed")]
    Closed,
    #[error("the transaction that held this write failed to commit: {0}")]
    CommitFailed(String),
    #[error("{0}")]
    Invalid(String),
}

/// Durability of each commit. `Full` syncs the WAL on every commit, so a power cut
/// cannot take back a message we acknowledged; group commit keeps its cost per batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Durability {
    #[default]
    Full,
    Normal,
}

impl Durability {
    fn pragma(self) -> &'static str {
        match self {
            Durability::Full => "FULL",
            Durability::Normal => "NORMAL",
        }
    }
}

#[derive(Clone)]
pub struct Database {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    writer: Writer,
    readers: ReaderPool,
    _checkpointer: Checkpointer,
}

/// How a database is opened: the durability of each commit and when the WAL is
/// checkpointed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DbOptions {
    pub durability: Durability,
    pub checkpoints: CheckpointPolicy,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database")
            .field("path", &self.inner.path)
            .finish()
    }
}

impl Database {
    /// Opens (creating if needed) the database file, runs pending migrations, and
    /// starts the writer thread.
    pub fn open(path: &Path) -> Result<Database, DbError> {
        Self::open_with(path, Durability::default())
    }

    pub fn open_with(path: &Path, durability: Durability) -> Result<Database, DbError> {
        Self::open_with_options(
            path,
            DbOptions {
                durability,
                ..DbOptions::default()
            },
        )
    }

    pub fn open_with_options(path: &Path, options: DbOptions) -> Result<Database, DbError> {
        let mut conn = Connection::open(path)?;
        configure(&conn, options.durability)?;
        migrate(&mut conn)?;
        // Messages left queued by a writer that did not index them (another tool, or a
        // failed bulk index) become searchable before anything else runs. IMMEDIATE:
        // another process may hold the database (a second instance, a tool), and a
        // deferred read that later wants to write would fail at once instead of waiting.
        let catch_up = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        search_index::index_pending(&catch_up)?;
        catch_up.commit()?;
        configure_writer(&conn)?;
        // Full durability: the writer's commits do not wait for the disk; a thread syncs
        // the WAL and only then are their jobs resolved (see wal_sync).
        let wal_sync = match options.durability {
            Durability::Full => {
                conn.pragma_update(None, "synchronous", Durability::Normal.pragma())?;
                Some(WalSync::start(path)?)
            }
            Durability::Normal => None,
        };
        let mut readers = Vec::with_capacity(READERS);
        for _ in 0..READERS {
            let reader = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            reader.busy_timeout(BUSY_TIMEOUT)?;
            reader.pragma_update(None, "foreign_keys", "ON")?;
            readers.push(reader);
        }
        let writer = Writer::start(
            conn,
            Deferred {
                run: index_pending_messages,
                max_delay: SEARCH_INDEX_MAX_DELAY,
                idle_after: SEARCH_INDEX_IDLE,
            },
            Box::new(checkpoint::writer_backstop(path, options.checkpoints)),
            wal_sync,
        )?;
        let checkpointer = Checkpointer::start(path, options.checkpoints, writer.commit_counter())?;
        Ok(Database {
            inner: Arc::new(Inner {
                path: path.to_path_buf(),
                writer,
                readers: ReaderPool::new(readers),
                _checkpointer: checkpointer,
            }),
        })
    }

    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Runs `f` in the writer's current transaction. If `f` fails, only its own
    /// changes are rolled back. Resolves after the commit that includes it.
    pub async fn write<R, F>(&self, f: F) -> Result<R, DbError>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> Result<R, DbError> + Send + 'static,
    {
        self.inner.writer.submit(f).await
    }

    /// As [`Database::write`], for work that may run more than once: with other such
    /// jobs in one savepoint (`Isolation::Shared`, where it must fail rather than
    /// isolate a failure itself), and if any of them fails, again alone in its own
    /// savepoint (`Isolation::Alone`). Webhook deliveries run this way.
    pub async fn write_repeatable<R, F>(&self, f: F) -> Result<R, DbError>
    where
        R: Send + 'static,
        F: FnMut(&Connection, Isolation) -> Result<R, DbError> + Send + 'static,
    {
        self.inner.writer.submit_repeatable(f).await
    }

    /// Runs `f` on a read-only connection from the pool, off the async runtime.
    pub async fn read<R, F>(&self, f: F) -> Result<R, DbError>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> Result<R, DbError> + Send + 'static,
    {
        self.inner.readers.read(f).await
    }

    /// Number of commits the writer has made; tests use it to see batching happen.
    pub fn commits(&self) -> u64 {
        self.inner.writer.commits()
    }
}

fn configure(conn: &Connection, durability: Durability) -> Result<(), DbError> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(DbError::Invalid(format!(
            "the database refused write-ahead logging (journal_mode={mode})"
        )));
    }
    conn.pragma_update(None, "synchronous", durability.pragma())?;
    Ok(())
}

/// Runs pending migrations with foreign keys off, as SQLite requires for rebuilding a
/// table that others refer to, then checks every reference once and turns them on.
fn migrate(conn: &mut Connection) -> Result<(), DbError> {
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let report = migrations::runner().run(conn)?;
    if !report.applied_migrations().is_empty() {
        let broken: i64 =
            conn.query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |row| {
                row.get(0)
            })?;
        if broken > 0 {
            return Err(DbError::Invalid(format!(
                "after upgrading the database, {broken} rows refer to rows that do not exist"
            )));
        }
    }
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

/// Settings only the writer connection needs.
fn configure_writer(conn: &Connection) -> Result<(), DbError> {
    conn.set_prepared_statement_cache_capacity(WRITER_STATEMENT_CACHE);
    conn.pragma_update(None, "cache_size", -WRITER_CACHE_KIB)?;
    // Savepoint journals (one per job) stay in memory instead of spilling to temp files.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // The checkpointer thread checkpoints instead, off the commit path (see checkpoint).
    conn.pragma_update(None, "wal_autocheckpoint", 0)?;
    Ok(())
}

fn index_pending_messages(conn: &Connection) -> Result<(), DbError> {
    search_index::index_pending(conn).map(|_| ())
}

/// The newest schema version the embedded migrations know.
pub fn latest_schema_version() -> i32 {
    migrations::runner()
        .get_migrations()
        .iter()
        .map(|m| m.version())
        .max()
        .unwrap_or(0)
}

/// Applies embedded migrations up to and including `version` (for upgrade tests).
pub fn migrate_to(conn: &mut Connection, version: i32) -> Result<(), DbError> {
    migrations::runner()
        .set_target(refinery::Target::Version(version))
        .run(conn)?;
    Ok(())
}

/// Runs one statement that returns no rows (a transaction or savepoint command) from
/// the statement cache: these run several times per webhook delivery, and preparing
/// them afresh each time showed up in profiles of the writer thread.
pub fn run_cached(conn: &Connection, sql: &str) -> Result<(), DbError> {
    conn.prepare_cached(sql)?.execute([])?;
    Ok(())
}

/// Current Unix time in seconds.
pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Current Unix time in milliseconds.
pub fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
