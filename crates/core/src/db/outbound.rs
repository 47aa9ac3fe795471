//! What the outbox writes onto the owner's messages and reactions as a send progresses.

use rusqlite::{Connection, OptionalExtension, params};

use super::DbError;
use super::messages::MessageId;
use crate::model::{Message, SendState};

/// Meta accepted the message: it gets its wamid and its first tick, any note left by an
/// earlier failed attempt goes away, and statuses whose webhook beat this response
/// (kept in `pending_statuses`) are applied now.
pub fn record_accepted(conn: &Connection, message: MessageId, wamid: &str) -> Result<(), DbError> {
    conn.prepare_cached(
        "UPDATE messages SET wamid = ?2,
             status = CASE WHEN status IS NULL OR status = 'pending' THEN 'sent' ELSE status END,
             status_rank = CASE WHEN status IS NULL OR status = 'pending' THEN 1 ELSE status_rank END,
             error_code = NULL, error_title = NULL, error_details = NULL
         WHERE id = ?1",
    )?
    .execute(params![message.0, wamid])?;
    super::statuses::apply_pending_for(conn, wamid)?;
    Ok(())
}

/// A status webhook echoed the outbox key `callback_data`: if that entry is still
/// waiting for its answer or was left "not confirmed", Meta did take it, so it is sent
/// under the status's wamid.
pub fn confirm_uncertain(
    conn: &Connection,
    callback_data: &str,
    wamid: &str,
    now: i64,
) -> Result<Option<super::outbox::Entry>, DbError> {
    let Some(entry) = super::outbox::uncertain_by_key(conn, callback_data)? else {
        return Ok(None);
    };
    super::outbox::mark_sent(conn, entry.id, now)?;
    if entry.purpose == super::outbox::Purpose::Message {
        record_accepted(conn, entry.message_id, wamid)?;
    }
    Ok(Some(entry))
}

/// Meta refused the message for good.
pub fn record_failed(
    conn: &Connection,
    message: MessageId,
    code: Option<i64>,
    sentence: &str,
    details: Option<&str>,
    now: i64,
) -> Result<(), DbError> {
    conn.prepare_cached(
        "UPDATE messages SET status = 'failed', status_rank = 1, failed_at = ?2,
             error_code = ?3, error_title = ?4, error_details = ?5
         WHERE id = ?1",
    )?
    .execute(params![message.0, now, code, sentence, details])?;
    Ok(())
}

/// The message is still on its way (retrying) or its fate is unknown (uncertain): it
/// stays pending and says why.
pub fn record_note(
    conn: &Connection,
    message: MessageId,
    code: Option<i64>,
    sentence: &str,
) -> Result<(), DbError> {
    conn.prepare_cached(
        "UPDATE messages SET status = 'pending', status_rank = 0,
             error_code = ?2, error_title = ?3, error_details = NULL
         WHERE id = ?1",
    )?
    .execute(params![message.0, code, sentence])?;
    Ok(())
}

/// The owner sent a new attempt: the old failure no longer describes the message.
pub fn reset_for_resend(conn: &Connection, message: MessageId) -> Result<(), DbError> {
    conn.prepare_cached(
        "UPDATE messages SET status = 'pending', status_rank = 0, failed_at = NULL,
             error_code = NULL, error_title = NULL, error_details = NULL
         WHERE id = ?1",
    )?
    .execute([message.0])?;
    Ok(())
}

/// Shows the owner's reaction at once; an empty emoji removes it.
pub fn set_business_reaction(
    conn: &Connection,
    message_wamid: &str,
    emoji: &str,
    now: i64,
) -> Result<(), DbError> {
    if emoji.is_empty() {
        conn.prepare_cached(
            "DELETE FROM reactions WHERE message_wamid = ?1 AND reactor = 'business'",
        )?
        .execute([message_wamid])?;
    } else {
        conn.prepare_cached(
            "INSERT INTO reactions (message_wamid, reactor, emoji, reaction_wamid, wa_timestamp)
             VALUES (?1, 'business', ?2, NULL, ?3)
             ON CONFLICT (message_wamid, reactor) DO UPDATE SET
                 emoji = excluded.emoji, reaction_wamid = NULL, wa_timestamp = excluded.wa_timestamp",
        )?
        .execute(params![message_wamid, emoji, now])?;
    }
    Ok(())
}

