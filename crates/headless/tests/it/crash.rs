//! Crash safety: the server is killed with SIGKILL at random moments under load and
//! restarted; every message that was answered 200 must be in the inbox exactly once.
//!
//! Two load generators drive it: this crate's own (mixing batches with re-deliveries of
//! acknowledged bodies) and the Meta simulator's load mode. Rounds default to 12 and 6;
//! set CHATSPHERE_CRASH_ROUNDS for a longer run.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chatsphere_headless::load::{SignedBody, TextWorkload, WebhookTarget};
use rand::Rng;
use tokio_util::sync::CancellationToken;

use super::support::*;

const WORKERS: usize = 6;

#[derive(Default)]
struct Ledger {
    /// Wamids whose POST was answered 200.
    acknowledged: HashSet<String>,
    /// Bodies that were acknowledged, to deliver again as duplicates.
    delivered: Vec<SignedBody>,
    posts_ok: u64,
    posts_cut: u64,
}

async fn worker(
    target: WebhookTarget,
    mut workload: TextWorkload,
    ledger: Arc<Mutex<Ledger>>,
    stop: CancellationToken,
) {
    let Ok(mut connection) = target.connect().await else {
        return;
    };
    while !stop.is_cancelled() {
        let resend = {
            let ledger = ledger.lock().unwrap();
            let mut rng = rand::rng();
            (!ledger.delivered.is_empty() && rng.random_bool(0.15))
                .then(|| ledger.delivered[rng.random_range(0..ledger.delivered.len())].clone())
        };
        let signed = resend.unwrap_or_else(|| {
            let count = rand::rng().random_range(1..=8);
            let (body, wamids) = workload.next_body(count);
            target.sign(body, wamids)
        });
        match connection.post(&signed).await {
            Ok(200) => {
                let mut ledger = ledger.lock().unwrap();
                ledger.posts_ok += 1;
                ledger.acknowledged.extend(signed.wamids.iter().cloned());
                ledger.delivered.push(signed);
            }
            Ok(status) => panic!("unexpected status {status} from a live server"),
            Err(_) => {
                // The server died mid-request: this body may or may not be stored.
                ledger.lock().unwrap().posts_cut += 1;
                return;
            }
        }
    }
}

fn rounds(default: usize) -> usize {
    std::env::var("CHATSPHERE_CRASH_ROUNDS")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(default)
}

/// How many times each wamid appears in the export; fails on any duplicate.
fn stored_once(dir: &std::path::Path) -> HashMap<String, usize> {
    let mut occurrences: HashMap<String, usize> = HashMap::new();
    for line in export(dir) {
        let wamid = line["id"]
            .as_str()
            .expect("every ingested message has a wamid");
        *occurrences.entry(wamid.to_owned()).or_default() += 1;
    }
    let duplicated: Vec<_> = occurrences.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        duplicated.is_empty(),
        "messages stored twice: {duplicated:?}"
    );
    occurrences
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_message_survives_kill_9_exactly_once() {
    let rounds = rounds(12);
    let dir = tempfile::tempdir().unwrap();
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    for round in 0..rounds {
        let server = serve(dir.path());
        let target = WebhookTarget {
            addr: server.addr,
            app_secret: APP_SECRET.to_owned(),
        };
        let stop = CancellationToken::new();
        let workers: Vec<_> = (0..WORKERS)
            .map(|w| {
                tokio::spawn(worker(
                    target.clone(),
                    TextWorkload::new(NUMBER, &format!("crash.{round}.{w}")),
                    ledger.clone(),
                    stop.clone(),
                ))
            })
            .collect();
        let alive = rand::rng().random_range(150..900);
        tokio::time::sleep(Duration::from_millis(alive)).await;
        server.kill_hard();
        stop.cancel();
        for worker in workers {
            worker.await.expect("worker finished");
        }
    }

    // One more life: deliver acknowledged bodies again (duplicates across restarts).
    let server = serve(dir.path());
    let target = WebhookTarget {
        addr: server.addr,
        app_secret: APP_SECRET.to_owned(),
    };
    let replays: Vec<SignedBody> = {
        let ledger = ledger.lock().unwrap();
        ledger.delivered.iter().step_by(7).cloned().collect()
    };
    let mut connection = target.connect().await.expect("connects after restart");
    for signed in &replays {
        assert_eq!(
            connection.post(signed).await.unwrap(),
            200,
            "a replay is acknowledged"
        );
    }
    assert!(server.terminate(), "clean shutdown at the end");

    let ledger = ledger.lock().unwrap();
    assert!(
        ledger.posts_ok > rounds as u64 * 10,
        "the load actually ran ({} acknowledged POSTs)",
        ledger.posts_ok
    );
    let mut occurrences: HashMap<String, usize> = HashMap::new();
    for line in export(dir.path()) {
        let wamid = line["id"]
            .as_str()
            .expect("every ingested message has a wamid");
        *occurrences.entry(wamid.to_owned()).or_default() += 1;
    }
    let duplicated: Vec<_> = occurrences.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        duplicated.is_empty(),
        "messages stored twice: {duplicated:?}"
    );
    let lost: Vec<_> = ledger
        .acknowledged
        .iter()
        .filter(|wamid| !occurrences.contains_key(*wamid))
        .collect();
    assert!(
        lost.is_empty(),
        "{} of {} acknowledged messages lost, e.g. {:?}",
        lost.len(),
        ledger.acknowledged.len(),
        lost.first()
    );
    eprintln!(
        "crash test: {rounds} kills, {} acknowledged POSTs, {} cut by a kill, {} acknowledged messages all present once, {} stored in total",
        ledger.posts_ok,
        ledger.posts_cut,
        ledger.acknowledged.len(),
        occurrences.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_message_the_simulator_saw_accepted_survives_kill_9_exactly_once() {
    use chatsphere_meta_sim::{LoadConfig, run_load};
    let rounds = rounds(6);
    let dir = tempfile::tempdir().unwrap();
    let mut accepted: HashSet<String> = HashSet::new();
    let mut posts_accepted = 0;
    for round in 0..rounds {
        let server = serve(dir.path());
        let load = tokio::spawn(run_load(LoadConfig {
            target: format!("http://{}/webhook", server.addr),
            app_secret: APP_SECRET.to_owned(),
            total_messages: 4_000,
            batch: 1 + round % 4 * 7,
            concurrency: 12,
            record_accepted_ids: true,
            request_timeout: Duration::from_secs(5),
            ..LoadConfig::default()
        }));
        let alive = rand::rng().random_range(200..900);
        tokio::time::sleep(Duration::from_millis(alive)).await;
        server.kill_hard();
        let report = load.await.expect("load task").expect("load runs");
        posts_accepted += report.requests_accepted;
        accepted.extend(report.accepted_ids);
    }
    assert!(
        posts_accepted > rounds as u64 * 10,
        "the simulator's load reached the server ({posts_accepted} accepted POSTs)"
    );
    let occurrences = stored_once(dir.path());
    let lost = accepted
        .iter()
        .filter(|wamid| !occurrences.contains_key(*wamid))
        .count();
    assert_eq!(
        lost,
        0,
        "acknowledged messages lost out of {}",
        accepted.len()
    );
    eprintln!(
        "crash test (simulator load): {rounds} kills, {posts_accepted} accepted POSTs, {} accepted messages all present once",
        accepted.len()
    );
}
