//! Sending: every message is written to SQLite with an idempotency key first, then
//! the outbox worker delivers it. The 24-hour window is enforced here, not in the UI.

pub mod failure;
mod media;
mod staging;
mod window;
pub(crate) mod worker;

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use tracing::instrument;

pub use media::{MediaKind, MediaToSend};
pub use staging::StagedFile;
pub use window::{SERVICE_WINDOW_SECS, ServiceWindow};

use crate::change::Change;
use crate::core::Core;
use crate::db::business_numbers;
use crate::db::contacts::{self, ContactIdentity};
use crate::db::conversations::{self, ConversationId};
use crate::db::messages::{self, MessageId, NewMessage};
use crate::db::outbound::{self, ConversationTarget};
use crate::db::outbox::{self, NewEntry, Purpose};
use crate::db::{self, DbError};
use crate::error::CoreError;
use crate::graph::types::{
    LocationBody, OutgoingContent, ReactionBody, Recipient, ReplyContext, SendMessageRequest,
    TextBody,
};
use crate::model::{Direction, Forwarded, MessageStatus};

/// Meta's limit on a text message.
pub const MAX_TEXT_CHARS: usize = 4096;
const MAX_REACTION_CHARS: usize = 16;

#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("{0} was not found")]
    NotFound(String),
    #[error(
        "More than 24 hours since the customer's last message: only a template can be sent now"
    )]
    OutsideServiceWindow,
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Storage(#[from] DbError),
}

impl From<SendError> for CoreError {
    fn from(error: SendError) -> Self {
        match error {
            SendError::NotFound(what) => CoreError::NotFound(what),
            SendError::OutsideServiceWindow => {
                CoreError::OutsideServiceWindow(SendError::OutsideServiceWindow.to_string())
            }
            SendError::Invalid(reason) => CoreError::InvalidInput(reason),
            SendError::Storage(e) => CoreError::Storage(e),
        }
    }
}

/// A text typed by the owner.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TextToSend {
    pub conversation_id: i64,
    /// Chosen by the caller once per send: repeating the call never sends twice.
    pub idempotency_key: String,
    pub body: String,
    /// The message this one answers (shown quoted).
    pub reply_to_wamid: Option<String>,
    /// Let WhatsApp show a preview of the first link.
    pub preview_url: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct LocationToSend {
    pub conversation_id: i64,
    pub idempotency_key: String,
    pub latitude: f64,
    pub longitude: f64,
    pub name: Option<String>,
    pub address: Option<String>,
    pub reply_to_wamid: Option<String>,
}

/// The owner's reaction to a message; an empty emoji removes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ReactionToSend {
    pub idempotency_key: String,
    pub message_id: i64,
    pub emoji: String,
}

/// The message written for a send, before Meta has seen it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct QueuedMessage {
    pub conversation_id: i64,
    pub message_id: i64,
}

/// What the thread stores for a message, besides its request.
pub(crate) struct OwnerMessage {
    pub kind: &'static str,
    pub body: Option<String>,
    pub details_json: Option<String>,
    pub reply_to_wamid: Option<String>,
    /// Templates may be sent outside the 24-hour window; nothing else may.
    pub needs_open_window: bool,
}

impl Core {
    /// The conversation's 24-hour window and the time left in it.
    pub async fn service_window(&self, conversation_id: i64) -> Result<ServiceWindow, CoreError> {
        let target = self
            .database()
            .read(move |conn| outbound::conversation_target(conn, conversation_id))
            .await?
            .ok_or_else(|| SendError::NotFound(format!("conversation {conversation_id}")))?;
        Ok(ServiceWindow::at(target.last_inbound_at, db::now_secs()))
    }

    #[instrument(skip(self, text), fields(conversation_id = text.conversation_id))]
    pub async fn send_text(&self, text: TextToSend) -> Result<QueuedMessage, CoreError> {
        let body = text.body.trim_end().to_string();
        if body.trim().is_empty() {
            return Err(SendError::Invalid("an empty message cannot be sent".into()).into());
        }
        if body.chars().count() > MAX_TEXT_CHARS {
            return Err(SendError::Invalid(format!(
                "a message holds at most {MAX_TEXT_CHARS} characters"
            ))
            .into());
        }
        let content = OutgoingContent::Text {
            text: TextBody {
                body: body.clone(),
                preview_url: text.preview_url,
            },
        };
        let message = OwnerMessage {
            kind: "text",
            body: Some(body),
            details_json: None,
            reply_to_wamid: text.reply_to_wamid,
            needs_open_window: true,
        };
        self.queue(text.conversation_id, text.idempotency_key, message, content)
            .await
    }