/// Meta accepted the reaction.
pub fn record_reaction_accepted(
    conn: &Connection,
    message_wamid: &str,
    emoji: &str,
    reaction_wamid: &str,
) -> Result<(), DbError> {
    conn.prepare_cached(
        "UPDATE reactions SET reaction_wamid = ?3
         WHERE message_wamid = ?1 AND reactor = 'business' AND emoji = ?2",
    )?
    .execute(params![message_wamid, emoji, reaction_wamid])?;
    Ok(())
}

/// Meta refused the reaction: it no longer shows, unless the owner changed it since.
pub fn undo_business_reaction(
    conn: &Connection,
    message_wamid: &str,
    emoji: &str,
) -> Result<(), DbError> {
    conn.prepare_cached(
        "DELETE FROM reactions WHERE message_wamid = ?1 AND reactor = 'business' AND emoji = ?2",
    )?
    .execute(params![message_wamid, emoji])?;
    Ok(())
}

/// Who a conversation's messages go to and from which number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversationTarget {
    pub conversation_id: i64,
    pub phone_number_id: String,
    pub wa_id: Option<String>,
    pub user_id: Option<String>,
    pub profile_name: Option<String>,
    pub last_inbound_at: Option<i64>,
}

pub fn conversation_target(
    conn: &Connection,
    conversation_id: i64,
) -> Result<Option<ConversationTarget>, DbError> {
    Ok(conn
        .prepare_cached(
            "SELECT c.id, b.phone_number_id, ct.wa_id, ct.user_id, ct.profile_name, c.last_inbound_at
               FROM conversations c
               JOIN business_numbers b ON b.id = c.business_number_id
               JOIN contacts ct ON ct.id = c.contact_id
              WHERE c.id = ?1",
        )?
        .query_row([conversation_id], |row| {
            Ok(ConversationTarget {
                conversation_id: row.get(0)?,
                phone_number_id: row.get(1)?,
                wa_id: row.get(2)?,
                user_id: row.get(3)?,
                profile_name: row.get(4)?,
                last_inbound_at: row.get(5)?,
            })
        })
        .optional()?)
}

/// An outbound message of this inbox, as a resend needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnMessage {
    pub conversation_id: i64,
    pub wamid: Option<String>,
    pub direction: String,
    pub kind: String,
    pub status: Option<String>,
}

pub fn own_message(conn: &Connection, message: MessageId) -> Result<Option<OwnMessage>, DbError> {
    Ok(conn
        .prepare_cached(
            "SELECT conversation_id, wamid, direction, kind, status FROM messages WHERE id = ?1",
        )?
        .query_row([message.0], |row| {
            Ok(OwnMessage {
                conversation_id: row.get(0)?,
                wamid: row.get(1)?,
                direction: row.get(2)?,
                kind: row.get(3)?,
                status: row.get(4)?,
            })
        })
        .optional()?)
}

/// The newest inbound message of a conversation: the one a read receipt names.
pub fn newest_inbound_wamid(
    conn: &Connection,
    conversation_id: i64,
) -> Result<Option<String>, DbError> {
    Ok(conn
        .prepare_cached(
            "SELECT wamid FROM messages
              WHERE conversation_id = ?1 AND direction = 'in' AND wamid IS NOT NULL
              ORDER BY wa_timestamp DESC, seq DESC LIMIT 1",
        )?
        .query_row([conversation_id], |row| row.get(0))
        .optional()?)
}

/// Fills each outbound message's send state from its newest outbox entry.
pub fn attach_send_states(conn: &Connection, messages: &mut [Message]) -> Result<(), DbError> {
    let mut latest = conn.prepare_cached(
        "SELECT state FROM outbox WHERE message_id = ?1 AND purpose = 'message'
          ORDER BY id DESC LIMIT 1",
    )?;
    for message in messages
        .iter_mut()
        .filter(|m| m.direction == crate::model::Direction::Out)
    {
        let state: Option<String> = latest
            .query_row([message.id], |row| row.get(0))
            .optional()?;
        message.send_state = state.as_deref().and_then(SendState::parse);
    }
    Ok(())
}
