//! A small pool of read-only connections used from blocking threads.

use std::sync::{Arc, Mutex};

use rusqlite::Connection;
use tokio::sync::Semaphore;

use super::DbError;

#[derive(Clone)]
pub struct ReaderPool {
    idle: Arc<Mutex<Vec<Connection>>>,
    available: Arc<Semaphore>,
}

impl ReaderPool {
    pub(super) fn new(connections: Vec<Connection>) -> ReaderPool {
        ReaderPool {
            available: Arc::new(Semaphore::new(connections.len())),
            idle: Arc::new(Mutex::new(connections)),
        }
    }

    pub(super) async fn read<R, F>(&self, f: F) -> Result<R, DbError>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> Result<R, DbError> + Send + 'static,
    {
        // The permit guarantees an idle connection is there to take.
        let permit = self
            .available
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| DbError::Closed)?;
        let idle = self.idle.clone();
        tokio::task::spawn_blocking(move || {
            let conn = idle
                .lock()
                .map_err(|_| DbError::Closed)?
                .pop()
                .ok_or(DbError::Closed)?;
            let result = f(&conn);
            if let Ok(mut idle) = idle.lock() {
                idle.push(conn);
            }
            drop(permit);
            result
        })
        .await
        .map_err(|e| DbError::Invalid(format!("a read task failed: {e}")))?
    }
}
