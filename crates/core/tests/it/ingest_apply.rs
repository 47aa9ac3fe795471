//! Idempotency, ordering, batches, reactions, edits and failure handling of ingest.

use chatsphere_core::db::webhook_events::ApplyState;
use chatsphere_core::db::{Database, reactions};
use chatsphere_core::ingest::{self, BusinessNumbers};
use chatsphere_core::model::Reactor;
use chatsphere_core::{Change, ChangeBus};
use serde_json::json;

use super::ingest_support::*;

#[tokio::test]
async fn duplicate_delivery_is_stored_once_and_reported_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = open_db(dir.path());
    let body = text_body("wamid.dup1", "16505551234", 1_750_000_000, "hello");
    let first = ingest(&db, &body).await;
    let second = ingest(&db, &body).await;
    assert_eq!(first.inserted_messages, 1);
    assert_eq!(second.inserted_messages, 0, "the retry inserts nothing");
    assert!(second.changes().is_empty(), "the retry notifies nothing");
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM messages").await,
        1,
        "stored once"
    );
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM webhook_events").await,
        2,
        "both deliveries kept raw"
    );
}

#[tokio::test]
async fn duplicate_delivery_after_a_restart_is_stored_once() {
    let dir = tempfile::tempdir().unwrap();
    let body = text_body(
        "wamid.restart",
        "16505551234",
        1_750_000_000,
        "before restart",
    );
    {
        let db = open_db(dir.path());
        ingest(&db, &body).await;
    }
    let reopened = open_db(dir.path());
    let report = ingest(&reopened, &body).await;
    assert_eq!(
        report.inserted_messages, 0,
        "known after reopening the file"
    );
    assert_eq!(count(&reopened, "SELECT COUNT(*) FROM messages").await, 1);
}

#[tokio::test]
async fn the_same_message_in_one_batch_twice_is_stored_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = open_db(dir.path());
    let message = text_message("wamid.twice", "16505551234", 1_750_000_000, "same");
    let body = messages_body(NUMBER_A, json!([]), json!([message.clone(), message]));
    let report = ingest(&db, &body).await;
    assert_eq!(report.inserted_messages, 1);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM messages").await, 1);
}

#[tokio::test]
async fn order_follows_whatsapp_timestamps_whatever_the_arrival_order() {
    let dir = tempfile::tempdir().unwrap();
    let db = open_db(dir.path());
    for (wamid, ts, text) in [
        ("wamid.c", 1_750_000_030, "third"),
        ("wamid.a", 1_750_000_010, "first"),
        ("wamid.b", 1_750_000_020, "second"),
        ("wamid.b2", 1_750_000_020, "second, same second"),
    ] {
        ingest(&db, &text_body(wamid, "16505551234", ts, text)).await;
    }
    let bodies: Vec<String> = all_messages(&db)
        .await
        .into_iter()
        .filter_map(|m| m.body)
        .collect();
    assert_eq!(
        bodies,
        ["first", "second", "second, same second", "third"],
        "timestamp order, ties by arrival"
    );
    let last: i64 = count(&db, "SELECT last_message_at FROM conversations").await;
    assert_eq!(
        last, 1_750_000_030,
        "the conversation's newest message is the latest timestamp"
    );
}

#[tokio::test]
async fn non_ascii_text_is_stored_exactly_whether_escaped_or_raw() {
    let dir = tempfile::tempdir().unwrap();
    let db = open_db(dir.path());
    let text = "مرحبا — ça va? 你好 👍🏽";
    let raw = text_body("wamid.raw", "16505551234", 1_750_000_000, text);
    let escaped_text: String = text
        .encode_utf16()
        .map(|unit| {
            if unit < 0x80 {
                (unit as u8 as char).to_string()
            } else {
                format!("\\u{unit:04x}")
            }
        })
        .collect();
    let escaped = String::from_utf8(text_body(
        "wamid.esc",
        "16505551234",
        1_750_000_001,
        "ESCAPED-TEXT-GOES-HERE",
    ))
    .unwrap()
    .replace("ESCAPED-TEXT-GOES-HERE", &escaped_text);
    assert!(
        escaped.is_ascii(),
        "the escaped body is pure ASCII, as Meta sends it"
    );
    ingest(&db, &raw).await;
    ingest(&db, escaped.as_bytes()).await;
    let bodies: Vec<String> = all_messages(&db)
        .await
        .into_iter()
        .filter_map(|m| m.body)
        .collect();
    assert_eq!(bodies, [text, text], "both forms decode to the same text");
}

