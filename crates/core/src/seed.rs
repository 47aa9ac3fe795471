//! A developer fixture: fills a data folder with a believable inbox so the UI and the
//! end-to-end tests have something to show. Built only with the `dev-seed` feature,
//! never into the shipped app.

use rusqlite::{Connection, params};

use crate::db::business_numbers::{self, NewBusinessNumber};
use crate::db::contacts::{self, ContactIdentity};
use crate::db::conversations::{self, ConversationId};
use crate::db::messages::{self, NewMessage};
use crate::db::{Database, DbError};
use crate::model::{Direction, Forwarded, MessageStatus};

/// The business number the seeded conversations belong to.
pub const SEED_PHONE_NUMBER_ID: &str = "106540352242922";

struct SeedMessage {
    direction: Direction,
    kind: &'static str,
    body: Option<&'static str>,
    details: Option<&'static str>,
    minutes_ago: i64,
    status: Option<MessageStatus>,
}

fn text(direction: Direction, body: &'static str, minutes_ago: i64) -> SeedMessage {
    SeedMessage {
        direction,
        kind: "text",
        body: Some(body),
        details: None,
        minutes_ago,
        status: (direction == Direction::Out).then_some(MessageStatus::Read),
    }
}

struct SeedConversation {
    wa_id: Option<&'static str>,
    user_id: Option<&'static str>,
    username: Option<&'static str>,
    name: Option<&'static str>,
    messages: Vec<SeedMessage>,
    read: bool,
    pinned: bool,
    muted: bool,
}

