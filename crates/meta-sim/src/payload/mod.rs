//! Builders for the webhook bodies Meta sends. They need no running server, so the core's
//! parser tests can build realistic bodies directly.

mod envelope;
mod inbound;
mod status;

pub use envelope::{BatchLayout, ChangeValue, WebhookPayload};
pub use inbound::{
    ContactCard, InboundKind, InboundMessage, MediaAttachment, MediaKind, MessageContext,
    OrderItem, Referral,
};
pub use status::{Pricing, StatusKind, StatusUpdate};

use serde_json::{Value, json};

/// The business number an update is about (`value.metadata`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Metadata {
    /// Digits only, as in webhooks (e.g. `15550783881`).
    pub display_phone_number: String,
    pub phone_number_id: String,
}

impl Metadata {
    pub fn to_json(&self) -> Value {
        json!({
            "display_phone_number": self.display_phone_number,
            "phone_number_id": self.phone_number_id,
        })
    }
}

/// A WhatsApp user as they appear in `value.contacts[]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    /// The phone-based WhatsApp id; `None` for users known only by their business-scoped id.
    pub wa_id: Option<String>,
    /// The business-scoped user id (`US.1349…`), present on every contact since 2026-03-31.
    pub user_id: Option<String>,
    pub name: String,
    pub username: Option<String>,
}

impl Contact {
    /// A contact with a phone number and a display name.
    pub fn with_phone(wa_id: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            wa_id: Some(wa_id.into()),
            user_id: None,
            name: name.into(),
            username: None,
        }
    }

    /// A contact known only by a business-scoped user id and a username (no phone).
    pub fn without_phone(
        user_id: impl Into<String>,
        name: impl Into<String>,
        username: impl Into<String>,
    ) -> Self {
        Self {
            wa_id: None,
            user_id: Some(user_id.into()),
            name: name.into(),
            username: Some(username.into()),
        }
    }

    /// The key this contact is addressed by: the phone number, else the business-scoped id.
    pub fn address(&self) -> &str {
        self.wa_id
            .as_deref()
            .or(self.user_id.as_deref())
            .unwrap_or_default()
    }

    pub fn to_json(&self) -> Value {
        let mut profile = json!({ "name": self.name });
        if let Some(username) = &self.username {
            profile["username"] = json!(username);
        }
        let mut contact = json!({ "profile": profile });
        if let Some(wa_id) = &self.wa_id {
            contact["wa_id"] = json!(wa_id);
        }
        if let Some(user_id) = &self.user_id {
            contact["user_id"] = json!(user_id);
        }
        contact
    }
}
