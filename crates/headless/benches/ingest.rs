//! Ingest throughput and latency, in one run (`scripts/bench`):
//!
//! 1. the raw limit: rusqlite writing the same rows (raw event, contact, message) with
//!    the same durability and commit batching, no HTTP;
//! 2. single-message signed POSTs per second through the real server;
//! 3. messages per second in POSTs of 100;
//! 4. p50/p99 response latency at a steady 1,000 messages per second.
//!
//! The server is the real `chatsphere-headless serve` process (`BENCH_SERVER=path` runs
//! another build of it, to compare two versions on the same machine in turn); every 200
//! it returns comes after the commit holding that body.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chatsphere_core::db::business_numbers::{self, NewBusinessNumber};
use chatsphere_core::db::contacts::{self, ContactIdentity};
use chatsphere_core::db::conversations;
use chatsphere_core::db::messages::{InsertBatch, NewMessage};
use chatsphere_core::db::search_index;
use chatsphere_core::db::webhook_events::{self, ApplyState};
use chatsphere_core::db::{Database, now_millis};
use chatsphere_core::model::{Direction, Forwarded};
use chatsphere_headless::load::{SignedBody, TextWorkload, WebhookTarget};

const NUMBER: &str = "106540352242922";
const SECRET: &str = "bench-secret";
/// Concurrent connections in the closed-loop runs; the raw measurement commits the
/// same number of events per transaction, which is what group commit reaches then.
const SINGLE_CONNECTIONS: usize = 64;
const BATCHED_CONNECTIONS: usize = 16;
/// The server's writer's search indexing delay (`SEARCH_INDEX_MAX_DELAY` in the core).
const SEARCH_INDEX_DELAY: Duration = Duration::from_millis(100);

fn main() {
    let seconds: u64 = std::env::var("BENCH_SECONDS")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(5);
    let durability = std::env::var("BENCH_DURABILITY").unwrap_or_else(|_| "full".to_owned());
    assert!(
        durability == "full" || durability == "normal",
        "BENCH_DURABILITY is full or normal"
    );
    println!("durability: synchronous={durability} (server and raw limit alike)");
    println!(
        "cores: {} shared by the server, the load generator (this process) and anything else \
         running; load average at start: {}",
        std::thread::available_parallelism().map_or(0, usize::from),
        load_average()
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let duration = Duration::from_secs(seconds);

    // BENCH_ONLY=phase,... runs only those phases (raw, single, batched, latency).
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    let runs = |phase: &str| only.is_empty() || only.split(',').any(|p| p.trim() == phase);
    let ratio = |rate: f64, raw: Option<f64>| {
        raw.map_or_else(String::new, |raw| {
            format!("  ({:.0}% of raw limit)", 100.0 * rate / raw)
        })
    };
    let (mut raw_single, mut raw_batched) = (None, None);
    if runs("raw") {
        let single = raw_limit(
            &dir.path().join("raw1.sqlite3"),
            &durability,
            1,
            SINGLE_CONNECTIONS,
            30_000,
        );
        let batched = raw_limit(
            &dir.path().join("raw100.sqlite3"),
            &durability,
            100,
            BATCHED_CONNECTIONS,
            100_000,
        );
        println!("raw limit, 1 message per event:      {single:>9.0} msg/s");
        println!("raw limit, 100 messages per event:   {batched:>9.0} msg/s");
        (raw_single, raw_batched) = (Some(single), Some(batched));
    }
    if runs("single") {
        let single = runtime.block_on(through_server(
            dir.path(),
            "single",
            1,
            SINGLE_CONNECTIONS,
            duration,
        ));
        println!(
            "single-message POSTs:                {single:>9.0} POST/s = msg/s{}",
            ratio(single, raw_single)
        );
    }
    if runs("batched") {
        let batched = runtime.block_on(through_server(
            dir.path(),
            "batched",
            100,
            BATCHED_CONNECTIONS,
            duration,
        ));
        println!(
            "messages in POSTs of 100:            {batched:>9.0} msg/s{}",
            ratio(batched, raw_batched)
        );
    }
    if !runs("latency") {
        println!("load average at end: {}", load_average());
        return;
    }
    let latencies = runtime.block_on(steady_latency(dir.path(), 1_000, duration));
    let at = |q: f64| {
        let index = ((latencies.len() as f64 * q) as usize).min(latencies.len() - 1);
        latencies[index].as_secs_f64() * 1e3
    };
    println!(
        "latency at 1,000 msg/s ({} POSTs):  p50 {:.2} ms, p99 {:.2} ms  (p90 {:.2}, p99.9 {:.2}, max {:.2})",
        latencies.len(),
        at(0.50),
        at(0.99),
        at(0.90),
        at(0.999),
        at(1.0)
    );
    println!("load average at end: {}", load_average());
}

/// The 1, 5 and 15 minute load averages, to judge how contended the machine was.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|_| "unknown".to_owned())
}

/// A body and the wamids of its messages.
type RawEvent = (Vec<u8>, Vec<String>);

