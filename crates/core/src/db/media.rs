//! Media attached to messages. Ingest records what Meta announced (state `pending`);
//! the media worker downloads it later.

use rusqlite::{Connection, OptionalExtension, params};

use super::DbError;
use super::messages::MessageId;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewMedia {
    pub meta_media_id: Option<String>,
    pub meta_url: Option<String>,
    pub mime_type: Option<String>,
    /// As announced by Meta (base64 in webhooks); checked after download.
    pub sha256_expected: Option<String>,
    pub file_name: Option<String>,
    pub voice: bool,
    pub animated: bool,
}

/// Records the media of a newly stored message; a second call for the same message
/// changes nothing.
pub fn insert_pending(
    conn: &Connection,
    message_id: MessageId,
    media: &NewMedia,
    now: i64,
) -> Result<(), DbError> {
    conn.prepare_cached(
        "INSERT INTO media (message_id, meta_media_id, meta_url, mime_type, sha256_expected,
             file_name, voice, animated, state, next_attempt_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'pending', ?9, ?9)
         ON CONFLICT (message_id) DO NOTHING",
    )?
    .execute(params![
        message_id.0,
        media.meta_media_id,
        media.meta_url,
        media.mime_type,
        media.sha256_expected,
        media.file_name,
        media.voice,
        media.animated,
        now
    ])?;
    Ok(())
}

/// A media row the worker should fetch now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueMedia {
    pub media_id: i64,
    pub message_id: i64,
    pub conversation_id: i64,
    /// The message kind ("image", "sticker", "audio", "video", "document").
    pub kind: String,
    pub meta_media_id: Option<String>,
    pub meta_url: Option<String>,
    pub mime_type: Option<String>,
    pub sha256_expected: Option<String>,
    pub animated: bool,
    pub attempts: i64,
}

