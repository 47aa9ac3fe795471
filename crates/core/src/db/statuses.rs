//! Delivery statuses of outbound messages: monotonic ticks, one timestamp per status,
//! and statuses that arrive before their message is known.
//!
//! Rules (the final state never depends on arrival order):
//! - Every status fills its own timestamp column (`sent_at`, `delivered_at`, …) the
//!   first time it is seen; `failed` also records its error.
//! - The visible status only moves forward: sent(1) < delivered(2) < read(3) < played(4).
//! - `failed` replaces a pending or sent message; it never replaces delivered, read or
//!   played (a message that reached the phone cannot un-arrive; the error is still kept).
//! - delivered, read or played supersede `failed` (the message did arrive); a later
//!   `sent` does not.
//! - A status for a wamid that is not stored (the webhook beat the send response, or
//!   another app sent the message) waits in `pending_statuses` and is applied by
//!   [`apply_pending_for`] when the message is inserted.

use rusqlite::{Connection, OptionalExtension, params};

use super::DbError;
use super::messages::MessageId;

/// One delivery status as reported by Meta.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusReport {
    pub wamid: String,
    /// `sent`, `delivered`, `read`, `played` or `failed`.
    pub status: String,
    pub wa_timestamp: i64,
    pub recipient_id: Option<String>,
    pub error_code: Option<i64>,
    pub error_title: Option<String>,
    pub error_details: Option<String>,
    pub pricing_category: Option<String>,
    pub pricing_billable: Option<bool>,
    pub raw_json: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusOutcome {
    /// The message is stored; its row now reflects the status (visible or not).
    Applied {
        message_id: MessageId,
        conversation_id: i64,
    },
    /// The message is not stored yet; the status waits for it.
    Pending,
}

/// Rank of a stored status for comparisons. Computed from the status text rather than
/// `status_rank` so rows written by any code path compare correctly.
const CURRENT_RANK: &str = "CASE status WHEN 'sent' THEN 1 WHEN 'failed' THEN 1 \
     WHEN 'delivered' THEN 2 WHEN 'read' THEN 3 WHEN 'played' THEN 4 ELSE 0 END";

pub fn rank_of(status: &str) -> Option<i64> {
    Some(match status {
        "sent" | "failed" => 1,
        "delivered" => 2,
        "read" => 3,
        "played" => 4,
        _ => return None,
    })
}

fn timestamp_column(status: &str) -> Option<&'static str> {
    Some(match status {
        "sent" => "sent_at",
        "delivered" => "delivered_at",
        "read" => "read_at",
        "played" => "played_at",
        "failed" => "failed_at",
        _ => return None,
    })
}

