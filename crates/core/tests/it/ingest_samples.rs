//! Every public sample payload applied to a fresh inbox, one by one.

use chatsphere_core::db::webhook_events::ApplyState;
use serde_json::json;

use super::ingest_support::*;

/// (sample, kind, body, caption) of the one message each inbound sample must produce.
const INBOUND: &[(&str, &str, Option<&str>, Option<&str>)] = &[
    ("audio.json", "audio", None, None),
    ("audio_voice_note.json", "audio", None, None),
    (
        "button_template_quick_reply.json",
        "button",
        Some("Unsubscribe"),
        None,
    ),
    (
        "contacts.json",
        "contacts",
        Some("Barbara J. Johnson"),
        None,
    ),
    ("document.json", "document", None, Some("my receipt")),
    ("document_pywa.json", "document", None, Some("caption")),
    ("image.json", "image", None, Some("Taj Mahal")),
    ("image_with_url.json", "image", None, None),
    (
        "interactive_button_reply.json",
        "interactive",
        Some("Cancel"),
        None,
    ),
    (
        "interactive_list_reply.json",
        "interactive",
        Some("Priority Mail Express"),
        None,
    ),
    (
        "interactive_nfm_reply_flow.json",
        "interactive",
        Some("Sent"),
        None,
    ),
    (
        "interactive_with_value_errors.json",
        "unsupported",
        None,
        None,
    ),
    (
        "location.json",
        "location",
        Some("Philz Coffee, 101 Forest Ave, Palo Alto, CA 94301"),
        None,
    ),
    (
        "location_chosen_place.json",
        "location",
        Some("Facebook HQ, 1 Hacker Way, Menlo Park, CA 94025"),
        None,
    ),
    ("order.json", "order", Some("Love these!"), None),
    (
        "request_welcome_CONSTRUCTED.json",
        "request_welcome",
        None,
        None,
    ),
    ("sticker.json", "sticker", None, None),
    (
        "system_identity_changed.json",
        "system",
        Some("User identity changed"),
        None,
    ),
    (
        "system_user_changed_number.json",
        "system",
        Some("User Sheena Nelson changed from 16505551234 to 12195555358"),
        None,
    ),
    (
        "text.json",
        "text",
        Some("Does it come in another color?"),
        None,
    ),
    (
        "text_bsuid_username_no_phone.json",
        "text",
        Some("Does it come in another color?"),
        None,
    ),
    (
        "text_ctwa_ad_referral.json",
        "text",
        Some("Can I get more info about this?"),
        None,
    ),
    ("text_forwarded.json", "text", Some("forwarded text"), None),
    (
        "text_product_inquiry_context.json",
        "text",
        Some("Is this still available?"),
        None,
    ),
    (
        "text_reply_with_context.json",
        "text",
        Some("replied text"),
        None,
    ),
    ("unsupported.json", "unsupported", None, None),
    ("unsupported_with_type.json", "unsupported", None, None),
    ("video.json", "video", None, Some("Timelapse of growth")),
];

#[tokio::test]
async fn every_inbound_sample_becomes_exactly_one_proper_message() {
    for (name, kind, body, caption) in INBOUND {
        let dir = tempfile::tempdir().unwrap();
        let db = open_db(dir.path());
        let report = ingest(&db, &sample(name)).await;
        assert_eq!(
            report.state,
            Some(ApplyState::Applied),
            "{name}: {:?}",
            report.errors
        );
        let messages = all_messages(&db).await;
        assert_eq!(messages.len(), 1, "{name} must produce one message");
        let message = &messages[0];
        assert_eq!(message.kind, *kind, "{name}: kind");
        assert_eq!(message.body.as_deref(), *body, "{name}: body");
        assert_eq!(message.caption.as_deref(), *caption, "{name}: caption");
        assert_eq!(message.direction, "in", "{name}: direction");
        assert_eq!(report.inserted_messages, 1, "{name}: reported insert");
    }
}

#[tokio::test]
async fn every_webhook_sample_is_stored_verbatim_and_none_fails() {
    let dir = tempfile::tempdir().unwrap();
    let db = open_db(dir.path());
    let names = webhook_sample_names();
    assert!(
        names.len() >= 45,
        "the samples folder is present ({} found)",
        names.len()
    );
    for name in &names {
        let body = sample(name);
        let report = ingest(&db, &body).await;
        let expected = if name == "dashboard_test_button_sample_text.json" {
            ApplyState::Ignored
        } else {
            ApplyState::Applied
        };
        assert_eq!(report.state, Some(expected), "{name}: {:?}", report.errors);
        let id = report.event_id.expect("event stored").0;
        let stored: Vec<u8> = db
            .read(move |conn| {
                Ok(conn.query_row(
                    "SELECT body FROM webhook_events WHERE id = ?1",
                    [id],
                    |row| row.get(0),
                )?)
            })
            .await
            .unwrap();
        assert_eq!(stored, body, "{name} must be stored byte for byte");
    }
}

type MediaColumns = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    bool,
    bool,
    String,
);