    #[instrument(skip(self, location), fields(conversation_id = location.conversation_id))]
    pub async fn send_location(
        &self,
        location: LocationToSend,
    ) -> Result<QueuedMessage, CoreError> {
        let valid = (-90.0..=90.0).contains(&location.latitude)
            && (-180.0..=180.0).contains(&location.longitude);
        if !valid {
            return Err(SendError::Invalid(
                "latitude must be within ±90 and longitude within ±180".into(),
            )
            .into());
        }
        let body = LocationBody {
            latitude: location.latitude,
            longitude: location.longitude,
            name: location.name.filter(|n| !n.trim().is_empty()),
            address: location.address.filter(|a| !a.trim().is_empty()),
        };
        let details = serde_json::to_string(&body)
            .map_err(|e| CoreError::Internal(format!("location details: {e}")))?;
        let message = OwnerMessage {
            kind: "location",
            body: body.name.clone(),
            details_json: Some(details),
            reply_to_wamid: location.reply_to_wamid,
            needs_open_window: true,
        };
        let content = OutgoingContent::Location { location: body };
        self.queue(
            location.conversation_id,
            location.idempotency_key,
            message,
            content,
        )
        .await
    }

    /// Adds, changes or (with an empty emoji) removes the owner's reaction. It shows
    /// at once and is undone if Meta refuses it.
    #[instrument(skip(self, reaction), fields(message_id = reaction.message_id))]
    pub async fn send_reaction(&self, reaction: ReactionToSend) -> Result<(), CoreError> {
        let emoji = reaction.emoji.trim().to_string();
        // Generous: one emoji may be a sequence of many code points (a family, a flag).
        if emoji.chars().count() > MAX_REACTION_CHARS {
            return Err(SendError::Invalid("a reaction is a single emoji".into()).into());
        }
        let now = db::now_secs();
        let target_message = MessageId(reaction.message_id);
        let conversation_id = self
            .database()
            .write(move |conn| -> Result<Result<i64, SendError>, DbError> {
                if outbox::find_by_key(conn, &reaction.idempotency_key)?.is_some() {
                    return Ok(outbound::own_message(conn, target_message)?
                        .map(|m| m.conversation_id)
                        .ok_or_else(|| SendError::NotFound("message".into())));
                }
                let Some(target) = outbound::own_message(conn, target_message)? else {
                    return Ok(Err(SendError::NotFound(format!(
                        "message {}",
                        target_message.0
                    ))));
                };
                let Some(wamid) = target.wamid else {
                    return Ok(Err(SendError::Invalid(
                        "this message has not reached WhatsApp yet, so it cannot be reacted to"
                            .into(),
                    )));
                };
                let conversation = checked_target(conn, target.conversation_id, true, now)?;
                let conversation = match conversation {
                    Ok(conversation) => conversation,
                    Err(e) => return Ok(Err(e)),
                };
                let content = OutgoingContent::Reaction {
                    reaction: ReactionBody {
                        message_id: wamid.clone(),
                        emoji: emoji.clone(),
                    },
                };
                let request = request_for(&conversation, content, None, &reaction.idempotency_key);
                outbound::set_business_reaction(conn, &wamid, &emoji, now)?;
                outbox::enqueue(
                    conn,
                    &NewEntry {
                        idempotency_key: reaction.idempotency_key,
                        message_id: target_message,
                        phone_number_id: conversation.phone_number_id,
                        purpose: Purpose::Reaction,
                        reaction_emoji: Some(emoji),
                        request_json: request_json(&request)?,
                        upload: None,
                    },
                    db::now_millis(),
                )?;
                Ok(Ok(target.conversation_id))
            })
            .await??;
        self.changes().publish(Change::MessagesChanged {
            conversation_id,
            message_ids: vec![reaction.message_id],
        });
        self.wake_outbox();
        Ok(())
    }

