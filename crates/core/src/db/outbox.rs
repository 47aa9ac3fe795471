//! The outbox: every send is a row here before it is a request to Meta.
//!
//! States: `queued` (due at `next_attempt_at_ms`) → `in_flight` (committed before the
//! request leaves) → `sent` | `failed` | `uncertain`. An entry found `in_flight` when the
//! app starts was interrupted mid-request, so Meta may have it: it becomes `uncertain`,
//! never `queued` again. Only the owner re-sends an uncertain or failed message, and
//! that makes a new entry.
//!
//! A media entry has two steps, each its own `queued` → `in_flight` turn: first the
//! upload (while `uploaded_media_id` is empty), then the send by that id. An upload
//! interrupted by a crash is queued again, never made uncertain: an upload is not a
//! message, so repeating it can at worst leave an unused file on Meta's side.

use rusqlite::{Connection, OptionalExtension, params};

use super::DbError;
use super::messages::MessageId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OutboxId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Message,
    Reaction,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Message => "message",
            Purpose::Reaction => "reaction",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    pub idempotency_key: String,
    /// The message sent, or for a reaction the message reacted to.
    pub message_id: MessageId,
    pub phone_number_id: String,
    pub purpose: Purpose,
    pub reaction_emoji: Option<String>,
    pub request_json: String,
    /// A file to upload before the send; its id goes into the request.
    pub upload: Option<Upload>,
}

/// A file of the media store that an entry uploads to Meta before sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    pub sha256: String,
    pub mime_type: String,
    pub file_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: OutboxId,
    pub idempotency_key: String,
    pub message_id: MessageId,
    pub conversation_id: i64,
    pub phone_number_id: String,
    pub purpose: Purpose,
    pub reaction_emoji: Option<String>,
    pub request_json: String,
    /// Attempts made, this one included.
    pub attempts: u32,
    pub upload: Option<Upload>,
    /// Set once the upload succeeded: the send uses it and never uploads again.
    pub uploaded_media_id: Option<String>,
}

/// What a caller can see of an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryState {
    pub id: OutboxId,
    pub message_id: MessageId,
    pub state: String,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub last_error_code: Option<i64>,
}

pub fn enqueue(conn: &Connection, entry: &NewEntry, now_ms: i64) -> Result<OutboxId, DbError> {
    let id = conn
        .prepare_cached(
            "INSERT INTO outbox (idempotency_key, message_id, request_json, state, attempts,
                 next_attempt_at, next_attempt_at_ms, phone_number_id, purpose, reaction_emoji,
                 upload_sha256, upload_mime_type, upload_file_name, created_at, updated_at)
             VALUES (?1, ?2, ?3, 'queued', 0, ?4 / 1000, ?4, ?5, ?6, ?7, ?8, ?9, ?10,
                 ?4 / 1000, ?4 / 1000)
             RETURNING id",
        )?
        .query_row(
            params![
                entry.idempotency_key,
                entry.message_id.0,
                entry.request_json,
                now_ms,
                entry.phone_number_id,
                entry.purpose.as_str(),
                entry.reaction_emoji,
                entry.upload.as_ref().map(|u| &u.sha256),
                entry.upload.as_ref().map(|u| &u.mime_type),
                entry.upload.as_ref().and_then(|u| u.file_name.as_ref()),
            ],
            |row| row.get(0),
        )?;
    Ok(OutboxId(id))
}

/// The entry made with this key, if any: a repeated send command finds it here.
pub fn find_by_key(conn: &Connection, key: &str) -> Result<Option<EntryState>, DbError> {
    Ok(conn
        .prepare_cached(
            "SELECT id, message_id, state, attempts, last_error, last_error_code
               FROM outbox WHERE idempotency_key = ?1",
        )?
        .query_row([key], state_from_row)
        .optional()?)
}