fn conversations_to_seed() -> Vec<SeedConversation> {
    use Direction::{In, Out};
    vec![
        SeedConversation {
            wa_id: Some("5511987654321"),
            user_id: None,
            username: None,
            name: Some("Mariana Souza"),
            messages: vec![
                text(
                    In,
                    "Oi! Vocês ainda têm o bolo de cenoura com chocolate?",
                    180,
                ),
                text(Out, "Temos sim, Mariana! Fatia ou inteiro?", 175),
                text(In, "Inteiro, para sábado. Dá para entregar?", 170),
                SeedMessage {
                    status: Some(MessageStatus::Delivered),
                    ..text(Out, "Entregamos sim 🎂 São R$ 85 com a entrega.", 20)
                },
                text(In, "Perfeito, pode reservar!", 5),
            ],
            read: false,
            pinned: true,
            muted: false,
        },
        SeedConversation {
            wa_id: Some("16505551234"),
            user_id: Some("US.13491208655302741918"),
            username: None,
            name: Some("Kerry Fisher"),
            messages: vec![
                text(In, "Hi, do you deliver to Palo Alto?", 60 * 26),
                text(Out, "We do, every weekday after 3 pm.", 60 * 25),
                SeedMessage {
                    direction: In,
                    kind: "location",
                    body: None,
                    details: Some(
                        r#"{"latitude":37.4419,"longitude":-122.143,"name":"Kerry's office","address":"1 University Ave, Palo Alto"}"#,
                    ),
                    minutes_ago: 60 * 25 - 5,
                    status: None,
                },
                SeedMessage {
                    status: Some(MessageStatus::Failed),
                    ..text(Out, "Great, see you tomorrow!", 30)
                },
            ],
            read: true,
            pinned: false,
            muted: false,
        },
        SeedConversation {
            wa_id: Some("971501234567"),
            user_id: None,
            username: None,
            name: Some("أحمد الهاشمي"),
            messages: vec![
                text(In, "مرحبا، هل الطلب جاهز؟", 60 * 50),
                text(Out, "نعم، جاهز للاستلام 👍", 60 * 49),
            ],
            read: true,
            pinned: false,
            muted: true,
        },
        SeedConversation {
            wa_id: None,
            user_id: Some("IN.84720019384756120011"),
            username: Some("priya.bakes"),
            name: Some("प्रिया"),
            messages: vec![
                text(In, "नमस्ते! क्या आप कल खुले हैं?", 60 * 24 * 3),
                SeedMessage {
                    direction: In,
                    kind: "unsupported",
                    body: None,
                    details: Some(r#"{"type":"poll_creation"}"#),
                    minutes_ago: 60 * 24 * 3 - 1,
                    status: None,
                },
            ],
            read: false,
            pinned: false,
            muted: false,
        },
    ]
}

/// Writes the fixture into the database. Running it twice changes nothing: every
/// seeded message has a fixed wamid.
pub async fn seed(db: &Database, now: i64) -> Result<usize, DbError> {
    db.write(move |conn| {
        let number = business_numbers::upsert(
            conn,
            &NewBusinessNumber {
                phone_number_id: SEED_PHONE_NUMBER_ID.into(),
                waba_id: Some("102290129340398".into()),
                display_phone_number: Some("+1 555-078-3881".into()),
                verified_name: Some("Corner Bakery".into()),
            },
            now,
        )?;
        let mut inserted = 0;
        for (index, seeded) in conversations_to_seed().into_iter().enumerate() {
            let contact = contacts::upsert(
                conn,
                &ContactIdentity {
                    wa_id: seeded.wa_id.map(Into::into),
                    user_id: seeded.user_id.map(Into::into),
                    parent_user_id: None,
                    username: seeded.username.map(Into::into),
                    profile_name: seeded.name.map(Into::into),
                },
                now,
            )?;
            let conversation = conversations::get_or_create(conn, number, contact, now)?;
            inserted += seed_messages(conn, conversation, index, &seeded.messages, now)?;
            if seeded.read {
                conversations::mark_read(conn, conversation, now)?;
            }
            conn.execute(
                "UPDATE conversations SET pinned_at = ?2, muted_until = ?3 WHERE id = ?1",
                params![
                    conversation.0,
                    seeded.pinned.then_some(now),
                    seeded.muted.then_some(now + 365 * 24 * 3600)
                ],
            )?;
        }
        Ok(inserted)
    })
    .await
}

fn seed_messages(
    conn: &Connection,
    conversation: ConversationId,
    conversation_index: usize,
    seeded: &[SeedMessage],
    now: i64,
) -> Result<usize, DbError> {
    let mut inserted = 0;
    for (index, message) in seeded.iter().enumerate() {
        let wamid = format!("wamid.seed.{conversation_index}.{index}");
        let at = now - message.minutes_ago * 60;
        let stored = messages::insert(
            conn,
            &NewMessage {
                conversation_id: conversation,
                wamid: Some(wamid.clone()),
                direction: message.direction,
                kind: message.kind.into(),
                body: message.body.map(Into::into),
                caption: None,
                details_json: message.details.map(Into::into),
                reply_to_wamid: None,
                forwarded: Forwarded::No,
                referral_json: None,
                wa_timestamp: at,
                status: message.status,
                raw_event_id: None,
            },
            now,
        )?;
        let Some(stored) = stored else { continue };
        inserted += 1;
        if message.status == Some(MessageStatus::Failed) {
            conn.execute(
                "UPDATE messages SET status_rank = 0, failed_at = ?2, error_code = 131047,
                        error_title = 'Re-engagement message',
                        error_details = 'More than 24 hours have passed since the recipient last replied.'
                  WHERE id = ?1",
                params![stored.id.0, at],
            )?;
        } else if let Some(status) = message.status {
            conn.execute(
                "UPDATE messages SET sent_at = ?2,
                        delivered_at = CASE WHEN ?3 IN ('delivered', 'read') THEN ?2 END,
                        read_at = CASE WHEN ?3 = 'read' THEN ?2 END
                  WHERE id = ?1",
                params![stored.id.0, at, status.as_str()],
            )?;
        }
    }
    // A customer reaction on the business's first reply, as WhatsApp users do.
    if conversation_index == 0 {
        conn.execute(
            "INSERT INTO reactions (message_wamid, reactor, emoji, wa_timestamp)
             VALUES ('wamid.seed.0.1', 'customer', '❤️', ?1)
             ON CONFLICT (message_wamid, reactor) DO NOTHING",
            [now - 170 * 60],
        )?;
    }
    Ok(inserted)
}
