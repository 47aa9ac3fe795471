//! Inbound traffic: what customers send, turned into signed webhook deliveries.

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::error::SimError;
use crate::graph::media_url;
use crate::payload::{BatchLayout, InboundMessage, MediaAttachment, MediaKind, WebhookPayload};
use crate::state::{MediaObject, Shared};
use crate::webhook::{DeliveryReport, deliver};

/// Media ids received in webhooks can be downloaded for 7 days.
const INBOUND_MEDIA_LIFETIME_SECONDS: i64 = 7 * 24 * 3600;

/// Meta batches at most this many updates in one webhook POST.
pub const MAX_UPDATES_PER_POST: usize = 1000;

/// Stores bytes a customer sends and returns the attachment for the webhook (with a fresh
/// URL the app can download). Customers may send any type; only uploads are checked.
pub(crate) fn store_inbound_media(
    shared: &Shared,
    phone_number_id: &str,
    kind: MediaKind,
    bytes: Bytes,
    mime_type: &str,
    filename: Option<String>,
) -> MediaAttachment {
    let digest = Sha256::digest(&bytes);
    let media = MediaObject {
        id: crate::ids::new_numeric_id(),
        mime_type: mime_type.to_owned(),
        sha256_hex: hex::encode(digest),
        sha256_base64: STANDARD.encode(digest),
        filename: filename.clone(),
        phone_number_id: phone_number_id.to_owned(),
        deleted: false,
        expires_at: shared.clock.now_unix() + INBOUND_MEDIA_LIFETIME_SECONDS,
        bytes,
    };
    let id = media.id.clone();
    let sha256 = media.sha256_base64.clone();
    shared.lock().media.insert(id.clone(), media);
    MediaAttachment {
        kind,
        url: Some(media_url(shared, &id)),
        id,
        mime_type: mime_type.to_owned(),
        sha256,
        caption: None,
        filename,
        voice: (kind == MediaKind::Audio).then_some(false),
        animated: (kind == MediaKind::Sticker).then_some(false),
    }
}

/// Records that customers wrote (opening their 24-hour windows).
pub(crate) fn record_inbound(shared: &Shared, phone_number_id: &str, messages: &[InboundMessage]) {
    let mut state = shared.lock();
    for message in messages {
        if message.kind.is_system() {
            continue;
        }
        for address in [message.from.wa_id.as_ref(), message.from.user_id.as_ref()]
            .into_iter()
            .flatten()
        {
            let key = (phone_number_id.to_owned(), address.clone());
            let entry = state.last_inbound.entry(key).or_insert(message.timestamp);
            *entry = (*entry).max(message.timestamp);
            state
                .known_contacts
                .insert(address.clone(), message.from.clone());
        }
    }
}

/// Records windows for the messages found in an arbitrary body (raw deliveries).
pub(crate) fn record_inbound_from_body(shared: &Shared, body: &[u8]) {
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        return;
    };
    let mut state = shared.lock();
    let entries = value["entry"].as_array().cloned().unwrap_or_default();
    for change in entries
        .iter()
        .filter_map(|entry| entry["changes"].as_array())
        .flatten()
    {
        let value = &change["value"];
        let Some(phone_number_id) = value["metadata"]["phone_number_id"].as_str() else {
            continue;
        };
        for message in value["messages"].as_array().into_iter().flatten() {
            let timestamp = message["timestamp"]
                .as_str()
                .and_then(|ts| ts.parse::<i64>().ok())
                .unwrap_or(0);
            for key in ["from", "from_user_id"] {
                if let Some(address) = message[key].as_str() {
                    let entry = state
                        .last_inbound
                        .entry((phone_number_id.to_owned(), address.to_owned()))
                        .or_insert(timestamp);
                    *entry = (*entry).max(timestamp);
                }
            }
        }
    }
}

/// Delivers messages in one body (laid out as asked), `copies` times in total.
pub(crate) async fn deliver_messages(
    shared: &Arc<Shared>,
    phone_number_id: &str,
    messages: Vec<InboundMessage>,
    layout: BatchLayout,
    copies: u32,
) -> Result<Vec<DeliveryReport>, SimError> {
    let number = shared
        .number(phone_number_id)
        .cloned()
        .ok_or_else(|| SimError::UnknownNumber(phone_number_id.to_owned()))?;
    if messages.len() > MAX_UPDATES_PER_POST {
        return Err(SimError::BatchTooLarge {
            got: messages.len(),
            max: MAX_UPDATES_PER_POST,
        });
    }
    record_inbound(shared, phone_number_id, &messages);
    let summary = messages
        .iter()
        .map(|message| message.id.as_str())
        .collect::<Vec<_>>()
        .join(",");
    let payload =
        WebhookPayload::batch(&shared.config.waba_id, &number.metadata(), messages, layout);
    let body = payload.to_bytes()?;
    let mut reports = Vec::new();
    for _ in 0..copies.max(1) {
        reports.push(
            deliver(
                shared,
                phone_number_id,
                body.clone(),
                format!("message {summary}"),
            )
            .await?,
        );
    }
    Ok(reports)
}

/// Signs and delivers an arbitrary body (e.g. a sample file) as-is.
pub(crate) async fn deliver_raw(
    shared: &Arc<Shared>,
    phone_number_id: &str,
    body: Vec<u8>,
) -> Result<DeliveryReport, SimError> {
    record_inbound_from_body(shared, &body);
    deliver(shared, phone_number_id, body, "raw body".to_owned()).await
}

/// The order in which separately delivered messages reach the app.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryOrder {
    /// In the order given.
    #[default]
    AsGiven,
    /// Last first.
    Reversed,
    /// Randomly permuted.
    Shuffled,
}

/// Delivers each message in its own POST, in the requested order.
pub(crate) async fn deliver_separately(
    shared: &Arc<Shared>,
    phone_number_id: &str,
    mut messages: Vec<InboundMessage>,
    order: DeliveryOrder,
) -> Result<Vec<DeliveryReport>, SimError> {
    match order {
        DeliveryOrder::AsGiven => {}
        DeliveryOrder::Reversed => messages.reverse(),
        DeliveryOrder::Shuffled => {
            use rand::seq::SliceRandom;
            messages.shuffle(&mut rand::rng());
        }
    }
    let mut reports = Vec::with_capacity(messages.len());
    for message in messages {
        let mut report = deliver_messages(
            shared,
            phone_number_id,
            vec![message],
            BatchLayout::OneChange,
            1,
        )
        .await?;
        reports.append(&mut report);
    }
    Ok(reports)
}

/// Delivers a value-level error (system, app or account error, e.g. 130429) with no messages.
pub(crate) async fn deliver_value_error(
    shared: &Arc<Shared>,
    phone_number_id: &str,
    code: u32,
) -> Result<DeliveryReport, SimError> {
    let number = shared
        .number(phone_number_id)
        .cloned()
        .ok_or_else(|| SimError::UnknownNumber(phone_number_id.to_owned()))?;
    let error = crate::error::GraphError::from_code(code).status_error_object();
    let change = crate::payload::ChangeValue::new(number.metadata()).with_error(error);
    let body = WebhookPayload::new()
        .with_change(&shared.config.waba_id, change)
        .to_bytes()?;
    deliver(shared, phone_number_id, body, format!("error {code}")).await
}
