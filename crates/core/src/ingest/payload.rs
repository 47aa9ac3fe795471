//! Serde shapes of a Meta webhook body. Deliberately permissive: every field is optional
//! or defaulted and unknown keys are kept, because Meta adds fields and types without
//! notice and a stricter parser would turn a harmless addition into a failed event.

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WebhookBody {
    pub object: Option<String>,
    pub entry: Vec<Entry>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Entry {
    /// The WhatsApp Business Account id.
    pub id: Option<String>,
    pub changes: Vec<EntryChange>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EntryChange {
    pub field: Option<String>,
    pub value: ChangeValue,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ChangeValue {
    pub messaging_product: Option<String>,
    pub metadata: Metadata,
    pub contacts: Vec<ContactEntry>,
    /// Kept raw so one odd message cannot make its neighbours unreadable: each is
    /// parsed on its own.
    pub messages: Vec<Box<RawValue>>,
    pub statuses: Vec<Value>,
    pub errors: Vec<Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Metadata {
    pub display_phone_number: Option<String>,
    pub phone_number_id: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ContactEntry {
    pub profile: Profile,
    pub wa_id: Option<String>,
    pub user_id: Option<String>,
    pub parent_user_id: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct Profile {
    pub name: Option<String>,
    pub username: Option<String>,
}

/// One element of `value.messages[]`. The type-specific object (`text`, `image`, …) stays
/// in `rest`, keyed by the type name.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawMessage {
    pub from: Option<String>,
    pub from_user_id: Option<String>,
    pub from_parent_user_id: Option<String>,
    pub id: Option<String>,
    pub timestamp: Option<Timestamp>,
    #[serde(rename = "type")]
    pub type_name: Option<String>,
    pub context: Option<RawContext>,
    pub referral: Option<Value>,
    pub errors: Vec<Value>,
    #[serde(flatten)]
    pub rest: Map<String, Value>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct RawContext {
    pub from: Option<String>,
    pub id: Option<String>,
    pub forwarded: bool,
    pub frequently_forwarded: bool,
    pub referred_product: Option<Value>,
}

/// One element of `value.statuses[]`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawStatus {
    pub id: Option<String>,
    pub status: Option<String>,
    pub timestamp: Option<Timestamp>,
    pub recipient_id: Option<String>,
    pub recipient_user_id: Option<String>,
    pub errors: Vec<RawError>,
    pub pricing: Option<Pricing>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct Pricing {
    pub category: Option<String>,
    pub billable: Option<bool>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct RawError {
    pub code: Option<i64>,
    pub title: Option<String>,
    pub message: Option<String>,
    pub error_data: Option<ErrorData>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ErrorData {
    pub details: Option<String>,
}

/// Meta sends Unix seconds as a string; a number is accepted too.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Timestamp {
    Text(String),
    Number(i64),
}

impl Timestamp {
    pub fn seconds(&self) -> Option<i64> {
        match self {
            Timestamp::Number(n) => Some(*n),
            Timestamp::Text(text) => text.trim().parse().ok(),
        }
    }
}

/// Media object shared by image, video, audio, document and sticker.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct RawMedia {
    pub id: Option<String>,
    pub url: Option<String>,
    pub mime_type: Option<String>,
    pub sha256: Option<String>,
    pub caption: Option<String>,
    pub filename: Option<String>,
    pub voice: Option<bool>,
    pub animated: Option<bool>,
}
