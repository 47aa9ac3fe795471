//! The write-ahead log is checkpointed off the commit path and stays bounded.

use std::path::Path;
use std::time::{Duration, Instant};

use chatsphere_core::db::webhook_events::{self, ApplyState};
use chatsphere_core::db::{CheckpointPolicy, Database, DbOptions, Durability};

fn wal_bytes(db_path: &Path) -> u64 {
    let mut wal = db_path.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(wal).map(|m| m.len()).unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_log_stays_bounded_under_sustained_writes_and_empties_when_quiet() {
    const WRITER_TRUNCATES_ABOVE: u64 = 2 * 1024 * 1024;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wal.sqlite3");
    let db = Database::open_with_options(
        &path,
        DbOptions {
            durability: Durability::Normal,
            checkpoints: CheckpointPolicy {
                interval: Duration::from_millis(5),
                restart_above_bytes: 256 * 1024,
                writer_truncate_above_bytes: WRITER_TRUNCATES_ABOVE,
                quiet_after: Duration::from_millis(300),
            },
        },
    )
    .unwrap();
    // 2,400 bodies of 16 KiB: about 40 MB of log without checkpoints.
    let body = vec![b'x'; 16 * 1024];
    let mut largest = 0;
    for _ in 0..300 {
        let writes: Vec<_> = (0..8)
            .map(|_| {
                let db = db.clone();
                let body = body.clone();
                tokio::spawn(async move {
                    db.write(move |conn| {
                        let id = webhook_events::next_id(conn)?;
                        webhook_events::insert_verified(
                            conn,
                            id,
                            &body,
                            1,
                            ApplyState::Ignored,
                            None,
                        )
                    })
                    .await
                    .unwrap()
                })
            })
            .collect();
        for write in writes {
            write.await.unwrap();
        }
        largest = largest.max(wal_bytes(&path));
    }
    assert!(
        // One commit of at most 8 bodies can pass the bound before the writer acts.
        largest < WRITER_TRUNCATES_ABOVE + 1024 * 1024,
        "the log grew to {largest} bytes; checkpoints must keep it bounded"
    );
    let quiet_since = Instant::now();
    while wal_bytes(&path) > 0 {
        assert!(
            quiet_since.elapsed() < Duration::from_secs(10),
            "a quiet database truncates its log (still {} bytes)",
            wal_bytes(&path)
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let stored: i64 = db
        .read(|conn| Ok(conn.query_row("SELECT COUNT(*) FROM webhook_events", [], |r| r.get(0))?))
        .await
        .unwrap();
    assert_eq!(stored, 2400, "checkpointing loses nothing");
}
