//! The inbox as JSON Lines: one object per message, conversation by conversation,
//! oldest first. A user feature (backups, moving to another tool) and the ground truth
//! the crash test compares against.

use std::io::Write;

use rusqlite::{Connection, params};
use serde::Serialize;

use super::DbError;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("could not write the export: {0}")]
    Write(#[from] std::io::Error),
    #[error("could not encode a message: {0}")]
    Encode(#[from] serde_json::Error),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportedReaction {
    /// `customer` or `business`.
    pub from: String,
    pub emoji: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportedMedia {
    pub mime_type: Option<String>,
    /// Of the downloaded file, or as announced by Meta until then.
    pub sha256: Option<String>,
    pub state: String,
    pub file_name: Option<String>,
    pub size_bytes: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportedMessage {
    pub phone_number_id: String,
    pub wa_id: Option<String>,
    pub user_id: Option<String>,
    pub contact_name: Option<String>,
    pub id: Option<String>,
    pub direction: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub timestamp: i64,
    pub text: Option<String>,
    pub status: Option<String>,
    pub reply_to: Option<String>,
    pub reactions: Vec<ExportedReaction>,
    pub media: Option<ExportedMedia>,
}

/// Writes every message as one JSON line; returns how many were written.
pub fn write_jsonl(conn: &Connection, out: &mut impl Write) -> Result<usize, ExportError> {
    let mut reactions = conn.prepare_cached(
        "SELECT reactor, emoji FROM reactions WHERE message_wamid = ?1 ORDER BY wa_timestamp, id",
    )?;
    let mut messages = conn.prepare(
        "SELECT b.phone_number_id, c.wa_id, c.user_id, c.profile_name, m.wamid, m.direction,
                m.kind, m.wa_timestamp, COALESCE(m.body, m.caption), m.status, m.reply_to_wamid,
                md.mime_type, COALESCE(md.sha256, md.sha256_expected), md.state, md.file_name,
                md.size_bytes
           FROM messages m
           JOIN conversations v ON v.id = m.conversation_id
           JOIN business_numbers b ON b.id = v.business_number_id
           JOIN contacts c ON c.id = v.contact_id
           LEFT JOIN media md ON md.message_id = m.id
          ORDER BY m.conversation_id, m.wa_timestamp, m.seq",
    )?;
    let mut rows = messages.query([])?;
    let mut written = 0;
    while let Some(row) = rows.next()? {
        let wamid: Option<String> = row.get(4)?;
        let media_state: Option<String> = row.get(13)?;
        let exported = ExportedMessage {
            phone_number_id: row.get(0)?,
            wa_id: row.get(1)?,
            user_id: row.get(2)?,
            contact_name: row.get(3)?,
            direction: row.get(5)?,
            kind: row.get(6)?,
            timestamp: row.get(7)?,
            text: row.get(8)?,
            status: row.get(9)?,
            reply_to: row.get(10)?,
            reactions: match &wamid {
                Some(wamid) => reactions
                    .query_map(params![wamid], |row| {
                        Ok(ExportedReaction {
                            from: row.get(0)?,
                            emoji: row.get(1)?,
                        })
                    })?
                    .collect::<Result<_, _>>()?,
                None => Vec::new(),
            },
            media: match media_state {
                Some(state) => Some(ExportedMedia {
                    mime_type: row.get(11)?,
                    sha256: row.get(12)?,
                    state,
                    file_name: row.get(14)?,
                    size_bytes: row.get(15)?,
                }),
                None => None,
            },
            id: wamid,
        };
        serde_json::to_writer(&mut *out, &exported)?;
        out.write_all(b"\n")?;
        written += 1;
    }
    out.flush()?;
    Ok(written)
}

/// Exports the whole inbox from a read connection, off the async runtime.
pub async fn export_jsonl<W: Write + Send + 'static>(
    db: &super::Database,
    mut out: W,
) -> Result<usize, ExportError> {
    db.read(move |conn| Ok(write_jsonl(conn, &mut out))).await?
}
