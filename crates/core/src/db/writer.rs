//! The single writer thread with group commit.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread;
use std::time::{Duration, Instant};

use rusqlite::Connection;
use tokio::sync::oneshot;
use tracing::{error, warn};

use super::job::{self, Completion, Isolation, Job, SharedGroup, in_savepoint};
use super::wal_sync::WalSync;
use super::{DbError, run_cached};

/// Most jobs folded into one transaction; bounds the latency a large burst adds
/// to the first job in it.
const MAX_JOBS_PER_COMMIT: usize = 2048;

/// Work that may lag behind the jobs that cause it (bulk search indexing): done at
/// most `max_delay` after a commit that may have left some, inside the transaction of
/// a later batch, or on its own once no job has come for `idle_after`. It runs in its
/// own savepoint: if it fails, only its work is rolled back, the jobs still commit and
/// it is tried again next time.
pub(super) struct Deferred {
    pub run: fn(&Connection) -> Result<(), DbError>,
    pub max_delay: Duration,
    pub idle_after: Duration,
}

/// Work the writer does after each successful COMMIT (bounding the WAL's size).
pub(super) type AfterCommit = Box<dyn Fn(&Connection) + Send>;

pub(super) struct Writer {
    // std's channel: `send` never blocks (fine from async code) and the writer can
    // wait with a timeout, which idle deferred work needs.
    jobs: Sender<Job>,
    commits: Arc<AtomicU64>,
}

impl Writer {
    /// With `wal_sync`, the connection commits without syncing and each commit's jobs
    /// resolve only once that thread has synced the WAL (see `wal_sync`).
    pub(super) fn start(
        conn: Connection,
        deferred: Deferred,
        after_commit: AfterCommit,
        wal_sync: Option<WalSync>,
    ) -> Result<Writer, DbError> {
        let (jobs, receiver) = mpsc::channel();
        let commits = Arc::new(AtomicU64::new(0));
        let counter = commits.clone();
        thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || {
                let finish = Finish {
                    after_commit,
                    wal_sync,
                };
                run(&conn, &receiver, &counter, &deferred, &finish)
            })
            .map_err(|e| DbError::Invalid(format!("could not start the writer thread: {e}")))?;
        Ok(Writer { jobs, commits })
    }

    pub(super) async fn submit<R, F>(&self, f: F) -> Result<R, DbError>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> Result<R, DbError> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel::<Result<R, DbError>>();
        self.jobs
            .send(job::once(f, reply))
            .map_err(|_| DbError::Closed)?;
        answer.await.map_err(|_| DbError::Closed)?
    }

    /// As [`Writer::submit`] for work that may run more than once (see `job`).
    pub(super) async fn submit_repeatable<R, F>(&self, f: F) -> Result<R, DbError>
    where
        R: Send + 'static,
        F: FnMut(&Connection, Isolation) -> Result<R, DbError> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel::<Result<R, DbError>>();
        self.jobs
            .send(job::repeatable(f, reply))
            .map_err(|_| DbError::Closed)?;
        answer.await.map_err(|_| DbError::Closed)?
    }

    pub(super) fn commit_counter(&self) -> Arc<AtomicU64> {
        self.commits.clone()
    }

    pub(super) fn commits(&self) -> u64 {
        self.commits.load(Ordering::Relaxed)
    }
}

/// What follows a commit: resolving its jobs (now, or once the WAL is synced) and
/// the after-commit work.
struct Finish {
    after_commit: AfterCommit,
    wal_sync: Option<WalSync>,
}

impl Finish {
    fn resolve(&self, completions: &mut Vec<Completion>, committed: Result<(), &DbError>) {
        match (&self.wal_sync, committed) {
            (Some(wal_sync), Ok(())) => wal_sync.after_sync(std::mem::take(completions)),
            _ => {
                for done in completions.drain(..) {
                    done(committed);
                }
            }
        }
    }
}

