//! The jobs the writer runs, and the savepoints that keep one job's failure from
//! spoiling the others in the same transaction.
//!
//! A one-off job runs in a savepoint of its own. A repeatable job (a webhook delivery)
//! may run again after its effects were rolled back, so consecutive repeatable jobs
//! share one savepoint: SQLite copies each page a savepoint changes into its journal
//! the first time, and a savepoint per delivery copied the same hot index pages once
//! per delivery. If one of them fails, the group is rolled back and every job in it
//! runs again alone, in its own savepoint, exactly as a one-off job would.

use rusqlite::Connection;
use tokio::sync::oneshot;
use tracing::error;

use super::{DbError, run_cached};

/// Called once the transaction's fate is known.
pub(super) type Completion = Box<dyn FnOnce(Result<(), &DbError>) + Send>;

/// How a repeatable job is being run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Isolation {
    /// In a savepoint shared with other jobs. The job must not isolate failures itself
    /// (no savepoints of its own): any error, even one it could survive alone, makes
    /// the writer roll the group back and run each job of it again, alone.
    Shared,
    /// In its own savepoint: the job may roll back parts of its work and go on.
    Alone,
}

/// Runs in its own savepoint; given an error instead of a connection (no transaction
/// could be opened), it answers its caller at once.
pub(super) type OnceJob =
    Box<dyn FnOnce(Result<&Connection, &DbError>) -> Option<Completion> + Send>;

pub(super) enum Job {
    Once(OnceJob),
    Repeatable(Box<dyn RepeatableJob>),
}

pub(super) trait RepeatableJob: Send {
    /// Runs the job with others; false if it failed (the group must be rolled back).
    fn run_shared(&mut self, conn: &Connection) -> bool;
    /// Runs the job in a savepoint of its own, keeping whatever it returns.
    fn run_alone(&mut self, conn: &Connection);
    /// No transaction could be opened: tells the caller.
    fn refuse(self: Box<Self>, error: &DbError);
    fn into_completion(self: Box<Self>) -> Completion;
}

/// Runs `f` in a savepoint of its own: if it fails, only its changes are undone.
pub(super) fn in_savepoint<R>(
    conn: &Connection,
    f: impl FnOnce(&Connection) -> Result<R, DbError>,
) -> Result<R, DbError> {
    run_cached(conn, "SAVEPOINT job")?;
    match f(conn) {
        Ok(value) => {
            run_cached(conn, "RELEASE job")?;
            Ok(value)
        }
        Err(e) => {
            roll_back_to(conn, "ROLLBACK TO job", "RELEASE job");
            Err(e)
        }
    }
}

fn roll_back_to(conn: &Connection, rollback_sql: &str, release_sql: &str) {
    let rolled_back = run_cached(conn, rollback_sql).and_then(|()| run_cached(conn, release_sql));
    if let Err(rollback) = rolled_back {
        error!(%rollback, "could not roll back a failed write");
    }
}

/// The answer to a caller once its job's transaction committed (or not).
fn answer<R: Send + 'static>(
    reply: oneshot::Sender<Result<R, DbError>>,
    outcome: Result<R, DbError>,
) -> Completion {
    Box::new(move |committed: Result<(), &DbError>| {
        let result = match committed {
            Ok(()) => outcome,
            Err(e) => Err(DbError::CommitFailed(e.to_string())),
        };
        // The caller may have gone away (a dropped request); nothing to tell.
        let _ = reply.send(result);
    })
}

pub(super) fn once<R, F>(f: F, reply: oneshot::Sender<Result<R, DbError>>) -> Job
where
    R: Send + 'static,
    F: FnOnce(&Connection) -> Result<R, DbError> + Send + 'static,
{
    Job::Once(Box::new(
        move |conn: Result<&Connection, &DbError>| match conn {
            Ok(conn) => Some(answer(reply, in_savepoint(conn, f))),
            Err(e) => {
                let _ = reply.send(Err(DbError::CommitFailed(e.to_string())));
                None
            }
        },
    ))
}

pub(super) fn repeatable<R, F>(f: F, reply: oneshot::Sender<Result<R, DbError>>) -> Job
where
    R: Send + 'static,
    F: FnMut(&Connection, Isolation) -> Result<R, DbError> + Send + 'static,
{
    Job::Repeatable(Box::new(Repeat {
        f,
        outcome: None,
        reply,
    }))
}

struct Repeat<R, F> {
    f: F,
    outcome: Option<Result<R, DbError>>,
    reply: oneshot::Sender<Result<R, DbError>>,
}

impl<R, F> RepeatableJob for Repeat<R, F>
where
    R: Send + 'static,
    F: FnMut(&Connection, Isolation) -> Result<R, DbError> + Send + 'static,
{
    fn run_shared(&mut self, conn: &Connection) -> bool {
        match (self.f)(conn, Isolation::Shared) {
            Ok(value) => {
                self.outcome = Some(Ok(value));
                true
            }
            Err(_) => false,
        }
    }

    fn run_alone(&mut self, conn: &Connection) {
        let f = &mut self.f;
        self.outcome = Some(in_savepoint(conn, |conn| f(conn, Isolation::Alone)));
    }

    fn refuse(self: Box<Self>, error: &DbError) {
        let _ = self
            .reply
            .send(Err(DbError::CommitFailed(error.to_string())));
    }

    fn into_completion(self: Box<Self>) -> Completion {
        let outcome = self
            .outcome
            .unwrap_or_else(|| Err(DbError::Invalid("the write never ran".to_owned())));
        answer(self.reply, outcome)
    }
}

/// Repeatable jobs run so far in the open shared savepoint.
#[derive(Default)]
pub(super) struct SharedGroup {
    jobs: Vec<Box<dyn RepeatableJob>>,
}

const OPEN_GROUP: &str = "SAVEPOINT shared_jobs";
const RELEASE_GROUP: &str = "RELEASE shared_jobs";
const ROLL_BACK_GROUP: &str = "ROLLBACK TO shared_jobs";

impl SharedGroup {
    /// Runs `job` in the group's savepoint (opening it if needed). If it fails, the
    /// group is rolled back and its jobs, this one included, run again alone.
    pub(super) fn run(
        &mut self,
        conn: &Connection,
        mut job: Box<dyn RepeatableJob>,
        completions: &mut Vec<Completion>,
    ) {
        if self.jobs.is_empty() && run_cached(conn, OPEN_GROUP).is_err() {
            job.run_alone(conn);
            completions.push(job.into_completion());
            return;
        }
        let succeeded = job.run_shared(conn);
        self.jobs.push(job);
        if !succeeded {
            roll_back_to(conn, ROLL_BACK_GROUP, RELEASE_GROUP);
            self.run_each_alone(conn, completions);
        }
    }

    /// Ends the group: its work stays in the transaction.
    pub(super) fn close(&mut self, conn: &Connection, completions: &mut Vec<Completion>) {
        if self.jobs.is_empty() {
            return;
        }
        if let Err(e) = run_cached(conn, RELEASE_GROUP) {
            error!(error = %e, "could not release the shared savepoint; running its jobs alone");
            roll_back_to(conn, ROLL_BACK_GROUP, RELEASE_GROUP);
            self.run_each_alone(conn, completions);
            return;
        }
        completions.extend(self.jobs.drain(..).map(|job| job.into_completion()));
    }

    fn run_each_alone(&mut self, conn: &Connection, completions: &mut Vec<Completion>) {
        for mut job in self.jobs.drain(..) {
            job.run_alone(conn);
            completions.push(job.into_completion());
        }
    }
}
