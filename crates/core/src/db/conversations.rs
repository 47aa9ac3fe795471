//! Conversations: one per business number and contact.

use rusqlite::{Connection, OptionalExtension, params};

use super::DbError;
use super::business_numbers::BusinessNumberId;
use super::contacts::ContactId;
use crate::model::{ConversationSummary, Direction, MessagePreview, MessageStatus};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConversationId(pub i64);

pub fn get_or_create(
    conn: &Connection,
    business_number: BusinessNumberId,
    contact: ContactId,
    now: i64,
) -> Result<ConversationId, DbError> {
    let existing = conn
        .prepare_cached(
            "SELECT id FROM conversations WHERE business_number_id = ?1 AND contact_id = ?2",
        )?
        .query_row(params![business_number.0, contact.0], |row| row.get(0))
        .optional()?;
    if let Some(id) = existing {
        return Ok(ConversationId(id));
    }
    let id = conn
        .prepare_cached(
            "INSERT INTO conversations (business_number_id, contact_id, created_at)
             VALUES (?1, ?2, ?3) RETURNING id",
        )?
        .query_row(params![business_number.0, contact.0, now], |row| row.get(0))?;
    Ok(ConversationId(id))
}

/// Moves the conversation's "newest message" marker forward to `(wa_timestamp, seq)` if
/// that is newer, and the start of the customer-service window to `inbound_at` (the
/// newest customer message just stored, if any) if that is later.
pub fn note_activity(
    conn: &Connection,
    conversation: ConversationId,
    wa_timestamp: i64,
    seq: i64,
    inbound_at: Option<i64>,
) -> Result<(), DbError> {
    conn.prepare_cached(
        "UPDATE conversations SET
             last_message_at  = CASE WHEN last_message_at IS NULL OR (?2, ?3) > (last_message_at, last_message_seq)
                                     THEN ?2 ELSE last_message_at END,
             last_message_seq = CASE WHEN last_message_at IS NULL OR (?2, ?3) > (last_message_at, last_message_seq)
                                     THEN ?3 ELSE last_message_seq END,
             last_inbound_at  = CASE WHEN ?4 IS NOT NULL AND (last_inbound_at IS NULL OR ?4 > last_inbound_at)
                                     THEN ?4 ELSE last_inbound_at END
         WHERE id = ?1",
    )?
    .execute(params![
        conversation.0,
        wa_timestamp,
        seq,
        inbound_at
    ])?;
    Ok(())
}

/// Marks every inbound message of the conversation as read by the owner, and clears
/// a manual "unread" mark. Returns how many messages changed.
pub fn mark_read(
    conn: &Connection,
    conversation: ConversationId,
    now: i64,
) -> Result<usize, DbError> {
    let exists = conn
        .prepare_cached("SELECT 1 FROM conversations WHERE id = ?1")?
        .query_row([conversation.0], |_| Ok(()))
        .optional()?;
    if exists.is_none() {
        return Err(DbError::Invalid(format!(
            "conversation {} does not exist",
            conversation.0
        )));
    }
    conn.prepare_cached("UPDATE conversations SET marked_unread = 0 WHERE id = ?1")?
        .execute([conversation.0])?;
    let changed = conn
        .prepare_cached(
            "UPDATE messages SET owner_read_at = ?2
             WHERE conversation_id = ?1 AND direction = 'in' AND owner_read_at IS NULL",
        )?
        .execute(params![conversation.0, now])?;
    Ok(changed)
}

pub fn exists(conn: &Connection, conversation: ConversationId) -> Result<bool, DbError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM conversations WHERE id = ?1")?
        .query_row([conversation.0], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Every conversation with what the list shows: pinned first, then newest activity.
pub fn list_summaries(conn: &Connection, now: i64) -> Result<Vec<ConversationSummary>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, b.phone_number_id, COALESCE(b.verified_name, b.display_phone_number),
                ct.id, ct.profile_name, ct.wa_id, ct.user_id, ct.username,
                c.last_message_at, c.pinned_at, c.archived, c.muted_until, c.marked_unread,
                c.last_inbound_at,
                (SELECT COUNT(*) FROM messages u
                  WHERE u.conversation_id = c.id AND u.direction = 'in' AND u.owner_read_at IS NULL),
                m.kind, COALESCE(m.body, m.caption), m.direction, m.status, m.wa_timestamp
           FROM conversations c
           JOIN business_numbers b ON b.id = c.business_number_id
           JOIN contacts ct ON ct.id = c.contact_id
           LEFT JOIN messages m ON m.id = c.last_message_seq -- seq = id (migration V10)
          ORDER BY c.pinned_at IS NULL, c.pinned_at DESC,
                   c.last_message_at DESC, c.last_message_seq DESC, c.id DESC",
    )?;
    let rows = stmt.query_map([], |row| {
        let muted_until: Option<i64> = row.get(11)?;
        let last_kind: Option<String> = row.get(15)?;
        let last_direction: Option<String> = row.get(17)?;
        let last_status: Option<String> = row.get(18)?;
        let last_message = match (
            last_kind,
            last_direction.as_deref().and_then(Direction::parse),
        ) {
            (Some(kind), Some(direction)) => Some(MessagePreview {
                kind,
                text: row.get(16)?,
                direction,
                status: last_status.as_deref().and_then(MessageStatus::parse),
                wa_timestamp: row.get(19)?,
            }),
            _ => None,
        };
        Ok(ConversationSummary {
            id: row.get(0)?,
            phone_number_id: row.get(1)?,
            business_name: row.get(2)?,
            contact_id: row.get(3)?,
            contact_name: row.get(4)?,
            wa_id: row.get(5)?,
            user_id: row.get(6)?,
            username: row.get(7)?,
            last_message_at: row.get(8)?,
            pinned: row.get::<_, Option<i64>>(9)?.is_some(),
            archived: row.get(10)?,
            muted: muted_until.is_some_and(|until| until > now),
            marked_unread: row.get(12)?,
            last_inbound_at: row.get(13)?,
            unread_count: row.get(14)?,
            last_message,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
