//! Inbound messages (`value.messages[]`) of every type in the reference.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::Contact;

/// The kind of a media attachment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    Image,
    Video,
    Audio,
    Document,
    Sticker,
}

impl MediaKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Image => "image",
            Self::Video => "video",
            Self::Audio => "audio",
            Self::Document => "document",
            Self::Sticker => "sticker",
        }
    }
}

/// A media object inside an inbound message (`image`, `video`, `audio`, `document`, `sticker`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MediaAttachment {
    pub kind: MediaKind,
    pub id: String,
    pub mime_type: String,
    /// Base64 SHA-256 of the bytes, as in webhooks.
    pub sha256: String,
    /// Short-lived download URL (webhooks carry it since late 2025).
    pub url: Option<String>,
    pub caption: Option<String>,
    pub filename: Option<String>,
    /// Audio only: a voice note.
    pub voice: Option<bool>,
    /// Sticker only.
    pub animated: Option<bool>,
}

/// A shared contact card (`contacts[]` inside a `contacts` message).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContactCard {
    pub formatted_name: String,
    pub first_name: String,
    pub last_name: Option<String>,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub company: Option<String>,
}

/// One product line of an `order` message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderItem {
    pub product_retailer_id: String,
    pub quantity: u32,
    pub item_price: f64,
    pub currency: String,
}

/// The type-specific part of an inbound message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum InboundKind {
    Text {
        body: String,
    },
    Media(MediaAttachment),
    Location {
        latitude: f64,
        longitude: f64,
        name: Option<String>,
        address: Option<String>,
        url: Option<String>,
    },
    Contacts {
        cards: Vec<ContactCard>,
    },
    ButtonReply {
        id: String,
        title: String,
    },
    ListReply {
        id: String,
        title: String,
        description: Option<String>,
    },
    /// A WhatsApp Flow completion; `response_json` is a JSON document carried as a string.
    FlowReply {
        name: String,
        body: String,
        response_json: String,
    },
    /// A quick-reply button tap on a template message.
    TemplateButton {
        payload: String,
        text: String,
    },
    /// `emoji: None` omits the field (Meta's removal); `Some("")` sends an empty string.
    Reaction {
        message_id: String,
        emoji: Option<String>,
    },
    Order {
        catalog_id: String,
        text: Option<String>,
        items: Vec<OrderItem>,
    },
    UserChangedNumber {
        body: String,
        new_wa_id: String,
    },
    CustomerIdentityChanged {
        body: String,
        identity_hash: String,
        created_timestamp: i64,
    },
    /// An unsupported type, with Meta's 131051 error; `kind` names what was sent.
    Unsupported {
        kind: Option<String>,
    },
    RequestWelcome,
    /// Coexistence numbers only: the customer edited a text message.
    Edit {
        original_message_id: String,
        new_text: String,
    },
    /// Coexistence numbers only: the customer deleted a message.
    Revoke {
        original_message_id: String,
    },
}