/// Messages per second written straight through rusqlite, `per_event` messages per
/// raw event, committing every `events_per_commit` events. Full durability is reached
/// as the server's writer does: commits do not wait for the disk, another thread syncs
/// the WAL after each (the clock stops once the last sync is done).
fn raw_limit(
    path: &Path,
    durability: &str,
    per_event: usize,
    events_per_commit: usize,
    total_messages: usize,
) -> f64 {
    drop(Database::open(path).expect("schema created"));
    let conn = rusqlite::Connection::open(path).expect("open");
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "synchronous", "normal").unwrap();
    conn.pragma_update(None, "foreign_keys", "ON").unwrap();
    // The server's writer settings, and no checkpoint at all (the server checkpoints on
    // another thread): the most generous limit for the same rows and durability.
    conn.set_prepared_statement_cache_capacity(128);
    conn.pragma_update(None, "cache_size", -32 * 1024).unwrap();
    conn.pragma_update(None, "temp_store", "MEMORY").unwrap();
    conn.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
    let mut workload = TextWorkload::new(NUMBER, "raw");
    let events: Vec<RawEvent> = (0..total_messages / per_event)
        .map(|_| workload.next_body(per_event))
        .collect();
    let started = Instant::now();
    let wal_sync = (durability == "full").then(|| WalSyncThread::start(path));
    let now = 1_750_000_000;
    let number = business_numbers::upsert(
        &conn,
        &NewBusinessNumber {
            phone_number_id: NUMBER.to_owned(),
            waba_id: None,
            display_phone_number: None,
            verified_name: None,
        },
        now,
    )
    .unwrap();
    let mut indexed_at = Instant::now();
    let mut sent = 0usize;
    for chunk in events.chunks(events_per_commit) {
        conn.execute_batch("BEGIN IMMEDIATE").unwrap();
        for (body, wamids) in chunk {
            let event_id = webhook_events::next_id(&conn).unwrap();
            // As ingest does: each sender's conversation looked up once per body, ids
            // taken and conversations updated once per body.
            let mut senders = HashMap::new();
            let mut batch = InsertBatch::default();
            for wamid in wamids {
                // The workload's senders: message n comes from customer n % 50.
                let sender = sent % 50;
                sent += 1;
                let conversation = *senders.entry(sender).or_insert_with(|| {
                    let contact = contacts::upsert(
                        &conn,
                        &ContactIdentity {
                            wa_id: Some(format!("1555000{sender:04}")),
                            profile_name: Some("Load".to_owned()),
                            ..Default::default()
                        },
                        now,
                    )
                    .unwrap();
                    conversations::get_or_create(&conn, number, contact, now).unwrap()
                });
                batch
                    .insert(
                        &conn,
                        &NewMessage {
                            conversation_id: conversation,
                            wamid: Some(wamid.clone()),
                            direction: Direction::In,
                            kind: "text".to_owned(),
                            body: Some("message — ça va? 👍".to_owned()),
                            caption: None,
                            details_json: None,
                            reply_to_wamid: None,
                            forwarded: Forwarded::No,
                            referral_json: None,
                            wa_timestamp: now,
                            status: None,
                            raw_event_id: Some(event_id),
                        },
                        now,
                    )
                    .unwrap();
            }
            batch.finish(&conn).unwrap();
            webhook_events::insert_verified(
                &conn,
                event_id,
                body,
                now_millis(),
                ApplyState::Applied,
                None,
            )
            .unwrap();
        }
        // The server's writer indexes new messages for search in bulk, at most
        // SEARCH_INDEX_DELAY after they were queued, before a commit: so does this.
        if indexed_at.elapsed() >= SEARCH_INDEX_DELAY {
            search_index::index_pending(&conn).unwrap();
            indexed_at = Instant::now();
        }
        conn.execute_batch("COMMIT").unwrap();
        if let Some(wal_sync) = &wal_sync {
            wal_sync.committed();
        }
    }
    search_index::index_pending(&conn).unwrap();
    if let Some(wal_sync) = wal_sync {
        wal_sync.finish();
    }
    let rate = total_messages as f64 / started.elapsed().as_secs_f64();
    drop(conn);
    settle(path);
    rate
}

/// Syncs the WAL after commits, on its own thread, one sync covering every commit that
/// returned before it started (as the core's writer does).
struct WalSyncThread {
    commits: std::sync::mpsc::Sender<()>,
    thread: std::thread::JoinHandle<()>,
}

impl WalSyncThread {
    fn start(database: &Path) -> WalSyncThread {
        let mut wal = database.as_os_str().to_owned();
        wal.push("-wal");
        let (commits, receiver) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            while receiver.recv().is_ok() {
                while receiver.try_recv().is_ok() {}
                std::fs::OpenOptions::new()
                    .write(true)
                    .open(&wal)
                    .and_then(|file| file.sync_data())
                    .expect("WAL synced");
            }
        });
        WalSyncThread { commits, thread }
    }

    fn committed(&self) {
        self.commits.send(()).expect("sync thread running");
    }

    /// Returns once every commit so far is synced.
    fn finish(self) {
        drop(self.commits);
        self.thread.join().expect("sync thread");
    }
}

