//! Load mode: pushes signed webhooks at a target, at a fixed message rate or as fast as it
//! accepts them, and reports accepted/failed counts and latency percentiles.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use serde::Serialize;

use crate::config::BusinessNumber;
use crate::corpus::{NAMES, TEXTS};
use crate::error::SimError;
use crate::ids::{Direction, new_wamid};
use crate::payload::{BatchLayout, Contact, InboundKind, InboundMessage, WebhookPayload};
use crate::signature::{SIGNATURE_HEADER, signature_header_value};
use crate::webhook::WEBHOOK_USER_AGENT;

/// What to push, where and how fast.
#[derive(Clone, Debug)]
pub struct LoadConfig {
    /// The app's webhook URL.
    pub target: String,
    pub app_secret: String,
    /// Messages per second; `None` pushes as fast as the target accepts.
    pub rate: Option<f64>,
    /// Messages in total.
    pub total_messages: u64,
    /// Messages per POST (1 to 1000).
    pub batch: usize,
    /// Requests in flight at once.
    pub concurrency: usize,
    pub waba_id: String,
    pub number: BusinessNumber,
    /// Distinct customers the messages come from.
    pub customers: u64,
    /// Keep the wamids of messages in accepted POSTs (for loss checks).
    pub record_accepted_ids: bool,
    pub request_timeout: Duration,
}

impl Default for LoadConfig {
    fn default() -> Self {
        Self {
            target: "http://127.0.0.1:8080/webhook".to_owned(),
            app_secret: String::new(),
            rate: None,
            total_messages: 10_000,
            batch: 1,
            concurrency: 64,
            waba_id: "102290129340398".to_owned(),
            number: BusinessNumber::default(),
            customers: 1000,
            record_accepted_ids: false,
            request_timeout: Duration::from_secs(20),
        }
    }
}

/// Latency percentiles of the POSTs (serialised as fractional milliseconds).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Latencies {
    #[serde(serialize_with = "milliseconds")]
    pub p50: Duration,
    #[serde(serialize_with = "milliseconds")]
    pub p90: Duration,
    #[serde(serialize_with = "milliseconds")]
    pub p99: Duration,
    #[serde(serialize_with = "milliseconds")]
    pub max: Duration,
}

fn milliseconds<S: serde::Serializer>(value: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64(value.as_secs_f64() * 1000.0)
}

/// The outcome of a load run.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LoadReport {
    pub requests_accepted: u64,
    pub requests_failed: u64,
    pub messages_accepted: u64,
    pub messages_failed: u64,
    #[serde(serialize_with = "milliseconds")]
    pub elapsed: Duration,
    pub latency: Latencies,
    /// Wamids of messages whose POST got a 200 (only with `record_accepted_ids`).
    pub accepted_ids: Vec<String>,
}

impl LoadReport {
    pub fn messages_per_second(&self) -> f64 {
        self.messages_accepted as f64 / self.elapsed.as_secs_f64().max(f64::EPSILON)
    }

    pub fn requests_per_second(&self) -> f64 {
        self.requests_accepted as f64 / self.elapsed.as_secs_f64().max(f64::EPSILON)
    }
}

/// The `q` quantile (0..=1) of sorted latencies, nearest-rank.
pub fn percentile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[derive(Default)]
struct WorkerResult {
    latencies: Vec<Duration>,
    requests_accepted: u64,
    requests_failed: u64,
    messages_accepted: u64,
    messages_failed: u64,
    accepted_ids: Vec<String>,
}

