//! Typed bodies of the Graph API calls the inbox makes.

use serde::{Deserialize, Serialize};

/// `POST /{version}/{phone-number-id}/messages` for a message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SendMessageRequest {
    pub messaging_product: String,
    pub recipient_type: String,
    /// The customer's phone number; absent when only a business-scoped id is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// The customer's business-scoped user id, when no phone number is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<ReplyContext>,
    /// Echoed by Meta in this message's status webhooks: it ties a status to the outbox
    /// entry even when the send response was lost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub biz_opaque_callback_data: Option<String>,
    #[serde(flatten)]
    pub content: OutgoingContent,
}

impl SendMessageRequest {
    pub fn new(recipient: Recipient, content: OutgoingContent) -> SendMessageRequest {
        let (to, recipient) = match recipient {
            Recipient::Phone(wa_id) => (Some(format!("+{}", wa_id.trim_start_matches('+'))), None),
            Recipient::UserId(user_id) => (None, Some(user_id)),
        };
        SendMessageRequest {
            messaging_product: "whatsapp".into(),
            recipient_type: "individual".into(),
            to,
            recipient,
            context: None,
            biz_opaque_callback_data: None,
            content,
        }
    }
}

/// Who a message goes to: a phone number wins over a business-scoped id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipient {
    Phone(String),
    UserId(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyContext {
    pub message_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum OutgoingContent {
    Text { text: TextBody },
    Reaction { reaction: ReactionBody },
    Location { location: LocationBody },
    Template { template: TemplateBody },
    Image { image: MediaBody },
    Video { video: MediaBody },
    Audio { audio: MediaBody },
    Document { document: MediaBody },
    Sticker { sticker: MediaBody },
}

impl OutgoingContent {
    pub fn kind(&self) -> &'static str {
        match self {
            OutgoingContent::Text { .. } => "text",
            OutgoingContent::Reaction { .. } => "reaction",
            OutgoingContent::Location { .. } => "location",
            OutgoingContent::Template { .. } => "template",
            OutgoingContent::Image { .. } => "image",
            OutgoingContent::Video { .. } => "video",
            OutgoingContent::Audio { .. } => "audio",
            OutgoingContent::Document { .. } => "document",
            OutgoingContent::Sticker { .. } => "sticker",
        }
    }

    /// The media object of a media message, where its uploaded id goes.
    pub fn media_mut(&mut self) -> Option<&mut MediaBody> {
        match self {
            OutgoingContent::Image { image: media }
            | OutgoingContent::Video { video: media }
            | OutgoingContent::Audio { audio: media }
            | OutgoingContent::Document { document: media }
            | OutgoingContent::Sticker { sticker: media } => Some(media),
            _ => None,
        }
    }
}

/// Media sent by the id `POST /{phone-number-id}/media` returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaBody {
    /// Empty until the upload step of the outbox entry has run.
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    /// Documents only: the name the customer sees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    /// Audio only: an OGG/Opus file shown as a voice note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice: Option<bool>,
}

/// The answer to a media upload.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct UploadMediaResponse {
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextBody {
    pub body: String,
    pub preview_url: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReactionBody {
    pub message_id: String,
    /// An empty emoji removes the reaction.
    pub emoji: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocationBody {
    pub latitude: f64,
    pub longitude: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateBody {
    pub name: String,
    pub language: TemplateLanguage,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<TemplateComponent>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateLanguage {
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TemplateComponent {
    Header {
        parameters: Vec<TemplateParameter>,
    },
    Body {
        parameters: Vec<TemplateParameter>,
    },
    Button {
        sub_type: ButtonSubType,
        index: u32,
        parameters: Vec<TemplateParameter>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ButtonSubType {
    Url,
    QuickReply,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TemplateParameter {
    Text {
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        parameter_name: Option<String>,
    },
    Payload {
        payload: String,
    },
    Image {
        image: MediaReference,
    },
    Video {
        video: MediaReference,
    },
    Document {
        document: MediaReference,
    },
}

/// Media already on Meta (an uploaded id) or at a public link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaReference {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
}

/// Meta's answer to an accepted send: accepted, not yet delivered.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SendMessageResponse {
    #[serde(default)]
    pub contacts: Vec<ResponseContact>,
    pub messages: Vec<ResponseMessage>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ResponseContact {
    pub input: Option<String>,
    pub wa_id: Option<String>,
    pub user_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ResponseMessage {
    pub id: String,
    pub message_status: Option<String>,
}

/// Mark-as-read, optionally showing the typing indicator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MarkReadRequest {
    pub messaging_product: String,
    pub status: String,
    pub message_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub typing_indicator: Option<TypingIndicator>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TypingIndicator {
    #[serde(rename = "type")]
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SuccessResponse {
    pub success: bool,
}

/// One page of `GET /{waba-id}/message_templates`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TemplatePage {
    pub data: Vec<TemplateDefinition>,
    #[serde(default)]
    pub paging: Option<Paging>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Paging {
    pub cursors: Option<Cursors>,
    pub next: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Cursors {
    pub before: Option<String>,
    pub after: Option<String>,
}

/// A template as the WABA describes it; components are kept as Meta wrote them.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TemplateDefinition {
    pub id: Option<String>,
    pub name: String,
    pub language: String,
    pub status: String,
    pub category: Option<String>,
    pub parameter_format: Option<String>,
    #[serde(default)]
    pub components: serde_json::Value,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_quoted_text_serializes_as_meta_documents_it() {
        let mut request = SendMessageRequest::new(
            Recipient::Phone("5511987654321".into()),
            OutgoingContent::Text {
                text: TextBody {
                    body: "olá".into(),
                    preview_url: false,
                },
            },
        );
        request.context = Some(ReplyContext {
            message_id: "wamid.A".into(),
        });
        assert_eq!(
            serde_json::to_value(&request).unwrap(),
            json!({"messaging_product":"whatsapp","recipient_type":"individual",
                   "to":"+5511987654321","context":{"message_id":"wamid.A"},
                   "type":"text","text":{"body":"olá","preview_url":false}}),
            "the wire shape Meta expects"
        );
    }

    #[test]
    fn a_stored_request_reads_back_unchanged() {
        let request = SendMessageRequest::new(
            Recipient::UserId("US.13491208655302741918".into()),
            OutgoingContent::Template {
                template: TemplateBody {
                    name: "order_shipped".into(),
                    language: TemplateLanguage {
                        code: "en_US".into(),
                    },
                    components: vec![TemplateComponent::Button {
                        sub_type: ButtonSubType::Url,
                        index: 0,
                        parameters: vec![TemplateParameter::Text {
                            text: "4521".into(),
                            parameter_name: None,
                        }],
                    }],
                },
            },
        );
        let text = serde_json::to_string(&request).unwrap();
        let back: SendMessageRequest = serde_json::from_str(&text).unwrap();
        assert_eq!(back, request, "the outbox stores requests as JSON");
    }
}