#[tokio::test]
async fn a_batch_of_many_changes_and_messages_applies_all_of_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = open_db(dir.path());
    let change = |number: &str, from: &str, offset: i64| {
        json!({"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"phone_number_id": number},
            "contacts": [{"profile": {"name": from}, "wa_id": from}],
            "messages": (0..50).map(|i| text_message(&format!("wamid.{number}.{from}.{i}"), from, 1_750_000_000 + offset + i, &format!("m{i}"))).collect::<Vec<_>>()
        }})
    };
    let body = serde_json::to_vec(&json!({"object": "whatsapp_business_account", "entry": [
        {"id": "1", "changes": [change(NUMBER_A, "111", 0), change(NUMBER_B, "111", 0)]},
        {"id": "2", "changes": [change(NUMBER_A, "222", 100), change("999999", "333", 0)]}
    ]}))
    .unwrap();
    let report = ingest(&db, &body).await;
    assert_eq!(report.state, Some(ApplyState::Applied));
    assert_eq!(
        report.inserted_messages, 150,
        "every message of every configured change"
    );
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM conversations").await,
        3,
        "per number and customer"
    );
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM business_numbers WHERE phone_number_id = '999999'"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn unknown_future_types_are_kept_with_their_type_name() {
    let dir = tempfile::tempdir().unwrap();
    let db = open_db(dir.path());
    let body = messages_body(
        NUMBER_A,
        json!([]),
        json!([{"from": "16505551234", "id": "wamid.poll", "timestamp": "1750000000", "type": "poll_vote", "poll_vote": {"option": 2}}]),
    );
    let report = ingest(&db, &body).await;
    assert_eq!(report.state, Some(ApplyState::Applied));
    let message = all_messages(&db).await.remove(0);
    assert_eq!(
        message.kind, "poll_vote",
        "shown as a placeholder naming the type"
    );
    assert_eq!(
        message.details.unwrap()["content"]["option"],
        2,
        "content kept for later versions"
    );
}

#[tokio::test]
async fn an_unexpected_shape_is_kept_failed_and_reapplies_after_a_fix() {
    let dir = tempfile::tempdir().unwrap();
    let db = open_db(dir.path());
    // `entry` is not a list: nothing can be applied, but the body must survive.
    let body = br#"{"object":"whatsapp_business_account","entry":{"id":"1"}}"#;
    let report = ingest(&db, body).await;
    assert_eq!(report.state, Some(ApplyState::Failed));
    assert!(
        report.errors[0].contains("unexpected shape"),
        "{:?}",
        report.errors
    );
    let kept: String = db
        .read(|conn| {
            Ok(
                conn.query_row("SELECT apply_error FROM webhook_events", [], |row| {
                    row.get(0)
                })?,
            )
        })
        .await
        .unwrap();
    assert!(
        kept.contains("unexpected shape"),
        "the error is stored with the event"
    );
    let summary = ingest::reapply_failed_events(&db, &numbers(), &ChangeBus::default())
        .await
        .unwrap();
    assert_eq!(summary.attempted, 1);
    assert_eq!(
        summary.still_failed, 1,
        "still unreadable: stays failed, not lost"
    );
}

#[tokio::test]
async fn one_unreadable_message_fails_the_event_but_not_its_neighbours() {
    let dir = tempfile::tempdir().unwrap();
    let db = open_db(dir.path());
    let bad = messages_body(
        NUMBER_A,
        json!([]),
        json!([{"id": "wamid.nofrom", "timestamp": "1", "type": "text", "text": {"body": "x"}}, text_message("wamid.ok", "1", 2, "fine")]),
    );
    let report = ingest(&db, &bad).await;
    assert_eq!(
        report.state,
        Some(ApplyState::Failed),
        "a message without a sender is an error"
    );
    assert_eq!(report.inserted_messages, 1, "its neighbours still apply");
    let bus = ChangeBus::default();
    let summary = ingest::reapply_failed_events(&db, &numbers(), &bus)
        .await
        .unwrap();
    assert_eq!((summary.attempted, summary.still_failed), (1, 1));
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM messages").await,
        1,
        "re-applying duplicates nothing"
    );
}

