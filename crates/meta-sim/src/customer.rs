//! A customer handle: `sim.customer("15551234567").name("Ana").send_text("olá")`.

use bytes::Bytes;

use crate::error::SimError;
use crate::ids::{Direction, business_scoped_user_id_for, new_wamid};
use crate::inject::{deliver_messages, store_inbound_media};
use crate::payload::{
    BatchLayout, Contact, ContactCard, InboundKind, InboundMessage, MediaAttachment, MediaKind,
    MessageContext, OrderItem, Referral,
};
use crate::server::Simulator;
use crate::webhook::DeliveryReport;

/// What happened when a customer's message was delivered to the app.
#[derive(Clone, Debug)]
pub struct InboundDelivery {
    /// The message as sent (its `id` is the wamid the app should store).
    pub message: InboundMessage,
    /// One report per copy delivered (more than one with `.delivered_times(n)`).
    pub reports: Vec<DeliveryReport>,
}

impl InboundDelivery {
    pub fn wamid(&self) -> &str {
        &self.message.id
    }

    /// The report of the first copy.
    pub fn report(&self) -> Option<&DeliveryReport> {
        self.reports.first()
    }

    /// The HTTP status the app finally answered to the first copy (`None`: no answer).
    pub fn status(&self) -> Option<u16> {
        self.report().and_then(DeliveryReport::final_status)
    }

    /// True when the app answered 200 to every copy.
    pub fn accepted(&self) -> bool {
        !self.reports.is_empty() && self.reports.iter().all(|report| report.delivered)
    }

    /// The media attachment of the message, if it carries one.
    pub fn media(&self) -> Option<&MediaAttachment> {
        match &self.message.kind {
            InboundKind::Media(media) => Some(media),
            _ => None,
        }
    }
}

/// A simulated WhatsApp user writing to a business number.
#[derive(Clone, Debug)]
pub struct Customer<'a> {
    sim: &'a Simulator,
    contact: Contact,
    phone_number_id: String,
    copies: u32,
    context: Option<MessageContext>,
    referral: Option<Referral>,
}

impl<'a> Customer<'a> {
    pub(crate) fn with_phone(sim: &'a Simulator, wa_id: &str) -> Self {
        let mut contact = Contact::with_phone(wa_id, default_name(wa_id));
        contact.user_id = Some(business_scoped_user_id_for(wa_id));
        Self::new(sim, contact)
    }

    pub(crate) fn without_phone(sim: &'a Simulator, user_id: &str) -> Self {
        Self::new(
            sim,
            Contact::without_phone(user_id, default_name(user_id), "whatsapp_user"),
        )
    }

    fn new(sim: &'a Simulator, contact: Contact) -> Self {
        Self {
            phone_number_id: sim.phone_number_id(),
            sim,
            contact,
            copies: 1,
            context: None,
            referral: None,
        }
    }

    /// The profile name.
    pub fn name(mut self, name: &str) -> Self {
        name.clone_into(&mut self.contact.name);
        self
    }

    pub fn username(mut self, username: &str) -> Self {
        self.contact.username = Some(username.to_owned());
        self
    }

    /// Sets the business-scoped user id (or removes it with `None`).
    pub fn user_id(mut self, user_id: Option<&str>) -> Self {
        self.contact.user_id = user_id.map(str::to_owned);
        self
    }

    /// Writes to another business number of the simulator.
    pub fn to_number(mut self, phone_number_id: &str) -> Self {
        phone_number_id.clone_into(&mut self.phone_number_id);
        self
    }

    /// Delivers each message `copies` times (Meta's duplicate deliveries).
    pub fn delivered_times(mut self, copies: u32) -> Self {
        self.copies = copies.max(1);
        self
    }

    /// Marks the next messages as forwarded (`frequently` for more than five hops).
    pub fn forwarded(mut self, frequently: bool) -> Self {
        self.context = Some(if frequently {
            MessageContext::FrequentlyForwarded
        } else {
            MessageContext::Forwarded
        });
        self
    }

    /// Attaches a Click-to-WhatsApp ad referral to the next messages.
    pub fn from_ad(mut self, referral: Referral) -> Self {
        self.referral = Some(referral);
        self
    }

    pub fn contact(&self) -> &Contact {
        &self.contact
    }

    /// Builds the message this customer would send now, without delivering it.
    pub fn message(&self, kind: InboundKind) -> InboundMessage {
        let address = self.contact.address().to_owned();
        InboundMessage {
            from: self.contact.clone(),
            id: new_wamid(&address, Direction::Inbound),
            timestamp: self.sim.clock().now_unix(),
            kind,
            context: self.context.clone(),
            referral: self.referral.clone(),
        }
    }

    /// Sends a message of any kind.
    pub async fn send(&self, kind: InboundKind) -> Result<InboundDelivery, SimError> {
        self.deliver(self.message(kind)).await
    }

