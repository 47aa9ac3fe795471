//! Domain events parsed out of a webhook body: what the apply step works with.

use serde_json::value::RawValue;
use serde_json::{Map, Value, json};

use super::ids::{IdError, PhoneNumberId, UserId, WaId, Wamid};
use super::payload::{ContactEntry, RawContext, RawMessage, RawStatus, WebhookBody};

#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    /// The bytes are not JSON at all (answered with 400).
    #[error("body is not valid JSON: {0}")]
    InvalidJson(serde_json::Error),
    /// Valid JSON in a shape nothing here understands (stored, marked failed).
    #[error("body has an unexpected shape: {0}")]
    UnexpectedShape(serde_json::Error),
}

/// Why one message or status inside an otherwise readable body could not be used.
#[derive(Debug, thiserror::Error)]
pub enum EventError {
    #[error("{what}: {source}")]
    BadId {
        what: &'static str,
        #[source]
        source: IdError,
    },
    #[error("{0} is missing")]
    Missing(&'static str),
    #[error("timestamp {0:?} is not Unix seconds")]
    BadTimestamp(String),
    #[error("message has neither a phone number nor a business-scoped user id")]
    NoSender,
    #[error("unknown status {0:?}")]
    UnknownStatus(String),
    #[error("message object is not a JSON object: {0}")]
    NotAnObject(serde_json::Error),
}

/// Everything in one webhook body, change by change.
#[derive(Debug, Default)]
pub struct ParsedBatch {
    pub changes: Vec<ChangeEvents>,
}

#[derive(Debug, Default)]
pub struct ChangeEvents {
    pub waba_id: Option<String>,
    pub field: Option<String>,
    pub phone_number_id: Option<PhoneNumberId>,
    pub display_phone_number: Option<String>,
    pub messages: Vec<Result<InboundMessage, EventError>>,
    pub statuses: Vec<Result<StatusUpdate, EventError>>,
    /// `value.errors[]`: account or app level problems, kept only in the raw event.
    pub value_errors: Vec<Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Sender {
    pub wa_id: Option<WaId>,
    pub user_id: Option<UserId>,
    pub parent_user_id: Option<String>,
    pub username: Option<String>,
    pub profile_name: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForwardedFlag {
    No,
    Forwarded,
    Frequently,
}

#[derive(Debug, Clone, PartialEq)]
pub struct InboundMessage {
    pub wamid: Wamid,
    pub sender: Sender,
    pub timestamp: i64,
    /// Meta's `type`, verbatim.
    pub type_name: String,
    pub content: MessageContent,
    pub reply_to: Option<Wamid>,
    pub forwarded: ForwardedFlag,
    pub referred_product: Option<Value>,
    pub referral: Option<Value>,
    pub errors: Vec<Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MediaRef {
    pub id: Option<String>,
    pub url: Option<String>,
    pub mime_type: Option<String>,
    pub sha256: Option<String>,
    pub file_name: Option<String>,
    pub voice: bool,
    pub animated: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum MessageContent {
    Text {
        body: String,
    },
    /// image, video, audio (voice notes too), document, sticker.
    Media {
        media: MediaRef,
        caption: Option<String>,
    },
    Location {
        details: Value,
    },
    Contacts {
        summary: Option<String>,
        cards: Value,
    },
    /// Interactive replies (button, list, flow) and template button taps.
    Reply {
        title: Option<String>,
        details: Value,
    },
    Order {
        text: Option<String>,
        details: Value,
    },
    System {
        body: Option<String>,
        details: Value,
    },
    /// A reaction to `target`; `emoji: None` means the reaction was removed.
    Reaction {
        target: Wamid,
        emoji: Option<String>,
    },
    /// Opens the 24-hour window; carries no content.
    RequestWelcome,
    Edit {
        original: Wamid,
        replacement: Box<MessageContent>,
        replacement_type: String,
    },
    Revoke {
        original: Wamid,
    },
    /// Meta's own `unsupported` type, naming what the customer sent.
    Unsupported {
        unsupported_type: Option<String>,
    },
    /// A type this version does not know; kept whole so it can be shown and re-read.
    Unknown {
        type_name: String,
        raw: Value,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DeliveryStatus {
    Sent,
    Delivered,
    Read,
    Played,
    Failed,
}

impl DeliveryStatus {
    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "sent" => Self::Sent,
            "delivered" => Self::Delivered,
            "read" => Self::Read,
            "played" => Self::Played,
            "failed" => Self::Failed,
            _ => return None,
        })
    }

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

#[derive(Debug, Clone, PartialEq)]
pub struct StatusError {
    pub code: Option<i64>,
    pub title: Option<String>,
    pub details: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StatusUpdate {
    pub wamid: Wamid,
    pub status: DeliveryStatus,
    pub timestamp: i64,
    pub recipient_id: Option<String>,
    pub error: Option<StatusError>,
    pub pricing_category: Option<String>,
    pub pricing_billable: Option<bool>,
    pub raw: Value,
}

/// Parses a webhook body into events. Per-message problems are reported inside the
/// batch so the rest of the body still applies.
pub fn parse_body(bytes: &[u8]) -> Result<ParsedBatch, ParseError> {
    let body: WebhookBody = serde_json::from_slice(bytes).map_err(|error| {
        if error.is_data() {
            ParseError::UnexpectedShape(error)
        } else {
            ParseError::InvalidJson(error)
        }
    })?;
    let mut batch = ParsedBatch::default();
    for entry in body.entry {
        for change in entry.changes {
            let value = change.value;
            batch.changes.push(ChangeEvents {
                waba_id: entry.id.clone(),
                field: change.field,
                phone_number_id: value
                    .metadata
                    .phone_number_id
                    .as_deref()
                    .and_then(|raw| PhoneNumberId::parse(raw).ok()),
                display_phone_number: value.metadata.display_phone_number,
                messages: value
                    .messages
                    .iter()
                    .map(|raw| parse_message(raw, &value.contacts))
                    .collect(),
                statuses: value.statuses.into_iter().map(parse_status).collect(),
                value_errors: value.errors,
            });
        }
    }
    Ok(batch)
}

fn required_id<T>(
    what: &'static str,
    raw: Option<&str>,
    parse: fn(&str) -> Result<T, IdError>,
) -> Result<T, EventError> {
    let raw = raw.ok_or(EventError::Missing(what))?;
    parse(raw).map_err(|source| EventError::BadId { what, source })
}

fn optional_id<T>(raw: Option<&str>, parse: fn(&str) -> Result<T, IdError>) -> Option<T> {
    raw.and_then(|raw| parse(raw).ok())
}

fn timestamp_of(raw: Option<&super::payload::Timestamp>) -> Result<i64, EventError> {
    let raw = raw.ok_or(EventError::Missing("timestamp"))?;
    raw.seconds()
        .ok_or_else(|| EventError::BadTimestamp(format!("{raw:?}")))
}

fn parse_message(raw: &RawValue, contacts: &[ContactEntry]) -> Result<InboundMessage, EventError> {
    let message: RawMessage = serde_json::from_str(raw.get()).map_err(EventError::NotAnObject)?;
    let wamid = required_id("message id", message.id.as_deref(), Wamid::parse)?;
    let timestamp = timestamp_of(message.timestamp.as_ref())?;
    let sender = sender_of(&message, contacts)?;
    let type_name = message
        .type_name
        .clone()
        .unwrap_or_else(|| "unknown".to_owned());
    let content = content_of(&type_name, &message.rest, &message.errors)?;
    let context = message.context.clone().unwrap_or_default();
    Ok(InboundMessage {
        wamid,
        sender,
        timestamp,
        reply_to: reply_target(&context),
        forwarded: forwarded_flag(&context),
        referred_product: context.referred_product,
        referral: message.referral,
        errors: message.errors,
        type_name,
        content,
    })
}

fn reply_target(context: &RawContext) -> Option<Wamid> {
    optional_id(context.id.as_deref(), Wamid::parse)
}

fn forwarded_flag(context: &RawContext) -> ForwardedFlag {
    if context.frequently_forwarded {
        ForwardedFlag::Frequently
    } else if context.forwarded {
        ForwardedFlag::Forwarded
    } else {
        ForwardedFlag::No
    }
}

/// Who sent a message. The message's own `from`/`from_user_id` are authoritative; the
/// matching `contacts[]` entry adds the profile. When only one contact is listed it is
/// the sender even if its ids differ (Meta's BSUID sample has a typo in `user_id`).
fn sender_of(message: &RawMessage, contacts: &[ContactEntry]) -> Result<Sender, EventError> {
    let contact = contacts
        .iter()
        .find(|contact| {
            (message.from.is_some() && contact.wa_id == message.from)
                || (message.from_user_id.is_some() && contact.user_id == message.from_user_id)
        })
        .or(if contacts.len() == 1 {
            contacts.first()
        } else {
            None
        });
    let wa_id = optional_id(message.from.as_deref(), WaId::parse)
        .or_else(|| contact.and_then(|contact| optional_id(contact.wa_id.as_deref(), WaId::parse)));
    let user_id = optional_id(message.from_user_id.as_deref(), UserId::parse).or_else(|| {
        contact.and_then(|contact| optional_id(contact.user_id.as_deref(), UserId::parse))
    });
    if wa_id.is_none() && user_id.is_none() {
        return Err(EventError::NoSender);
    }
    Ok(Sender {
        wa_id,
        user_id,
        parent_user_id: message
            .from_parent_user_id
            .clone()
            .or_else(|| contact.and_then(|contact| contact.parent_user_id.clone())),
        username: contact.and_then(|contact| contact.profile.username.clone()),
        profile_name: contact.and_then(|contact| contact.profile.name.clone()),
    })
}

fn text_field(object: &Value, key: &str) -> Option<String> {
    object
        .get(key)
        .and_then(Value::as_str)
        .filter(|text| !text.is_empty())
        .map(str::to_owned)
}

fn content_of(
    type_name: &str,
    rest: &Map<String, Value>,
    errors: &[Value],
) -> Result<MessageContent, EventError> {
    let object = rest.get(type_name).cloned().unwrap_or(Value::Null);
    Ok(match type_name {
        "text" => match object.get("body").and_then(Value::as_str) {
            Some(body) => MessageContent::Text {
                body: body.to_owned(),
            },
            None => unknown(type_name, object),
        },
        "image" | "video" | "audio" | "document" | "sticker" => {
            if !object.is_object() {
                return Ok(unknown(type_name, object));
            }
            let media: super::payload::RawMedia =
                serde_json::from_value(object).map_err(EventError::NotAnObject)?;
            MessageContent::Media {
                caption: media.caption.filter(|caption| !caption.is_empty()),
                media: MediaRef {
                    id: media.id,
                    url: media.url,
                    mime_type: media.mime_type,
                    sha256: media.sha256,
                    file_name: media.filename,
                    voice: media.voice.unwrap_or(false),
                    animated: media.animated.unwrap_or(false),
                },
            }
        }
        "location" => MessageContent::Location { details: object },
        "contacts" => MessageContent::Contacts {
            summary: contact_cards_summary(&object),
            cards: object,
        },
        "interactive" => interactive_content(object, errors),
        "button" => MessageContent::Reply {
            title: text_field(&object, "text").or_else(|| text_field(&object, "payload")),
            details: object,
        },
        "order" => MessageContent::Order {
            text: text_field(&object, "text"),
            details: object,
        },
        "system" => MessageContent::System {
            body: text_field(&object, "body"),
            details: match rest.get("identity") {
                Some(identity) => json!({ "system": object, "identity": identity }),
                None => object,
            },
        },
        "reaction" => {
            let target = required_id(
                "reaction target",
                object.get("message_id").and_then(Value::as_str),
                Wamid::parse,
            )?;
            MessageContent::Reaction {
                target,
                emoji: text_field(&object, "emoji"),
            }
        }
        "request_welcome" => MessageContent::RequestWelcome,
        "edit" => {
            let original = required_id(
                "edited message id",
                object.get("original_message_id").and_then(Value::as_str),
                Wamid::parse,
            )?;
            let inner = object.get("message").cloned().unwrap_or(Value::Null);
            let inner_type = text_field(&inner, "type").unwrap_or_else(|| "unknown".to_owned());
            let inner_rest = inner.as_object().cloned().unwrap_or_default();
            // An edit of an edit, or one whose new content is unreadable, is kept whole.
            let replacement = match content_of(&inner_type, &inner_rest, &[]) {
                Ok(MessageContent::Edit { .. } | MessageContent::Revoke { .. }) | Err(_) => {
                    return Ok(unknown(type_name, object));
                }
                Ok(replacement) => replacement,
            };
            MessageContent::Edit {
                original,
                replacement: Box::new(replacement),
                replacement_type: inner_type,
            }
        }
        "revoke" => MessageContent::Revoke {
            original: required_id(
                "revoked message id",
                object.get("original_message_id").and_then(Value::as_str),
                Wamid::parse,
            )?,
        },
        "unsupported" => MessageContent::Unsupported {
            unsupported_type: text_field(&object, "type"),
        },
        _ => unknown(type_name, object),
    })
}

fn unknown(type_name: &str, raw: Value) -> MessageContent {
    MessageContent::Unknown {
        type_name: type_name.to_owned(),
        raw,
    }
}

fn interactive_content(object: Value, errors: &[Value]) -> MessageContent {
    let reply_type = text_field(&object, "type");
    let Some(reply_type) = reply_type else {
        // Meta sends `interactive` without its object when it cannot render the reply.
        return MessageContent::Unsupported {
            unsupported_type: Some(if errors.is_empty() {
                "interactive".to_owned()
            } else {
                "interactive (unreadable)".to_owned()
            }),
        };
    };
    let reply = object.get(&reply_type).cloned().unwrap_or(Value::Null);
    let title = text_field(&reply, "title").or_else(|| text_field(&reply, "body"));
    let mut details = object;
    // Flow answers carry their form data as a JSON string; keep it readable as JSON.
    if let Some(parsed) = reply
        .get("response_json")
        .and_then(Value::as_str)
        .and_then(|text| serde_json::from_str::<Value>(text).ok())
        && let Some(map) = details.as_object_mut()
    {
        map.insert("response".to_owned(), parsed);
    }
    MessageContent::Reply { title, details }
}

fn contact_cards_summary(cards: &Value) -> Option<String> {
    let names: Vec<&str> = cards
        .as_array()?
        .iter()
        .filter_map(|card| card.pointer("/name/formatted_name").and_then(Value::as_str))
        .collect();
    (!names.is_empty()).then(|| names.join(", "))
}

fn parse_status(raw_value: Value) -> Result<StatusUpdate, EventError> {
    let status: RawStatus =
        serde_json::from_value(raw_value.clone()).map_err(EventError::NotAnObject)?;
    let wamid = required_id("status message id", status.id.as_deref(), Wamid::parse)?;
    let name = status.status.ok_or(EventError::Missing("status"))?;
    let delivery = DeliveryStatus::parse(&name).ok_or(EventError::UnknownStatus(name))?;
    let error = status.errors.first().map(|error| StatusError {
        code: error.code,
        title: error.title.clone().or_else(|| error.message.clone()),
        details: error
            .error_data
            .as_ref()
            .and_then(|data| data.details.clone()),
    });
    Ok(StatusUpdate {
        wamid,
        status: delivery,
        timestamp: timestamp_of(status.timestamp.as_ref())?,
        recipient_id: status.recipient_id.or(status.recipient_user_id),
        error,
        pricing_category: status.pricing.as_ref().and_then(|p| p.category.clone()),
        pricing_billable: status.pricing.as_ref().and_then(|p| p.billable),
        raw: raw_value,
    })
}
