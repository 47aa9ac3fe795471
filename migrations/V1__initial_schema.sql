-- The whole inbox schema. Later migrations add columns and indexes; they never rewrite.
-- Times are Unix seconds (WhatsApp's own unit) unless a column name ends in _ms.

-- The owner's WhatsApp business phone numbers (several per install).
CREATE TABLE business_numbers (
    id                    INTEGER PRIMARY KEY,
    phone_number_id       TEXT    NOT NULL UNIQUE,
    waba_id               TEXT,
    display_phone_number  TEXT,
    verified_name         TEXT,
    created_at            INTEGER NOT NULL
);

-- A customer. Known by phone (wa_id), by business-scoped user id (BSUID), or both:
-- since 2026 a customer with a WhatsApp username may arrive without any phone number.
CREATE TABLE contacts (
    id                INTEGER PRIMARY KEY,
    wa_id             TEXT UNIQUE,
    user_id           TEXT UNIQUE,
    parent_user_id    TEXT,
    username          TEXT,
    profile_name      TEXT,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    CHECK (wa_id IS NOT NULL OR user_id IS NOT NULL)
);

-- One conversation per business number and contact.
CREATE TABLE conversations (
    id                    INTEGER PRIMARY KEY,
    business_number_id    INTEGER NOT NULL REFERENCES business_numbers(id),
    contact_id            INTEGER NOT NULL REFERENCES contacts(id),
    pinned_at             INTEGER,
    archived              INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    muted_until           INTEGER,
    marked_unread         INTEGER NOT NULL DEFAULT 0 CHECK (marked_unread IN (0, 1)),
    -- Last customer message (or request_welcome): the 24-hour service window starts here.
    last_inbound_at       INTEGER,
    -- Position of the newest message, kept for list ordering without scanning messages.
    last_message_at       INTEGER,
    last_message_seq      INTEGER,
    created_at            INTEGER NOT NULL,
    UNIQUE (business_number_id, contact_id)
);
CREATE INDEX conversations_by_recency ON conversations (last_message_at DESC, last_message_seq DESC);

-- Every message in either direction. `seq` is the local insert sequence: with the
-- WhatsApp timestamp it gives a stable order whatever the arrival order.
CREATE TABLE messages (
    id                  INTEGER PRIMARY KEY,
    conversation_id     INTEGER NOT NULL REFERENCES conversations(id),
    wamid               TEXT UNIQUE,
    seq                 INTEGER NOT NULL UNIQUE,
    direction           TEXT    NOT NULL CHECK (direction IN ('in', 'out')),
    kind                TEXT    NOT NULL,
    body                TEXT,
    caption             TEXT,
    -- Kind-specific fields that have no column of their own (location, contacts, interactive, ...).
    details_json        TEXT,
    reply_to_wamid      TEXT,
    forwarded           INTEGER NOT NULL DEFAULT 0 CHECK (forwarded IN (0, 1, 2)),
    referral_json       TEXT,
    wa_timestamp        INTEGER NOT NULL,
    -- Outbound delivery state; never moves backwards (see status_rank).
    status              TEXT CHECK (status IN ('pending', 'sent', 'delivered', 'read', 'played', 'failed')),
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
    -- Inbound: when the owner read it here. Unread is derived from this, never counted.
    owner_read_at       INTEGER,
    raw_json            TEXT,
    created_at          INTEGER NOT NULL
);
CREATE INDEX messages_in_order ON messages (conversation_id, wa_timestamp, seq);
CREATE INDEX messages_unread ON messages (conversation_id) WHERE direction = 'in' AND owner_read_at IS NULL;
CREATE INDEX messages_reply_to ON messages (reply_to_wamid) WHERE reply_to_wamid IS NOT NULL;

-- Full-text search over message text, kept in step by triggers.
CREATE VIRTUAL TABLE messages_fts USING fts5 (
    body, caption,
    content = 'messages', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts (rowid, body, caption) VALUES (new.id, new.body, new.caption);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body, caption) VALUES ('delete', old.id, old.body, old.caption);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF body, caption ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body, caption) VALUES ('delete', old.id, old.body, old.caption);
    INSERT INTO messages_fts (rowid, body, caption) VALUES (new.id, new.body, new.caption);
END;

