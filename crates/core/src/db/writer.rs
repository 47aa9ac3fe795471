//! The single writer thread with group commit.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

use rusqlite::Connection;
use tokio::sync::{mpsc, oneshot};
use tracing::{error, warn};

use super::DbError;

/// Most jobs folded into one transaction; bounds the latency a large burst adds
/// to the first job in it.
const MAX_JOBS_PER_COMMIT: usize = 2048;

/// A job runs its closure inside a savepoint and returns what to do once the
/// transaction's fate is known; given an error instead of a connection (no
/// transaction could be opened), it answers its caller at once.
type Job = Box<dyn FnOnce(Result<&Connection, &DbError>) -> Option<Completion> + Send>;
type Completion = Box<dyn FnOnce(Result<(), &DbError>) + Send>;

pub(super) struct Writer {
    jobs: mpsc::UnboundedSender<Job>,
    commits: Arc<AtomicU64>,
}

impl Writer {
    pub(super) fn start(conn: Connection) -> Result<Writer, DbError> {
        let (jobs, receiver) = mpsc::unbounded_channel();
        let commits = Arc::new(AtomicU64::new(0));
        let counter = commits.clone();
        thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || run(conn, receiver, counter))
            .map_err(|e| DbError::Invalid(format!("could not start the writer thread: {e}")))?;
        Ok(Writer { jobs, commits })
    }

    pub(super) async fn submit<R, F>(&self, f: F) -> Result<R, DbError>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> Result<R, DbError> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel::<Result<R, DbError>>();
        let job: Job = Box::new(move |conn: Result<&Connection, &DbError>| {
            let conn = match conn {
                Ok(conn) => conn,
                Err(e) => {
                    let _ = reply.send(Err(DbError::CommitFailed(e.to_string())));
                    return None;
                }
            };
            let outcome = in_savepoint(conn, f);
            let completion: Completion = Box::new(move |committed: Result<(), &DbError>| {
                let result = match (committed, outcome) {
                    (Ok(()), outcome) => outcome,
                    (Err(e), _) => Err(DbError::CommitFailed(e.to_string())),
                };
                // The caller may have gone away (a dropped request); nothing to tell.
                let _ = reply.send(result);
            });
            Some(completion)
        });
        self.jobs.send(job).map_err(|_| DbError::Closed)?;
        answer.await.map_err(|_| DbError::Closed)?
    }

    pub(super) fn commits(&self) -> u64 {
        self.commits.load(Ordering::Relaxed)
    }
}

fn in_savepoint<R>(
    conn: &Connection,
    f: impl FnOnce(&Connection) -> Result<R, DbError>,
) -> Result<R, DbError> {
    conn.execute_batch("SAVEPOINT job")?;
    match f(conn) {
        Ok(value) => {
            conn.execute_batch("RELEASE job")?;
            Ok(value)
        }
        Err(e) => {
            if let Err(rollback) = conn.execute_batch("ROLLBACK TO job; RELEASE job") {
                error!(%rollback, "could not roll back a failed write");
            }
            Err(e)
        }
    }
}

fn run(conn: Connection, mut receiver: mpsc::UnboundedReceiver<Job>, commits: Arc<AtomicU64>) {
    let mut completions: Vec<Completion> = Vec::new();
    while let Some(first) = receiver.blocking_recv() {
        if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
            let e = DbError::from(e);
            warn!(error = %e, "could not begin a write transaction");
            first(Err(&e));
            continue;
        }
        completions.extend(first(Ok(&conn)));
        while completions.len() < MAX_JOBS_PER_COMMIT {
            match receiver.try_recv() {
                Ok(job) => completions.extend(job(Ok(&conn))),
                Err(_) => break,
            }
        }
        let committed = conn.execute_batch("COMMIT").map_err(DbError::from);
        if let Err(e) = &committed {
            error!(error = %e, jobs = completions.len(), "commit failed");
            if let Err(rollback) = conn.execute_batch("ROLLBACK") {
                error!(%rollback, "rollback after a failed commit failed");
            }
        } else {
            commits.fetch_add(1, Ordering::Relaxed);
        }
        for done in completions.drain(..) {
            done(committed.as_ref().map(|_| ()));
        }
    }
}