#[tokio::test]
async fn changes_are_published_for_new_messages_only() {
    let dir = tempfile::tempdir().unwrap();
    let db = open_db(dir.path());
    let report = ingest(&db, &text_body("wamid.pub", "1", 5, "hi")).await;
    let changes = report.changes();
    assert!(
        matches!(&changes[0], Change::MessagesChanged { message_ids, .. } if message_ids.len() == 1),
        "one message changed: {changes:?}"
    );
    assert!(
        matches!(changes[1], Change::ConversationsChanged { .. }),
        "the list moved"
    );
}

async fn live_reactions(db: &Database, wamid: &'static str) -> Vec<(Reactor, String)> {
    db.read(move |conn| reactions::for_message(conn, wamid))
        .await
        .unwrap()
}

fn reaction_body(id: &str, target: &str, ts: i64, emoji: Option<&str>) -> Vec<u8> {
    let mut reaction = json!({"message_id": target});
    if let Some(emoji) = emoji {
        reaction["emoji"] = json!(emoji);
    }
    messages_body(
        NUMBER_A,
        json!([{"profile": {"name": "C"}, "wa_id": "16505551234"}]),
        json!([{"from": "16505551234", "id": id, "timestamp": ts.to_string(), "type": "reaction", "reaction": reaction}]),
    )
}

#[tokio::test]
async fn reactions_attach_to_their_target_change_and_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let db = open_db(dir.path());
    insert_outbound(&db, "wamid.target", "16505551234").await;
    ingest(
        &db,
        &reaction_body("wamid.r1", "wamid.target", 10, Some("👍")),
    )
    .await;
    assert_eq!(
        live_reactions(&db, "wamid.target").await,
        [(Reactor::Customer, "👍".to_owned())]
    );
    ingest(
        &db,
        &reaction_body("wamid.r2", "wamid.target", 20, Some("❤️")),
    )
    .await;
    assert_eq!(
        live_reactions(&db, "wamid.target").await,
        [(Reactor::Customer, "❤️".to_owned())],
        "changed, not added"
    );
    ingest(
        &db,
        &reaction_body("wamid.r3", "wamid.target", 30, Some("")),
    )
    .await;
    assert!(
        live_reactions(&db, "wamid.target").await.is_empty(),
        "empty emoji removes"
    );
    ingest(
        &db,
        &reaction_body("wamid.r4", "wamid.target", 40, Some("🙏")),
    )
    .await;
    ingest(&db, &reaction_body("wamid.r5", "wamid.target", 50, None)).await;
    assert!(
        live_reactions(&db, "wamid.target").await.is_empty(),
        "omitted emoji removes"
    );
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM messages").await,
        1,
        "reactions are not bubbles"
    );
}

#[tokio::test]
async fn a_late_older_reaction_does_not_undo_a_newer_removal() {
    let dir = tempfile::tempdir().unwrap();
    let db = open_db(dir.path());
    ingest(&db, &reaction_body("wamid.rm", "wamid.t2", 30, None)).await;
    ingest(&db, &reaction_body("wamid.add", "wamid.t2", 10, Some("👍"))).await;
    assert!(
        live_reactions(&db, "wamid.t2").await.is_empty(),
        "the removal is newer"
    );
    ingest(&db, &reaction_body("wamid.new", "wamid.t2", 40, Some("😀"))).await;
    ingest(&db, &reaction_body("wamid.old", "wamid.t2", 35, Some("😡"))).await;
    assert_eq!(
        live_reactions(&db, "wamid.t2").await,
        [(Reactor::Customer, "😀".to_owned())],
        "newest wins"
    );
}

