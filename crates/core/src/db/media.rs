//! Media attached to messages. Ingest records what Meta announced (state `pending`);
//! the media worker downloads it later.

use rusqlite::{Connection, params};

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
