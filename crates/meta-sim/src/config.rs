//! Configuration of a simulator instance.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::payload::Metadata;

/// A business phone number registered on the simulated WABA.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BusinessNumber {
    pub phone_number_id: String,
    /// As shown by the phone-number endpoint, e.g. `+1 555-078-3881`.
    pub display_phone_number: String,
    pub verified_name: String,
    /// `GREEN`, `YELLOW`, `RED` or `NA`.
    pub quality_rating: String,
}

impl BusinessNumber {
    /// The digits-only form used in webhook metadata.
    pub fn webhook_number(&self) -> String {
        self.display_phone_number
            .chars()
            .filter(char::is_ascii_digit)
            .collect()
    }

    /// The `metadata` object of webhooks about this number.
    pub fn metadata(&self) -> Metadata {
        Metadata {
            display_phone_number: self.webhook_number(),
            phone_number_id: self.phone_number_id.clone(),
        }
    }
}

impl Default for BusinessNumber {
    fn default() -> Self {
        Self {
            phone_number_id: "106540352242922".to_owned(),
            display_phone_number: "+1 555-078-3881".to_owned(),
            verified_name: "ChatSphere Demo Shop".to_owned(),
            quality_rating: "GREEN".to_owned(),
        }
    }
}

/// How a sent message ends.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StatusOutcome {
    /// sent → delivered → read (the default).
    #[default]
    Read,
    /// sent → delivered, never read.
    Delivered,
    /// sent only.
    Sent,
    /// sent → failed with the given error code (e.g. 131049, 131026).
    Failed { code: u32 },
}

/// The status webhooks the simulator sends after each accepted message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StatusPlan {
    /// Simulated delay from acceptance to `sent`.
    #[serde(with = "millis")]
    pub sent_after: Duration,
    /// Simulated delay from acceptance to `delivered` (and to `failed`).
    #[serde(with = "millis")]
    pub delivered_after: Duration,
    /// Simulated delay from acceptance to `read` (and `played`).
    #[serde(with = "millis")]
    pub read_after: Duration,
    pub outcome: StatusOutcome,
    /// Read arrives alone, as when the customer has the chat open.
    pub skip_delivered: bool,
    /// Send `played` after `read` for voice notes.
    pub played_for_voice_notes: bool,
    /// Extra copies of every status webhook (0 = each sent once).
    pub duplicates: u32,
    /// Deliver the statuses of a message in reverse order, all at the last delay.
    pub out_of_order: bool,
    /// Deliver `sent` (awaiting the app's answer) before answering the send request, so
    /// the status webhook beats the send response.
    pub sent_before_response: bool,
}

impl Default for StatusPlan {
    fn default() -> Self {
        Self {
            sent_after: Duration::from_millis(20),
            delivered_after: Duration::from_millis(40),
            read_after: Duration::from_millis(60),
            outcome: StatusOutcome::Read,
            skip_delivered: false,
            played_for_voice_notes: false,
            duplicates: 0,
            out_of_order: false,
            sent_before_response: false,
        }
    }
}

/// Webhook delivery retries on non-200 answers, with exponential backoff in simulated time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RetryPolicy {
    /// Attempts in total, the first included.
    pub max_attempts: u32,
    #[serde(with = "millis")]
    pub first_backoff: Duration,
    pub multiplier: f64,
}

impl RetryPolicy {
    /// Meta's schedule in shape: retried soon, then with decreasing frequency for about
    /// seven days (11 attempts, backoff ×3 from 20 s: 6.8 days). Use with compressed time.
    pub fn like_meta() -> Self {
        Self {
            max_attempts: 11,
            first_backoff: Duration::from_secs(20),
            multiplier: 3.0,
        }
    }

    /// Total simulated time from the first attempt to the last.
    pub fn total_span(&self) -> Duration {
        let mut total = Duration::ZERO;
        let mut backoff = self.first_backoff;
        for _ in 1..self.max_attempts.max(1) {
            total += backoff;
            backoff = backoff.mul_f64(self.multiplier.max(1.0));
        }
        total
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            first_backoff: Duration::from_millis(200),
            multiplier: 2.0,
        }
    }
}

/// Meta's pair rate limit: a burst allowance refilled one message per interval.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PairRateLimit {
    pub burst: u32,
    #[serde(with = "millis")]
    pub refill_every: Duration,
}

impl Default for PairRateLimit {
    fn default() -> Self {
        Self {
            burst: 45,
            refill_every: Duration::from_secs(6),
        }
    }
}

/// Everything a simulator instance needs. `Default` gives a working setup on port 0.
#[derive(Clone, Debug)]
pub struct SimConfig {
    pub listen: SocketAddr,
    /// The app-level callback URL (the app's `POST /webhook`).
    pub webhook_url: Option<String>,
    /// The verify token of the app-level callback (used for `/{app-id}/subscriptions`).
    pub verify_token: String,
    pub app_id: String,
    pub app_name: String,
    pub app_secret: String,
    /// The system-user token the app must present as `Authorization: Bearer`.
    pub access_token: String,
    /// Unix seconds after which the token is rejected with 190; `None` = never expires.
    pub token_expires_at: Option<i64>,
    pub waba_id: String,
    pub numbers: Vec<BusinessNumber>,
    /// How long a media URL stays valid (Meta: five minutes).
    pub media_url_ttl: Duration,
    pub status_plan: StatusPlan,
    pub retry: RetryPolicy,
    /// Messages per second per business number before 130429 (Meta's default: 80).
    pub throughput_per_second: u32,
    pub pair_rate: PairRateLimit,
    /// Refuse free-form messages outside the 24-hour window (131047).
    pub enforce_window: bool,
    /// Simulated seconds per real second.
    pub time_compression: f64,
    /// Real time the simulator waits for the app to answer a webhook.
    pub webhook_timeout: Duration,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            webhook_url: None,
            verify_token: "chatsphere-verify".to_owned(),
            app_id: "1453278915648190".to_owned(),
            app_name: "ChatSphere Desktop".to_owned(),
            app_secret: "sim-app-secret".to_owned(),
            access_token: "sim-access-token".to_owned(),
            token_expires_at: None,
            waba_id: "102290129340398".to_owned(),
            numbers: vec![BusinessNumber::default()],
            media_url_ttl: Duration::from_secs(300),
            status_plan: StatusPlan::default(),
            retry: RetryPolicy::default(),
            throughput_per_second: 80,
            pair_rate: PairRateLimit::default(),
            enforce_window: true,
            time_compression: 1.0,
            webhook_timeout: Duration::from_secs(20),
        }
    }
}

/// Serde helper: durations as integer milliseconds in the control API.
pub(crate) mod millis {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(u64::try_from(value.as_millis()).unwrap_or(u64::MAX))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
        u64::deserialize(deserializer).map(Duration::from_millis)
    }
}
