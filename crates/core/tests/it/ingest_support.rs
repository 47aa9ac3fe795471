//! Helpers shared by the ingest and webhook tests.

use std::path::{Path, PathBuf};

use chatsphere_core::db::{Database, now_millis};
use chatsphere_core::ingest::{self, ApplyReport, BusinessNumbers};
use serde_json::{Value, json};

pub const NUMBER_A: &str = "106540352242922";
pub const NUMBER_B: &str = "1122334455667";
pub const APP_SECRET: &str = "test-app-secret";
pub const VERIFY_TOKEN: &str = "test-verify-token";

pub fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/meta-samples")
}

pub fn sample(name: &str) -> Vec<u8> {
    let path = samples_dir().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("sample {} unreadable: {e}", path.display()))
}

/// Every webhook sample (API responses excluded).
pub fn webhook_sample_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(samples_dir())
        .expect("samples folder exists")
        .map(|entry| {
            entry
                .expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".json") && !name.starts_with("api_"))
        .collect();
    names.sort();
    names
}

pub fn numbers() -> BusinessNumbers {
    BusinessNumbers::parse([NUMBER_A, NUMBER_B])
}

pub fn open_db(dir: &Path) -> Database {
    Database::open(&dir.join("inbox.sqlite3")).expect("database opens")
}

pub async fn ingest(db: &Database, body: &[u8]) -> ApplyReport {
    ingest_with(db, body, numbers()).await
}

pub async fn ingest_with(db: &Database, body: &[u8], numbers: BusinessNumbers) -> ApplyReport {
    let body = body.to_vec();
    let parsed = ingest::parse_for_storage(&body);
    // As the webhook server stores deliveries.
    db.write_repeatable(move |conn, isolation| {
        ingest::store_and_apply(conn, &body, &parsed, &numbers, now_millis(), isolation)
    })
    .await
    .expect("ingest transaction commits")
}

/// A webhook body with the given `messages[]` for `phone_number_id`.
pub fn messages_body(phone_number_id: &str, contacts: Value, messages: Value) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881", "phone_number_id": phone_number_id},
            "contacts": contacts,
            "messages": messages
        }}]}]
    }))
    .expect("serializable")
}

pub fn text_message(wamid: &str, from: &str, timestamp: i64, body: &str) -> Value {
    json!({"from": from, "id": wamid, "timestamp": timestamp.to_string(), "type": "text", "text": {"body": body}})
}

pub fn text_body(wamid: &str, from: &str, timestamp: i64, body: &str) -> Vec<u8> {
    messages_body(
        NUMBER_A,
        json!([{"profile": {"name": "Customer"}, "wa_id": from}]),
        json!([text_message(wamid, from, timestamp, body)]),
    )
}

pub fn statuses_body(statuses: Value) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881", "phone_number_id": NUMBER_A},
            "statuses": statuses
        }}]}]
    }))
    .expect("serializable")
}

pub fn status_entry(wamid: &str, status: &str, timestamp: i64) -> Value {
    json!({"id": wamid, "status": status, "timestamp": timestamp.to_string(), "recipient_id": "16505551234"})
}

/// One row of `messages` as the tests look at it.
#[derive(Debug, Clone, PartialEq)]
pub struct MessageRow {
    pub wamid: Option<String>,
    pub conversation_id: i64,
    pub direction: String,
    pub kind: String,
    pub body: Option<String>,
    pub caption: Option<String>,
    pub details: Option<Value>,
    pub reply_to: Option<String>,
    pub forwarded: i64,
    pub referral: Option<Value>,
    pub wa_timestamp: i64,
    pub status: Option<String>,
}

pub async fn all_messages(db: &Database) -> Vec<MessageRow> {
    db.read(|conn| {
        let mut stmt = conn.prepare(
            "SELECT wamid, conversation_id, direction, kind, body, caption, details_json,
                    reply_to_wamid, forwarded, referral_json, wa_timestamp, status
               FROM messages ORDER BY conversation_id, wa_timestamp, seq",
        )?;
        let rows = stmt.query_map([], |row| {
            let details: Option<String> = row.get(6)?;
            let referral: Option<String> = row.get(9)?;
            Ok(MessageRow {
                wamid: row.get(0)?,
                conversation_id: row.get(1)?,
                direction: row.get(2)?,
                kind: row.get(3)?,
                body: row.get(4)?,
                caption: row.get(5)?,
                details: details.map(|text| serde_json::from_str(&text).expect("details is JSON")),
                reply_to: row.get(7)?,
                forwarded: row.get(8)?,
                referral: referral
                    .map(|text| serde_json::from_str(&text).expect("referral is JSON")),
                wa_timestamp: row.get(10)?,
                status: row.get(11)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    })
    .await
    .expect("messages readable")
}

pub async fn count(db: &Database, sql: &'static str) -> i64 {
    db.read(move |conn| Ok(conn.query_row(sql, [], |row| row.get(0))?))
        .await
        .expect("count query runs")
}

/// Inserts an outbound message as the outbox would, in a conversation with `wa_id`.
pub async fn insert_outbound(db: &Database, wamid: &str, wa_id: &str) {
    use chatsphere_core::db::{business_numbers, contacts, conversations, messages, statuses};
    use chatsphere_core::model::{Direction, Forwarded, MessageStatus};
    let wamid = wamid.to_owned();
    let wa_id = wa_id.to_owned();
    db.write(move |conn| {
        let number = business_numbers::upsert(
            conn,
            &business_numbers::NewBusinessNumber {
                phone_number_id: NUMBER_A.to_owned(),
                waba_id: None,
                display_phone_number: None,
                verified_name: None,
            },
            1,
        )?;
        let contact = contacts::upsert(
            conn,
            &contacts::ContactIdentity {
                wa_id: Some(wa_id),
                ..Default::default()
            },
            1,
        )?;
        let conversation = conversations::get_or_create(conn, number, contact, 1)?;
        messages::insert(
            conn,
            &messages::NewMessage {
                conversation_id: conversation,
                wamid: Some(wamid.clone()),
                direction: Direction::Out,
                kind: "text".to_owned(),
                body: Some("hello from the shop".to_owned()),
                caption: None,
                details_json: None,
                reply_to_wamid: None,
                forwarded: Forwarded::No,
                referral_json: None,
                wa_timestamp: 1_750_000_000,
                status: Some(MessageStatus::Pending),
                raw_event_id: None,
            },
            1,
        )?;
        statuses::apply_pending_for(conn, &wamid)?;
        Ok(())
    })
    .await
    .expect("outbound insert commits");
}

/// `(status, sent_at, delivered_at, read_at, played_at, failed_at, error_code)` of a message.
pub type StatusColumns = (
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

pub async fn status_of(db: &Database, wamid: &str) -> StatusColumns {
    let wamid = wamid.to_owned();
    db.read(move |conn| {
        Ok(conn.query_row(
            "SELECT status, sent_at, delivered_at, read_at, played_at, failed_at, error_code
               FROM messages WHERE wamid = ?1",
            [wamid],
            |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                    row.get(5)?,
                    row.get(6)?,
                ))
            },
        )?)
    })
    .await
    .expect("message exists")
}
