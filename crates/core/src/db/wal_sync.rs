//! Durable commits without the writer waiting for the disk.
//!
//! With [`Durability::Full`](super::Durability::Full) the writer connection commits
//! with `synchronous=NORMAL`: a commit writes its frames to the WAL file but does not
//! sync it, and the writer goes straight on to the next batch. This thread then syncs
//! the WAL file and only afterwards resolves the jobs of that commit. No caller hears
//! "done" (no webhook gets its 200) before its rows are on disk, which is the promise
//! of `synchronous=FULL`, but the writer's CPU work and the disk's flush now overlap.
//!
//! Why that is as safe as FULL: the sync starts after the commit returned, so it
//! covers every frame the commit wrote (a sync flushes the whole file, whichever
//! descriptor asks). A checkpoint in between syncs the WAL before copying it and the
//! database file after, so frames moved into the database are durable there. After a
//! power cut SQLite replays the WAL up to the last frame whose checksum holds: a later
//! commit that was cut half-written is dropped, never an acknowledged one.

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;

use tracing::error;

use super::DbError;
use super::job::Completion;

/// Resolves completions once the WAL holding their commit is synced.
pub(super) struct WalSync {
    batches: Sender<Vec<Completion>>,
}

impl WalSync {
    /// `database` is the database file; its WAL is the file beside it ending `-wal`.
    pub(super) fn start(database: &Path) -> Result<WalSync, DbError> {
        let wal = wal_path(database);
        let (batches, receiver) = mpsc::channel();
        thread::Builder::new()
            .name("sqlite-wal-sync".into())
            .spawn(move || run(&wal, &receiver))
            .map_err(|e| DbError::Invalid(format!("could not start the WAL sync thread: {e}")))?;
        Ok(WalSync { batches })
    }

    /// Hands over the completions of a commit that has just returned.
    pub(super) fn after_sync(&self, completions: Vec<Completion>) {
        if let Err(mpsc::SendError(completions)) = self.batches.send(completions) {
            // The thread is gone (it only ends when this sender is dropped): say so
            // rather than acknowledge what may not be on disk.
            let error = DbError::CommitFailed("the WAL sync thread has stopped".to_owned());
            for done in completions {
                done(Err(&error));
            }
        }
    }
}

pub(super) fn wal_path(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}

fn run(wal: &Path, batches: &Receiver<Vec<Completion>>) {
    while let Ok(mut waiting) = batches.recv() {
        // Every commit that returned before this sync starts is covered by it.
        while let Ok(more) = batches.try_recv() {
            waiting.extend(more);
        }
        let synced = sync(wal).map_err(|e| {
            error!(error = %e, jobs = waiting.len(), "the WAL could not be synced to disk");
            DbError::CommitFailed(format!("the commit could not be synced to disk: {e}"))
        });
        for done in waiting {
            done(synced.as_ref().map(|_| ()));
        }
    }
}

/// Opened afresh each time, so a log file replaced underneath is never missed; with
/// write access, which Windows needs to flush a file.
fn sync(wal: &Path) -> std::io::Result<()> {
    OpenOptions::new().write(true).open(wal)?.sync_data()
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;
    use std::time::Duration;

    use super::*;

    /// A completion that reports what it was told.
    fn reporting(results: &mpsc::Sender<Result<(), String>>) -> Completion {
        let results = results.clone();
        Box::new(move |outcome: Result<(), &DbError>| {
            let _ = results.send(outcome.map_err(|e| e.to_string()));
        })
    }

    #[test]
    fn jobs_resolve_once_the_log_is_synced() {
        let dir = tempfile::tempdir().unwrap();
        let database = dir.path().join("inbox.sqlite3");
        std::fs::write(wal_path(&database), b"frames").unwrap();
        let wal_sync = WalSync::start(&database).unwrap();
        let (results, told) = mpsc::channel();
        wal_sync.after_sync(vec![reporting(&results), reporting(&results)]);
        wal_sync.after_sync(vec![reporting(&results)]);
        for _ in 0..3 {
            assert_eq!(told.recv_timeout(Duration::from_secs(5)).unwrap(), Ok(()));
        }
    }

    #[test]
    fn a_log_that_cannot_be_synced_fails_its_jobs() {
        let dir = tempfile::tempdir().unwrap();
        // No log file beside it: nothing can be synced, so nothing is acknowledged.
        let wal_sync = WalSync::start(&dir.path().join("gone.sqlite3")).unwrap();
        let (results, told) = mpsc::channel();
        wal_sync.after_sync(vec![reporting(&results)]);
        let outcome = told.recv_timeout(Duration::from_secs(5)).unwrap();
        assert!(
            outcome
                .as_ref()
                .is_err_and(|e| e.contains("could not be synced to disk")),
            "{outcome:?}"
        );
    }
}