impl InboundKind {
    /// The `type` field of the message.
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Text { .. } => "text",
            Self::Media(media) => media.kind.as_str(),
            Self::Location { .. } => "location",
            Self::Contacts { .. } => "contacts",
            Self::ButtonReply { .. } | Self::ListReply { .. } | Self::FlowReply { .. } => {
                "interactive"
            }
            Self::TemplateButton { .. } => "button",
            Self::Reaction { .. } => "reaction",
            Self::Order { .. } => "order",
            Self::UserChangedNumber { .. } | Self::CustomerIdentityChanged { .. } => "system",
            Self::Unsupported { .. } => "unsupported",
            Self::RequestWelcome => "request_welcome",
            Self::Edit { .. } => "edit",
            Self::Revoke { .. } => "revoke",
        }
    }

    /// A number change comes without a sender contact in the webhook (Meta's samples show
    /// the identity change with one).
    pub fn omits_contact(&self) -> bool {
        matches!(self, Self::UserChangedNumber { .. })
    }

    /// `system` messages are notices, not the customer writing.
    pub fn is_system(&self) -> bool {
        self.type_name() == "system"
    }

    /// The type object, e.g. `{"body": "..."}` for text; `None` for types without one.
    fn type_object(&self) -> Option<Value> {
        let object = match self {
            Self::Text { body } => json!({ "body": body }),
            Self::Media(media) => media_object(media),
            Self::Location {
                latitude,
                longitude,
                name,
                address,
                url,
            } => {
                let mut location = json!({"latitude": latitude, "longitude": longitude});
                insert_opt(&mut location, "name", name);
                insert_opt(&mut location, "address", address);
                insert_opt(&mut location, "url", url);
                location
            }
            Self::Contacts { cards } => Value::Array(cards.iter().map(contact_card).collect()),
            Self::ButtonReply { id, title } => {
                json!({"type": "button_reply", "button_reply": {"id": id, "title": title}})
            }
            Self::ListReply {
                id,
                title,
                description,
            } => {
                let mut reply = json!({"id": id, "title": title});
                insert_opt(&mut reply, "description", description);
                json!({"type": "list_reply", "list_reply": reply})
            }
            Self::FlowReply {
                name,
                body,
                response_json,
            } => json!({
                "type": "nfm_reply",
                "nfm_reply": {"name": name, "body": body, "response_json": response_json},
            }),
            Self::TemplateButton { payload, text } => json!({"payload": payload, "text": text}),
            Self::Reaction { message_id, emoji } => {
                let mut reaction = json!({ "message_id": message_id });
                insert_opt(&mut reaction, "emoji", emoji);
                reaction
            }
            Self::Order {
                catalog_id,
                text,
                items,
            } => {
                let items: Vec<Value> = items
                    .iter()
                    .map(|item| {
                        json!({
                            "product_retailer_id": item.product_retailer_id,
                            "quantity": item.quantity,
                            "item_price": item.item_price,
                            "currency": item.currency,
                        })
                    })
                    .collect();
                let mut order = json!({"catalog_id": catalog_id, "product_items": items});
                insert_opt(&mut order, "text", text);
                order
            }
            Self::UserChangedNumber { body, new_wa_id } => {
                json!({"body": body, "wa_id": new_wa_id, "type": "user_changed_number"})
            }
            Self::CustomerIdentityChanged { body, .. } => {
                json!({"body": body, "type": "customer_identity_changed"})
            }
            Self::Unsupported { kind } => {
                let mut unsupported = json!({});
                insert_opt(&mut unsupported, "type", kind);
                unsupported
            }
            Self::RequestWelcome => return None,
            Self::Edit {
                original_message_id,
                new_text,
            } => json!({
                "original_message_id": original_message_id,
                "message": {"type": "text", "text": {"body": new_text}},
            }),
            Self::Revoke {
                original_message_id,
            } => json!({ "original_message_id": original_message_id }),
        };
        Some(object)
    }
}

fn insert_opt<T: Serialize>(object: &mut Value, key: &str, value: &Option<T>) {
    if let Some(value) = value {
        object[key] = json!(value);
    }
}

fn media_object(media: &MediaAttachment) -> Value {
    let mut object = json!({
        "mime_type": media.mime_type,
        "sha256": media.sha256,
        "id": media.id,
    });
    insert_opt(&mut object, "url", &media.url);
    insert_opt(&mut object, "caption", &media.caption);
    insert_opt(&mut object, "filename", &media.filename);
    insert_opt(&mut object, "voice", &media.voice);
    insert_opt(&mut object, "animated", &media.animated);
    object
}

fn contact_card(card: &ContactCard) -> Value {
    let mut name = json!({"formatted_name": card.formatted_name, "first_name": card.first_name});
    insert_opt(&mut name, "last_name", &card.last_name);
    let mut value = json!({ "name": name });
    // Meta leaves out the lists a card does not have.
    if !card.phones.is_empty() {
        value["phones"] = card
            .phones
            .iter()
            .map(|phone| json!({"phone": phone, "type": "CELL"}))
            .collect();
    }
    if !card.emails.is_empty() {
        value["emails"] = card
            .emails
            .iter()
            .map(|email| json!({"email": email, "type": "WORK"}))
            .collect();
    }
    if let Some(company) = &card.company {
        value["org"] = json!({"company": company});
    }
    value
}

