use std::collections::HashSet;
use std::time::Duration;

use chatsphere_meta_sim::{LoadConfig, SimError, percentile, run_load, verify_signature};

use crate::support::{APP_SECRET, Receiver};

fn config(receiver: &Receiver) -> LoadConfig {
    LoadConfig {
        target: receiver.url.clone(),
        app_secret: APP_SECRET.to_owned(),
        total_messages: 200,
        batch: 10,
        concurrency: 8,
        record_accepted_ids: true,
        ..LoadConfig::default()
    }
}

#[tokio::test]
async fn load_pushes_signed_batches_and_reports_every_accepted_message() {
    let receiver = Receiver::start().await;
    let report = run_load(config(&receiver)).await.unwrap();
    assert_eq!(report.requests_accepted, 20, "{report:?}");
    assert_eq!(report.messages_accepted, 200);
    assert_eq!(report.requests_failed, 0);
    let ids: HashSet<_> = report.accepted_ids.iter().collect();
    assert_eq!(ids.len(), 200, "every accepted wamid is recorded once");
    let received = receiver.received();
    assert_eq!(received.len(), 20);
    let mut seen = HashSet::new();
    for post in &received {
        assert!(
            verify_signature(APP_SECRET, &post.body, post.signature.as_deref().unwrap()),
            "signed"
        );
        assert!(post.body.is_ascii(), "escaped like Meta's");
        for message in post.json()["entry"][0]["changes"][0]["value"]["messages"]
            .as_array()
            .unwrap()
        {
            seen.insert(message["id"].as_str().unwrap().to_owned());
        }
    }
    assert_eq!(seen.len(), 200, "the app received the same 200 messages");
    assert!(report.accepted_ids.iter().all(|id| seen.contains(id)));
    let latency = &report.latency;
    assert!(
        latency.p50 <= latency.p90 && latency.p90 <= latency.p99 && latency.p99 <= latency.max,
        "{latency:?}"
    );
}

#[tokio::test]
async fn load_counts_refused_requests_as_failed() {
    let receiver = Receiver::start().await;
    receiver.respond_with(&[401, 500, 503]);
    let report = run_load(LoadConfig {
        total_messages: 10,
        batch: 1,
        concurrency: 1,
        ..config(&receiver)
    })
    .await
    .unwrap();
    assert_eq!(report.requests_failed, 3);
    assert_eq!(report.requests_accepted, 7);
    assert_eq!(
        report.accepted_ids.len(),
        7,
        "refused messages are not reported as accepted"
    );
}

#[tokio::test]
async fn load_at_a_fixed_rate_sends_everything() {
    let receiver = Receiver::start().await;
    let report = run_load(LoadConfig {
        total_messages: 20,
        batch: 2,
        rate: Some(400.0),
        ..config(&receiver)
    })
    .await
    .unwrap();
    assert_eq!(report.messages_accepted, 20);
    assert!(
        report.elapsed >= Duration::from_millis(40),
        "18 messages paced at 400/s take at least 45 ms: {:?}",
        report.elapsed
    );
}

#[tokio::test]
async fn load_rejects_batches_over_meta_maximum_and_bad_rates() {
    let receiver = Receiver::start().await;
    let error = run_load(LoadConfig {
        batch: 1001,
        ..config(&receiver)
    })
    .await
    .unwrap_err();
    assert!(matches!(error, SimError::LoadConfig(_)), "{error}");
    let error = run_load(LoadConfig {
        rate: Some(0.0),
        ..config(&receiver)
    })
    .await
    .unwrap_err();
    assert!(matches!(error, SimError::LoadConfig(_)), "{error}");
}

#[test]
fn percentiles_use_nearest_rank() {
    let values: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
    assert_eq!(percentile(&values, 0.5), Duration::from_millis(50));
    assert_eq!(percentile(&values, 0.99), Duration::from_millis(99));
    assert_eq!(percentile(&values, 1.0), Duration::from_millis(100));
    assert_eq!(percentile(&[], 0.5), Duration::ZERO);
}
