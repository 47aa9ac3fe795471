//! Reactions, one per reactor per message. They attach to the target's wamid, so a
//! reaction that arrives before its target (or to a message sent elsewhere) is kept
//! and shows up once the target is stored.
//!
//! Arrival order does not matter: a reaction or removal only takes effect if it is at
//! least as new (WhatsApp timestamp) as what is stored for that reactor.

use rusqlite::{Connection, OptionalExtension, params};

use super::DbError;
use crate::model::Reactor;

fn reactor_text(reactor: Reactor) -> &'static str {
    match reactor {
        Reactor::Customer => "customer",
        Reactor::Business => "business",
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReactionUpdate {
    pub message_wamid: String,
    pub reactor: Reactor,
    /// `None` removes the reactor's reaction.
    pub emoji: Option<String>,
    pub reaction_wamid: Option<String>,
    pub wa_timestamp: i64,
}

/// Records a reaction or its removal. Returns whether anything visible changed.
pub fn apply(conn: &Connection, update: &ReactionUpdate) -> Result<bool, DbError> {
    let reactor = reactor_text(update.reactor);
    match &update.emoji {
        Some(emoji) => {
            let removed_at: Option<i64> = conn
                .prepare_cached(
                    "SELECT wa_timestamp FROM reaction_removals
                      WHERE message_wamid = ?1 AND reactor = ?2",
                )?
                .query_row(params![update.message_wamid, reactor], |row| row.get(0))
                .optional()?;
            if removed_at.is_some_and(|removed_at| removed_at > update.wa_timestamp) {
                return Ok(false);
            }
            let changed = conn
                .prepare_cached(
                    "INSERT INTO reactions (message_wamid, reactor, emoji, reaction_wamid, wa_timestamp)
                     VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (message_wamid, reactor) DO UPDATE SET
                         emoji = excluded.emoji,
                         reaction_wamid = excluded.reaction_wamid,
                         wa_timestamp = excluded.wa_timestamp
                     WHERE excluded.wa_timestamp >= reactions.wa_timestamp
                       AND (excluded.emoji <> reactions.emoji
                            OR excluded.wa_timestamp > reactions.wa_timestamp)",
                )?
                .execute(params![
                    update.message_wamid,
                    reactor,
                    emoji,
                    update.reaction_wamid,
                    update.wa_timestamp
                ])?;
            Ok(changed > 0)
        }
        None => {
            conn.prepare_cached(
                "INSERT INTO reaction_removals (message_wamid, reactor, wa_timestamp)
                 VALUES (?1, ?2, ?3)
                 ON CONFLICT (message_wamid, reactor) DO UPDATE SET
                     wa_timestamp = MAX(reaction_removals.wa_timestamp, excluded.wa_timestamp)",
            )?
            .execute(params![update.message_wamid, reactor, update.wa_timestamp])?;
            let removed = conn
                .prepare_cached(
                    "DELETE FROM reactions
                      WHERE message_wamid = ?1 AND reactor = ?2 AND wa_timestamp <= ?3",
                )?
                .execute(params![update.message_wamid, reactor, update.wa_timestamp])?;
            Ok(removed > 0)
        }
    }
}

/// The live reactions on one message, oldest first: `(reactor, emoji)`.
pub fn for_message(
    conn: &Connection,
    message_wamid: &str,
) -> Result<Vec<(Reactor, String)>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT reactor, emoji FROM reactions WHERE message_wamid = ?1 ORDER BY wa_timestamp, id",
    )?;
    let rows = stmt.query_map([message_wamid], |row| {
        let reactor: String = row.get(0)?;
        Ok((
            if reactor == "business" {
                Reactor::Business
            } else {
                Reactor::Customer
            },
            row.get::<_, String>(1)?,
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
