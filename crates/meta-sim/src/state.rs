//! The simulator's shared state. A plain mutex is enough: it is never held across an
//! `.await`, and every critical section is a few map operations.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use bytes::Bytes;
use serde::Serialize;
use serde_json::Value;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::clock::Clock;
use crate::config::{BusinessNumber, RetryPolicy, SimConfig, StatusPlan};
use crate::faults::Fault;
use crate::payload::Contact;
use crate::scripted::ScriptedCustomers;
use crate::templates::{Template, seeded_templates};

/// A message the app sent through `POST /{version}/{phone-number-id}/messages`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SentMessage {
    pub wamid: String,
    pub phone_number_id: String,
    /// The recipient as Meta resolved it: digits of `to`, or the business-scoped id.
    pub to: String,
    /// `text`, `image`, `template`, `reaction`, ...
    pub message_type: String,
    /// The request body exactly as received (parsed).
    pub request: Value,
    pub graph_version: String,
    /// Simulated Unix seconds.
    pub accepted_at: i64,
}

/// A file the app uploaded through `POST /{version}/{phone-number-id}/media`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UploadRecord {
    /// The media id Meta answered with.
    pub id: String,
    pub phone_number_id: String,
    /// The `type` the app gave.
    pub mime_type: String,
    pub file_name: Option<String>,
    pub size_bytes: usize,
    pub sha256_hex: String,
    /// Simulated Unix seconds.
    pub uploaded_at: i64,
}

/// A mark-as-read (optionally with a typing indicator) the app sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReadReceipt {
    pub phone_number_id: String,
    pub message_id: String,
    pub typing_indicator: bool,
    pub at: i64,
}

/// A stored media object.
///
/// Uploads live 30 days and media received in webhooks 7 days, as on Meta.
#[derive(Clone, Debug)]
pub struct MediaObject {
    pub id: String,
    pub bytes: Bytes,
    pub mime_type: String,
    pub sha256_hex: String,
    pub sha256_base64: String,
    pub filename: Option<String>,
    /// The number that uploaded it, or the number a customer sent it to.
    pub phone_number_id: String,
    pub deleted: bool,
    /// Simulated Unix time after which Meta no longer has it (uploads: 30 days; media
    /// received in webhooks: 7 days).
    pub expires_at: i64,
}

/// One webhook POST the simulator made (or tried to make).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DeliveryRecord {
    pub url: String,
    /// What the body carried, e.g. `message wamid.…` or `status read wamid.…`.
    pub summary: String,
    pub attempts: u32,
    /// HTTP status of the last attempt; `None` when no answer came.
    pub final_status: Option<u16>,
    pub delivered: bool,
}

/// Webhook routing and subscriptions on the simulated account.
#[derive(Clone, Debug, Default)]
pub struct AccountState {
    pub waba_subscribed: bool,
    pub app_callback_url: Option<String>,
    pub app_verify_token: Option<String>,
    pub app_fields: Vec<String>,
    pub waba_override: Option<String>,
    pub phone_overrides: HashMap<String, String>,
    pub token_expires_at: Option<i64>,
}

/// A per-second counter for the per-number throughput limit.
#[derive(Clone, Copy, Debug, Default)]
pub struct SecondCounter {
    pub second: i64,
    pub count: u32,
}

/// A token bucket for the pair rate limit, in simulated milliseconds.
#[derive(Clone, Copy, Debug)]
pub struct PairBucket {
    pub tokens: f64,
    pub updated_ms: i64,
}

#[derive(Debug)]
pub struct State {
    pub sent: Vec<SentMessage>,
    /// Accepted uploads, oldest first.
    pub uploads: Vec<UploadRecord>,
    pub read_receipts: Vec<ReadReceipt>,
    pub media: HashMap<String, MediaObject>,
    pub faults: Vec<Fault>,
    /// Last inbound timestamp per (business number, customer address).
    pub last_inbound: HashMap<(String, String), i64>,
    /// Customers who wrote, by phone number and by business-scoped id.
    pub known_contacts: HashMap<String, Contact>,
    pub throughput: HashMap<String, SecondCounter>,
    pub pair_buckets: HashMap<(String, String), PairBucket>,
    pub account: AccountState,
    pub status_plan: StatusPlan,
    pub retry: RetryPolicy,
    pub deliveries: VecDeque<DeliveryRecord>,
    pub templates: Vec<Template>,
    pub scripted: Option<ScriptedCustomers>,
}

/// The most webhook deliveries kept for inspection (older ones are dropped).
pub const DELIVERY_LOG_LIMIT: usize = 10_000;

/// Everything the routes, the webhook sender and the handles share.
#[derive(Debug)]
pub struct Shared {
    pub config: SimConfig,
    pub clock: Clock,
    pub base_url: String,
    pub http: reqwest::Client,
    pub shutdown: CancellationToken,
    state: Mutex<State>,
    pending_work: AtomicUsize,
    idle: Notify,
    /// Woken whenever the app sends something (a message or a read receipt).
    pub activity: Notify,
}

impl Shared {
    pub fn new(config: SimConfig, base_url: String, http: reqwest::Client) -> Self {
        let clock = Clock::new();
        clock.set_compression(config.time_compression);
        let account = AccountState {
            waba_subscribed: true,
            app_callback_url: config.webhook_url.clone(),
            app_verify_token: Some(config.verify_token.clone()),
            app_fields: vec!["messages".to_owned()],
            token_expires_at: config.token_expires_at,
            ..AccountState::default()
        };
        let state = State {
            sent: Vec::new(),
            uploads: Vec::new(),
            read_receipts: Vec::new(),
            media: HashMap::new(),
            faults: Vec::new(),
            last_inbound: HashMap::new(),
            known_contacts: HashMap::new(),
            throughput: HashMap::new(),
            pair_buckets: HashMap::new(),
            account,
            status_plan: config.status_plan.clone(),
            retry: config.retry.clone(),
            deliveries: VecDeque::new(),
            templates: seeded_templates(),
            scripted: None,
        };
        Self {
            config,
            clock,
            base_url,
            http,
            shutdown: CancellationToken::new(),
            state: Mutex::new(state),
            pending_work: AtomicUsize::new(0),
            idle: Notify::new(),
            activity: Notify::new(),
        }
    }

    /// Locks the state. A panic while holding the lock cannot leave it half-updated in a
    /// way that matters for a simulator, so a poisoned lock is simply reused.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn number(&self, phone_number_id: &str) -> Option<&BusinessNumber> {
        self.config
            .numbers
            .iter()
            .find(|number| number.phone_number_id == phone_number_id)
    }

    pub fn default_number(&self) -> BusinessNumber {
        self.config.numbers.first().cloned().unwrap_or_default()
    }

    /// Counts pending background work (status webhooks, retries) so `settle` can wait.
    pub fn work_started(&self) {
        self.pending_work.fetch_add(1, Ordering::SeqCst);
    }

    pub fn work_finished(&self) {
        if self.pending_work.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.idle.notify_waiters();
        }
    }

    /// Waits until no background work is pending.
    pub async fn wait_idle(&self) {
        loop {
            let notified = self.idle.notified();
            if self.pending_work.load(Ordering::SeqCst) == 0 {
                return;
            }
            notified.await;
        }
    }

    pub fn record_delivery(&self, record: DeliveryRecord) {
        let mut state = self.lock();
        if state.deliveries.len() >= DELIVERY_LOG_LIMIT {
            state.deliveries.pop_front();
        }
        state.deliveries.push_back(record);
    }
}
