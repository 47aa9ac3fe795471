-- Indexes no query uses, dropped because every new message paid for them (another page
-- rewritten into the WAL at each commit):
-- - the conversation list orders pinned conversations first, so it sorts the (small)
--   conversations table and never reads this index;
-- - nothing looks messages up by the message they reply to.
DROP INDEX conversations_by_recency;
DROP INDEX messages_reply_to;
