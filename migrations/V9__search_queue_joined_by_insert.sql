-- The core's message insert now queues the new row for search indexing itself. The
-- trigger made every message insert a multi-statement write, for which SQLite opens
-- and releases a statement journal around each row; in a body of 100 messages that
-- was about a quarter of the writer's time.
DROP TRIGGER messages_fts_queue;