    async fn deliver(&self, message: InboundMessage) -> Result<InboundDelivery, SimError> {
        let reports = deliver_messages(
            self.sim.shared(),
            &self.phone_number_id,
            vec![message.clone()],
            BatchLayout::OneChange,
            self.copies,
        )
        .await?;
        Ok(InboundDelivery { message, reports })
    }

    fn business_number(&self) -> String {
        self.sim
            .shared()
            .number(&self.phone_number_id)
            .map(crate::config::BusinessNumber::webhook_number)
            .unwrap_or_default()
    }

    fn replying_to(&self, message_id: &str, kind: InboundKind) -> InboundMessage {
        self.message(kind).with_context(MessageContext::Reply {
            business_number: self.business_number(),
            message_id: message_id.to_owned(),
        })
    }

    pub async fn send_text(&self, body: &str) -> Result<InboundDelivery, SimError> {
        self.send(InboundKind::Text {
            body: body.to_owned(),
        })
        .await
    }

    /// A text quoting one of the business's messages.
    pub async fn reply_text(
        &self,
        to_message_id: &str,
        body: &str,
    ) -> Result<InboundDelivery, SimError> {
        self.deliver(self.replying_to(
            to_message_id,
            InboundKind::Text {
                body: body.to_owned(),
            },
        ))
        .await
    }

    /// Stores `bytes` in the simulator (downloadable by the app) and sends them.
    pub async fn send_media(
        &self,
        kind: MediaKind,
        bytes: impl Into<Bytes>,
        mime_type: &str,
        caption: Option<&str>,
        filename: Option<&str>,
    ) -> Result<InboundDelivery, SimError> {
        let mut media = store_inbound_media(
            self.sim.shared(),
            &self.phone_number_id,
            kind,
            bytes.into(),
            mime_type,
            filename.map(str::to_owned),
        );
        media.caption = caption.map(str::to_owned);
        self.send(InboundKind::Media(media)).await
    }

    pub async fn send_image(
        &self,
        bytes: impl Into<Bytes>,
        mime_type: &str,
        caption: Option<&str>,
    ) -> Result<InboundDelivery, SimError> {
        self.send_media(MediaKind::Image, bytes, mime_type, caption, None)
            .await
    }

    pub async fn send_video(
        &self,
        bytes: impl Into<Bytes>,
        caption: Option<&str>,
    ) -> Result<InboundDelivery, SimError> {
        self.send_media(MediaKind::Video, bytes, "video/mp4", caption, None)
            .await
    }

    pub async fn send_document(
        &self,
        bytes: impl Into<Bytes>,
        mime_type: &str,
        filename: &str,
        caption: Option<&str>,
    ) -> Result<InboundDelivery, SimError> {
        self.send_media(
            MediaKind::Document,
            bytes,
            mime_type,
            caption,
            Some(filename),
        )
        .await
    }

    pub async fn send_audio(
        &self,
        bytes: impl Into<Bytes>,
        mime_type: &str,
    ) -> Result<InboundDelivery, SimError> {
        self.send_media(MediaKind::Audio, bytes, mime_type, None, None)
            .await
    }

    /// A voice note: OGG/Opus with `voice: true`.
    pub async fn send_voice_note(
        &self,
        bytes: impl Into<Bytes>,
    ) -> Result<InboundDelivery, SimError> {
        let mut media = store_inbound_media(
            self.sim.shared(),
            &self.phone_number_id,
            MediaKind::Audio,
            bytes.into(),
            "audio/ogg; codecs=opus",
            None,
        );
        media.voice = Some(true);
        self.send(InboundKind::Media(media)).await
    }

    pub async fn send_sticker(
        &self,
        bytes: impl Into<Bytes>,
        animated: bool,
    ) -> Result<InboundDelivery, SimError> {
        let mut media = store_inbound_media(
            self.sim.shared(),
            &self.phone_number_id,
            MediaKind::Sticker,
            bytes.into(),
            "image/webp",
            None,
        );
        media.animated = Some(animated);
        self.send(InboundKind::Media(media)).await
    }

    pub async fn send_location(
        &self,
        latitude: f64,
        longitude: f64,
        name: Option<&str>,
        address: Option<&str>,
    ) -> Result<InboundDelivery, SimError> {
        self.send(InboundKind::Location {
            latitude,
            longitude,
            name: name.map(str::to_owned),
            address: address.map(str::to_owned),
            url: None,
        })
        .await
    }

    pub async fn share_contact(&self, card: ContactCard) -> Result<InboundDelivery, SimError> {
        self.send(InboundKind::Contacts { cards: vec![card] }).await
    }

    /// Reacts to a business message.
    pub async fn react(&self, message_id: &str, emoji: &str) -> Result<InboundDelivery, SimError> {
        self.send(InboundKind::Reaction {
            message_id: message_id.to_owned(),
            emoji: Some(emoji.to_owned()),
        })
        .await
    }