/// Rows waiting for a download whose time has come, oldest first. Rows left in
/// `downloading` by a stopped app are included: their download is started over.
pub fn due(conn: &Connection, now: i64, limit: usize) -> Result<Vec<DueMedia>, DbError> {
    // The media worker asks after every incoming message and the answer is usually
    // "nothing": a plain existence check answers that. The ordered query re-prepares on
    // each reuse (see `statuses::apply_pending_for`), so it runs only when rows exist.
    let any_due: bool = conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM media
                             WHERE state IN ('pending', 'downloading')
                               AND COALESCE(next_attempt_at, 0) <= ?1)",
        )?
        .query_row([now], |row| row.get(0))?;
    if !any_due {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare_cached(
        "SELECT md.id, md.message_id, m.conversation_id, m.kind, md.meta_media_id, md.meta_url,
                md.mime_type, md.sha256_expected, md.animated, md.attempts
           FROM media md JOIN messages m ON m.id = md.message_id
          WHERE md.state IN ('pending', 'downloading') AND COALESCE(md.next_attempt_at, 0) <= ?1
          ORDER BY md.next_attempt_at, md.id
          LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![now, limit as i64], |row| {
            Ok(DueMedia {
                media_id: row.get(0)?,
                message_id: row.get(1)?,
                conversation_id: row.get(2)?,
                kind: row.get(3)?,
                meta_media_id: row.get(4)?,
                meta_url: row.get(5)?,
                mime_type: row.get(6)?,
                sha256_expected: row.get(7)?,
                animated: row.get(8)?,
                attempts: row.get(9)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// When the next waiting row is due, if any.
pub fn next_due_at(conn: &Connection) -> Result<Option<i64>, DbError> {
    Ok(conn
        .prepare_cached(
            "SELECT MIN(COALESCE(next_attempt_at, 0)) FROM media
              WHERE state IN ('pending', 'downloading')",
        )?
        .query_row([], |row| row.get(0))?)
}

pub fn mark_downloading(conn: &Connection, media_id: i64, now: i64) -> Result<(), DbError> {
    conn.prepare_cached(
        "UPDATE media SET state = 'downloading', attempts = attempts + 1, updated_at = ?2
          WHERE id = ?1",
    )?
    .execute(params![media_id, now])?;
    Ok(())
}

/// A fresher download URL from Meta, for a later attempt.
pub fn set_meta_url(conn: &Connection, media_id: i64, url: &str, now: i64) -> Result<(), DbError> {
    conn.prepare_cached("UPDATE media SET meta_url = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![media_id, url, now])?;
    Ok(())
}

/// What a successful download stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMedia {
    pub sha256: String,
    pub size_bytes: i64,
    pub mime_type: String,
    pub thumbnail_sha256: Option<String>,
}

/// Records a finished download; only a row still `downloading` changes (see
/// [`cancel_for_deleted_message`]).
pub fn mark_downloaded(
    conn: &Connection,
    media_id: i64,
    stored: &StoredMedia,
    now: i64,
) -> Result<(), DbError> {
    conn.prepare_cached(
        "UPDATE media SET state = 'downloaded', sha256 = ?2, size_bytes = ?3, mime_type = ?4,
                thumbnail_sha256 = ?5, last_error = NULL, next_attempt_at = NULL, updated_at = ?6
          WHERE id = ?1 AND state = 'downloading'",
    )?
    .execute(params![
        media_id,
        stored.sha256,
        stored.size_bytes,
        stored.mime_type,
        stored.thumbnail_sha256,
        now
    ])?;
    Ok(())
}

/// A temporary failure: back to `pending`, tried again at `next_attempt_at`.
pub fn schedule_retry(
    conn: &Connection,
    media_id: i64,
    error: &str,
    next_attempt_at: i64,
    now: i64,
) -> Result<(), DbError> {
    conn.prepare_cached(
        "UPDATE media SET state = 'pending', last_error = ?2, next_attempt_at = ?3, updated_at = ?4
          WHERE id = ?1 AND state = 'downloading'",
    )?
    .execute(params![media_id, error, next_attempt_at, now])?;
    Ok(())
}

/// A final outcome without a stored file: `failed` (retry by hand) or `expired` (Meta
/// no longer has it).
pub fn mark_given_up(
    conn: &Connection,
    media_id: i64,
    expired: bool,
    error: &str,
    now: i64,
) -> Result<(), DbError> {
    conn.prepare_cached(
        "UPDATE media SET state = ?2, last_error = ?3, next_attempt_at = NULL, updated_at = ?4
          WHERE id = ?1 AND state = 'downloading'",
    )?
    .execute(params![
        media_id,
        if expired { "expired" } else { "failed" },
        error,
        now
    ])?;
    Ok(())
}

/// Why the media of a deleted message is not downloaded.
pub const DELETED_BEFORE_DOWNLOAD: &str =
    "the customer deleted the message before its file was downloaded";

/// The customer deleted the message: a download not yet done is called off (`expired`,
/// never retried); a download under way finds its row changed and stores nothing.
pub fn cancel_for_deleted_message(
    conn: &Connection,
    message_id: MessageId,
    now: i64,
) -> Result<(), DbError> {
    conn.prepare_cached(
        "UPDATE media SET state = 'expired', last_error = ?2, next_attempt_at = NULL, updated_at = ?3
          WHERE message_id = ?1 AND state IN ('pending', 'downloading', 'failed')",
    )?
    .execute(params![message_id.0, DELETED_BEFORE_DOWNLOAD, now])?;
    Ok(())
}

/// Puts the media of `message_id` back in the queue after a failure. Returns the
/// conversation id, or `None` when the message has no media that can be retried.
pub fn requeue_failed(
    conn: &Connection,
    message_id: i64,
    now: i64,
) -> Result<Option<i64>, DbError> {
    let conversation: Option<i64> = conn
        .prepare_cached(
            "UPDATE media SET state = 'pending', attempts = 0, next_attempt_at = ?2, updated_at = ?2
              WHERE message_id = ?1 AND state = 'failed'
          RETURNING (SELECT conversation_id FROM messages WHERE id = ?1)",
        )?
        .query_row(params![message_id, now], |row| row.get(0))
        .optional()?;
    Ok(conversation)
}

/// The type of a downloaded original (`thumbnail` false) or the existence of a
/// thumbnail (`thumbnail` true) with this sha256 (hex), for the media protocol.
/// `Some(None)`: known, type unknown.
pub fn servable_by_sha256(
    conn: &Connection,
    sha256: &str,
    thumbnail: bool,
) -> Result<Option<Option<String>>, DbError> {
    let sql = if thumbnail {
        "SELECT 'image/png' FROM media md JOIN messages m ON m.id = md.message_id
          WHERE md.state IN ('downloaded', 'local') AND md.thumbnail_sha256 = ?1
            AND m.kind <> 'revoked' LIMIT 1"
    } else {
        "SELECT md.mime_type FROM media md JOIN messages m ON m.id = md.message_id
          WHERE md.state IN ('downloaded', 'local') AND md.sha256 = ?1
            AND m.kind <> 'revoked' LIMIT 1"
    };
    Ok(conn
        .prepare_cached(sql)?
        .query_row(params![sha256], |row| row.get(0))
        .optional()?)
}

/// A message's downloaded file: its hash, Meta's name for it and its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DownloadedFile {
    pub sha256: String,
    pub file_name: Option<String>,
    pub mime_type: Option<String>,
}

/// The stored file of a message, for opening or saving it.
pub fn downloaded_of_message(
    conn: &Connection,
    message_id: i64,
) -> Result<Option<DownloadedFile>, DbError> {
    Ok(conn
        .prepare_cached(
            "SELECT md.sha256, md.file_name, md.mime_type FROM media md
               JOIN messages m ON m.id = md.message_id
              WHERE md.message_id = ?1 AND md.state IN ('downloaded', 'local')
                AND md.sha256 IS NOT NULL AND m.kind <> 'revoked'",
        )?
        .query_row(params![message_id], |row| {
            Ok(DownloadedFile {
                sha256: row.get(0)?,
                file_name: row.get(1)?,
                mime_type: row.get(2)?,
            })
        })
        .optional()?)
}

/// The owner's own file, already in the media store: nothing to download.
pub fn insert_local(
    conn: &Connection,
    message_id: MessageId,
    stored: &StoredMedia,
    file_name: Option<&str>,
    voice: bool,
    now: i64,
) -> Result<(), DbError> {
    conn.prepare_cached(
        "INSERT INTO media (message_id, mime_type, sha256, size_bytes, file_name, voice,
             thumbnail_sha256, state, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'local', ?8)",
    )?
    .execute(params![
        message_id.0,
        stored.mime_type,
        stored.sha256,
        stored.size_bytes,
        file_name,
        voice,
        stored.thumbnail_sha256,
        now
    ])?;
    Ok(())
}

/// Keeps the media id Meta gave the owner's uploaded file.
pub fn set_uploaded_id(
    conn: &Connection,
    message_id: MessageId,
    meta_media_id: &str,
    now: i64,
) -> Result<(), DbError> {
    conn.prepare_cached(
        "UPDATE media SET meta_media_id = ?2, updated_at = ?3 WHERE message_id = ?1",
    )?
    .execute(params![message_id.0, meta_media_id, now])?;
    Ok(())
}
