//! Messages in both directions: idempotent insert and ordered, paged reads.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params, params_from_iter};

use super::conversations::{self, ConversationId};
use super::webhook_events::WebhookEventId;
use super::{DbError, search_index};
use crate::model::{
    Direction, Forwarded, MediaInfo, MediaState, Message, MessageCursor, MessageError, MessagePage,
    MessageStatus, Pricing, QuotedMessage, Reaction, Reactor, StatusTimes,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MessageId(pub i64);

/// Message kinds that open (or refresh) the 24-hour customer-service window when
/// they come from the customer. Reactions do not: they are not messages to answer.
fn opens_service_window(direction: Direction, kind: &str) -> bool {
    direction == Direction::In && kind != "reaction"
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewMessage {
    pub conversation_id: ConversationId,
    pub wamid: Option<String>,
    pub direction: Direction,
    pub kind: String,
    pub body: Option<String>,
    pub caption: Option<String>,
    pub details_json: Option<String>,
    pub reply_to_wamid: Option<String>,
    pub forwarded: Forwarded,
    pub referral_json: Option<String>,
    pub wa_timestamp: i64,
    pub status: Option<MessageStatus>,
    /// The stored webhook body this message came in (its exact JSON is there).
    pub raw_event_id: Option<WebhookEventId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InsertedMessage {
    pub id: MessageId,
    pub seq: i64,
}

/// Stores the message unless its wamid is already stored (a repeated delivery), in
/// which case it returns `None` and changes nothing.
pub fn insert(
    conn: &Connection,
    message: &NewMessage,
    now: i64,
) -> Result<Option<InsertedMessage>, DbError> {
    let mut batch = InsertBatch::default();
    let inserted = batch.insert(conn, message, now)?;
    batch.finish(conn)?;
    Ok(inserted)
}

/// Several messages stored in a row, as from one webhook body: the next id is read
/// once, and each conversation's newest-message marker and service window are written
/// once, by [`InsertBatch::finish`], instead of once per message.
#[derive(Default)]
#[must_use = "finish writes the conversations' newest-message markers"]
pub struct InsertBatch {
    next_id: Option<i64>,
    activity: HashMap<ConversationId, Activity>,
}

/// The newest message stored in a conversation by a batch, and the newest of those
/// that open the service window.
struct Activity {
    newest: (i64, i64),
    inbound_at: Option<i64>,
}

impl InsertBatch {
    /// As [`insert`]; the conversation is updated at [`InsertBatch::finish`].
    pub fn insert(
        &mut self,
        conn: &Connection,
        message: &NewMessage,
        now: i64,
    ) -> Result<Option<InsertedMessage>, DbError> {
        // The id is the position too (seq = id, see migration V10): the rowid's B-tree
        // finds the last one at once and keeps both unique without another index.
        let seq = match self.next_id {
            Some(id) => id,
            None => conn
                .prepare_cached("SELECT COALESCE(MAX(id), 0) + 1 FROM messages")?
                .query_row([], |row| row.get(0))?,
        };
        let inserted = insert_row(conn, message, seq, now)?;
        // A repeated delivery took no id: the next message gets this one.
        self.next_id = Some(if inserted.is_some() { seq + 1 } else { seq });
        if inserted.is_some() {
            let position = (message.wa_timestamp, seq);
            let inbound_at = opens_service_window(message.direction, &message.kind)
                .then_some(message.wa_timestamp);
            let activity = self
                .activity
                .entry(message.conversation_id)
                .or_insert(Activity {
                    newest: position,
                    inbound_at,
                });
            activity.newest = activity.newest.max(position);
            activity.inbound_at = activity.inbound_at.max(inbound_at);
        }
        Ok(inserted)
    }

    /// Writes what the batch's messages changed in their conversations.
    pub fn finish(self, conn: &Connection) -> Result<(), DbError> {
        for (conversation, activity) in self.activity {
            let (wa_timestamp, seq) = activity.newest;
            conversations::note_activity(
                conn,
                conversation,
                wa_timestamp,
                seq,
                activity.inbound_at,
            )?;
        }
        Ok(())
    }
}

fn insert_row(
    conn: &Connection,
    message: &NewMessage,
    seq: i64,
    now: i64,
) -> Result<Option<InsertedMessage>, DbError> {
    // No RETURNING and no trigger: either makes SQLite wrap the row in a statement
    // journal of its own (see migration V9), a large part of the cost of an insert.
    let inserted = conn
        .prepare_cached(
            "INSERT INTO messages (id, conversation_id, wamid, seq, direction, kind, body, caption,
                 details_json, reply_to_wamid, forwarded, referral_json, wa_timestamp, status,
                 status_rank, raw_event_id, created_at)
             VALUES (?3, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 0, ?14, ?15)
             ON CONFLICT (wamid) DO NOTHING",
        )?
        .execute(params![
            message.conversation_id.0,
            message.wamid,
            seq,
            message.direction.as_str(),
            message.kind,
            message.body,
            message.caption,
            message.details_json,
            message.reply_to_wamid,
            message.forwarded.as_db(),
            message.referral_json,
            message.wa_timestamp,
            message.status.map(MessageStatus::as_str),
            message.raw_event_id.map(|event| event.0),
            now
        ])?;
    if inserted == 0 {
        return Ok(None);
    }
    search_index::queue(conn, MessageId(seq))?;
    Ok(Some(InsertedMessage {
        id: MessageId(seq),
        seq,
    }))
}

pub fn find_id_by_wamid(conn: &Connection, wamid: &str) -> Result<Option<MessageId>, DbError> {
    Ok(conn
        .prepare_cached("SELECT id FROM messages WHERE wamid = ?1")?
        .query_row([wamid], |row| row.get(0))
        .optional()?
        .map(MessageId))
}

const MESSAGE_COLUMNS: &str =
    "m.id, m.conversation_id, m.wamid, m.direction, m.kind, m.body, m.caption,
    m.details_json, m.reply_to_wamid, m.forwarded, m.wa_timestamp, m.seq, m.status,
    m.sent_at, m.delivered_at, m.read_at, m.played_at, m.failed_at,
    m.error_code, m.error_title, m.error_details,
    md.mime_type, md.file_name, md.size_bytes, md.sha256, md.state, md.voice, md.animated,
    md.thumbnail_sha256, md.last_error, m.pricing_category, m.pricing_billable";

fn message_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Message> {
    let direction: String = row.get(3)?;
    let details: Option<String> = row.get(7)?;
    let status: Option<String> = row.get(12)?;
    let error_code: Option<i64> = row.get(18)?;
    let error_title: Option<String> = row.get(19)?;
    let error_details: Option<String> = row.get(20)?;
    let media_state: Option<String> = row.get(25)?;
    let reply_to: Option<String> = row.get(8)?;
    let pricing_category: Option<String> = row.get(30)?;
    Ok(Message {
        id: row.get(0)?,
        conversation_id: row.get(1)?,
        wamid: row.get(2)?,
        direction: Direction::parse(&direction).unwrap_or(Direction::In),
        kind: row.get(4)?,
        body: row.get(5)?,
        caption: row.get(6)?,
        details: details.and_then(|text| serde_json::from_str(&text).ok()),
        reply_to: reply_to.map(|wamid| QuotedMessage {
            wamid,
            kind: None,
            text: None,
            direction: None,
        }),
        forwarded: Forwarded::from_db(row.get(9)?),
        wa_timestamp: row.get(10)?,
        seq: row.get(11)?,
        status: status.as_deref().and_then(MessageStatus::parse),
        status_times: StatusTimes {
            sent_at: row.get(13)?,
            delivered_at: row.get(14)?,
            read_at: row.get(15)?,
            played_at: row.get(16)?,
            failed_at: row.get(17)?,
        },
        error: (error_code.is_some() || error_title.is_some() || error_details.is_some())
            .then_some(MessageError {
                code: error_code,
                title: error_title,
                details: error_details,
            }),
        reactions: Vec::new(),
        send_state: None,
        pricing: pricing_category.map(|category| Pricing {
            category,
            billable: row.get(31).unwrap_or(None),
        }),
        media: match media_state.as_deref().and_then(MediaState::parse) {
            Some(state) => Some(MediaInfo {
                mime_type: row.get(21)?,
                file_name: row.get(22)?,
                size_bytes: row.get(23)?,
                sha256: row.get(24)?,
                thumbnail_sha256: row.get(28)?,
                state,
                voice: row.get(26)?,
                animated: row.get(27)?,
                last_error: row.get(29)?,
            }),
            None => None,
        },
    })
}

/// A page of a conversation's messages, oldest first, ending just before `before`
/// (or at the newest message).
pub fn page(
    conn: &Connection,
    conversation: ConversationId,
    before: Option<MessageCursor>,
    limit: usize,
) -> Result<MessagePage, DbError> {
    let limit = limit.clamp(1, 500);
    let (ts, seq) = before.map_or((i64::MAX, i64::MAX), |c| (c.wa_timestamp, c.seq));
    let sql = format!(
        "SELECT {MESSAGE_COLUMNS}
           FROM messages m LEFT JOIN media md ON md.message_id = m.id
          WHERE m.conversation_id = ?1 AND (m.wa_timestamp, m.seq) < (?2, ?3)
          ORDER BY m.wa_timestamp DESC, m.seq DESC
          LIMIT ?4"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut messages: Vec<Message> = stmt
        .query_map(
            params![conversation.0, ts, seq, limit as i64 + 1],
            message_from_row,
        )?
        .collect::<Result<_, _>>()?;
    let has_more = messages.len() > limit;
    messages.truncate(limit);
    messages.reverse();
    attach_reactions(conn, &mut messages)?;
    attach_quotes(conn, &mut messages)?;
    super::outbound::attach_send_states(conn, &mut messages)?;
    let next_cursor = if has_more {
        messages.first().map(|m| MessageCursor {
            wa_timestamp: m.wa_timestamp,
            seq: m.seq,
        })
    } else {
        None
    };
    Ok(MessagePage {
        messages,
        has_more,
        next_cursor,
    })
}

fn sql_parameters(count: usize) -> String {
    vec!["?"; count].join(", ")
}

fn attach_reactions(conn: &Connection, messages: &mut [Message]) -> Result<(), DbError> {
    let wamids: Vec<&str> = messages.iter().filter_map(|m| m.wamid.as_deref()).collect();
    if wamids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "SELECT message_wamid, reactor, emoji FROM reactions
          WHERE message_wamid IN ({}) ORDER BY wa_timestamp, id",
        sql_parameters(wamids.len())
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut by_wamid: HashMap<String, Vec<Reaction>> = HashMap::new();
    let rows = stmt.query_map(params_from_iter(wamids.iter()), |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (wamid, reactor, emoji) = row?;
        let reactor = if reactor == "business" {
            Reactor::Business
        } else {
            Reactor::Customer
        };
        by_wamid
            .entry(wamid)
            .or_default()
            .push(Reaction { reactor, emoji });
    }
    for message in messages.iter_mut() {
        if let Some(reactions) = message.wamid.as_ref().and_then(|w| by_wamid.remove(w)) {
            message.reactions = reactions;
        }
    }
    Ok(())
}

fn attach_quotes(conn: &Connection, messages: &mut [Message]) -> Result<(), DbError> {
    let quoted: Vec<String> = messages
        .iter()
        .filter_map(|m| m.reply_to.as_ref().map(|q| q.wamid.clone()))
        .collect();
    if quoted.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "SELECT wamid, kind, COALESCE(body, caption), direction FROM messages WHERE wamid IN ({})",
        sql_parameters(quoted.len())
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut found: HashMap<String, (String, Option<String>, String)> = HashMap::new();
    let rows = stmt.query_map(params_from_iter(quoted.iter()), |row| {
        Ok((
            row.get::<_, String>(0)?,
            (row.get(1)?, row.get(2)?, row.get::<_, String>(3)?),
        ))
    })?;
    for row in rows {
        let (wamid, quote) = row?;
        found.insert(wamid, quote);
    }
    for quote in messages.iter_mut().filter_map(|m| m.reply_to.as_mut()) {
        if let Some((kind, text, direction)) = found.get(&quote.wamid) {
            quote.kind = Some(kind.clone());
            quote.text = text.clone();
            quote.direction = Direction::parse(direction);
        }
    }
    Ok(())
}