    /// The conversation between a business number and a customer's phone number,
    /// created if needed (for sends started outside the window, e.g. a script). Without
    /// `phone_number_id`, the inbox must have exactly one business number.
    pub async fn open_conversation(
        &self,
        phone_number_id: Option<String>,
        wa_id: String,
    ) -> Result<i64, CoreError> {
        let wa_id: String = wa_id.chars().filter(char::is_ascii_digit).collect();
        if wa_id.len() < 7 {
            return Err(SendError::Invalid("a phone number has at least 7 digits".into()).into());
        }
        let now = db::now_secs();
        Ok(self
            .database()
            .write(move |conn| -> Result<Result<i64, SendError>, DbError> {
                let numbers = business_numbers::list(conn)?;
                let number = match &phone_number_id {
                    Some(id) => numbers.iter().find(|n| &n.phone_number_id == id),
                    None if numbers.len() == 1 => numbers.first(),
                    None => {
                        return Ok(Err(SendError::Invalid(
                            "this inbox has several business numbers: say which one sends".into(),
                        )));
                    }
                };
                let Some(number) = number else {
                    return Ok(Err(SendError::NotFound(format!(
                        "business number {}",
                        phone_number_id.as_deref().unwrap_or("(none configured)")
                    ))));
                };
                let contact = contacts::upsert(
                    conn,
                    &ContactIdentity {
                        wa_id: Some(wa_id),
                        ..ContactIdentity::default()
                    },
                    now,
                )?;
                Ok(Ok(conversations::get_or_create(
                    conn, number.id, contact, now,
                )?
                .0))
            })
            .await??)
    }

    /// Sends a failed or unconfirmed message again, as a new outbox entry. For an
    /// unconfirmed one this is the owner's explicit choice: the customer may get it twice.
    #[instrument(skip(self))]
    pub async fn resend_message(
        &self,
        message_id: i64,
        idempotency_key: String,
    ) -> Result<QueuedMessage, CoreError> {
        let message = MessageId(message_id);
        let now = db::now_secs();
        let queued = self
            .database()
            .write(move |conn| -> Result<Result<QueuedMessage, SendError>, DbError> {
                let Some(own) = outbound::own_message(conn, message)? else {
                    return Ok(Err(SendError::NotFound(format!("message {message_id}"))));
                };
                if let Some(existing) = outbox::find_by_key(conn, &idempotency_key)? {
                    return Ok(Ok(QueuedMessage {
                        conversation_id: own.conversation_id,
                        message_id: existing.message_id.0,
                    }));
                }
                let Some(latest) = outbox::latest_for_message(conn, message)? else {
                    return Ok(Err(SendError::Invalid(
                        "only a message written here can be sent again".into(),
                    )));
                };
                let state = outbox::state_of(conn, latest.id)?.unwrap_or_default();
                if state != "failed" && state != "uncertain" {
                    return Ok(Err(SendError::Invalid(format!(
                        "this message is {state}; only a failed or unconfirmed one can be sent again"
                    ))));
                }
                let free_form = own.kind != "template";
                if let Err(e) = checked_target(conn, own.conversation_id, free_form, now)? {
                    return Ok(Err(e));
                }
                let mut request: SendMessageRequest = serde_json::from_str(&latest.request_json)
                    .map_err(|e| DbError::Invalid(format!("a stored request is unreadable: {e}")))?;
                request.biz_opaque_callback_data = Some(idempotency_key.clone());
                outbound::reset_for_resend(conn, message)?;
                outbox::enqueue(
                    conn,
                    &NewEntry {
                        idempotency_key,
                        message_id: message,
                        phone_number_id: latest.phone_number_id,
                        purpose: Purpose::Message,
                        reaction_emoji: None,
                        request_json: request_json(&request)?,
                        // A media message uploads its local copy again: the new entry
                        // must not depend on an upload a failed attempt left behind.
                        upload: latest.upload,
                    },
                    db::now_millis(),
                )?;
                Ok(Ok(QueuedMessage {
                    conversation_id: own.conversation_id,
                    message_id,
                }))
            })
            .await??;
        self.publish_queued(queued);
        Ok(queued)
    }

    /// Writes the message and its outbox entry in one transaction; the same key twice
    /// returns the first message.
    pub(crate) async fn queue(
        &self,
        conversation_id: i64,
        idempotency_key: String,
        message: OwnerMessage,
        content: OutgoingContent,
    ) -> Result<QueuedMessage, CoreError> {
        self.queue_with_file(conversation_id, idempotency_key, message, content, None)
            .await
    }

