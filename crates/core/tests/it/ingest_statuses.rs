//! Delivery statuses: monotonic ticks, per-status timestamps, pending statuses.

use serde_json::json;

use super::ingest_support::*;

const OUT: &str = "wamid.out1";

async fn with_outbound() -> (tempfile::TempDir, chatsphere_core::db::Database) {
    let dir = tempfile::tempdir().unwrap();
    let db = open_db(dir.path());
    insert_outbound(&db, OUT, "16505551234").await;
    (dir, db)
}

#[tokio::test]
async fn ticks_never_go_backwards_whatever_the_arrival_order() {
    let (_dir, db) = with_outbound().await;
    for (name, ts) in [("read", 30), ("sent", 10), ("delivered", 20)] {
        ingest(&db, &statuses_body(json!([status_entry(OUT, name, ts)]))).await;
    }
    let (status, sent, delivered, read, ..) = status_of(&db, OUT).await;
    assert_eq!(status.as_deref(), Some("read"), "read stays read");
    assert_eq!(
        (sent, delivered, read),
        (Some(10), Some(20), Some(30)),
        "each status keeps its time"
    );
}

#[tokio::test]
async fn played_is_above_read() {
    let (_dir, db) = with_outbound().await;
    ingest(
        &db,
        &statuses_body(json!([
            status_entry(OUT, "played", 40),
            status_entry(OUT, "read", 30)
        ])),
    )
    .await;
    assert_eq!(status_of(&db, OUT).await.0.as_deref(), Some("played"));
}

#[tokio::test]
async fn failed_replaces_sent_keeps_its_error_and_a_later_success_supersedes_it() {
    let (_dir, db) = with_outbound().await;
    let mut failed = status_entry(OUT, "failed", 15);
    failed["errors"] =
        json!([{"code": 131049, "title": "not delivered", "error_data": {"details": "ecosystem"}}]);
    ingest(
        &db,
        &statuses_body(json!([status_entry(OUT, "sent", 10), failed])),
    )
    .await;
    let (status, _, _, _, _, failed_at, code) = status_of(&db, OUT).await;
    assert_eq!(
        (status.as_deref(), failed_at, code),
        (Some("failed"), Some(15), Some(131049))
    );
    ingest(&db, &statuses_body(json!([status_entry(OUT, "sent", 12)]))).await;
    assert_eq!(
        status_of(&db, OUT).await.0.as_deref(),
        Some("failed"),
        "a late sent does not hide the failure"
    );
    ingest(
        &db,
        &statuses_body(json!([status_entry(OUT, "delivered", 20)])),
    )
    .await;
    let (status, _, delivered, _, _, failed_at, code) = status_of(&db, OUT).await;
    assert_eq!(
        status.as_deref(),
        Some("delivered"),
        "delivery proves the message arrived"
    );
    assert_eq!(
        (delivered, failed_at, code),
        (Some(20), Some(15), Some(131049)),
        "history kept"
    );
}

#[tokio::test]
async fn failed_never_replaces_a_delivered_message() {
    let (_dir, db) = with_outbound().await;
    ingest(
        &db,
        &statuses_body(json!([
            status_entry(OUT, "delivered", 20),
            status_entry(OUT, "failed", 25)
        ])),
    )
    .await;
    let (status, .., failed_at, _) = status_of(&db, OUT).await;
    assert_eq!(status.as_deref(), Some("delivered"));
    assert_eq!(failed_at, Some(25), "the failure is still recorded");
}

#[tokio::test]
async fn a_status_before_its_message_waits_and_applies_on_insert() {
    let dir = tempfile::tempdir().unwrap();
    let db = open_db(dir.path());
    let report = ingest(
        &db,
        &statuses_body(json!([
            status_entry(OUT, "delivered", 20),
            status_entry(OUT, "sent", 10)
        ])),
    )
    .await;
    assert!(report.errors.is_empty(), "an unknown wamid is not an error");
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM pending_statuses").await,
        2,
        "both kept"
    );
    ingest(
        &db,
        &statuses_body(json!([status_entry(OUT, "delivered", 20)])),
    )
    .await;
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM pending_statuses").await,
        2,
        "a repeat is stored once"
    );
    insert_outbound(&db, OUT, "16505551234").await;
    let (status, sent, delivered, ..) = status_of(&db, OUT).await;
    assert_eq!(
        (status.as_deref(), sent, delivered),
        (Some("delivered"), Some(10), Some(20))
    );
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM pending_statuses").await,
        0,
        "applied and cleared"
    );
}

#[tokio::test]
async fn every_status_sample_applies_to_its_message_or_waits() {
    let dir = tempfile::tempdir().unwrap();
    let db = open_db(dir.path());
    insert_outbound(&db, "wamid.xyzxyz", "972987654321").await;
    for name in [
        "status_with_tracker.json",
        "status_read_pywa.json",
        "status_played.json",
        "status_failed_pywa.json",
    ] {
        let report = ingest(&db, &sample(name)).await;
        assert!(report.errors.is_empty(), "{name}: {:?}", report.errors);
    }
    let (status, sent, _, read, played, failed_at, code) = status_of(&db, "wamid.xyzxyz").await;
    assert_eq!(
        status.as_deref(),
        Some("played"),
        "played is the highest tick"
    );
    assert!(
        sent.is_some() && read.is_some() && played.is_some(),
        "each time kept"
    );
    assert!(
        failed_at.is_some() && code.is_some(),
        "the failure is recorded, not shown"
    );
    for name in [
        "status_sent.json",
        "status_delivered.json",
        "status_failed.json",
        "status_delivered_bsuid_no_phone.json",
        "status_delivered_bsuid_with_phone.json",
        "status_sent_v24_minimal.json",
    ] {
        let report = ingest(&db, &sample(name)).await;
        assert!(report.errors.is_empty(), "{name}: {:?}", report.errors);
    }
    assert!(
        count(&db, "SELECT COUNT(*) FROM pending_statuses").await >= 4,
        "statuses of messages sent by other apps are kept"
    );
    let pricing: String = db
        .read(|conn| {
            Ok(conn.query_row(
                "SELECT pricing_category FROM messages WHERE wamid = 'wamid.xyzxyz'",
                [],
                |r| r.get(0),
            )?)
        })
        .await
        .unwrap();
    assert_eq!(pricing, "service");
}
