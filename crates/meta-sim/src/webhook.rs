//! Webhook delivery to the app: signing, target resolution (phone override, then WABA
//! override, then the app callback), and retries with backoff on anything but 200.

use bytes::Bytes;
use serde::Serialize;

use crate::error::SimError;
use crate::signature::{SIGNATURE_HEADER, signature_header_value};
use crate::state::{DeliveryRecord, Shared};

/// The User-Agent Meta's webhook requests carry.
pub const WEBHOOK_USER_AGENT: &str = "facebookexternalua";

/// One POST attempt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Attempt {
    /// The HTTP status the app answered; `None` on a connection error or timeout.
    pub status: Option<u16>,
    pub error: Option<String>,
}

impl Attempt {
    /// What the app answered to one POST.
    async fn of(result: reqwest::Result<reqwest::Response>) -> Attempt {
        match result {
            Ok(response) => {
                let status = response.status().as_u16();
                // Drain the body so the keep-alive connection can be reused.
                let _ = response.bytes().await;
                Attempt {
                    status: Some(status),
                    error: None,
                }
            }
            Err(error) => Attempt {
                status: None,
                error: Some(error.to_string()),
            },
        }
    }
}

/// What happened to one webhook body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DeliveryReport {
    pub url: String,
    pub attempts: Vec<Attempt>,
    /// True when the app answered 200 to one of the attempts.
    pub delivered: bool,
}

impl DeliveryReport {
    /// The status of the last attempt.
    pub fn final_status(&self) -> Option<u16> {
        self.attempts.last().and_then(|attempt| attempt.status)
    }
}

/// Where `messages`-field webhooks for this number go, following Meta's precedence.
pub(crate) fn resolve_target(shared: &Shared, phone_number_id: &str) -> Result<String, SimError> {
    let state = shared.lock();
    let account = &state.account;
    if !account.waba_subscribed {
        return Err(SimError::NotSubscribed);
    }
    if let Some(url) = account.phone_overrides.get(phone_number_id) {
        return Ok(url.clone());
    }
    if let Some(url) = &account.waba_override {
        return Ok(url.clone());
    }
    if account.app_fields.iter().any(|field| field == "messages")
        && let Some(url) = &account.app_callback_url
    {
        return Ok(url.clone());
    }
    Err(SimError::NoWebhookTarget)
}

/// Signs `body` and POSTs it to the app's current target for `phone_number_id`,
/// retrying per the retry policy.
pub(crate) async fn deliver(
    shared: &Shared,
    phone_number_id: &str,
    body: Vec<u8>,
    summary: String,
) -> Result<DeliveryReport, SimError> {
    let url = resolve_target(shared, phone_number_id)?;
    Ok(deliver_to(shared, &url, body, summary).await)
}

/// Where fields that never follow overrides (template and account updates) go: the
/// app-level callback.
pub(crate) fn app_target(shared: &Shared) -> Result<String, SimError> {
    let state = shared.lock();
    if !state.account.waba_subscribed {
        return Err(SimError::NotSubscribed);
    }
    state
        .account
        .app_callback_url
        .clone()
        .ok_or(SimError::NoWebhookTarget)
}

/// Signs and POSTs `body` to `url` with retries, and logs the delivery.
pub(crate) async fn deliver_to(
    shared: &Shared,
    url: &str,
    body: Vec<u8>,
    summary: String,
) -> DeliveryReport {
    let report = post_with_retries(shared, url, Bytes::from(body)).await;
    shared.record_delivery(DeliveryRecord {
        url: url.to_owned(),
        summary,
        attempts: u32::try_from(report.attempts.len()).unwrap_or(u32::MAX),
        final_status: report.final_status(),
        delivered: report.delivered,
    });
    report
}

async fn post_with_retries(shared: &Shared, url: &str, body: Bytes) -> DeliveryReport {
    let signature = signature_header_value(&shared.config.app_secret, &body);
    let policy = shared.lock().retry.clone();
    let mut attempts = Vec::new();
    let mut backoff = policy.first_backoff;
    for attempt_number in 1..=policy.max_attempts.max(1) {
        let result = shared
            .http
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(reqwest::header::USER_AGENT, WEBHOOK_USER_AGENT)
            .header(SIGNATURE_HEADER, &signature)
            .timeout(shared.config.webhook_timeout)
            .body(body.clone())
            .send()
            .await;
        let attempt = Attempt::of(result).await;
        let delivered = attempt.status == Some(200);
        attempts.push(attempt);
        if delivered {
            return DeliveryReport {
                url: url.to_owned(),
                attempts,
                delivered: true,
            };
        }
        if attempt_number == policy.max_attempts || shared.shutdown.is_cancelled() {
            break;
        }
        tokio::select! {
            () = shared.clock.sleep(backoff) => {}
            () = shared.shutdown.cancelled() => break,
        }
        backoff = backoff.mul_f64(policy.multiplier.max(1.0));
    }
    DeliveryReport {
        url: url.to_owned(),
        attempts,
        delivered: false,
    }
}

/// How a one-off POST is signed, for tests of the app's signature check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Signing {
    /// Signed with the app secret, like Meta.
    Correct,
    /// No `X-Hub-Signature-256` header.
    Missing,
    /// Signed with another secret.
    WrongSecret(String),
    /// This exact header value.
    Header(String),
}

/// One POST to the current target with the chosen signing, no retries, not logged.
pub(crate) async fn post_once(
    shared: &Shared,
    phone_number_id: &str,
    body: Vec<u8>,
    signing: Signing,
) -> Result<Attempt, SimError> {
    let url = resolve_target(shared, phone_number_id)?;
    let header = match signing {
        Signing::Correct => Some(signature_header_value(&shared.config.app_secret, &body)),
        Signing::Missing => None,
        Signing::WrongSecret(secret) => Some(signature_header_value(&secret, &body)),
        Signing::Header(value) => Some(value),
    };
    let mut request = shared
        .http
        .post(&url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(reqwest::header::USER_AGENT, WEBHOOK_USER_AGENT)
        .timeout(shared.config.webhook_timeout)
        .body(body);
    if let Some(header) = header {
        request = request.header(SIGNATURE_HEADER, header);
    }
    Ok(Attempt::of(request.send().await).await)
}
