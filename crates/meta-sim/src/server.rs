//! The simulator as a running server: start it, point the app at it, drive it from tests.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::clock::Clock;
use crate::config::{BusinessNumber, RetryPolicy, SimConfig, StatusPlan};
use crate::customer::Customer;
use crate::error::SimError;
use crate::faults::Fault;
use crate::inject::DeliveryOrder;
use crate::payload::{BatchLayout, InboundMessage, WebhookPayload};
use crate::scripted::{ScriptConfig, ScriptedCustomers};
use crate::state::{DeliveryRecord, MediaObject, ReadReceipt, SentMessage, Shared};
use crate::templates::Template;
use crate::webhook::{Attempt, DeliveryReport, Signing};

/// A running Meta simulator. Dropping it stops the server and its background work.
pub struct Simulator {
    shared: Arc<Shared>,
    server: JoinHandle<()>,
}

impl std::fmt::Debug for Simulator {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Simulator")
            .field("base_url", &self.shared.base_url)
            .finish()
    }
}

/// A reusable HTTP client with enough idle connections for high webhook rates.
pub(crate) fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(1024)
        .tcp_nodelay(true)
        .build()
        .unwrap_or_default()
}

impl Simulator {
    /// Binds `config.listen` (127.0.0.1:0 by default) and starts serving.
    pub async fn start(config: SimConfig) -> Result<Self, SimError> {
        let listener = TcpListener::bind(config.listen)
            .await
            .map_err(SimError::Bind)?;
        let addr = listener.local_addr().map_err(SimError::Bind)?;
        let base_url = format!("http://{addr}");
        let shared = Arc::new(Shared::new(config, base_url, http_client()));
        let app = crate::graph::router()
            .merge(crate::control::router())
            .with_state(Arc::clone(&shared));
        let shutdown = shared.shutdown.clone();
        let server = tokio::spawn(async move {
            let serve =
                axum::serve(listener, app).with_graceful_shutdown(shutdown.cancelled_owned());
            if let Err(error) = serve.await {
                tracing::error!(%error, "simulator server stopped");
            }
        });
        tracing::info!(%addr, "Meta simulator listening");
        Ok(Self { shared, server })
    }

    pub(crate) fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    /// `http://127.0.0.1:PORT`; the app appends `/v26.0/...`.
    pub fn graph_base_url(&self) -> &str {
        &self.shared.base_url
    }

    pub fn config(&self) -> &SimConfig {
        &self.shared.config
    }

    pub fn clock(&self) -> &Clock {
        &self.shared.clock
    }

    /// The first (default) business number.
    pub fn business_number(&self) -> BusinessNumber {
        self.shared.default_number()
    }

    pub fn phone_number_id(&self) -> String {
        self.business_number().phone_number_id
    }

    pub fn waba_id(&self) -> &str {
        &self.shared.config.waba_id
    }