/// Applies a status to its message, or keeps it pending if the message is unknown.
pub fn apply(conn: &Connection, report: &StatusReport, now: i64) -> Result<StatusOutcome, DbError> {
    let rank = rank_of(&report.status)
        .ok_or_else(|| DbError::Invalid(format!("unknown status {:?}", report.status)))?;
    let target: Option<(i64, i64)> = conn
        .prepare_cached("SELECT id, conversation_id FROM messages WHERE wamid = ?1")?
        .query_row([&report.wamid], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    let Some((message_id, conversation_id)) = target else {
        keep_pending(conn, report, now)?;
        return Ok(StatusOutcome::Pending);
    };
    apply_to_message(conn, message_id, report, rank)?;
    Ok(StatusOutcome::Applied {
        message_id: MessageId(message_id),
        conversation_id,
    })
}

fn apply_to_message(
    conn: &Connection,
    message_id: i64,
    report: &StatusReport,
    rank: i64,
) -> Result<(), DbError> {
    let column = timestamp_column(&report.status)
        .ok_or_else(|| DbError::Invalid(format!("unknown status {:?}", report.status)))?;
    // The column name comes from the closed list above, never from the payload.
    let record_time = format!(
        "UPDATE messages SET {column} = COALESCE({column}, ?2),
             pricing_category = COALESCE(pricing_category, ?3),
             pricing_billable = COALESCE(pricing_billable, ?4)
         WHERE id = ?1"
    );
    conn.prepare_cached(&record_time)?.execute(params![
        message_id,
        report.wa_timestamp,
        report.pricing_category,
        report.pricing_billable
    ])?;
    if report.status == "failed" {
        conn.prepare_cached(&format!(
            "UPDATE messages SET
                 error_code = COALESCE(?2, error_code),
                 error_title = COALESCE(?3, error_title),
                 error_details = COALESCE(?4, error_details),
                 status = CASE WHEN ({CURRENT_RANK}) <= 1 THEN 'failed' ELSE status END,
                 status_rank = CASE WHEN ({CURRENT_RANK}) <= 1 THEN 1 ELSE status_rank END
             WHERE id = ?1"
        ))?
        .execute(params![
            message_id,
            report.error_code,
            report.error_title,
            report.error_details
        ])?;
    } else {
        conn.prepare_cached(&format!(
            "UPDATE messages SET status = ?2, status_rank = ?3
             WHERE id = ?1 AND ({CURRENT_RANK}) < ?3"
        ))?
        .execute(params![message_id, report.status, rank])?;
    }
    Ok(())
}

fn keep_pending(conn: &Connection, report: &StatusReport, now: i64) -> Result<(), DbError> {
    conn.prepare_cached(
        "INSERT INTO pending_statuses (wamid, status, wa_timestamp, recipient_id, error_code,
             error_title, error_details, pricing_category, pricing_billable, raw_json, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT (wamid, status) DO NOTHING",
    )?
    .execute(params![
        report.wamid,
        report.status,
        report.wa_timestamp,
        report.recipient_id,
        report.error_code,
        report.error_title,
        report.error_details,
        report.pricing_category,
        report.pricing_billable,
        report.raw_json,
        now
    ])?;
    Ok(())
}

/// Applies (and removes) every status that was waiting for `wamid`. Call it right after
/// inserting a message with a wamid, in the same transaction. Returns how many applied.
pub fn apply_pending_for(conn: &Connection, wamid: &str) -> Result<usize, DbError> {
    // Almost always nothing waits, so a plain existence check comes first. It also
    // spares the ordered query below: SQLite marks a statement with `col = ?` and
    // ORDER BY for re-preparing whenever its bindings are cleared, which rusqlite's
    // statement cache does on every reuse, so running it for every inserted message
    // parsed and planned it again each time.
    let any_waiting: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM pending_statuses WHERE wamid = ?1)")?
        .query_row([wamid], |row| row.get(0))?;
    if !any_waiting {
        return Ok(0);
    }
    let waiting: Vec<StatusReport> = conn
        .prepare_cached(
            "SELECT wamid, status, wa_timestamp, recipient_id, error_code, error_title,
                    error_details, pricing_category, pricing_billable, raw_json
               FROM pending_statuses WHERE wamid = ?1 ORDER BY wa_timestamp, id",
        )?
        .query_map([wamid], |row| {
            Ok(StatusReport {
                wamid: row.get(0)?,
                status: row.get(1)?,
                wa_timestamp: row.get(2)?,
                recipient_id: row.get(3)?,
                error_code: row.get(4)?,
                error_title: row.get(5)?,
                error_details: row.get(6)?,
                pricing_category: row.get(7)?,
                pricing_billable: row.get(8)?,
                raw_json: row.get(9)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    if waiting.is_empty() {
        return Ok(0);
    }
    let message_id: Option<i64> = conn
        .prepare_cached("SELECT id FROM messages WHERE wamid = ?1")?
        .query_row([wamid], |row| row.get(0))
        .optional()?;
    let Some(message_id) = message_id else {
        return Ok(0);
    };
    for report in &waiting {
        if let Some(rank) = rank_of(&report.status) {
            apply_to_message(conn, message_id, report, rank)?;
        }
    }
    conn.prepare_cached("DELETE FROM pending_statuses WHERE wamid = ?1")?
        .execute([wamid])?;
    Ok(waiting.len())
}
