use chatsphere_core::db::{self, Database};
use rusqlite::Connection;

#[test]
fn a_database_from_the_first_migration_upgrades_without_losing_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite3");
    {
        let mut conn = Connection::open(&path).unwrap();
        db::migrate_to(&mut conn, 1).expect("migration 1 applies");
        conn.execute_batch(
            "INSERT INTO business_numbers (id, phone_number_id, created_at) VALUES (1, '106540352242922', 1);
             INSERT INTO contacts (id, wa_id, profile_name, created_at, updated_at) VALUES (1, '16505551234', 'Kerry', 1, 1);
             INSERT INTO conversations (id, business_number_id, contact_id, created_at) VALUES (1, 1, 1, 1);
             INSERT INTO messages (conversation_id, wamid, seq, direction, kind, body, wa_timestamp, created_at)
                  VALUES (1, 'wamid.one', 1, 'in', 'text', 'Olá, ainda têm bolo?', 1700000000, 1);",
        )
        .unwrap();
    }

    let db = Database::open(&path).expect("the old database opens and migrates");
    let conn = Connection::open(db.path()).unwrap();
    let version: i32 = conn
        .query_row(
            "SELECT MAX(version) FROM refinery_schema_history",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        version,
        db::latest_schema_version(),
        "every migration must have been applied"
    );
    let body: String = conn
        .query_row(
            "SELECT body FROM messages WHERE wamid = 'wamid.one'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        body, "Olá, ainda têm bolo?",
        "rows written before the upgrade must survive it"
    );
    let draft: Option<String> = conn
        .query_row(
            "SELECT draft_text FROM conversations WHERE id = 1",
            [],
            |r| r.get(0),
        )
        .expect("columns added by later migrations exist on upgraded rows");
    assert_eq!(draft, None);
    let found: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM messages_fts WHERE messages_fts MATCH 'bolo'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        found, 1,
        "the full-text index must cover rows written before the upgrade"
    );
}

#[test]
fn opening_twice_runs_each_migration_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("twice.sqlite3");
    drop(Database::open(&path).unwrap());
    drop(Database::open(&path).expect("reopening an up-to-date database succeeds"));
    let conn = Connection::open(&path).unwrap();
    let applied: i64 = conn
        .query_row("SELECT COUNT(*) FROM refinery_schema_history", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(applied, i64::from(db::latest_schema_version()));
}

#[test]
fn the_database_uses_write_ahead_logging_and_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    let db = Database::open(&dir.path().join("wal.sqlite3")).unwrap();
    let conn = Connection::open(db.path()).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let orphan = rt.block_on(db.write(|conn| {
        conn.execute(
            "INSERT INTO conversations (business_number_id, contact_id, created_at) VALUES (99, 99, 1)",
            [],
        )?;
        Ok(())
    }));
    assert!(
        orphan.is_err(),
        "a conversation pointing at missing rows must be refused"
    );
}

#[test]
fn rebuilding_the_message_tables_keeps_every_row_and_reference() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v9.sqlite3");
    {
        let mut conn = Connection::open(&path).unwrap();
        db::migrate_to(&mut conn, 9).expect("migrations up to 9 apply");
        conn.execute_batch(
            "INSERT INTO business_numbers (id, phone_number_id, created_at) VALUES (1, '106540352242922', 1);
             INSERT INTO contacts (id, wa_id, profile_name, created_at, updated_at) VALUES (1, '16505551234', 'Kerry', 1, 1);
             INSERT INTO conversations (id, business_number_id, contact_id, created_at, last_message_at, last_message_seq)
                  VALUES (1, 1, 1, 1, 1700000100, 2);
             INSERT INTO messages (id, conversation_id, wamid, seq, direction, kind, body, wa_timestamp, raw_json, created_at)
                  VALUES (1, 1, 'wamid.one', 1, 'in', 'text', 'Olá, ainda têm bolo?', 1700000000, '{\"id\":\"wamid.one\"}', 1);
             INSERT INTO messages (id, conversation_id, wamid, seq, direction, kind, caption, wa_timestamp, status, status_rank, forwarded, created_at)
                  VALUES (2, 1, 'wamid.two', 2, 'out', 'image', 'the cake', 1700000100, 'delivered', 2, 1, 1);
             INSERT INTO messages_fts (rowid, body, caption) VALUES (1, 'Olá, ainda têm bolo?', NULL), (2, NULL, 'the cake');
             INSERT INTO media (id, message_id, mime_type, state, updated_at) VALUES (7, 2, 'image/jpeg', 'local', 1);
             INSERT INTO outbox (id, idempotency_key, message_id, request_json, state, next_attempt_at, created_at, updated_at)
                  VALUES (3, 'key', 2, '{}', 'sent', 0, 1, 1);
             INSERT INTO webhook_events (id, received_at_ms, body, signature_valid, apply_state)
                  VALUES (5, 1, x'7b7d', 1, 'failed');",
        )
        .unwrap();
    }

    let db = Database::open(&path).expect("the version 9 database upgrades");
    let conn = Connection::open(db.path()).unwrap();
    let rows: Vec<(i64, i64, String, i64, Option<String>)> = conn
        .prepare("SELECT id, seq, wamid, forwarded, status FROM messages ORDER BY id")
        .unwrap()
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        rows,
        [
            (1, 1, "wamid.one".to_owned(), 0, None),
            (
                2,
                2,
                "wamid.two".to_owned(),
                1,
                Some("delivered".to_owned())
            )
        ]
    );
    let joined: (String, String, i64) = conn
        .query_row(
            "SELECT md.mime_type, m.wamid, o.id FROM media md
               JOIN messages m ON m.id = md.message_id JOIN outbox o ON o.message_id = m.id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(joined, ("image/jpeg".to_owned(), "wamid.two".to_owned(), 3));
    let failed: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM webhook_events WHERE apply_state = 'failed' AND body = x'7b7d'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(failed, 1, "stored bodies survive the rebuild");
    let found: i64 = conn
        .query_row(
            "SELECT rowid FROM messages_fts WHERE messages_fts MATCH 'cake'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(found, 2, "the search index still points at the same rows");
    let summaries = db::conversations::list_summaries(&conn, 1_700_000_200).unwrap();
    assert_eq!(
        summaries[0].last_message.as_ref().map(|m| m.text.clone()),
        Some(Some("the cake".to_owned())),
        "the list still finds each conversation's newest message"
    );

    // The constraints still refuse what they refused before.
    for refused in [
        "UPDATE messages SET forwarded = 3 WHERE id = 1",
        "UPDATE messages SET status = 'lost' WHERE id = 2",
        "UPDATE media SET state = 'gone' WHERE id = 7",
        "UPDATE webhook_events SET apply_state = 'done' WHERE id = 5",
        "INSERT INTO media (message_id, state, updated_at) VALUES (99, 'pending', 1)",
    ] {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let outcome = rt.block_on(db.write(move |conn| Ok(conn.execute(refused, [])?)));
        assert!(outcome.is_err(), "still refused: {refused}");
    }
}