/// Samples reuse wamids, so each is applied to its own inbox.
async fn media_row_of(name: &str) -> Vec<MediaColumns> {
    let dir = tempfile::tempdir().unwrap();
    let db = open_db(dir.path());
    ingest(&db, &sample(name)).await;
    db.read(|conn| {
        let mut stmt = conn.prepare(
            "SELECT meta_media_id, mime_type, sha256_expected, file_name, voice, animated, state
                   FROM media ORDER BY id",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
                row.get(5)?,
                row.get(6)?,
            ))
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn media_samples_create_pending_media_rows_with_meta_fields() {
    let mut rows = Vec::new();
    for name in ["document.json", "audio_voice_note.json", "sticker.json"] {
        let found = media_row_of(name).await;
        assert_eq!(found.len(), 1, "{name}: one media row per media message");
        rows.extend(found);
    }
    assert_eq!(rows[0].0, "622684793477189");
    assert_eq!(
        rows[0].3.as_deref(),
        Some("receipt.pdf"),
        "document file name kept"
    );
    assert_eq!(
        rows[0].2.as_deref(),
        Some("V5OPpLD/gEG6Xjg0MbmQDLFgcKsL+j5LfY4ny/pZ4MY=")
    );
    assert!(rows[1].4, "voice note flagged as voice");
    assert_eq!(rows[1].1.as_deref(), Some("audio/ogg; codecs=opus"));
    assert!(rows[2].5, "animated sticker flagged");
    assert!(
        rows.iter().all(|row| row.6 == "pending"),
        "media waits for download"
    );
}

#[tokio::test]
async fn context_referral_and_forwarding_are_captured() {
    let mut messages = Vec::new();
    for name in [
        "text_reply_with_context.json",
        "text_forwarded.json",
        "text_ctwa_ad_referral.json",
        "text_product_inquiry_context.json",
        "interactive_nfm_reply_flow.json",
        "unsupported_with_type.json",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let db = open_db(dir.path());
        ingest(&db, &sample(name)).await;
        messages.extend(all_messages(&db).await);
    }
    let by_body = |text: &str| {
        messages
            .iter()
            .find(|m| m.body.as_deref() == Some(text))
            .unwrap_or_else(|| panic!("message {text:?} stored"))
            .clone()
    };
    assert!(
        by_body("replied text").reply_to.is_some(),
        "reply keeps the quoted wamid"
    );
    assert_eq!(
        by_body("forwarded text").forwarded,
        1,
        "forwarded flag kept"
    );
    let referral = by_body("Can I get more info about this?")
        .referral
        .expect("referral kept");
    assert_eq!(referral["source_type"], "ad");
    let inquiry = by_body("Is this still available?");
    assert_eq!(
        inquiry.details.expect("details")["referred_product"]["product_retailer_id"],
        "di9ozbzfi4"
    );
    let flow = by_body("Sent");
    assert_eq!(
        flow.details.expect("flow details")["response"]["delivery_rating"],
        json!("4"),
        "flow response_json is parsed"
    );
    let unsupported = messages
        .iter()
        .find(|m| m.kind == "unsupported")
        .expect("placeholder");
    assert_eq!(
        unsupported.details.as_ref().expect("details")["unsupported_type"],
        "pool",
        "the placeholder names what was sent"
    );
}

#[tokio::test]
async fn a_bsuid_only_customer_gets_a_contact_and_conversation() {
    let dir = tempfile::tempdir().unwrap();
    let db = open_db(dir.path());
    ingest(&db, &sample("text_bsuid_username_no_phone.json")).await;
    let contact: (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    ) = db
        .read(|conn| {
            Ok(conn.query_row(
                "SELECT wa_id, user_id, username, profile_name FROM contacts",
                [],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
            )?)
        })
        .await
        .unwrap();
    assert_eq!(contact.0, None, "no phone number is invented");
    assert_eq!(
        contact.1.as_deref(),
        Some("US.13491208655302741918"),
        "the message's BSUID wins"
    );
    assert_eq!(contact.2.as_deref(), Some("@realsheenanelson"));
    assert_eq!(contact.3.as_deref(), Some("Sheena Nelson"));
    assert_eq!(count(&db, "SELECT COUNT(*) FROM conversations").await, 1);
}

#[tokio::test]
async fn request_welcome_opens_the_service_window() {
    let dir = tempfile::tempdir().unwrap();
    let db = open_db(dir.path());
    ingest(&db, &sample("request_welcome_CONSTRUCTED.json")).await;
    assert_eq!(
        count(&db, "SELECT last_inbound_at FROM conversations").await,
        1_750_000_000,
        "the 24-hour window starts at the request"
    );
}

#[tokio::test]
async fn the_dashboard_test_sample_for_a_foreign_number_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = open_db(dir.path());
    let report = ingest(&db, &sample("dashboard_test_button_sample_text.json")).await;
    assert_eq!(report.state, Some(ApplyState::Ignored));
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM conversations").await,
        0,
        "no conversation"
    );
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM contacts").await,
        0,
        "no contact"
    );
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM messages").await,
        0,
        "no message"
    );
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM webhook_events WHERE apply_state = 'ignored'"
        )
        .await,
        1,
        "the raw event is kept"
    );
}