/// Every entry made for a message, oldest first.
pub fn states_for_message(
    conn: &Connection,
    message_id: MessageId,
) -> Result<Vec<EntryState>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, message_id, state, attempts, last_error, last_error_code
           FROM outbox WHERE message_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([message_id.0], state_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn state_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<EntryState> {
    Ok(EntryState {
        id: OutboxId(row.get(0)?),
        message_id: MessageId(row.get(1)?),
        state: row.get(2)?,
        attempts: row.get(3)?,
        last_error: row.get(4)?,
        last_error_code: row.get(5)?,
    })
}

/// Entries interrupted mid-request by a crash or shutdown become `uncertain`.
/// Returns them so their messages can say so. Interrupted uploads are queued again.
pub fn recover_interrupted(conn: &Connection, now: i64) -> Result<Vec<Entry>, DbError> {
    conn.prepare_cached(
        "UPDATE outbox SET state = 'queued', updated_at = ?1,
             last_error = 'interrupted while uploading the file'
         WHERE state = 'in_flight' AND upload_sha256 IS NOT NULL AND uploaded_media_id IS NULL",
    )?
    .execute([now])?;
    let interrupted = select_entries(conn, "o.state = 'in_flight'", ALL, params![])?;
    conn.prepare_cached(
        "UPDATE outbox SET state = 'uncertain', updated_at = ?1,
             last_error = 'interrupted while the request was in flight'
         WHERE state = 'in_flight'",
    )?
    .execute([now])?;
    Ok(interrupted)
}

const ENTRY_COLUMNS: &str = "o.id, o.idempotency_key, o.message_id, m.conversation_id,
    o.phone_number_id, o.purpose, o.reaction_emoji, o.request_json, o.attempts,
    o.upload_sha256, o.upload_mime_type, o.upload_file_name, o.uploaded_media_id";

/// SQLite's "no limit".
const ALL: i64 = -1;

fn select_entries(
    conn: &Connection,
    condition: &str,
    limit: i64,
    params: &[&dyn rusqlite::ToSql],
) -> Result<Vec<Entry>, DbError> {
    let sql = format!(
        "SELECT {ENTRY_COLUMNS} FROM outbox o JOIN messages m ON m.id = o.message_id
          WHERE {condition} ORDER BY o.id LIMIT {limit}"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params, |row| {
        let purpose: String = row.get(5)?;
        Ok(Entry {
            id: OutboxId(row.get(0)?),
            idempotency_key: row.get(1)?,
            message_id: MessageId(row.get(2)?),
            conversation_id: row.get(3)?,
            phone_number_id: row.get(4)?,
            purpose: if purpose == "reaction" {
                Purpose::Reaction
            } else {
                Purpose::Message
            },
            reaction_emoji: row.get(6)?,
            request_json: row.get(7)?,
            attempts: row.get(8)?,
            upload: match row.get::<_, Option<String>>(9)? {
                Some(sha256) => Some(Upload {
                    sha256,
                    mime_type: row.get::<_, Option<String>>(10)?.unwrap_or_default(),
                    file_name: row.get(11)?,
                }),
                None => None,
            },
            uploaded_media_id: row.get(12)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Takes the oldest due entry and marks it `in_flight` (one more attempt). An entry
/// waits while an older one of the same conversation is still queued, so a
/// conversation's messages go out in the order they were written.
pub fn claim_next(conn: &Connection, now_ms: i64) -> Result<Option<Entry>, DbError> {
    let due = select_entries(
        conn,
        "o.state = 'queued' AND o.next_attempt_at_ms <= ?1
         AND NOT EXISTS (
             SELECT 1 FROM outbox p JOIN messages pm ON pm.id = p.message_id
              WHERE pm.conversation_id = m.conversation_id AND p.id < o.id
                AND p.state IN ('queued', 'in_flight'))",
        1,
        params![now_ms],
    )?;
    let Some(mut entry) = due.into_iter().next() else {
        return Ok(None);
    };
    conn.prepare_cached(
        "UPDATE outbox SET state = 'in_flight', attempts = attempts + 1, updated_at = ?2
         WHERE id = ?1",
    )?
    .execute(params![entry.id.0, now_ms / 1000])?;
    entry.attempts += 1;
    Ok(Some(entry))
}

/// When the next queued entry is due (Unix milliseconds).
pub fn next_due_ms(conn: &Connection) -> Result<Option<i64>, DbError> {
    Ok(conn
        .prepare_cached("SELECT MIN(next_attempt_at_ms) FROM outbox WHERE state = 'queued'")?
        .query_row([], |row| row.get(0))?)
}

pub fn mark_sent(conn: &Connection, id: OutboxId, now: i64) -> Result<(), DbError> {
    conn.prepare_cached("UPDATE outbox SET state = 'sent', updated_at = ?2 WHERE id = ?1")?
        .execute(params![id.0, now])?;
    Ok(())
}

/// The outcome of an attempt is recorded only while the entry is still in flight: a
/// status webhook may already have proven it sent (see `uncertain_by_key`).
pub fn mark_failed(
    conn: &Connection,
    id: OutboxId,
    error: &str,
    code: Option<i64>,
    now: i64,
) -> Result<bool, DbError> {
    finish_attempt(conn, id, "failed", error, code, now)
}

pub fn mark_uncertain(
    conn: &Connection,
    id: OutboxId,
    error: &str,
    now: i64,
) -> Result<bool, DbError> {
    finish_attempt(conn, id, "uncertain", error, None, now)
}

/// The upload step is done: keeps Meta's media id and queues the send step at once.
pub fn record_upload(
    conn: &Connection,
    id: OutboxId,
    media_id: &str,
    now_ms: i64,
) -> Result<bool, DbError> {
    let changed = conn
        .prepare_cached(
            "UPDATE outbox SET state = 'queued', uploaded_media_id = ?2,
                 next_attempt_at_ms = ?3, next_attempt_at = ?3 / 1000, updated_at = ?3 / 1000
             WHERE id = ?1 AND state = 'in_flight'",
        )?
        .execute(params![id.0, media_id, now_ms])?;
    Ok(changed > 0)
}

pub fn reschedule(
    conn: &Connection,
    id: OutboxId,
    at_ms: i64,
    error: &str,
    code: Option<i64>,
    now: i64,
) -> Result<bool, DbError> {
    let changed = conn
        .prepare_cached(
            "UPDATE outbox SET state = 'queued', next_attempt_at_ms = ?2, next_attempt_at = ?2 / 1000,
                 last_error = ?3, last_error_code = ?4, updated_at = ?5
             WHERE id = ?1 AND state = 'in_flight'",
        )?
        .execute(params![id.0, at_ms, error, code, now])?;
    Ok(changed > 0)
}

fn finish_attempt(
    conn: &Connection,
    id: OutboxId,
    state: &str,
    error: &str,
    code: Option<i64>,
    now: i64,
) -> Result<bool, DbError> {
    let changed = conn
        .prepare_cached(
            "UPDATE outbox SET state = ?2, last_error = ?3, last_error_code = ?4, updated_at = ?5
             WHERE id = ?1 AND state = 'in_flight'",
        )?
        .execute(params![id.0, state, error, code, now])?;
    Ok(changed > 0)
}

/// The uncertain entry whose key Meta echoed in a status webhook: Meta did take it.
pub fn uncertain_by_key(conn: &Connection, key: &str) -> Result<Option<Entry>, DbError> {
    Ok(select_entries(
        conn,
        "o.idempotency_key = ?1 AND o.state = 'uncertain'",
        1,
        params![key],
    )?
    .into_iter()
    .next())
}

/// The newest message entry for a message: its request and state.
pub fn latest_for_message(
    conn: &Connection,
    message_id: MessageId,
) -> Result<Option<Entry>, DbError> {
    Ok(select_entries(
        conn,
        "o.message_id = ?1 AND o.purpose = 'message' AND o.id =
             (SELECT MAX(id) FROM outbox WHERE message_id = ?1 AND purpose = 'message')",
        1,
        params![message_id.0],
    )?
    .into_iter()
    .next())
}

pub fn state_of(conn: &Connection, id: OutboxId) -> Result<Option<String>, DbError> {
    Ok(conn
        .prepare_cached("SELECT state FROM outbox WHERE id = ?1")?
        .query_row([id.0], |row| row.get(0))
        .optional()?)
}
