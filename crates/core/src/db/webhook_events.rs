//! Every verified webhook body exactly as received: the source of truth that the
//! conversation tables are derived from.

use rusqlite::{Connection, params};

use super::DbError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WebhookEventId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplyState {
    Applied,
    Failed,
    /// Nothing in it concerns a configured business number.
    Ignored,
}

impl ApplyState {
    pub fn as_str(self) -> &'static str {
        match self {
            ApplyState::Applied => "applied",
            ApplyState::Failed => "failed",
            ApplyState::Ignored => "ignored",
        }
    }

    pub fn parse(text: &str) -> Option<ApplyState> {
        Some(match text {
            "applied" => ApplyState::Applied,
            "failed" => ApplyState::Failed,
            "ignored" => ApplyState::Ignored,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookEventRow {
    pub id: WebhookEventId,
    pub received_at_ms: i64,
    pub body: Vec<u8>,
    pub apply_state: ApplyState,
    pub apply_error: Option<String>,
}

/// The id the next stored body gets: ingest applies a body before storing it (with the
/// outcome), and the messages it inserts name the body they came in.
pub fn next_id(conn: &Connection) -> Result<WebhookEventId, DbError> {
    Ok(WebhookEventId(
        conn.prepare_cached("SELECT COALESCE(MAX(id), 0) + 1 FROM webhook_events")?
            .query_row([], |row| row.get(0))?,
    ))
}

/// Stores a body whose signature was verified as `id` (from [`next_id`] in the same
/// transaction), with the outcome of applying it.
pub fn insert_verified(
    conn: &Connection,
    id: WebhookEventId,
    body: &[u8],
    received_at_ms: i64,
    state: ApplyState,
    error: Option<&str>,
) -> Result<WebhookEventId, DbError> {
    conn.prepare_cached(
        "INSERT INTO webhook_events (id, received_at_ms, body, signature_valid, apply_state,
             apply_error, applied_at_ms)
         VALUES (?6, ?1, ?2, 1, ?3, ?4, ?5)",
    )?
    .execute(params![
        received_at_ms,
        body,
        state.as_str(),
        error,
        (state != ApplyState::Failed).then_some(received_at_ms),
        id.0
    ])?;
    Ok(id)
}

pub fn set_outcome(
    conn: &Connection,
    id: WebhookEventId,
    state: ApplyState,
    error: Option<&str>,
    now_ms: i64,
) -> Result<(), DbError> {
    conn.prepare_cached(
        "UPDATE webhook_events SET apply_state = ?2, apply_error = ?3, applied_at_ms = ?4
          WHERE id = ?1",
    )?
    .execute(params![
        id.0,
        state.as_str(),
        error,
        (state != ApplyState::Failed).then_some(now_ms)
    ])?;
    Ok(())
}

/// Failed events, oldest first, at most `limit`, starting after `after`.
pub fn failed_after(
    conn: &Connection,
    after: WebhookEventId,
    limit: usize,
) -> Result<Vec<WebhookEventRow>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, received_at_ms, body, apply_state, apply_error FROM webhook_events
          WHERE apply_state = 'failed' AND id > ?1 ORDER BY id LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![after.0, limit as i64], |row| {
        let state: String = row.get(3)?;
        Ok(WebhookEventRow {
            id: WebhookEventId(row.get(0)?),
            received_at_ms: row.get(1)?,
            body: row.get(2)?,
            apply_state: ApplyState::parse(&state).unwrap_or(ApplyState::Failed),
            apply_error: row.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
