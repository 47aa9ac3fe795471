//! The owner's ready-made answers.

use rusqlite::{Connection, OptionalExtension, params};

use super::DbError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuickReplyRow {
    pub id: i64,
    pub shortcut: String,
    pub body: String,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, shortcut, body, updated_at";

fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<QuickReplyRow> {
    Ok(QuickReplyRow {
        id: row.get(0)?,
        shortcut: row.get(1)?,
        body: row.get(2)?,
        updated_at: row.get(3)?,
    })
}

pub fn list(conn: &Connection) -> Result<Vec<QuickReplyRow>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM quick_replies ORDER BY shortcut");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<QuickReplyRow>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM quick_replies WHERE id = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([id], from_row)
        .optional()?)
}

pub fn shortcut_taken(
    conn: &Connection,
    shortcut: &str,
    except: Option<i64>,
) -> Result<bool, DbError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM quick_replies WHERE shortcut = ?1 AND id IS NOT ?2")?
        .query_row(params![shortcut, except], |_| Ok(()))
        .optional()?
        .is_some())
}

pub fn insert(
    conn: &Connection,
    shortcut: &str,
    body: &str,
    now: i64,
) -> Result<QuickReplyRow, DbError> {
    let sql = format!(
        "INSERT INTO quick_replies (shortcut, body, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?3) RETURNING {COLUMNS}"
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params![shortcut, body, now], from_row)?)
}

pub fn update(
    conn: &Connection,
    id: i64,
    shortcut: &str,
    body: &str,
    now: i64,
) -> Result<Option<QuickReplyRow>, DbError> {
    let sql = format!(
        "UPDATE quick_replies SET shortcut = ?2, body = ?3, updated_at = ?4
         WHERE id = ?1 RETURNING {COLUMNS}"
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params![id, shortcut, body, now], from_row)
        .optional()?)
}

pub fn delete(conn: &Connection, id: i64) -> Result<bool, DbError> {
    Ok(conn
        .prepare_cached("DELETE FROM quick_replies WHERE id = ?1")?
        .execute([id])?
        > 0)
}
