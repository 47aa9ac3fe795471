-- Sending: which number an outbox entry goes out from, what it carries, and when it is
-- next due to the millisecond (retries back off from a fraction of a second).
ALTER TABLE outbox ADD COLUMN phone_number_id TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN purpose TEXT NOT NULL DEFAULT 'message'
    CHECK (purpose IN ('message', 'reaction'));
-- For a reaction: the emoji sent ("" removes it), so a refused one can be undone locally.
ALTER TABLE outbox ADD COLUMN reaction_emoji TEXT;
ALTER TABLE outbox ADD COLUMN next_attempt_at_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN last_error_code INTEGER;
CREATE INDEX outbox_due_ms ON outbox (next_attempt_at_ms) WHERE state = 'queued';
CREATE INDEX outbox_by_message ON outbox (message_id);
