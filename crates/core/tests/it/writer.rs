use chatsphere_core::db::DbError;

use crate::support::open_db;

async fn label_names(db: &chatsphere_core::db::Database) -> Vec<String> {
    db.read(|conn| {
        let mut stmt = conn.prepare("SELECT name FROM labels ORDER BY name")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_writes_are_committed_together_and_all_succeed() {
    let t = open_db();
    let before = t.db.commits();
    let mut tasks = Vec::new();
    for i in 0..500 {
        let db = t.db.clone();
        tasks.push(tokio::spawn(async move {
            db.write(move |conn| {
                conn.execute(
                    "INSERT INTO labels (name, color, created_at) VALUES (?1, '#00a884', 1)",
                    [format!("label {i}")],
                )?;
                Ok(i)
            })
            .await
        }));
    }
    for (i, task) in tasks.into_iter().enumerate() {
        assert_eq!(
            task.await.unwrap().unwrap(),
            i,
            "each write returns its own result"
        );
    }
    let commits = t.db.commits() - before;
    assert!(
        commits < 500,
        "500 concurrent writes must share commits, took {commits}"
    );
    let count = t
        .db
        .read(|conn| Ok(conn.query_row("SELECT COUNT(*) FROM labels", [], |r| r.get::<_, i64>(0))?))
        .await
        .unwrap();
    assert_eq!(count, 500, "every write must be stored");
}

#[tokio::test]
async fn a_failing_write_rolls_back_only_itself() {
    let t = open_db();
    let good = t.db.write(|conn| {
        conn.execute(
            "INSERT INTO labels (name, color, created_at) VALUES ('kept', '#fff', 1)",
            [],
        )?;
        Ok(())
    });
    let bad = t.db.write(|conn| {
        conn.execute(
            "INSERT INTO labels (name, color, created_at) VALUES ('dropped', '#fff', 1)",
            [],
        )?;
        Err::<(), _>(DbError::Invalid("the job changed its mind".into()))
    });
    let (good, bad) = tokio::join!(good, bad);
    good.expect("the good write succeeds");
    assert!(bad.is_err(), "the failing write reports its error");
    let names = label_names(&t.db).await;
    assert_eq!(
        names,
        vec!["kept".to_string()],
        "only the failed job's rows are rolled back"
    );
}

#[tokio::test]
async fn a_write_is_visible_to_readers_once_it_resolves() {
    let t = open_db();
    t.db.write(|conn| {
        conn.execute("INSERT INTO quick_replies (shortcut, body, created_at, updated_at) VALUES ('hi', 'Hello {{name}}!', 1, 1)", [])?;
        Ok(())
    })
    .await
    .unwrap();
    let body: String =
        t.db.read(|conn| {
            Ok(conn.query_row(
                "SELECT body FROM quick_replies WHERE shortcut = 'hi'",
                [],
                |r| r.get(0),
            )?)
        })
        .await
        .unwrap();
    assert_eq!(body, "Hello {{name}}!");
}

/// Queues `jobs` behind a write that holds the writer, so they all land in one batch.
async fn in_one_batch<T>(
    db: &chatsphere_core::db::Database,
    jobs: Vec<std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send>>>,
) -> Vec<T> {
    use futures_util::FutureExt;
    let (started, writer_busy) = std::sync::mpsc::channel();
    let (release, released) = std::sync::mpsc::channel::<()>();
    let holder = db.write(move |_| {
        started.send(()).unwrap();
        released.recv().unwrap();
        Ok(())
    });
    let mut holder = Box::pin(holder);
    assert!((&mut holder).now_or_never().is_none());
    writer_busy.recv().unwrap();
    let mut jobs = jobs;
    for job in &mut jobs {
        // The first poll hands the job to the writer's queue.
        assert!(job.now_or_never().is_none());
    }
    release.send(()).unwrap();
    holder.await.unwrap();
    futures_util::future::join_all(jobs).await
}

#[tokio::test]
async fn repeatable_writes_share_a_savepoint_and_a_failure_reruns_each_alone() {
    use chatsphere_core::db::Isolation;
    use std::sync::{Arc, Mutex};
    let t = open_db();
    let runs: Arc<Mutex<Vec<(&'static str, Isolation)>>> = Arc::default();
    // Inserts the label; `fails` says under which isolation the job then fails.
    let job = |name: &'static str, fails: fn(Isolation) -> bool| {
        let runs = runs.clone();
        let db = t.db.clone();
        Box::pin(async move {
            db.write_repeatable(move |conn, isolation| {
                runs.lock().unwrap().push((name, isolation));
                conn.execute(
                    "INSERT INTO labels (name, color, created_at) VALUES (?1, '#fff', 1)",
                    [name],
                )?;
                if fails(isolation) {
                    return Err(DbError::Invalid(format!("{name} failed")));
                }
                Ok(name)
            })
            .await
        }) as std::pin::Pin<Box<dyn std::future::Future<Output = _> + Send>>
    };
    let db = t.db.clone();
    let one_off = Box::pin(async move {
        db.write(|conn| {
            conn.execute(
                "INSERT INTO labels (name, color, created_at) VALUES ('d', '#fff', 1)",
                [],
            )?;
            Ok("d")
        })
        .await
    });
    let results = in_one_batch(
        &t.db,
        vec![
            job("a", |_| false),
            job("b", |isolation| isolation == Isolation::Shared),
            job("c", |_| false),
            one_off,
            job("e", |_| true),
        ],
    )
    .await;
    let results: Vec<Result<&str, String>> = results
        .into_iter()
        .map(|r| r.map_err(|e| e.to_string()))
        .collect();
    assert_eq!(
        results,
        [
            Ok("a"),
            Ok("b"),
            Ok("c"),
            Ok("d"),
            Err("e failed".to_owned())
        ]
    );
    use Isolation::{Alone, Shared};
    assert_eq!(
        *runs.lock().unwrap(),
        [
            ("a", Shared),
            ("b", Shared),
            // b failed: a and b rolled back and ran again alone.
            ("a", Alone),
            ("b", Alone),
            ("c", Shared),
            // The one-off write closed c's group; e starts a new one.
            ("e", Shared),
            ("e", Alone),
        ]
    );
    let names = label_names(&t.db).await;
    assert_eq!(
        names,
        ["a", "b", "c", "d"],
        "each kept once, the failed one not at all"
    );
}
