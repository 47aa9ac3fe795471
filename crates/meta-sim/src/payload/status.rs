//! Status updates (`value.statuses[]`) for messages the business sent.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// The lifecycle states of an outbound message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusKind {
    Sent,
    Delivered,
    Read,
    Played,
    Failed,
}

impl StatusKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sent => "sent",
            Self::Delivered => "delivered",
            Self::Read => "read",
            Self::Played => "played",
            Self::Failed => "failed",
        }
    }
}

/// The `pricing` object carried by `sent` and one of `delivered` / `read`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pricing {
    pub billable: bool,
    /// `regular`, `free_customer_service` or `free_entry_point`.
    pub pricing_type: String,
    /// `service`, `marketing`, `utility`, `authentication`, ...
    pub category: String,
}

/// One status update.
#[derive(Clone, Debug, PartialEq)]
pub struct StatusUpdate {
    pub message_id: String,
    pub status: StatusKind,
    pub timestamp: i64,
    pub recipient_id: Option<String>,
    pub recipient_user_id: Option<String>,
    pub pricing: Option<Pricing>,
    /// Graph API versions before v24 carry a `conversation` object; its id.
    pub conversation_id: Option<String>,
    pub biz_opaque_callback_data: Option<String>,
    /// For `failed`: Meta's error objects.
    pub errors: Vec<Value>,
}

impl StatusUpdate {
    pub fn new(message_id: impl Into<String>, status: StatusKind, timestamp: i64) -> Self {
        Self {
            message_id: message_id.into(),
            status,
            timestamp,
            recipient_id: None,
            recipient_user_id: None,
            pricing: None,
            conversation_id: None,
            biz_opaque_callback_data: None,
            errors: Vec::new(),
        }
    }

    pub fn to_json(&self) -> Value {
        let mut status = json!({
            "id": self.message_id,
            "status": self.status.as_str(),
            "timestamp": self.timestamp.to_string(),
        });
        if let Some(recipient) = &self.recipient_id {
            status["recipient_id"] = json!(recipient);
        }
        if let Some(user_id) = &self.recipient_user_id {
            status["recipient_user_id"] = json!(user_id);
        }
        if let Some(data) = &self.biz_opaque_callback_data {
            status["biz_opaque_callback_data"] = json!(data);
        }
        if let Some(conversation_id) = &self.conversation_id {
            let mut conversation = json!({"id": conversation_id, "origin": {"type": "service"}});
            if self.status == StatusKind::Sent {
                conversation["expiration_timestamp"] = json!((self.timestamp + 86_400).to_string());
            }
            status["conversation"] = conversation;
        }
        if let Some(pricing) = &self.pricing {
            status["pricing"] = json!({
                "billable": pricing.billable,
                "pricing_model": "PMP",
                "type": pricing.pricing_type,
                "category": pricing.category,
            });
        }
        if !self.errors.is_empty() {
            status["errors"] = Value::Array(self.errors.clone());
        }
        status
    }
}
