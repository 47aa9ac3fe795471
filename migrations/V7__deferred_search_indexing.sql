-- Full-text indexing moves off the per-message path. FTS5 flushes its pending terms at
-- every savepoint, and ingest runs each webhook body in its own savepoints, so indexing
-- in an insert trigger wrote one tiny index segment per message (then merged them
-- again). New messages now only join this queue, in the transaction that inserts them;
-- the writer indexes the whole queue in one statement shortly after (see the core's
-- db::search_index). Opening the database indexes whatever is still queued, so rows
-- committed just before a crash become searchable on the next start.
CREATE TABLE messages_fts_pending (
    message_id          INTEGER PRIMARY KEY
);

DROP TRIGGER messages_fts_insert;
DROP TRIGGER messages_fts_delete;
DROP TRIGGER messages_fts_update;

CREATE TRIGGER messages_fts_queue AFTER INSERT ON messages BEGIN
    INSERT OR IGNORE INTO messages_fts_pending (message_id) VALUES (new.id);
END;

-- A queued row is not in the index yet: removing it only leaves the queue.
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body, caption)
        SELECT 'delete', old.id, old.body, old.caption
         WHERE NOT EXISTS (SELECT 1 FROM messages_fts_pending WHERE message_id = old.id);
    DELETE FROM messages_fts_pending WHERE message_id = old.id;
END;

-- A queued row is indexed later with its newest text; an indexed one is replaced now.
CREATE TRIGGER messages_fts_update AFTER UPDATE OF body, caption ON messages
    WHEN NOT EXISTS (SELECT 1 FROM messages_fts_pending WHERE message_id = old.id)
BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body, caption) VALUES ('delete', old.id, old.body, old.caption);
    INSERT INTO messages_fts (rowid, body, caption) VALUES (new.id, new.body, new.caption);
END;