-- Statuses that arrived before the message they describe (the webhook can beat the
-- send response, or the message was sent by another app). Applied when it appears.
CREATE TABLE pending_statuses (
    id                  INTEGER PRIMARY KEY,
    wamid               TEXT    NOT NULL,
    status              TEXT    NOT NULL,
    wa_timestamp        INTEGER NOT NULL,
    recipient_id        TEXT,
    error_code          INTEGER,
    error_title         TEXT,
    error_details       TEXT,
    pricing_category    TEXT,
    raw_json            TEXT    NOT NULL,
    received_at         INTEGER NOT NULL,
    UNIQUE (wamid, status)
);

-- One reaction per reactor per message: a new emoji replaces the old, removal deletes.
CREATE TABLE reactions (
    id                  INTEGER PRIMARY KEY,
    message_wamid       TEXT    NOT NULL,
    reactor             TEXT    NOT NULL CHECK (reactor IN ('customer', 'business')),
    emoji               TEXT    NOT NULL,
    reaction_wamid      TEXT,
    wa_timestamp        INTEGER NOT NULL,
    UNIQUE (message_wamid, reactor)
);

-- Media attached to a message; files are content-addressed by sha256 under the data dir.
CREATE TABLE media (
    id                  INTEGER PRIMARY KEY,
    message_id          INTEGER NOT NULL UNIQUE REFERENCES messages(id),
    meta_media_id       TEXT,
    meta_url            TEXT,
    mime_type           TEXT,
    sha256_expected     TEXT,
    sha256              TEXT,
    size_bytes          INTEGER,
    file_name           TEXT,
    voice               INTEGER NOT NULL DEFAULT 0 CHECK (voice IN (0, 1)),
    animated            INTEGER NOT NULL DEFAULT 0 CHECK (animated IN (0, 1)),
    state               TEXT    NOT NULL DEFAULT 'pending'
                        CHECK (state IN ('pending', 'downloading', 'downloaded', 'failed', 'expired', 'local')),
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at     INTEGER,
    last_error          TEXT,
    thumbnail_sha256    TEXT,
    updated_at          INTEGER NOT NULL
);
CREATE INDEX media_pending ON media (next_attempt_at) WHERE state IN ('pending', 'downloading');

-- Message templates imported from the WhatsApp Business Account, with their definition.
CREATE TABLE templates (
    id                  INTEGER PRIMARY KEY,
    waba_id             TEXT    NOT NULL,
    meta_template_id    TEXT,
    name                TEXT    NOT NULL,
    language            TEXT    NOT NULL,
    category            TEXT,
    status              TEXT    NOT NULL,
    parameter_format    TEXT,
    components_json     TEXT    NOT NULL,
    synced_at           INTEGER NOT NULL,
    UNIQUE (waba_id, name, language)
);

-- The owner's ready-made answers, with {{name}}-style variables.
CREATE TABLE quick_replies (
    id                  INTEGER PRIMARY KEY,
    shortcut            TEXT    NOT NULL UNIQUE,
    body                TEXT    NOT NULL,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
);

CREATE TABLE labels (
    id                  INTEGER PRIMARY KEY,
    name                TEXT    NOT NULL UNIQUE,
    color               TEXT    NOT NULL,
    created_at          INTEGER NOT NULL
);

CREATE TABLE conversation_labels (
    conversation_id     INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    label_id            INTEGER NOT NULL REFERENCES labels(id) ON DELETE CASCADE,
    PRIMARY KEY (conversation_id, label_id)
);

-- Everything the owner sends goes here first; a worker delivers it to Meta.
-- The idempotency key makes a double click or a retried command one send.
CREATE TABLE outbox (
    id                  INTEGER PRIMARY KEY,
    idempotency_key     TEXT    NOT NULL UNIQUE,
    message_id          INTEGER NOT NULL REFERENCES messages(id),
    request_json        TEXT    NOT NULL,
    state               TEXT    NOT NULL DEFAULT 'queued'
                        CHECK (state IN ('queued', 'in_flight', 'sent', 'failed', 'uncertain')),
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at     INTEGER NOT NULL,
    last_error          TEXT,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE state IN ('queued', 'in_flight');

-- Every webhook body exactly as received: the source of truth. Applying it to the
-- tables above happens in the same transaction; a failure is kept here to re-apply.
CREATE TABLE webhook_events (
    id                  INTEGER PRIMARY KEY,
    received_at_ms      INTEGER NOT NULL,
    body                BLOB    NOT NULL,
    signature_valid     INTEGER NOT NULL CHECK (signature_valid IN (0, 1)),
    apply_state         TEXT    NOT NULL CHECK (apply_state IN ('applied', 'failed', 'ignored')),
    apply_error         TEXT,
    applied_at_ms       INTEGER
);
CREATE INDEX webhook_events_failed ON webhook_events (id) WHERE apply_state = 'failed';
