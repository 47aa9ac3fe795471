//! The shapes the inbox is read in: what the UI and the export see.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum Direction {
    In,
    Out,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
        }
    }

    pub fn parse(text: &str) -> Option<Direction> {
        match text {
            "in" => Some(Direction::In),
            "out" => Some(Direction::Out),
            _ => None,
        }
    }
}

/// Where an outbound message is on its way to the customer. The order of the
/// variants is the order ticks move in; `Failed` is apart (see `rank`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum MessageStatus {
    Pending,
    Sent,
    Delivered,
    Read,
    Played,
    Failed,
}

impl MessageStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MessageStatus::Pending => "pending",
            MessageStatus::Sent => "sent",
            MessageStatus::Delivered => "delivered",
            MessageStatus::Read => "read",
            MessageStatus::Played => "played",
            MessageStatus::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<MessageStatus> {
        Some(match text {
            "pending" => MessageStatus::Pending,
            "sent" => MessageStatus::Sent,
            "delivered" => MessageStatus::Delivered,
            "read" => MessageStatus::Read,
            "played" => MessageStatus::Played,
            "failed" => MessageStatus::Failed,
            _ => return None,
        })
    }
}

/// Whether WhatsApp marked an inbound message as forwarded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum Forwarded {
    #[default]
    No,
    Forwarded,
    Frequently,
}

impl Forwarded {
    pub fn as_db(self) -> i64 {
        match self {
            Forwarded::No => 0,
            Forwarded::Forwarded => 1,
            Forwarded::Frequently => 2,
        }
    }

    pub fn from_db(value: i64) -> Forwarded {
        match value {
            1 => Forwarded::Forwarded,
            2 => Forwarded::Frequently,
            _ => Forwarded::No,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum Reactor {
    Customer,
    Business,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct MessagePreview {
    pub kind: String,
    pub text: Option<String>,
    pub direction: Direction,
    pub status: Option<MessageStatus>,
    pub wa_timestamp: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ConversationSummary {
    pub id: i64,
    pub phone_number_id: String,
    pub business_name: Option<String>,
    pub contact_id: i64,
    pub contact_name: Option<String>,
    pub wa_id: Option<String>,
    pub user_id: Option<String>,
    pub username: Option<String>,
    pub last_message: Option<MessagePreview>,
    pub last_message_at: Option<i64>,
    pub unread_count: i64,
    pub marked_unread: bool,
    pub pinned: bool,
    pub archived: bool,
    pub muted: bool,
    /// The 24-hour customer-service window starts at the last inbound message.
    pub last_inbound_at: Option<i64>,
}

/// Position of a message in its conversation: WhatsApp time, then local sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct MessageCursor {
    pub wa_timestamp: i64,
    pub seq: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct MessagePage {
    /// Oldest first.
    pub messages: Vec<Message>,
    pub has_more: bool,
    /// Pass as `before` to read the page of older messages.
    pub next_cursor: Option<MessageCursor>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Reaction {
    pub reactor: Reactor,
    pub emoji: String,
}

/// The message a reply quotes; kind, text and direction are unknown when the quoted
/// message never reached this inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct QuotedMessage {
    pub wamid: String,
    pub kind: Option<String>,
    pub text: Option<String>,
    pub direction: Option<Direction>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct MessageError {
    pub code: Option<i64>,
    pub title: Option<String>,
    pub details: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct StatusTimes {
    pub sent_at: Option<i64>,
    pub delivered_at: Option<i64>,
    pub read_at: Option<i64>,
    pub played_at: Option<i64>,
    pub failed_at: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum MediaState {
    Pending,
    Downloading,
    Downloaded,
    Failed,
    Expired,
    Local,
}

impl MediaState {
    pub fn as_str(self) -> &'static str {
        match self {
            MediaState::Pending => "pending",
            MediaState::Downloading => "downloading",
            MediaState::Downloaded => "downloaded",
            MediaState::Failed => "failed",
            MediaState::Expired => "expired",
            MediaState::Local => "local",
        }
    }

    pub fn parse(text: &str) -> Option<MediaState> {
        Some(match text {
            "pending" => MediaState::Pending,
            "downloading" => MediaState::Downloading,
            "downloaded" => MediaState::Downloaded,
            "failed" => MediaState::Failed,
            "expired" => MediaState::Expired,
            "local" => MediaState::Local,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct MediaInfo {
    pub mime_type: Option<String>,
    pub file_name: Option<String>,
    pub size_bytes: Option<i64>,
    /// Names the file in the media scheme once downloaded.
    pub sha256: Option<String>,
    /// Names the still preview of an image or sticker in the media scheme.
    pub thumbnail_sha256: Option<String>,
    pub state: MediaState,
    pub voice: bool,
    pub animated: bool,
    /// Why the last download attempt did not succeed.
    pub last_error: Option<String>,
}

/// The pricing a status reported for an outgoing message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Pricing {
    /// `marketing`, `utility`, `authentication`, `service`, `referral_conversion`, …
    pub category: String,
    /// Unknown when Meta did not say.
    pub billable: Option<bool>,
}

/// Where the outbox is with a message the owner wrote here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum SendState {
    /// Waiting for its turn or for the next retry.
    Queued,
    /// The request is on its way to Meta.
    InFlight,
    /// Meta accepted it.
    Sent,
    /// Meta refused it; `error` says why.
    Failed,
    /// The request left but no answer came back: it may or may not have been sent.
    Uncertain,
}

impl SendState {
    pub fn parse(text: &str) -> Option<SendState> {
        Some(match text {
            "queued" => SendState::Queued,
            "in_flight" => SendState::InFlight,
            "sent" => SendState::Sent,
            "failed" => SendState::Failed,
            "uncertain" => SendState::Uncertain,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Message {
    pub id: i64,
    pub conversation_id: i64,
    pub wamid: Option<String>,
    pub direction: Direction,
    /// WhatsApp's message type ("text", "image", …, or a type this version does not know).
    pub kind: String,
    pub body: Option<String>,
    pub caption: Option<String>,
    /// Kind-specific content (location, contacts, interactive reply, order, …).
    pub details: Option<serde_json::Value>,
    pub reply_to: Option<QuotedMessage>,
    pub forwarded: Forwarded,
    pub wa_timestamp: i64,
    pub seq: i64,
    pub status: Option<MessageStatus>,
    pub status_times: StatusTimes,
    pub error: Option<MessageError>,
    pub reactions: Vec<Reaction>,
    pub media: Option<MediaInfo>,
    /// What Meta charges for an outgoing message, once a status said so.
    pub pricing: Option<Pricing>,
    /// For a message written here: its outbox state (`None` for anything received or
    /// sent from elsewhere).
    pub send_state: Option<SendState>,
}
