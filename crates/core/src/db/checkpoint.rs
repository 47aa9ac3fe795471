//! WAL checkpoints on their own thread and connection.
//!
//! SQLite's automatic checkpoint runs inside the COMMIT that crosses its threshold:
//! that commit copies ~1,000 pages into the database file and syncs it, and every
//! webhook waiting on that commit waits too (latency spikes). The writer therefore
//! turns it off and this thread checkpoints instead:
//! - a PASSIVE checkpoint after each interval with new commits. It never blocks the
//!   writer, but under sustained load it never catches up with the end of the log, so
//!   the writer never wraps back to the start and the log file keeps growing. Appending
//!   to a growing file is also slower to sync than overwriting (each sync then commits
//!   file-system metadata too): measured, p99 at 1,000 msg/s went from ~20 to ~75 ms;
//! - so when the PASSIVE one reports more than `restart_above_bytes` of log, a RESTART
//!   checkpoint right after it: it waits for the writer's current transaction, copies
//!   the few frames written since, and makes the next commit start over at the
//!   beginning of the file, which is overwritten in place (a short stall);
//! - a TRUNCATE checkpoint once writes have been quiet for `quiet_after`, so an idle
//!   app leaves an empty log behind.
//!
//! If the checkpointer cannot keep up at all (a burst far beyond what the disk copies
//! back), the writer itself truncates the log after a commit that left it above
//! `writer_truncate_above_bytes`: a hard bound, paid for with that commit's latency.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use rusqlite::Connection;
use tracing::warn;

use super::wal_sync::wal_path;
use super::{BUSY_TIMEOUT, DbError};

/// When the checkpointer runs; the defaults suit the app, tests shrink them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckpointPolicy {
    pub interval: Duration,
    pub restart_above_bytes: u64,
    pub writer_truncate_above_bytes: u64,
    pub quiet_after: Duration,
}

impl Default for CheckpointPolicy {
    fn default() -> Self {
        CheckpointPolicy {
            interval: Duration::from_millis(100),
            restart_above_bytes: 4 * 1024 * 1024,
            writer_truncate_above_bytes: 128 * 1024 * 1024,
            quiet_after: Duration::from_secs(2),
        }
    }
}

/// Stops the checkpointer thread when dropped.
pub(super) struct Checkpointer {
    _stop: mpsc::Sender<()>,
}

impl Checkpointer {
    /// `commits` is the writer's commit counter: it tells new writes from quiet.
    pub(super) fn start(
        path: &Path,
        policy: CheckpointPolicy,
        commits: Arc<AtomicU64>,
    ) -> Result<Checkpointer, DbError> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let (stop, stopped) = mpsc::channel();
        thread::Builder::new()
            .name("sqlite-checkpoint".into())
            .spawn(move || run(&conn, policy, &commits, &stopped))
            .map_err(|e| DbError::Invalid(format!("could not start the checkpointer: {e}")))?;
        Ok(Checkpointer { _stop: stop })
    }
}

/// Attempts the writer makes to truncate an oversized log while the checkpointer
/// holds the checkpoint lock, and the pause between them: the backstop waits rather
/// than let the log grow on.
const BACKSTOP_ATTEMPTS: u32 = 200;
const BACKSTOP_PAUSE: Duration = Duration::from_millis(5);

/// What the writer runs after each commit: the hard bound on the log's size.
pub(super) fn writer_backstop(
    path: &Path,
    policy: CheckpointPolicy,
) -> impl Fn(&Connection) + Send + use<> {
    let wal = wal_path(path);
    move |conn: &Connection| {
        for _ in 0..BACKSTOP_ATTEMPTS {
            if log_file_bytes(&wal) <= policy.writer_truncate_above_bytes {
                return;
            }
            match checkpoint(conn, "TRUNCATE") {
                Ok((Checkpoint::Done, _)) => return,
                Ok((Checkpoint::Busy, _)) => thread::sleep(BACKSTOP_PAUSE),
                Err(error) => {
                    warn!(%error, "the writer could not truncate an oversized WAL");
                    return;
                }
            }
        }
    }
}

fn log_file_bytes(wal: &Path) -> u64 {
    std::fs::metadata(wal).map_or(0, |m| m.len())
}

fn run(
    conn: &Connection,
    policy: CheckpointPolicy,
    commits: &AtomicU64,
    stopped: &mpsc::Receiver<()>,
) {
    let mut checkpointed_at = commits.load(Ordering::Relaxed);
    let mut last_write = Instant::now();
    let mut truncated = false;
    loop {
        match stopped.recv_timeout(policy.interval) {
            Err(RecvTimeoutError::Timeout) => {}
            Ok(()) | Err(RecvTimeoutError::Disconnected) => return,
        }
        let now_commits = commits.load(Ordering::Relaxed);
        let outcome = if now_commits != checkpointed_at {
            checkpointed_at = now_commits;
            last_write = Instant::now();
            truncated = false;
            checkpoint(conn, "PASSIVE").and_then(|(_, log_bytes)| {
                if log_bytes > policy.restart_above_bytes {
                    checkpoint(conn, "RESTART")
                } else {
                    Ok((Checkpoint::Done, log_bytes))
                }
            })
        } else if !truncated && last_write.elapsed() >= policy.quiet_after {
            truncated = true;
            checkpoint(conn, "TRUNCATE")
        } else {
            continue;
        };
        match outcome {
            Ok((Checkpoint::Done, _)) => {}
            Ok((Checkpoint::Busy, _)) => truncated = false,
            Err(error) => {
                warn!(%error, "WAL checkpoint failed; it is retried");
                truncated = false;
            }
        }
    }
}

enum Checkpoint {
    Done,
    /// Another checkpoint or a reader on an old snapshot was in the way.
    Busy,
}

/// Runs a checkpoint; returns whether it was busy and how many bytes of log it
/// found. Busy is not an error: the next round tries again.
fn checkpoint(conn: &Connection, mode: &str) -> rusqlite::Result<(Checkpoint, u64)> {
    let (busy, log_frames): (bool, i64) =
        conn.query_row(&format!("PRAGMA wal_checkpoint({mode})"), [], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?;
    let page_size: i64 = conn.query_row("PRAGMA page_size", [], |row| row.get(0))?;
    let log_bytes = u64::try_from(log_frames.max(0) * page_size).unwrap_or(0);
    let state = if busy {
        Checkpoint::Busy
    } else {
        Checkpoint::Done
    };
    Ok((state, log_bytes))
}