/// Runs a load test and returns its report.
pub async fn run_load(config: LoadConfig) -> Result<LoadReport, SimError> {
    if config.batch == 0 || config.batch > 1000 {
        return Err(SimError::LoadConfig(
            "batch must be between 1 and 1000 (Meta's maximum)".to_owned(),
        ));
    }
    if config
        .rate
        .is_some_and(|rate| !(rate > 0.0 && rate.is_finite()))
    {
        return Err(SimError::LoadConfig(
            "rate must be a positive number of messages per second".to_owned(),
        ));
    }
    url::Url::parse(&config.target).map_err(|error| SimError::InvalidUrl {
        url: config.target.clone(),
        reason: error.to_string(),
    })?;
    let requests = config.total_messages.div_ceil(config.batch as u64);
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(config.concurrency.max(1))
        .tcp_nodelay(true)
        .timeout(config.request_timeout)
        .build()?;
    let config = Arc::new(config);
    let next_request = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..config.concurrency.max(1) {
        let (config, client, next_request) = (
            Arc::clone(&config),
            client.clone(),
            Arc::clone(&next_request),
        );
        workers.push(tokio::spawn(async move {
            worker(&config, &client, &next_request, requests, started).await
        }));
    }
    let mut merged = WorkerResult::default();
    for worker in workers {
        let Ok(result) = worker.await else { continue };
        merged.latencies.extend(result.latencies);
        merged.requests_accepted += result.requests_accepted;
        merged.requests_failed += result.requests_failed;
        merged.messages_accepted += result.messages_accepted;
        merged.messages_failed += result.messages_failed;
        merged.accepted_ids.extend(result.accepted_ids);
    }
    let elapsed = started.elapsed();
    merged.latencies.sort_unstable();
    let latency = Latencies {
        p50: percentile(&merged.latencies, 0.50),
        p90: percentile(&merged.latencies, 0.90),
        p99: percentile(&merged.latencies, 0.99),
        max: merged.latencies.last().copied().unwrap_or_default(),
    };
    Ok(LoadReport {
        requests_accepted: merged.requests_accepted,
        requests_failed: merged.requests_failed,
        messages_accepted: merged.messages_accepted,
        messages_failed: merged.messages_failed,
        elapsed,
        latency,
        accepted_ids: merged.accepted_ids,
    })
}

async fn worker(
    config: &LoadConfig,
    client: &reqwest::Client,
    next_request: &AtomicU64,
    requests: u64,
    started: Instant,
) -> WorkerResult {
    let mut result = WorkerResult::default();
    let metadata = config.number.metadata();
    loop {
        let index = next_request.fetch_add(1, Ordering::Relaxed);
        if index >= requests {
            return result;
        }
        let first_message = index * config.batch as u64;
        let count = (config.total_messages - first_message).min(config.batch as u64);
        if let Some(rate) = config.rate {
            // Request `index` is due when the messages before it have been paced out.
            let due = started + Duration::from_secs_f64(first_message as f64 / rate);
            tokio::time::sleep_until(due.into()).await;
        }
        let messages: Vec<InboundMessage> = (first_message..first_message + count)
            .map(|n| load_message(config, n))
            .collect();
        let ids: Vec<String> = if config.record_accepted_ids {
            messages.iter().map(|message| message.id.clone()).collect()
        } else {
            Vec::new()
        };
        let payload =
            WebhookPayload::batch(&config.waba_id, &metadata, messages, BatchLayout::OneChange);
        let Ok(body) = payload.to_bytes() else {
            result.requests_failed += 1;
            result.messages_failed += count;
            continue;
        };
        let signature = signature_header_value(&config.app_secret, &body);
        let sent_at = Instant::now();
        let response = client
            .post(&config.target)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(reqwest::header::USER_AGENT, WEBHOOK_USER_AGENT)
            .header(SIGNATURE_HEADER, signature)
            .body(Bytes::from(body))
            .send()
            .await;
        let accepted = match response {
            Ok(response) => {
                let ok = response.status().as_u16() == 200;
                let _ = response.bytes().await;
                ok
            }
            Err(_) => false,
        };
        result.latencies.push(sent_at.elapsed());
        if accepted {
            result.requests_accepted += 1;
            result.messages_accepted += count;
            result.accepted_ids.extend(ids);
        } else {
            result.requests_failed += 1;
            result.messages_failed += count;
        }
    }
}

/// Message `n` of a run: from one of `customers` customers, multilingual text.
fn load_message(config: &LoadConfig, n: u64) -> InboundMessage {
    let customer = n % config.customers.max(1);
    let wa_id = (5_511_900_000_000 + customer).to_string();
    let name = NAMES[(customer % NAMES.len() as u64) as usize];
    let text = TEXTS[(n % TEXTS.len() as u64) as usize];
    let timestamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| i64::try_from(since.as_secs()).unwrap_or(0));
    InboundMessage::new(
        Contact::with_phone(wa_id.clone(), name),
        new_wamid(&wa_id, Direction::Inbound),
        timestamp,
        InboundKind::Text {
            body: format!("{text} #{n}"),
        },
    )
}
