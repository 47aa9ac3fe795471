//! How an inbound message is laid out in the `messages` row: kind, text and details.

use serde_json::{Map, Value, json};

use super::event::{InboundMessage, MediaRef, MessageContent};
use crate::db::media::NewMedia;

/// The row-shaped form of a message's content.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredContent {
    pub kind: String,
    pub body: Option<String>,
    pub caption: Option<String>,
    pub details: Map<String, Value>,
    pub media: Option<NewMedia>,
}

impl StoredContent {
    pub fn details_json(&self) -> Option<String> {
        (!self.details.is_empty()).then(|| Value::Object(self.details.clone()).to_string())
    }
}

fn object_or_wrapped(key: &str, value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        Value::Null => Map::new(),
        other => {
            let mut map = Map::new();
            map.insert(key.to_owned(), other);
            map
        }
    }
}

fn new_media(media: &MediaRef) -> NewMedia {
    NewMedia {
        meta_media_id: media.id.clone(),
        meta_url: media.url.clone(),
        mime_type: media.mime_type.clone(),
        sha256_expected: media.sha256.clone(),
        file_name: media.file_name.clone(),
        voice: media.voice,
        animated: media.animated,
    }
}

/// Lays out a content value; `type_name` is Meta's type for it.
pub fn stored_content(type_name: &str, content: &MessageContent) -> StoredContent {
    let mut stored = StoredContent {
        kind: type_name.to_owned(),
        body: None,
        caption: None,
        details: Map::new(),
        media: None,
    };
    match content {
        MessageContent::Text { body } => stored.body = Some(body.clone()),
        MessageContent::Media { media, caption } => {
            stored.caption = caption.clone();
            stored.media = Some(new_media(media));
            if media.voice {
                stored.details.insert("voice".to_owned(), Value::Bool(true));
            }
        }
        MessageContent::Location { details } => {
            let place: Vec<&str> = ["name", "address"]
                .iter()
                .filter_map(|key| details.get(*key).and_then(Value::as_str))
                .filter(|text| !text.is_empty())
                .collect();
            stored.body = (!place.is_empty()).then(|| place.join(", "));
            stored.details = object_or_wrapped("location", details.clone());
        }
        MessageContent::Contacts { summary, cards } => {
            stored.body = summary.clone();
            stored.details.insert("contacts".to_owned(), cards.clone());
        }
        MessageContent::Reply { title, details } => {
            stored.body = title.clone();
            stored.details = object_or_wrapped("reply", details.clone());
        }
        MessageContent::Order { text, details } => {
            stored.body = text.clone();
            stored.details = object_or_wrapped("order", details.clone());
        }
        MessageContent::System { body, details } => {
            stored.body = body.clone();
            stored.details = object_or_wrapped("system", details.clone());
        }
        MessageContent::Unsupported { unsupported_type } => {
            stored.kind = "unsupported".to_owned();
            stored.details.insert(
                "unsupported_type".to_owned(),
                unsupported_type.clone().map_or(Value::Null, Value::String),
            );
        }
        MessageContent::Unknown { type_name, raw } => {
            stored.kind = type_name.clone();
            stored
                .details
                .insert("unknown_type".to_owned(), json!(type_name));
            stored.details.insert("content".to_owned(), raw.clone());
        }
        MessageContent::RequestWelcome => stored.kind = "request_welcome".to_owned(),
        // Reactions, edits and revokes change other messages; they are laid out only
        // when their target is missing (see the apply step).
        MessageContent::Reaction { target, emoji } => {
            stored
                .details
                .insert("target".to_owned(), json!(target.as_str()));
            stored.details.insert("emoji".to_owned(), json!(emoji));
        }
        MessageContent::Edit {
            replacement,
            replacement_type,
            ..
        } => return stored_content(replacement_type, replacement),
        MessageContent::Revoke { .. } => stored.kind = "revoked".to_owned(),
    }
    stored
}

/// The full row content of an inbound message, including context that any type may carry.
pub fn stored_message(message: &InboundMessage) -> StoredContent {
    let mut stored = stored_content(&message.type_name, &message.content);
    if let Some(product) = &message.referred_product {
        stored
            .details
            .insert("referred_product".to_owned(), product.clone());
    }
    if !message.errors.is_empty() {
        stored
            .details
            .insert("errors".to_owned(), Value::Array(message.errors.clone()));
    }
    stored
}
