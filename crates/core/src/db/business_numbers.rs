//! The owner's WhatsApp business phone numbers.

use rusqlite::{Connection, OptionalExtension, params};

use super::DbError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BusinessNumberId(pub i64);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBusinessNumber {
    pub phone_number_id: String,
    pub waba_id: Option<String>,
    pub display_phone_number: Option<String>,
    pub verified_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessNumberRow {
    pub id: BusinessNumberId,
    pub phone_number_id: String,
    pub waba_id: Option<String>,
    pub display_phone_number: Option<String>,
    pub verified_name: Option<String>,
}

const COLUMNS: &str = "id, phone_number_id, waba_id, display_phone_number, verified_name";

fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<BusinessNumberRow> {
    Ok(BusinessNumberRow {
        id: BusinessNumberId(row.get(0)?),
        phone_number_id: row.get(1)?,
        waba_id: row.get(2)?,
        display_phone_number: row.get(3)?,
        verified_name: row.get(4)?,
    })
}

/// Inserts the number or refreshes what we know about it; known fields are never
/// erased by a later, less complete description.
pub fn upsert(
    conn: &Connection,
    number: &NewBusinessNumber,
    now: i64,
) -> Result<BusinessNumberId, DbError> {
    let id = conn.query_row(
        "INSERT INTO business_numbers (phone_number_id, waba_id, display_phone_number, verified_name, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (phone_number_id) DO UPDATE SET
             waba_id = COALESCE(excluded.waba_id, waba_id),
             display_phone_number = COALESCE(excluded.display_phone_number, display_phone_number),
             verified_name = COALESCE(excluded.verified_name, verified_name)
         RETURNING id",
        params![
            number.phone_number_id,
            number.waba_id,
            number.display_phone_number,
            number.verified_name,
            now
        ],
        |row| row.get(0),
    )?;
    Ok(BusinessNumberId(id))
}

/// The id of a stored number and whether its display number is known: all ingest
/// needs for each body, read without building the whole row.
pub fn id_and_display_known(
    conn: &Connection,
    phone_number_id: &str,
) -> Result<Option<(BusinessNumberId, bool)>, DbError> {
    Ok(conn
        .prepare_cached(
            "SELECT id, display_phone_number IS NOT NULL FROM business_numbers
              WHERE phone_number_id = ?1",
        )?
        .query_row([phone_number_id], |row| {
            Ok((BusinessNumberId(row.get(0)?), row.get(1)?))
        })
        .optional()?)
}

pub fn list(conn: &Connection) -> Result<Vec<BusinessNumberRow>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM business_numbers ORDER BY id");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}
