//! Customers, known by phone number (wa_id), business-scoped user id, or both.

use rusqlite::{Connection, OptionalExtension, params};

use super::DbError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ContactId(pub i64);

/// Everything a webhook may tell us about who a customer is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ContactIdentity {
    pub wa_id: Option<String>,
    pub user_id: Option<String>,
    pub parent_user_id: Option<String>,
    pub username: Option<String>,
    pub profile_name: Option<String>,
}

/// Finds the contact by wa_id, then by user id, and records what is new about them.
/// A customer first seen by phone and later by BSUID (or the reverse) stays one contact.
pub fn upsert(
    conn: &Connection,
    identity: &ContactIdentity,
    now: i64,
) -> Result<ContactId, DbError> {
    if identity.wa_id.is_none() && identity.user_id.is_none() {
        return Err(DbError::Invalid(
            "a contact needs a phone number (wa_id) or a business-scoped user id".into(),
        ));
    }
    let by_wa_id = match &identity.wa_id {
        Some(wa_id) => find_id(conn, Key::WaId, wa_id)?,
        None => None,
    };
    let by_user_id = match &identity.user_id {
        Some(user_id) => find_id(conn, Key::UserId, user_id)?,
        None => None,
    };
    let existing = by_wa_id.or(by_user_id);
    match existing {
        Some(id) => {
            // If the BSUID belongs to another row (seen before without a phone),
            // keep the phone row and leave the other's BSUID alone rather than
            // violate uniqueness; merging histories is a separate, explicit step.
            let user_id = match (by_wa_id, by_user_id) {
                (Some(a), Some(b)) if a != b => None,
                _ => identity.user_id.as_deref(),
            };
            conn.prepare_cached(
                "UPDATE contacts SET
                     wa_id = COALESCE(wa_id, ?2),
                     user_id = COALESCE(user_id, ?3),
                     parent_user_id = COALESCE(?4, parent_user_id),
                     username = COALESCE(?5, username),
                     profile_name = COALESCE(?6, profile_name),
                     updated_at = ?7
                 WHERE id = ?1
                   -- A repeat customer usually brings nothing new: leave the row (and
                   -- its page, rewritten into the WAL at every commit) untouched.
                   AND (wa_id IS NOT COALESCE(wa_id, ?2)
                        OR user_id IS NOT COALESCE(user_id, ?3)
                        OR parent_user_id IS NOT COALESCE(?4, parent_user_id)
                        OR username IS NOT COALESCE(?5, username)
                        OR profile_name IS NOT COALESCE(?6, profile_name))",
            )?
            .execute(params![
                id.0,
                identity.wa_id,
                user_id,
                identity.parent_user_id,
                identity.username,
                identity.profile_name,
                now
            ])?;
            Ok(id)
        }
        None => {
            let id = conn
                .prepare_cached(
                    "INSERT INTO contacts (wa_id, user_id, parent_user_id, username, profile_name, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) RETURNING id",
                )?
                .query_row(
                    params![
                        identity.wa_id,
                        identity.user_id,
                        identity.parent_user_id,
                        identity.username,
                        identity.profile_name,
                        now
                    ],
                    |row| row.get(0),
                )?;
            Ok(ContactId(id))
        }
    }
}

/// The identities a contact can be found by.
enum Key {
    WaId,
    UserId,
}

fn find_id(conn: &Connection, key: Key, value: &str) -> Result<Option<ContactId>, DbError> {
    let sql = match key {
        Key::WaId => "SELECT id FROM contacts WHERE wa_id = ?1",
        Key::UserId => "SELECT id FROM contacts WHERE user_id = ?1",
    };
    Ok(conn
        .prepare_cached(sql)?
        .query_row([value], |row| row.get(0))
        .optional()?
        .map(ContactId))
}
