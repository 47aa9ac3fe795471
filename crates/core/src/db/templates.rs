//! Message templates imported from the WhatsApp Business Account, with their definition.

use rusqlite::{Connection, OptionalExtension, params};

use super::DbError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateRow {
    pub id: i64,
    pub waba_id: String,
    pub meta_template_id: Option<String>,
    pub name: String,
    pub language: String,
    pub category: Option<String>,
    pub status: String,
    pub parameter_format: Option<String>,
    pub components_json: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTemplate {
    pub meta_template_id: Option<String>,
    pub name: String,
    pub language: String,
    pub category: Option<String>,
    pub status: String,
    pub parameter_format: Option<String>,
    pub components_json: String,
}

const COLUMNS: &str = "id, waba_id, meta_template_id, name, language, category, status,
    parameter_format, components_json";

fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<TemplateRow> {
    Ok(TemplateRow {
        id: row.get(0)?,
        waba_id: row.get(1)?,
        meta_template_id: row.get(2)?,
        name: row.get(3)?,
        language: row.get(4)?,
        category: row.get(5)?,
        status: row.get(6)?,
        parameter_format: row.get(7)?,
        components_json: row.get(8)?,
    })
}

/// Makes the stored templates of `waba_id` exactly `templates`: new ones are added,
/// known ones refreshed (keeping their local id), and ones deleted on Meta removed.
pub fn replace_for_waba(
    conn: &Connection,
    waba_id: &str,
    templates: &[NewTemplate],
    now: i64,
) -> Result<usize, DbError> {
    let mut upsert = conn.prepare_cached(
        "INSERT INTO templates (waba_id, meta_template_id, name, language, category, status,
             parameter_format, components_json, synced_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (waba_id, name, language) DO UPDATE SET
             meta_template_id = excluded.meta_template_id, category = excluded.category,
             status = excluded.status, parameter_format = excluded.parameter_format,
             components_json = excluded.components_json, synced_at = excluded.synced_at",
    )?;
    for template in templates {
        upsert.execute(params![
            waba_id,
            template.meta_template_id,
            template.name,
            template.language,
            template.category,
            template.status,
            template.parameter_format,
            template.components_json,
            now
        ])?;
    }
    conn.prepare_cached("DELETE FROM templates WHERE waba_id = ?1 AND synced_at < ?2")?
        .execute(params![waba_id, now])?;
    Ok(templates.len())
}

pub fn list(conn: &Connection) -> Result<Vec<TemplateRow>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM templates ORDER BY name, language");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<TemplateRow>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM templates WHERE id = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([id], from_row)
        .optional()?)
}