#[tokio::test]
async fn reaction_samples_attach_to_targets_without_bubbles() {
    let dir = tempfile::tempdir().unwrap();
    let db = open_db(dir.path());
    ingest(&db, &sample("reaction.json")).await;
    assert_eq!(
        live_reactions(
            &db,
            "wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA="
        )
        .await,
        [(Reactor::Customer, "👍".to_owned())]
    );
    ingest(&db, &sample("reaction_removed.json")).await;
    assert!(
        live_reactions(
            &db,
            "wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA="
        )
        .await
        .is_empty()
    );
    ingest(&db, &sample("reaction_removed_empty_emoji.json")).await;
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM messages").await,
        0,
        "no reaction bubbles"
    );
}

#[tokio::test]
async fn edits_and_revokes_change_the_original_message() {
    let dir = tempfile::tempdir().unwrap();
    let db = open_db(dir.path());
    let original = "wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=";
    ingest(&db, &messages_body(NUMBER_A, json!([]), json!([{"from": "16505551234", "id": original, "timestamp": "1749854000", "type": "image", "image": {"caption": "old caption", "id": "1"}}]))).await;
    ingest(&db, &sample("edit_coexistence_only.json")).await;
    let edited = all_messages(&db).await.remove(0);
    assert_eq!(
        edited.caption.as_deref(),
        Some("Updated image caption"),
        "edit applied"
    );
    assert_eq!(edited.details.unwrap()["edited_at"], 1_749_854_575);
    ingest(&db, &sample("revoke_coexistence_only.json")).await;
    let revoked = all_messages(&db).await.remove(0);
    assert_eq!(
        (revoked.kind.as_str(), revoked.caption),
        ("revoked", None),
        "revoked drops the content"
    );
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM messages").await,
        1,
        "no extra bubbles"
    );
}

#[tokio::test]
async fn a_revoke_before_its_original_keeps_the_message_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let db = open_db(dir.path());
    ingest(&db, &sample("revoke_coexistence_only.json")).await;
    let original = "wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=";
    ingest(
        &db,
        &text_body(original, "16505551234", 1_749_854_000, "secret"),
    )
    .await;
    let messages = all_messages(&db).await;
    assert_eq!(messages.len(), 1);
    assert_eq!(
        (messages[0].kind.as_str(), messages[0].body.as_deref()),
        ("revoked", None)
    );
}

#[tokio::test]
async fn events_for_unconfigured_numbers_never_create_conversations() {
    let dir = tempfile::tempdir().unwrap();
    let db = open_db(dir.path());
    let report = ingest_with(
        &db,
        &text_body("wamid.x", "1", 1, "hi"),
        BusinessNumbers::parse(["42"]),
    )
    .await;
    assert_eq!(report.state, Some(ApplyState::Ignored));
    assert_eq!(count(&db, "SELECT COUNT(*) FROM conversations").await, 0);
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM webhook_events").await,
        1,
        "kept raw"
    );
}

#[tokio::test]
async fn only_deliveries_that_queue_media_ring_the_media_worker() {
    use futures_util::FutureExt;
    let dir = tempfile::tempdir().unwrap();
    let db = open_db(dir.path());
    let bus = ChangeBus::default();

    let text = ingest(&db, &text_body("wamid.text", "16505551234", 5, "hi")).await;
    text.publish(&bus);
    assert_eq!(text.queued_media, 0);
    assert!(
        bus.media_queued().now_or_never().is_none(),
        "a text message leaves the media worker asleep"
    );

    let image = json!({"from": "16505551234", "id": "wamid.image", "timestamp": "6",
        "type": "image", "image": {"id": "7001", "mime_type": "image/png"}});
    let video = json!({"from": "16505551234", "id": "wamid.video", "timestamp": "7",
        "type": "video", "video": {"id": "7002", "mime_type": "video/mp4"}});
    let body = messages_body(NUMBER_A, json!([]), json!([image, video]));
    let media = ingest(&db, &body).await;
    assert_eq!(media.queued_media, 2);
    media.publish(&bus);
    media.publish(&bus);
    assert!(
        bus.media_queued().now_or_never().is_some(),
        "queued downloads wake the worker"
    );
    assert!(
        bus.media_queued().now_or_never().is_none(),
        "rings before the worker looks count once"
    );

    let again = ingest(&db, &body).await;
    assert_eq!(again.queued_media, 0, "a retried delivery queues nothing");
}