fn run(
    conn: &Connection,
    receiver: &Receiver<Job>,
    commits: &AtomicU64,
    deferred: &Deferred,
    finish: &Finish,
) {
    let mut completions: Vec<Completion> = Vec::new();
    // When deferred work left by earlier commits must be done at the latest.
    let mut deferred_due: Option<Instant> = None;
    // After a failed attempt while idle, the next one waits this long.
    let mut idle_wait = deferred.idle_after;
    loop {
        let first = match deferred_due {
            None => match receiver.recv() {
                Ok(job) => job,
                Err(_) => return,
            },
            Some(_) => match receiver.recv_timeout(idle_wait) {
                Ok(job) => job,
                Err(RecvTimeoutError::Timeout) => {
                    if commit_deferred_alone(conn, deferred, commits, &finish.after_commit) {
                        deferred_due = None;
                        idle_wait = deferred.idle_after;
                    } else {
                        idle_wait = deferred.max_delay;
                    }
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => return,
            },
        };
        if let Err(e) = run_cached(conn, "BEGIN IMMEDIATE") {
            warn!(error = %e, "could not begin a write transaction");
            match first {
                Job::Once(job) => drop(job(Err(&e))),
                Job::Repeatable(job) => job.refuse(&e),
            }
            continue;
        }
        let mut group = SharedGroup::default();
        let mut next = Some(first);
        let mut taken = 0;
        while let Some(job) = next.take() {
            match job {
                Job::Once(job) => {
                    group.close(conn, &mut completions);
                    completions.extend(job(Ok(conn)));
                }
                Job::Repeatable(job) => group.run(conn, job, &mut completions),
            }
            taken += 1;
            if taken < MAX_JOBS_PER_COMMIT {
                next = receiver.try_recv().ok();
            }
        }
        group.close(conn, &mut completions);
        let due = *deferred_due.get_or_insert_with(|| Instant::now() + deferred.max_delay);
        let deferred_done = Instant::now() >= due && run_deferred(conn, deferred);
        let committed = run_cached(conn, "COMMIT");
        if let Err(e) = &committed {
            error!(error = %e, jobs = completions.len(), "commit failed");
            if let Err(rollback) = conn.execute_batch("ROLLBACK") {
                error!(%rollback, "rollback after a failed commit failed");
            }
        } else {
            commits.fetch_add(1, Ordering::Relaxed);
            if deferred_done {
                deferred_due = None;
            }
        }
        finish.resolve(&mut completions, committed.as_ref().map(|_| ()));
        // After the answers: whatever this costs delays only the next batch.
        if committed.is_ok() {
            (finish.after_commit)(conn);
        }
    }
}

/// Runs the deferred work in a savepoint of the open transaction; true if it succeeded.
fn run_deferred(conn: &Connection, deferred: &Deferred) -> bool {
    match in_savepoint(conn, deferred.run) {
        Ok(()) => true,
        Err(e) => {
            warn!(error = %e, "deferred work failed; it is tried again later");
            false
        }
    }
}

/// The writer is idle: does the deferred work in a transaction of its own. True if
/// it committed.
fn commit_deferred_alone(
    conn: &Connection,
    deferred: &Deferred,
    commits: &AtomicU64,
    after_commit: &AfterCommit,
) -> bool {
    if let Err(e) = run_cached(conn, "BEGIN IMMEDIATE") {
        warn!(error = %e, "could not begin a transaction for deferred work");
        return false;
    }
    let done = run_deferred(conn, deferred);
    match run_cached(conn, "COMMIT") {
        Ok(()) => {
            commits.fetch_add(1, Ordering::Relaxed);
            after_commit(conn);
            done
        }
        Err(e) => {
            error!(error = %e, "commit of deferred work failed");
            if let Err(rollback) = conn.execute_batch("ROLLBACK") {
                error!(%rollback, "rollback after a failed commit failed");
            }
            false
        }
    }
}