    /// Removes a reaction; `empty_emoji` sends `""` instead of omitting the field.
    pub async fn remove_reaction(
        &self,
        message_id: &str,
        empty_emoji: bool,
    ) -> Result<InboundDelivery, SimError> {
        let emoji = empty_emoji.then(String::new);
        self.send(InboundKind::Reaction {
            message_id: message_id.to_owned(),
            emoji,
        })
        .await
    }

    /// "Message business" from a catalogue product: a text with `context.referred_product`.
    pub async fn ask_about_product(
        &self,
        catalog_id: &str,
        product_retailer_id: &str,
        text: &str,
    ) -> Result<InboundDelivery, SimError> {
        let message = self
            .message(InboundKind::Text {
                body: text.to_owned(),
            })
            .with_context(MessageContext::ProductInquiry {
                business_number: self.business_number(),
                message_id: new_wamid(&self.business_number(), Direction::Outbound),
                catalog_id: catalog_id.to_owned(),
                product_retailer_id: product_retailer_id.to_owned(),
            });
        self.deliver(message).await
    }

    /// Taps a reply button of an interactive message.
    pub async fn press_button(
        &self,
        interactive_message_id: &str,
        id: &str,
        title: &str,
    ) -> Result<InboundDelivery, SimError> {
        self.deliver(self.replying_to(
            interactive_message_id,
            InboundKind::ButtonReply {
                id: id.to_owned(),
                title: title.to_owned(),
            },
        ))
        .await
    }

    pub async fn choose_list_row(
        &self,
        interactive_message_id: &str,
        id: &str,
        title: &str,
        description: Option<&str>,
    ) -> Result<InboundDelivery, SimError> {
        let kind = InboundKind::ListReply {
            id: id.to_owned(),
            title: title.to_owned(),
            description: description.map(str::to_owned),
        };
        self.deliver(self.replying_to(interactive_message_id, kind))
            .await
    }

    /// Completes a WhatsApp Flow; `response` becomes the `response_json` string.
    pub async fn complete_flow(
        &self,
        flow_message_id: &str,
        response: &serde_json::Value,
    ) -> Result<InboundDelivery, SimError> {
        let kind = InboundKind::FlowReply {
            name: "flow".to_owned(),
            body: "Sent".to_owned(),
            response_json: response.to_string(),
        };
        self.deliver(self.replying_to(flow_message_id, kind)).await
    }

    /// Taps a quick-reply button of a template message.
    pub async fn tap_template_button(
        &self,
        template_message_id: &str,
        payload: &str,
        text: &str,
    ) -> Result<InboundDelivery, SimError> {
        let kind = InboundKind::TemplateButton {
            payload: payload.to_owned(),
            text: text.to_owned(),
        };
        self.deliver(self.replying_to(template_message_id, kind))
            .await
    }

    pub async fn place_order(
        &self,
        catalog_id: &str,
        text: Option<&str>,
        items: Vec<OrderItem>,
    ) -> Result<InboundDelivery, SimError> {
        self.send(InboundKind::Order {
            catalog_id: catalog_id.to_owned(),
            text: text.map(str::to_owned),
            items,
        })
        .await
    }

    /// Opens the chat for the first time (opens the 24-hour window).
    pub async fn request_welcome(&self) -> Result<InboundDelivery, SimError> {
        self.send(InboundKind::RequestWelcome).await
    }

    /// Sends something the Cloud API does not support (e.g. `poll_creation`, `edit`).
    pub async fn send_unsupported(&self, kind: &str) -> Result<InboundDelivery, SimError> {
        self.send(InboundKind::Unsupported {
            kind: Some(kind.to_owned()),
        })
        .await
    }

    /// Edits one of their text messages (coexistence numbers only).
    pub async fn edit_text(
        &self,
        original_message_id: &str,
        new_text: &str,
    ) -> Result<InboundDelivery, SimError> {
        self.send(InboundKind::Edit {
            original_message_id: original_message_id.to_owned(),
            new_text: new_text.to_owned(),
        })
        .await
    }

    /// Deletes one of their messages (coexistence numbers only).
    pub async fn revoke(&self, original_message_id: &str) -> Result<InboundDelivery, SimError> {
        self.send(InboundKind::Revoke {
            original_message_id: original_message_id.to_owned(),
        })
        .await
    }

    /// The customer changed their number: a `system` message without a contact.
    pub async fn change_number(&self, new_wa_id: &str) -> Result<InboundDelivery, SimError> {
        let body = format!(
            "{} changed their phone number to a new number {new_wa_id}",
            self.contact.name
        );
        self.send(InboundKind::UserChangedNumber {
            body,
            new_wa_id: new_wa_id.to_owned(),
        })
        .await
    }
}

/// A realistic profile name, stable for a given number, until `.name()` sets one.
fn default_name(address: &str) -> &'static str {
    let hash = address.bytes().fold(0usize, |hash, byte| {
        hash.wrapping_mul(31).wrapping_add(usize::from(byte))
    });
    crate::corpus::NAMES[hash % crate::corpus::NAMES.len()]
}