/// Removes a finished phase's files and waits for the disk to write back what it still
/// holds: otherwise the kernel flushes them during the next phase, and its syncs (and
/// latencies) pay for the previous phase's writes.
fn settle(path: &Path) {
    if path.is_dir() {
        let _ = std::fs::remove_dir_all(path);
    } else {
        for suffix in ["", "-wal", "-shm"] {
            let mut name = path.as_os_str().to_owned();
            name.push(suffix);
            let _ = std::fs::remove_file(name);
        }
    }
    let _ = Command::new("sync").status();
}

fn durability() -> &'static str {
    match std::env::var("BENCH_DURABILITY").as_deref() {
        Ok("normal") => "normal",
        _ => "full",
    }
}

struct Server(Child, WebhookTarget);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.0.id().to_string())
            .status();
        let _ = self.0.wait();
    }
}

fn start_server(data_dir: &Path) -> Server {
    use std::io::{BufRead, BufReader};
    // BENCH_SERVER=path runs another build of the server (e.g. a saved one, to compare).
    let server = std::env::var_os("BENCH_SERVER")
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_chatsphere-headless").into());
    let mut child = Command::new(server)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--durability",
            durability(),
            "--data-dir",
        ])
        .arg(data_dir)
        .env("CHATSPHERE_APP_SECRET", SECRET)
        .env("CHATSPHERE_PHONE_NUMBER_ID", NUMBER)
        .stdout(Stdio::piped())
        .spawn()
        .expect("server starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening on ")
        .expect("address line")
        .parse()
        .unwrap();
    Server(
        child,
        WebhookTarget {
            addr,
            app_secret: SECRET.to_owned(),
        },
    )
}

/// Closed loop: `connections` clients POST back to back for `duration`; returns msg/s.
async fn through_server(
    root: &Path,
    name: &str,
    per_post: usize,
    connections: usize,
    duration: Duration,
) -> f64 {
    let server = start_server(&root.join(name));
    let target = server.1.clone();
    // Bodies are built and signed before the clock starts: only the server is measured.
    // Enough for well above this machine's rates; a client that runs out stops early.
    let messages_per_second = if per_post == 1 { 40_000 } else { 120_000 };
    let per_connection =
        messages_per_second * duration.as_secs() as usize / per_post / connections + 1;
    let mut prepared: Vec<Vec<SignedBody>> = Vec::new();
    for c in 0..connections {
        let mut workload = TextWorkload::new(NUMBER, &format!("{name}.{c}"));
        prepared.push(
            (0..per_connection)
                .map(|_| {
                    let (body, wamids) = workload.next_body(per_post);
                    target.sign(body, wamids)
                })
                .collect(),
        );
    }
    let acknowledged = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + duration;
    let started = Instant::now();
    let clients: Vec<_> = prepared
        .into_iter()
        .map(|bodies| {
            let target = target.clone();
            let acknowledged = acknowledged.clone();
            tokio::spawn(async move {
                let mut connection = target.connect().await.expect("connect");
                for body in &bodies {
                    if Instant::now() >= deadline {
                        break;
                    }
                    let status = connection.post(body).await.expect("answered");
                    assert_eq!(status, 200, "every POST is accepted");
                    acknowledged.fetch_add(body.wamids.len() as u64, Ordering::Relaxed);
                }
                if Instant::now() < deadline {
                    eprintln!("a client ran out of prepared bodies before the end of the phase");
                }
            })
        })
        .collect();
    for client in clients {
        client.await.unwrap();
    }
    let elapsed = started.elapsed().as_secs_f64();
    drop(server);
    settle(&root.join(name));
    acknowledged.load(Ordering::Relaxed) as f64 / elapsed
}

/// Open loop: single-message POSTs scheduled at `rate` per second; latency counts from
/// the scheduled moment, so a stall is not hidden by sending late.
/// Returns every latency, sorted.
async fn steady_latency(root: &Path, rate: u64, duration: Duration) -> Vec<Duration> {
    const CLIENTS: u64 = 32;
    let server = start_server(&root.join("steady"));
    let target = server.1.clone();
    let total = rate * duration.as_secs();
    let interval = Duration::from_secs_f64(1.0 / rate as f64);
    let start = Instant::now() + Duration::from_millis(200);
    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let target = target.clone();
            let mut workload = TextWorkload::new(NUMBER, &format!("steady.{c}"));
            let bodies: Vec<SignedBody> = (c..total)
                .step_by(CLIENTS as usize)
                .map(|_| {
                    let (body, wamids) = workload.next_body(1);
                    target.sign(body, wamids)
                })
                .collect();
            tokio::spawn(async move {
                let mut connection = target.connect().await.expect("connect");
                let mut latencies = Vec::with_capacity(bodies.len());
                for (k, body) in bodies.iter().enumerate() {
                    let due = start + interval * (c + k as u64 * CLIENTS) as u32;
                    tokio::time::sleep_until(due.into()).await;
                    assert_eq!(connection.post(body).await.expect("answered"), 200);
                    latencies.push(due.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for client in clients {
        latencies.extend(client.await.unwrap());
    }
    drop(server);
    latencies.sort();
    latencies
}
