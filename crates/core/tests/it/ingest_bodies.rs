//! What one webhook body writes: the stored body its messages name, and each sender's
//! contact and conversation, written once per body.

use serde_json::json;

use super::ingest_support::*;

#[tokio::test]
async fn each_message_names_the_stored_body_it_came_in() {
    let dir = tempfile::tempdir().unwrap();
    let db = open_db(dir.path());
    // Meta's spacing, key order and escapes: the stored body keeps them byte for byte.
    let first = r#"{ "id" : "wamid.raw1", "from": "16505551234", "timestamp": "1750000000",
        "type": "text", "text": {"body": "caf\u00e9 \/ 1.50"} }"#;
    let second = r#"{"type":"text","text":{"body":"two"},"timestamp":"1750000001","from":"16505551234","id":"wamid.raw2"}"#;
    let body = format!(
        r#"{{"object":"whatsapp_business_account","entry":[{{"id":"1","changes":[{{"field":"messages","value":{{
            "messaging_product":"whatsapp","metadata":{{"phone_number_id":"{NUMBER_A}"}},
            "messages":[ {first} ,
              {second}]}}}}]}}]}}"#
    );
    let later = text_body("wamid.raw3", "16505551234", 1_750_000_002, "three");
    let first_report = ingest(&db, body.as_bytes()).await;
    // The same first message again, with a new one: the copy changes nothing.
    let again = ingest(&db, body.as_bytes()).await;
    let later_report = ingest(&db, &later).await;
    assert_ne!(
        first_report.event_id, again.event_id,
        "each delivery is kept"
    );

    let sources: Vec<(String, i64, Vec<u8>)> = db
        .read(|conn| {
            let mut stmt = conn.prepare(
                "SELECT m.wamid, e.id, e.body FROM messages m
                   JOIN webhook_events e ON e.id = m.raw_event_id ORDER BY m.wamid",
            )?;
            let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .await
        .unwrap();
    let first_id = first_report.event_id.unwrap().0;
    let later_id = later_report.event_id.unwrap().0;
    assert_eq!(
        sources
            .iter()
            .map(|(wamid, event, _)| (wamid.as_str(), *event))
            .collect::<Vec<_>>(),
        [
            ("wamid.raw1", first_id),
            ("wamid.raw2", first_id),
            ("wamid.raw3", later_id)
        ],
        "each message names the body that first brought it"
    );
    let stored_first = &sources[0].2;
    assert_eq!(stored_first, body.as_bytes(), "the body is kept verbatim");
    for message in [first, second] {
        assert!(
            String::from_utf8_lossy(stored_first).contains(message),
            "the message's exact JSON is in its body: {message}"
        );
    }
}

#[tokio::test]
async fn a_customer_writing_often_in_one_body_keeps_one_conversation_and_their_newest_name() {
    let dir = tempfile::tempdir().unwrap();
    let db = open_db(dir.path());
    let change = |name: &str, first: i64| {
        json!({"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"phone_number_id": NUMBER_A},
            "contacts": [{"profile": {"name": name}, "wa_id": "444"}, {"profile": {"name": "Bo"}, "wa_id": "555"}],
            "messages": (first..first + 6).map(|i| {
                let from = if i % 2 == 0 { "444" } else { "555" };
                text_message(&format!("wamid.often.{i}"), from, 1_750_000_000 + i, &format!("m{i}"))
            }).collect::<Vec<_>>()
        }})
    };
    let body = serde_json::to_vec(&json!({"object": "whatsapp_business_account", "entry": [
        {"id": "1", "changes": [change("Ann", 0), change("Ann B.", 6)]}
    ]}))
    .unwrap();
    let report = ingest(&db, &body).await;
    assert_eq!(report.inserted_messages, 12);
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM conversations").await,
        2,
        "one per customer"
    );
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM contacts WHERE wa_id = '444' AND profile_name = 'Ann B.'"
        )
        .await,
        1,
        "the name the later change brought is stored"
    );
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM conversations c JOIN messages m ON m.conversation_id = c.id
              WHERE m.seq = c.last_message_seq AND m.wamid IN ('wamid.often.10', 'wamid.often.11')"
        )
        .await,
        2,
        "each conversation's newest message is its last one in the body"
    );
}

#[tokio::test]
async fn a_body_moving_several_conversations_leaves_each_at_its_newest_message() {
    let dir = tempfile::tempdir().unwrap();
    let db = open_db(dir.path());
    let kerry = "16505551234";
    let ana = "5511987654321";
    ingest(
        &db,
        &text_body("wamid.early", kerry, 1_750_000_050, "first"),
    )
    .await;
    // Out of order, two customers, and a repeat of a stored message in the middle.
    let body = messages_body(
        NUMBER_A,
        json!([]),
        json!([
            text_message("wamid.k3", kerry, 1_750_000_300, "newest from Kerry"),
            text_message("wamid.a1", ana, 1_750_000_200, "Ana's first"),
            text_message("wamid.early", kerry, 1_750_000_050, "first"),
            text_message("wamid.k2", kerry, 1_750_000_100, "older from Kerry"),
            text_message("wamid.a2", ana, 1_750_000_250, "Ana's newest"),
        ]),
    );
    assert_eq!(ingest(&db, &body).await.inserted_messages, 4);

    let conversations: Vec<(String, i64, i64, String)> = db
        .read(|conn| {
            let mut stmt = conn.prepare(
                "SELECT ct.wa_id, c.last_message_at, c.last_inbound_at, m.wamid
                   FROM conversations c JOIN contacts ct ON ct.id = c.contact_id
                   JOIN messages m ON m.id = c.last_message_seq ORDER BY ct.wa_id",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .await
        .unwrap();
    assert_eq!(
        conversations,
        [
            (
                kerry.to_owned(),
                1_750_000_300,
                1_750_000_300,
                "wamid.k3".to_owned()
            ),
            (
                ana.to_owned(),
                1_750_000_250,
                1_750_000_250,
                "wamid.a2".to_owned()
            ),
        ]
    );
    let ids: Vec<(i64, i64)> = db
        .read(|conn| {
            let mut stmt = conn.prepare("SELECT id, seq FROM messages ORDER BY id")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .await
        .unwrap();
    assert_eq!(
        ids,
        [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5)],
        "positions follow arrival, one per stored message: the repeat took none"
    );
}