/// `context` of an inbound message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MessageContext {
    /// A reply (quote) or an answer to an interactive/template message.
    Reply {
        business_number: String,
        message_id: String,
    },
    Forwarded,
    FrequentlyForwarded,
    /// "Message business" from a catalogue product.
    ProductInquiry {
        business_number: String,
        message_id: String,
        catalog_id: String,
        product_retailer_id: String,
    },
}

impl MessageContext {
    fn to_json(&self) -> Value {
        match self {
            Self::Reply {
                business_number,
                message_id,
            } => {
                json!({"from": business_number, "id": message_id})
            }
            Self::Forwarded => json!({"forwarded": true}),
            Self::FrequentlyForwarded => json!({"frequently_forwarded": true}),
            Self::ProductInquiry {
                business_number,
                message_id,
                catalog_id,
                product_retailer_id,
            } => json!({
                "from": business_number,
                "id": message_id,
                "referred_product": {"catalog_id": catalog_id, "product_retailer_id": product_retailer_id},
            }),
        }
    }
}

/// A Click-to-WhatsApp ad referral.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Referral {
    pub source_url: String,
    pub source_id: String,
    pub headline: String,
    pub body: String,
    pub ctwa_clid: Option<String>,
    /// The ad's pre-filled welcome message, if it had one.
    pub welcome_message: Option<String>,
}

impl Referral {
    fn to_json(&self) -> Value {
        let mut referral = json!({
            "source_url": self.source_url,
            "source_id": self.source_id,
            "source_type": "ad",
            "body": self.body,
            "headline": self.headline,
            "media_type": "image",
            "image_url": format!("{}/ad-image.jpg", self.source_url.trim_end_matches('/')),
        });
        insert_opt(&mut referral, "ctwa_clid", &self.ctwa_clid);
        if let Some(text) = &self.welcome_message {
            referral["welcome_message"] = json!({ "text": text });
        }
        referral
    }
}

/// One inbound message with its sender.
#[derive(Clone, Debug, PartialEq)]
pub struct InboundMessage {
    pub from: Contact,
    pub id: String,
    /// Unix seconds (sent as a string, like Meta).
    pub timestamp: i64,
    pub kind: InboundKind,
    pub context: Option<MessageContext>,
    pub referral: Option<Referral>,
}

impl InboundMessage {
    pub fn new(from: Contact, id: impl Into<String>, timestamp: i64, kind: InboundKind) -> Self {
        Self {
            from,
            id: id.into(),
            timestamp,
            kind,
            context: None,
            referral: None,
        }
    }

    pub fn with_context(mut self, context: MessageContext) -> Self {
        self.context = Some(context);
        self
    }

    pub fn with_referral(mut self, referral: Referral) -> Self {
        self.referral = Some(referral);
        self
    }

    pub fn to_json(&self) -> Value {
        let type_name = self.kind.type_name();
        let mut message = json!({
            "id": self.id,
            "timestamp": self.timestamp.to_string(),
            "type": type_name,
        });
        if let Some(wa_id) = &self.from.wa_id {
            message["from"] = json!(wa_id);
        }
        if let Some(user_id) = &self.from.user_id {
            message["from_user_id"] = json!(user_id);
        }
        if let Some(object) = self.kind.type_object() {
            message[type_name] = object;
        }
        if let InboundKind::CustomerIdentityChanged {
            identity_hash,
            created_timestamp,
            ..
        } = &self.kind
        {
            message["identity"] = json!({
                "acknowledged": true,
                "created_timestamp": created_timestamp.to_string(),
                "hash": identity_hash,
            });
        }
        if let InboundKind::Unsupported { .. } = self.kind {
            message["errors"] = json!([{
                "code": 131051,
                "title": "Message type unknown",
                "message": "Message type unknown",
                "error_data": {"details": "Message type is currently not supported."},
            }]);
        }
        if let Some(context) = &self.context {
            message["context"] = context.to_json();
        }
        if let Some(referral) = &self.referral {
            message["referral"] = referral.to_json();
        }
        message
    }
}
