//! The webhook envelope: `object`, `entry[]`, `changes[]`, `value`.

use serde_json::{Value, json};

use super::{Contact, InboundMessage, Metadata, StatusUpdate};
use crate::meta_json::to_meta_json_bytes;

/// The `value` of one change in the `messages` field.
#[derive(Clone, Debug)]
pub struct ChangeValue {
    pub metadata: Metadata,
    pub contacts: Vec<Contact>,
    pub messages: Vec<InboundMessage>,
    pub statuses: Vec<StatusUpdate>,
    /// Value-level `errors[]` (system, app or account errors such as 130429).
    pub errors: Vec<Value>,
}

impl ChangeValue {
    pub fn new(metadata: Metadata) -> Self {
        Self {
            metadata,
            contacts: Vec::new(),
            messages: Vec::new(),
            statuses: Vec::new(),
            errors: Vec::new(),
        }
    }

    /// Adds an inbound message and its sender to `contacts[]` (once per sender).
    /// A number-change notice carries no contact, as in Meta's payloads.
    pub fn with_message(mut self, message: InboundMessage) -> Self {
        if !message.kind.omits_contact() && !self.contacts.contains(&message.from) {
            self.contacts.push(message.from.clone());
        }
        self.messages.push(message);
        self
    }

    pub fn with_status(mut self, status: StatusUpdate) -> Self {
        self.statuses.push(status);
        self
    }

    pub fn with_error(mut self, error: Value) -> Self {
        self.errors.push(error);
        self
    }

    pub fn to_json(&self) -> Value {
        let mut value = json!({
            "messaging_product": "whatsapp",
            "metadata": self.metadata.to_json(),
        });
        if !self.contacts.is_empty() {
            value["contacts"] = self.contacts.iter().map(Contact::to_json).collect();
        }
        if !self.messages.is_empty() {
            value["messages"] = self.messages.iter().map(InboundMessage::to_json).collect();
        }
        if !self.statuses.is_empty() {
            value["statuses"] = self.statuses.iter().map(StatusUpdate::to_json).collect();
        }
        if !self.errors.is_empty() {
            value["errors"] = Value::Array(self.errors.clone());
        }
        value
    }
}

/// How a batch of messages is laid out in one POST.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BatchLayout {
    /// All messages in a single change.
    #[default]
    OneChange,
    /// One change per message, in one entry.
    ChangePerMessage,
    /// One entry per message.
    EntryPerMessage,
}

/// A whole webhook body: `{"object":"whatsapp_business_account","entry":[...]}`.
#[derive(Clone, Debug, Default)]
pub struct WebhookPayload {
    entries: Vec<(String, Vec<ChangeValue>)>,
}

impl WebhookPayload {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a change under the entry of `waba_id` (creating that entry if needed).
    pub fn with_change(mut self, waba_id: &str, change: ChangeValue) -> Self {
        self.push_change(waba_id, change);
        self
    }

    /// Adds a change in a new entry, even if one exists for that WABA already.
    pub fn with_entry(mut self, waba_id: &str, change: ChangeValue) -> Self {
        self.entries.push((waba_id.to_owned(), vec![change]));
        self
    }

    pub fn push_change(&mut self, waba_id: &str, change: ChangeValue) {
        match self.entries.iter_mut().find(|(id, _)| id == waba_id) {
            Some((_, changes)) => changes.push(change),
            None => self.entries.push((waba_id.to_owned(), vec![change])),
        }
    }

    /// A body with one inbound message.
    pub fn single_message(waba_id: &str, metadata: &Metadata, message: InboundMessage) -> Self {
        Self::new().with_change(
            waba_id,
            ChangeValue::new(metadata.clone()).with_message(message),
        )
    }

    /// A body with one status update.
    pub fn single_status(waba_id: &str, metadata: &Metadata, status: StatusUpdate) -> Self {
        Self::new().with_change(
            waba_id,
            ChangeValue::new(metadata.clone()).with_status(status),
        )
    }

    /// A body with several messages laid out as requested.
    pub fn batch(
        waba_id: &str,
        metadata: &Metadata,
        messages: Vec<InboundMessage>,
        layout: BatchLayout,
    ) -> Self {
        let mut payload = Self::new();
        match layout {
            BatchLayout::OneChange => {
                let change = messages.into_iter().fold(
                    ChangeValue::new(metadata.clone()),
                    ChangeValue::with_message,
                );
                payload.push_change(waba_id, change);
            }
            BatchLayout::ChangePerMessage => {
                for message in messages {
                    payload.push_change(
                        waba_id,
                        ChangeValue::new(metadata.clone()).with_message(message),
                    );
                }
            }
            BatchLayout::EntryPerMessage => {
                for message in messages {
                    payload = payload.with_entry(
                        waba_id,
                        ChangeValue::new(metadata.clone()).with_message(message),
                    );
                }
            }
        }
        payload
    }

    /// Number of updates (messages + statuses + errors) in the body; Meta sends at most 1000.
    pub fn update_count(&self) -> usize {
        self.entries
            .iter()
            .flat_map(|(_, changes)| changes)
            .map(|change| change.messages.len() + change.statuses.len() + change.errors.len())
            .sum()
    }

    pub fn to_json(&self) -> Value {
        let entries: Vec<Value> = self
            .entries
            .iter()
            .map(|(waba_id, changes)| {
                let changes: Vec<Value> = changes
                    .iter()
                    .map(|change| json!({"value": change.to_json(), "field": "messages"}))
                    .collect();
                json!({"id": waba_id, "changes": changes})
            })
            .collect();
        json!({"object": "whatsapp_business_account", "entry": entries})
    }

    /// The exact bytes Meta would send (compact, non-ASCII escaped as `\uXXXX`).
    pub fn to_bytes(&self) -> Result<Vec<u8>, serde_json::Error> {
        to_meta_json_bytes(&self.to_json())
    }
}
