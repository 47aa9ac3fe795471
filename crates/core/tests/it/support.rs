//! Shared helpers: a fresh database in a temporary folder and a few rows to read.

use chatsphere_core::db::business_numbers::{self, NewBusinessNumber};
use chatsphere_core::db::contacts::{self, ContactIdentity};
use chatsphere_core::db::conversations::{self, ConversationId};
use chatsphere_core::db::messages::{self, InsertedMessage, NewMessage};
use chatsphere_core::db::{Database, DbError};
use chatsphere_core::model::{Direction, Forwarded, MessageStatus};
use rusqlite::Connection;

pub struct TestDb {
    pub db: Database,
    // Kept so the folder outlives the test.
    pub _dir: tempfile::TempDir,
}

pub fn open_db() -> TestDb {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = Database::open(&dir.path().join("test.sqlite3")).expect("the database opens");
    TestDb { db, _dir: dir }
}

/// Creates (or finds) the conversation between business number `phone_number_id` and
/// the customer with phone `wa_id`.
pub fn conversation(
    conn: &Connection,
    phone_number_id: &str,
    wa_id: &str,
    name: &str,
) -> Result<ConversationId, DbError> {
    let number = business_numbers::upsert(
        conn,
        &NewBusinessNumber {
            phone_number_id: phone_number_id.into(),
            waba_id: None,
            display_phone_number: None,
            verified_name: Some("Corner Shop".into()),
        },
        1_700_000_000,
    )?;
    let contact = contacts::upsert(
        conn,
        &ContactIdentity {
            wa_id: Some(wa_id.into()),
            profile_name: Some(name.into()),
            ..ContactIdentity::default()
        },
        1_700_000_000,
    )?;
    conversations::get_or_create(conn, number, contact, 1_700_000_000)
}

pub fn text(
    conversation: ConversationId,
    wamid: &str,
    direction: Direction,
    body: &str,
    at: i64,
) -> NewMessage {
    NewMessage {
        conversation_id: conversation,
        wamid: Some(wamid.into()),
        direction,
        kind: "text".into(),
        body: Some(body.into()),
        caption: None,
        details_json: None,
        reply_to_wamid: None,
        forwarded: Forwarded::No,
        referral_json: None,
        wa_timestamp: at,
        status: (direction == Direction::Out).then_some(MessageStatus::Sent),
        raw_event_id: None,
    }
}

pub fn insert(conn: &Connection, message: &NewMessage) -> Result<Option<InsertedMessage>, DbError> {
    messages::insert(conn, message, 1_700_000_000)
}