    /// [`Core::queue`] for a message carrying a file of the media store, which the
    /// outbox uploads before the send.
    pub(crate) async fn queue_with_file(
        &self,
        conversation_id: i64,
        idempotency_key: String,
        message: OwnerMessage,
        content: OutgoingContent,
        file: Option<media::QueuedFile>,
    ) -> Result<QueuedMessage, CoreError> {
        if idempotency_key.trim().is_empty() || idempotency_key.len() > 128 {
            return Err(SendError::Invalid(
                "the idempotency key must be 1 to 128 characters".into(),
            )
            .into());
        }
        let now = db::now_secs();
        let queued = self
            .database()
            .write(
                move |conn| -> Result<Result<QueuedMessage, SendError>, DbError> {
                    if let Some(existing) = outbox::find_by_key(conn, &idempotency_key)? {
                        return Ok(Ok(QueuedMessage {
                            conversation_id,
                            message_id: existing.message_id.0,
                        }));
                    }
                    let target = match checked_target(
                        conn,
                        conversation_id,
                        message.needs_open_window,
                        now,
                    )? {
                        Ok(target) => target,
                        Err(e) => return Ok(Err(e)),
                    };
                    let inserted = messages::insert(
                        conn,
                        &NewMessage {
                            conversation_id: ConversationId(conversation_id),
                            wamid: None,
                            direction: Direction::Out,
                            kind: message.kind.to_string(),
                            body: message.body,
                            caption: file.as_ref().and_then(|f| f.caption.clone()),
                            details_json: message.details_json,
                            reply_to_wamid: message.reply_to_wamid.clone(),
                            forwarded: Forwarded::No,
                            referral_json: None,
                            wa_timestamp: now,
                            status: Some(MessageStatus::Pending),
                            raw_event_id: None,
                        },
                        now,
                    )?
                    .ok_or_else(|| DbError::Invalid("a new message was not stored".into()))?;
                    let upload = match &file {
                        Some(file) => {
                            db::media::insert_local(
                                conn,
                                inserted.id,
                                &file.stored,
                                file.file_name.as_deref(),
                                file.voice,
                                now,
                            )?;
                            Some(file.upload())
                        }
                        None => None,
                    };
                    let request =
                        request_for(&target, content, message.reply_to_wamid, &idempotency_key);
                    outbox::enqueue(
                        conn,
                        &NewEntry {
                            idempotency_key,
                            message_id: inserted.id,
                            phone_number_id: target.phone_number_id,
                            purpose: Purpose::Message,
                            reaction_emoji: None,
                            request_json: request_json(&request)?,
                            upload,
                        },
                        db::now_millis(),
                    )?;
                    Ok(Ok(QueuedMessage {
                        conversation_id,
                        message_id: inserted.id.0,
                    }))
                },
            )
            .await??;
        self.publish_queued(queued);
        Ok(queued)
    }

    fn publish_queued(&self, queued: QueuedMessage) {
        self.changes().publish(Change::MessagesChanged {
            conversation_id: queued.conversation_id,
            message_ids: vec![queued.message_id],
        });
        self.changes().publish(Change::ConversationsChanged {
            conversation_ids: vec![queued.conversation_id],
        });
        self.wake_outbox();
    }
}

/// The conversation's recipient, refusing free-form sends outside the window.
fn checked_target(
    conn: &Connection,
    conversation_id: i64,
    needs_open_window: bool,
    now: i64,
) -> Result<Result<ConversationTarget, SendError>, DbError> {
    let Some(target) = outbound::conversation_target(conn, conversation_id)? else {
        return Ok(Err(SendError::NotFound(format!(
            "conversation {conversation_id}"
        ))));
    };
    if needs_open_window && !ServiceWindow::at(target.last_inbound_at, now).open {
        return Ok(Err(SendError::OutsideServiceWindow));
    }
    if target.wa_id.is_none() && target.user_id.is_none() {
        return Ok(Err(SendError::Invalid(
            "this contact has neither a phone number nor a WhatsApp user id".into(),
        )));
    }
    Ok(Ok(target))
}

fn request_for(
    target: &ConversationTarget,
    content: OutgoingContent,
    reply_to_wamid: Option<String>,
    idempotency_key: &str,
) -> SendMessageRequest {
    let recipient = match (&target.wa_id, &target.user_id) {
        (Some(wa_id), _) => Recipient::Phone(wa_id.clone()),
        (None, Some(user_id)) => Recipient::UserId(user_id.clone()),
        (None, None) => Recipient::Phone(String::new()),
    };
    let mut request = SendMessageRequest::new(recipient, content);
    request.context = reply_to_wamid.map(|message_id| ReplyContext { message_id });
    request.biz_opaque_callback_data = Some(idempotency_key.to_string());
    request
}

fn request_json(request: &SendMessageRequest) -> Result<String, DbError> {
    serde_json::to_string(request).map_err(|e| DbError::Invalid(format!("request: {e}")))
}
