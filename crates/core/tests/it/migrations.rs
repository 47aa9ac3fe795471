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
