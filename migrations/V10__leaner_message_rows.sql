-- Cheaper writes for every message, with nothing stored lost. Rebuilds `messages`,
-- `media` and `webhook_events` (SQLite cannot alter a constraint in place); every row
-- keeps its id, so the search index and every reference stay valid.
--
-- - CHECKs that listed three or more values with IN made SQLite build a temporary
--   B-tree of those values for every row written: a measurable share of each message
--   insert, status change and stored webhook body. They now compare with OR.
-- - `seq` loses its UNIQUE index, which every insert had to update. It is assigned
--   equal to `id` (both were always the next number, and messages are never deleted):
--   the rowid keeps it unique and finds a message by it.
-- - New inbound messages no longer copy their JSON into `raw_json`. `raw_event_id`
--   names the stored webhook body holding it (kept verbatim in `webhook_events`).
--   Rows written before keep their `raw_json`.
--
-- Runs with foreign keys off (the core checks them once migrations are done).

-- Positions move from seq to id (the same numbers in every database written so far).
UPDATE conversations
   SET last_message_seq = (SELECT m.id FROM messages m WHERE m.seq = conversations.last_message_seq)
 WHERE last_message_seq IS NOT NULL;

CREATE TABLE messages_rebuilt (
    id                  INTEGER PRIMARY KEY,
    conversation_id     INTEGER NOT NULL REFERENCES conversations(id),
    wamid               TEXT UNIQUE,
    -- Equal to id: the local insert order, the tie-break after the WhatsApp timestamp.
    seq                 INTEGER NOT NULL,
    direction           TEXT    NOT NULL CHECK (direction = 'in' OR direction = 'out'),
    kind                TEXT    NOT NULL,
    body                TEXT,
    caption             TEXT,
    details_json        TEXT,
    reply_to_wamid      TEXT,
    forwarded           INTEGER NOT NULL DEFAULT 0 CHECK (forwarded = 0 OR forwarded = 1 OR forwarded = 2),
    referral_json       TEXT,
    wa_timestamp        INTEGER NOT NULL,
    status              TEXT CHECK (status = 'pending' OR status = 'sent' OR status = 'delivered'
                                    OR status = 'read' OR status = 'played' OR status = 'failed'),
    status_rank         INTEGER NOT NULL DEFAULT 0,
    sent_at             INTEGER,
    delivered_at        INTEGER,
    read_at             INTEGER,
    played_at           INTEGER,
    failed_at           INTEGER,
    error_code          INTEGER,
    error_title         TEXT,
    error_details       TEXT,
    pricing_category    TEXT,
    pricing_billable    INTEGER CHECK (pricing_billable = 0 OR pricing_billable = 1),
    owner_read_at       INTEGER,
    raw_json            TEXT,
    -- The webhook_events row whose body holds this message exactly as Meta sent it.
    raw_event_id        INTEGER,
    created_at          INTEGER NOT NULL
);
INSERT INTO messages_rebuilt (id, conversation_id, wamid, seq, direction, kind, body, caption,
        details_json, reply_to_wamid, forwarded, referral_json, wa_timestamp, status, status_rank,
        sent_at, delivered_at, read_at, played_at, failed_at, error_code, error_title,
        error_details, pricing_category, pricing_billable, owner_read_at, raw_json, created_at)
    SELECT id, conversation_id, wamid, id, direction, kind, body, caption,
        details_json, reply_to_wamid, forwarded, referral_json, wa_timestamp, status, status_rank,
        sent_at, delivered_at, read_at, played_at, failed_at, error_code, error_title,
        error_details, pricing_category, pricing_billable, owner_read_at, raw_json, created_at
      FROM messages;
DROP TABLE messages;
ALTER TABLE messages_rebuilt RENAME TO messages;
CREATE INDEX messages_in_order ON messages (conversation_id, wa_timestamp, seq);
CREATE INDEX messages_unread ON messages (conversation_id) WHERE direction = 'in' AND owner_read_at IS NULL;

-- The search triggers went with the old table (as V7 defined them).
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body, caption)
        SELECT 'delete', old.id, old.body, old.caption
         WHERE NOT EXISTS (SELECT 1 FROM messages_fts_pending WHERE message_id = old.id);
    DELETE FROM messages_fts_pending WHERE message_id = old.id;
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF body, caption ON messages
    WHEN NOT EXISTS (SELECT 1 FROM messages_fts_pending WHERE message_id = old.id)
BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body, caption) VALUES ('delete', old.id, old.body, old.caption);
    INSERT INTO messages_fts (rowid, body, caption) VALUES (new.id, new.body, new.caption);
END;

CREATE TABLE media_rebuilt (
    id                  INTEGER PRIMARY KEY,
    message_id          INTEGER NOT NULL UNIQUE REFERENCES messages(id),
    meta_media_id       TEXT,
    meta_url            TEXT,
    mime_type           TEXT,
    sha256_expected     TEXT,
    sha256              TEXT,
    size_bytes          INTEGER,
    file_name           TEXT,
    voice               INTEGER NOT NULL DEFAULT 0 CHECK (voice = 0 OR voice = 1),
    animated            INTEGER NOT NULL DEFAULT 0 CHECK (animated = 0 OR animated = 1),
    state               TEXT    NOT NULL DEFAULT 'pending'
                        CHECK (state = 'pending' OR state = 'downloading' OR state = 'downloaded'
                               OR state = 'failed' OR state = 'expired' OR state = 'local'),
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at     INTEGER,
    last_error          TEXT,
    thumbnail_sha256    TEXT,
    updated_at          INTEGER NOT NULL
);
INSERT INTO media_rebuilt SELECT id, message_id, meta_media_id, meta_url, mime_type,
        sha256_expected, sha256, size_bytes, file_name, voice, animated, state, attempts,
        next_attempt_at, last_error, thumbnail_sha256, updated_at
      FROM media;
DROP TABLE media;
ALTER TABLE media_rebuilt RENAME TO media;
CREATE INDEX media_pending ON media (next_attempt_at) WHERE state IN ('pending', 'downloading');

CREATE TABLE webhook_events_rebuilt (
    id                  INTEGER PRIMARY KEY,
    received_at_ms      INTEGER NOT NULL,
    body                BLOB    NOT NULL,
    signature_valid     INTEGER NOT NULL CHECK (signature_valid = 0 OR signature_valid = 1),
    apply_state         TEXT    NOT NULL
                        CHECK (apply_state = 'applied' OR apply_state = 'failed' OR apply_state = 'ignored'),
    apply_error         TEXT,
    applied_at_ms       INTEGER
);
INSERT INTO webhook_events_rebuilt SELECT id, received_at_ms, body, signature_valid,
        apply_state, apply_error, applied_at_ms
      FROM webhook_events;
DROP TABLE webhook_events;
ALTER TABLE webhook_events_rebuilt RENAME TO webhook_events;
CREATE INDEX webhook_events_failed ON webhook_events (id) WHERE apply_state = 'failed';
