//! The full-text index of message text, filled in bulk.
//!
//! Inserting a message only queues its id (`messages_fts_pending`, see migrations V7
//! and V9: [`queue`], called by `messages::insert`);
//! [`index_pending`] indexes the whole queue with one statement. The writer runs it as
//! deferred work (see `writer`): within ~100 ms of a commit under continuous writes,
//! at once when writes pause. FTS5 thus writes one index segment per round rather than
//! one per message (it flushes at every savepoint, and each job runs in its own).
//! Queue and rows commit together, so a crash can leave messages unindexed but never
//! lost from the index for good: opening the database indexes what is still queued.
//! A search must therefore expect the newest ~100 ms of messages to be missing.

use rusqlite::Connection;

use super::DbError;
use super::messages::MessageId;

/// Queues a message just inserted for indexing, in the transaction that inserts it.
pub fn queue(conn: &Connection, message: MessageId) -> Result<(), DbError> {
    conn.prepare_cached("INSERT OR IGNORE INTO messages_fts_pending (message_id) VALUES (?1)")?
        .execute([message.0])?;
    Ok(())
}

/// Indexes every queued message with its current text and empties the queue.
/// Returns how many messages were indexed.
pub fn index_pending(conn: &Connection) -> Result<usize, DbError> {
    let indexed = conn
        .prepare_cached(
            "INSERT INTO messages_fts (rowid, body, caption)
             SELECT m.id, m.body, m.caption
               FROM messages_fts_pending p JOIN messages m ON m.id = p.message_id",
        )?
        .execute([])?;
    conn.prepare_cached("DELETE FROM messages_fts_pending")?
        .execute([])?;
    Ok(indexed)
}

/// Messages waiting to be indexed.
pub fn pending_count(conn: &Connection) -> Result<i64, DbError> {
    Ok(conn
        .prepare_cached("SELECT COUNT(*) FROM messages_fts_pending")?
        .query_row([], |row| row.get(0))?)
}
