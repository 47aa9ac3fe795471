//! The full-text index: filled in bulk shortly after each commit, caught up when opening.

use std::time::{Duration, Instant};

use chatsphere_core::db::{Database, search_index};
use chatsphere_core::model::Direction;
use rusqlite::Connection;

use crate::ingest_support::{NUMBER_A, ingest, open_db, text_body};
use crate::support::{conversation, insert, text};

async fn search(db: &Database, word: &'static str) -> Vec<String> {
    db.read(move |conn| {
        let mut stmt = conn.prepare(
            "SELECT m.wamid FROM messages_fts f JOIN messages m ON m.id = f.rowid
              WHERE messages_fts MATCH ?1 ORDER BY m.id",
        )?;
        let rows = stmt.query_map([word], |row| row.get(0))?;
        Ok(rows.collect::<Result<Vec<String>, _>>()?)
    })
    .await
    .expect("search runs")
}

async fn pending(db: &Database) -> i64 {
    db.read(search_index::pending_count).await.unwrap()
}

/// Waits (a bounded time) until nothing is left to index.
async fn indexed(db: &Database) {
    let started = Instant::now();
    while pending(db).await > 0 {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "queued messages are indexed within moments"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::test]
async fn an_ingested_message_becomes_searchable_right_after_its_commit() {
    let dir = tempfile::tempdir().unwrap();
    let db = open_db(dir.path());
    let body = text_body(
        "wamid.bolo",
        "16505551234",
        1_750_000_000,
        "Ainda têm bolo?",
    );
    ingest(&db, &body).await;
    indexed(&db).await;
    assert_eq!(
        search(&db, "bolo").await,
        ["wamid.bolo"],
        "the writer indexed the message once it had nothing else to do"
    );
    assert_eq!(
        search(&db, "tem").await,
        ["wamid.bolo"],
        "diacritics are folded as before"
    );
}

#[tokio::test]
async fn concurrent_deliveries_are_all_indexed() {
    let dir = tempfile::tempdir().unwrap();
    let db = open_db(dir.path());
    let deliveries: Vec<_> = (0..200)
        .map(|i| {
            let db = db.clone();
            tokio::spawn(async move {
                let wamid = format!("wamid.many.{i}");
                let body = text_body(&wamid, "16505551234", 1_750_000_000 + i, "pastel {i}");
                ingest(&db, &body).await;
            })
        })
        .collect();
    for delivery in deliveries {
        delivery.await.unwrap();
    }
    indexed(&db).await;
    assert_eq!(
        search(&db, "pastel").await.len(),
        200,
        "every message of every batch is in the index"
    );
}

#[tokio::test]
async fn an_edit_in_the_same_transaction_indexes_only_the_new_text() {
    let dir = tempfile::tempdir().unwrap();
    let db = open_db(dir.path());
    db.write(|conn| {
        let chat = conversation(conn, NUMBER_A, "16505551234", "Kerry")?;
        let inserted = insert(
            conn,
            &text(chat, "wamid.edit", Direction::In, "old words", 1),
        )?
        .expect("a new message");
        conn.execute(
            "UPDATE messages SET body = 'fresh words' WHERE id = ?1",
            [inserted.id.0],
        )?;
        Ok(())
    })
    .await
    .unwrap();
    indexed(&db).await;
    assert_eq!(search(&db, "fresh").await, ["wamid.edit"]);
    assert!(
        search(&db, "old").await.is_empty(),
        "the text replaced before indexing is not searchable"
    );
    db.write(|conn| {
        conn.execute(
            "UPDATE messages SET body = 'newest words' WHERE wamid = 'wamid.edit'",
            [],
        )?;
        Ok(())
    })
    .await
    .unwrap();
    assert_eq!(
        search(&db, "newest").await,
        ["wamid.edit"],
        "an indexed message's entry is replaced in the same commit as its edit"
    );
    assert!(
        search(&db, "fresh").await.is_empty(),
        "editing an indexed message replaces its entry"
    );
}

#[tokio::test]
async fn messages_left_unindexed_become_searchable_when_the_database_opens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("inbox.sqlite3");
    drop(Database::open(&path).unwrap());
    // Another tool (or a crash between queueing and indexing in an older build) leaves
    // committed rows queued; here a plain connection writes without the writer.
    {
        let conn = Connection::open(&path).unwrap();
        let chat = conversation(&conn, NUMBER_A, "16505551234", "Kerry").unwrap();
        insert(&conn, &text(chat, "wamid.late", Direction::In, "queijo", 1)).unwrap();
        let queued: i64 = search_index::pending_count(&conn).unwrap();
        assert_eq!(queued, 1, "the row is queued, not indexed");
    }
    let db = Database::open(&path).unwrap();
    assert_eq!(search(&db, "queijo").await, ["wamid.late"]);
    assert_eq!(pending(&db).await, 0);
}

#[tokio::test]
async fn a_broken_search_index_never_costs_a_delivery() {
    let dir = tempfile::tempdir().unwrap();
    let db = open_db(dir.path());
    db.write(|conn| {
        conn.execute_batch("DROP TABLE messages_fts")?;
        Ok(())
    })
    .await
    .unwrap();
    for i in 0..3 {
        let wamid = format!("wamid.kept.{i}");
        let body = text_body(&wamid, "16505551234", 1_750_000_000 + i, "still stored");
        let report = ingest(&db, &body).await;
        assert_eq!(report.inserted_messages, 1, "the delivery is stored");
        // Let the writer attempt (and fail) its indexing between deliveries.
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    let stored: i64 = db
        .read(|conn| Ok(conn.query_row("SELECT COUNT(*) FROM messages", [], |r| r.get(0))?))
        .await
        .unwrap();
    assert_eq!(stored, 3, "every delivery committed");
    assert_eq!(
        pending(&db).await,
        3,
        "the messages stay queued until the index can take them"
    );
}

#[tokio::test]
async fn each_inserted_message_is_queued_once_and_a_duplicate_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let db = open_db(dir.path());
    let queued = db
        .write(|conn| {
            let chat = conversation(conn, NUMBER_A, "16505550001", "Ana")?;
            let before = search_index::pending_count(conn)?;
            let first = insert(conn, &text(chat, "wamid.q1", Direction::In, "queued", 1))?;
            let duplicate = insert(conn, &text(chat, "wamid.q1", Direction::In, "again", 2))?;
            let without_wamid = {
                let mut draft = text(chat, "unused", Direction::Out, "outgoing draft", 3);
                draft.wamid = None;
                insert(conn, &draft)?
            };
            assert!(first.is_some() && without_wamid.is_some());
            assert!(duplicate.is_none(), "the same wamid is not stored twice");
            Ok(search_index::pending_count(conn)? - before)
        })
        .await
        .unwrap();
    assert_eq!(queued, 2, "the new message and the one without a wamid");
    indexed(&db).await;
    assert_eq!(search(&db, "queued").await, ["wamid.q1"]);
    assert!(
        search(&db, "again").await.is_empty(),
        "the duplicate was dropped"
    );
}
