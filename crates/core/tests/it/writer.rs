use chatsphere_core::db::DbError;

use crate::support::open_db;

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
    let names: Vec<String> =
        t.db.read(|conn| {
            let mut stmt = conn.prepare("SELECT name FROM labels ORDER BY name")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
        .unwrap();
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