    /// A customer with a phone number, writing to the default business number.
    pub fn customer(&self, wa_id: &str) -> Customer<'_> {
        Customer::with_phone(self, wa_id)
    }

    /// A customer known only by a business-scoped user id (and a username).
    pub fn customer_without_phone(&self, user_id: &str) -> Customer<'_> {
        Customer::without_phone(self, user_id)
    }

    /// Everything the app sent through `/messages`, oldest first.
    pub fn sent_messages(&self) -> Vec<SentMessage> {
        self.shared.lock().sent.clone()
    }

    /// Waits (real time, up to `timeout`) until the app has sent at least `count` messages.
    pub async fn wait_for_sent(
        &self,
        count: usize,
        timeout: Duration,
    ) -> Result<Vec<SentMessage>, SimError> {
        self.wait_until(timeout, || {
            let sent = self.sent_messages();
            (sent.len() >= count).then_some(sent)
        })
        .await
    }

    /// Waits (real time, up to `timeout`) for at least `count` read receipts.
    pub async fn wait_for_read_receipts(
        &self,
        count: usize,
        timeout: Duration,
    ) -> Result<Vec<ReadReceipt>, SimError> {
        self.wait_until(timeout, || {
            let receipts = self.read_receipts();
            (receipts.len() >= count).then_some(receipts)
        })
        .await
    }

    async fn wait_until<T>(
        &self,
        timeout: Duration,
        mut check: impl FnMut() -> Option<T>,
    ) -> Result<T, SimError> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let activity = self.shared.activity.notified();
            if let Some(found) = check() {
                return Ok(found);
            }
            if tokio::time::timeout_at(deadline, activity).await.is_err() {
                return check().ok_or(SimError::Timeout(timeout));
            }
        }
    }

    /// Mark-as-read and typing-indicator requests, oldest first.
    pub fn read_receipts(&self) -> Vec<ReadReceipt> {
        self.shared.lock().read_receipts.clone()
    }

    /// Every webhook POST made so far (the latest 10,000).
    pub fn deliveries(&self) -> Vec<DeliveryRecord> {
        self.shared.lock().deliveries.iter().cloned().collect()
    }

    /// Adds a fault; faults fire in the order they were added.
    pub fn set_fault(&self, fault: Fault) {
        self.shared.lock().faults.push(fault);
    }

    pub fn clear_faults(&self) {
        self.shared.lock().faults.clear();
    }

    /// Changes the status webhooks sent after future accepted messages.
    pub fn set_status_plan(&self, plan: StatusPlan) {
        self.shared.lock().status_plan = plan;
    }

    pub fn set_retry_policy(&self, retry: RetryPolicy) {
        self.shared.lock().retry = retry;
    }

    /// Jumps simulated time forward (24-hour window, URL expiry, token expiry).
    pub fn advance_time(&self, by: Duration) {
        self.shared.clock.advance(by);
    }

    /// Runs simulated time `factor` times faster than real time.
    pub fn compress_time(&self, factor: f64) {
        self.shared.clock.set_compression(factor);
    }

    /// Stops simulated time (exact 24-hour edges, per-second limits); `advance_time` still
    /// moves it. `resume_time` lets it run again.
    pub fn freeze_time(&self) {
        self.shared.clock.freeze();
    }

    pub fn resume_time(&self) {
        self.shared.clock.resume();
    }

    /// Points the app-level callback somewhere else (or nowhere).
    pub fn set_webhook_url(&self, url: Option<String>) {
        self.shared.lock().account.app_callback_url = url;
    }

    /// Makes the access token expire at the given simulated Unix time (`None`: never).
    pub fn set_token_expiry(&self, expires_at: Option<i64>) {
        self.shared.lock().account.token_expires_at = expires_at;
    }

    /// The current phone-level override of a number, if any.
    pub fn phone_override(&self, phone_number_id: &str) -> Option<String> {
        self.shared
            .lock()
            .account
            .phone_overrides
            .get(phone_number_id)
            .cloned()
    }

    /// The current WABA-level override, if any.
    pub fn waba_override(&self) -> Option<String> {
        self.shared.lock().account.waba_override.clone()
    }

    pub fn is_waba_subscribed(&self) -> bool {
        self.shared.lock().account.waba_subscribed
    }

    /// A stored media object (uploaded by the app or sent by a customer).
    pub fn media(&self, media_id: &str) -> Option<MediaObject> {
        self.shared.lock().media.get(media_id).cloned()
    }

    /// A fresh download URL for a media object (valid for `media_url_ttl`).
    pub fn media_url(&self, media_id: &str) -> String {
        crate::graph::media_url(&self.shared, media_id)
    }

    /// Stores media as if the app had uploaded it (same checks as the upload endpoint).
    pub fn upload_media(
        &self,
        bytes: impl Into<Bytes>,
        mime_type: &str,
    ) -> Result<MediaObject, SimError> {
        crate::graph::store_media(
            &self.shared,
            &self.phone_number_id(),
            mime_type,
            bytes.into(),
            None,
        )
        .map_err(|error| SimError::Media(error.message))
    }

    pub fn templates(&self) -> Vec<Template> {
        self.shared.lock().templates.clone()
    }

    /// Adds a template (e.g. an AUTHENTICATION one) to the WABA.
    pub fn add_template(&self, template: Template) {
        self.shared.lock().templates.push(template);
    }

    /// Signs and delivers arbitrary bytes (e.g. a sample payload) to the app, unchanged.
    pub async fn deliver_raw(&self, body: impl Into<Vec<u8>>) -> Result<DeliveryReport, SimError> {
        crate::inject::deliver_raw(&self.shared, &self.phone_number_id(), body.into()).await
    }

    /// POSTs a body once with the chosen signing (correct, missing, wrong secret, any
    /// header), without retries: for tests of the app's signature check.
    pub async fn post_once(
        &self,
        body: impl Into<Vec<u8>>,
        signing: Signing,
    ) -> Result<Attempt, SimError> {
        crate::webhook::post_once(&self.shared, &self.phone_number_id(), body.into(), signing).await
    }

    /// Delivers a built payload (serialised the way Meta does).
    pub async fn deliver_payload(
        &self,
        payload: &WebhookPayload,
    ) -> Result<DeliveryReport, SimError> {
        self.deliver_raw(payload.to_bytes()?).await
    }

    /// Delivers several messages in one POST (at most 1000 updates, like Meta).
    pub async fn deliver_batch(
        &self,
        messages: Vec<InboundMessage>,
        layout: BatchLayout,
    ) -> Result<DeliveryReport, SimError> {
        let mut reports = crate::inject::deliver_messages(
            &self.shared,
            &self.phone_number_id(),
            messages,
            layout,
            1,
        )
        .await?;
        reports.pop().ok_or(SimError::NoWebhookTarget)
    }

    /// Delivers each message in its own POST, in the given order (reordering across POSTs).
    pub async fn deliver_separately(
        &self,
        messages: Vec<InboundMessage>,
        order: DeliveryOrder,
    ) -> Result<Vec<DeliveryReport>, SimError> {
        crate::inject::deliver_separately(&self.shared, &self.phone_number_id(), messages, order)
            .await
    }

    /// Delivers a value-level error webhook (`value.errors[]`, no messages), e.g. 130429.
    pub async fn deliver_value_error(&self, code: u32) -> Result<DeliveryReport, SimError> {
        crate::inject::deliver_value_error(&self.shared, &self.phone_number_id(), code).await
    }

    /// Changes a template's status (e.g. `APPROVED`, `REJECTED`, `PAUSED`) and sends the
    /// `message_template_status_update` webhook, which goes to the app-level callback even
    /// when an override is set, as on Meta.
    pub async fn change_template_status(
        &self,
        name: &str,
        language: &str,
        status: &str,
        reason: Option<&str>,
    ) -> Result<DeliveryReport, SimError> {
        let template_id = {
            let mut state = self.shared.lock();
            let template = state
                .templates
                .iter_mut()
                .find(|template| template.name == name && template.language == language)
                .ok_or_else(|| SimError::UnknownTemplate(format!("{name} ({language})")))?;
            status.clone_into(&mut template.status);
            template.id.clone()
        };
        let body = serde_json::json!({
            "object": "whatsapp_business_account",
            "entry": [{
                "id": self.waba_id(),
                "time": self.shared.clock.now_unix(),
                "changes": [{
                    "value": {
                        "event": status,
                        "message_template_id": template_id.parse::<u64>().unwrap_or_default(),
                        "message_template_name": name,
                        "message_template_language": language,
                        "reason": reason.unwrap_or("NONE"),
                    },
                    "field": "message_template_status_update",
                }],
            }],
        });
        let url = crate::webhook::app_target(&self.shared)?;
        let bytes = crate::meta_json::to_meta_json_bytes(&body)?;
        Ok(crate::webhook::deliver_to(
            &self.shared,
            &url,
            bytes,
            format!("template {name} {status}"),
        )
        .await)
    }

    /// Waits until every scheduled status webhook has been delivered (or given up).
    pub async fn settle(&self) {
        self.shared.wait_idle().await;
    }

    /// Starts scripted customers in the background (replacing any running ones).
    pub fn start_scripted_customers(&self, config: ScriptConfig) {
        ScriptedCustomers::start(&self.shared, config);
    }

    /// Stops scripted customers, if running.
    pub fn stop_scripted_customers(&self) {
        ScriptedCustomers::stop_running(&self.shared);
    }

    /// Stops the server and background work and waits for the server to finish.
    pub async fn shutdown(mut self) {
        self.stop_scripted_customers();
        self.shared.shutdown.cancel();
        let server = std::mem::replace(&mut self.server, tokio::spawn(async {}));
        let _ = server.await;
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.shared.shutdown.cancel();
    }
}
