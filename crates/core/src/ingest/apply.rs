//! Applying a verified webhook body to the inbox, inside the writer's transaction.
//!
//! The body is first stored verbatim; applying happens in a nested savepoint, so an
//! unexpected failure rolls back only the derived rows and leaves the raw event,
//! marked `failed` with the error, for a later re-apply. Every step is idempotent:
//! applying the same body twice (a retried delivery, or a re-apply) changes nothing.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;

use super::event::{
    ChangeEvents, ForwardedFlag, InboundMessage, MessageContent, ParsedBatch, StatusUpdate,
};
use super::ids::{PhoneNumberId, Wamid};
use super::stored::{stored_content, stored_message};
use crate::change::{Change, ChangeBus};
use crate::db::business_numbers::{self, BusinessNumberId, NewBusinessNumber};
use crate::db::contacts::{self, ContactIdentity};
use crate::db::conversations::{self, ConversationId};
use crate::db::messages::{InsertBatch, MessageId, NewMessage};
use crate::db::reactions::{self, ReactionUpdate};
use crate::db::statuses::{self, StatusOutcome, StatusReport};
use crate::db::webhook_events::{self, ApplyState, WebhookEventId};
use crate::db::{self, DbError, Isolation, media, outbound};
use crate::model::{Direction, Forwarded, Reactor};

/// The business phone numbers this inbox answers for; events for others are kept raw
/// and never create conversations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BusinessNumbers(HashSet<PhoneNumberId>);

impl BusinessNumbers {
    pub fn new(numbers: impl IntoIterator<Item = PhoneNumberId>) -> Self {
        Self(numbers.into_iter().collect())
    }

    /// Parses a list of phone number ids, skipping blanks.
    pub fn parse<'a>(raw: impl IntoIterator<Item = &'a str>) -> Self {
        Self::new(
            raw.into_iter()
                .filter_map(|id| PhoneNumberId::parse(id).ok()),
        )
    }

    pub fn contains(&self, id: &PhoneNumberId) -> bool {
        self.0.contains(id)
    }
}

/// What applying one body did, for the change bus and diagnostics.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ApplyReport {
    pub event_id: Option<WebhookEventId>,
    pub state: Option<ApplyState>,
    pub errors: Vec<String>,
    pub inserted_messages: usize,
    /// Media downloads queued (files of inserted messages).
    pub queued_media: usize,
    /// Changed messages by conversation.
    pub changed_messages: BTreeMap<i64, BTreeSet<i64>>,
    /// Conversations whose list entry changed (a new message moved it).
    pub changed_conversations: BTreeSet<i64>,
}

impl ApplyReport {
    fn message_changed(&mut self, conversation_id: i64, message_id: MessageId) {
        self.changed_messages
            .entry(conversation_id)
            .or_default()
            .insert(message_id.0);
    }

    /// The changes to publish once the transaction has committed.
    pub fn changes(&self) -> Vec<Change> {
        let mut changes: Vec<Change> = self
            .changed_messages
            .iter()
            .map(|(conversation_id, ids)| Change::MessagesChanged {
                conversation_id: *conversation_id,
                message_ids: ids.iter().copied().collect(),
            })
            .collect();
        if !self.changed_conversations.is_empty() {
            changes.push(Change::ConversationsChanged {
                conversation_ids: self.changed_conversations.iter().copied().collect(),
            });
        }
        changes
    }

    /// Publishes [`ApplyReport::changes`] and, if downloads were queued, wakes the
    /// media worker; call once the transaction has committed.
    pub fn publish(&self, bus: &ChangeBus) {
        for change in self.changes() {
            bus.publish(change);
        }
        if self.queued_media > 0 {
            bus.notify_media_queued();
        }
    }

    fn error_text(&self) -> Option<String> {
        (!self.errors.is_empty()).then(|| self.errors.join("; "))
    }
}

/// Stores a verified body and applies it. `parsed` is the body already parsed (off the
/// writer thread) or the reason it could not be. Run alone, a failure to apply is kept
/// as the stored event's error; run shared with other deliveries (see
/// `Database::write_repeatable`), it is returned, so the writer runs this again alone.
pub fn store_and_apply(
    conn: &Connection,
    body: &[u8],
    parsed: &Result<ParsedBatch, String>,
    numbers: &BusinessNumbers,
    received_at_ms: i64,
    isolation: Isolation,
) -> Result<ApplyReport, DbError> {
    let event_id = webhook_events::next_id(conn)?;
    let mut report = apply_parsed(conn, event_id, parsed, numbers, received_at_ms, isolation)?;
    let state = report.state.unwrap_or(ApplyState::Failed);
    let error = report.error_text();
    report.event_id = Some(webhook_events::insert_verified(
        conn,
        event_id,
        body,
        received_at_ms,
        state,
        error.as_deref(),
    )?);
    Ok(report)
}

/// Applies an already stored event again and records the new outcome on it.
pub fn apply_stored(
    conn: &Connection,
    event_id: WebhookEventId,
    parsed: &Result<ParsedBatch, String>,
    numbers: &BusinessNumbers,
    now_ms: i64,
) -> Result<ApplyReport, DbError> {
    let mut report = apply_parsed(conn, event_id, parsed, numbers, now_ms, Isolation::Alone)?;
    let state = report.state.unwrap_or(ApplyState::Failed);
    let error = report.error_text();
    webhook_events::set_outcome(conn, event_id, state, error.as_deref(), now_ms)?;
    report.event_id = Some(event_id);
    Ok(report)
}

/// Applies a parsed body. Alone, inside its own savepoint: an unexpected error rolls
/// back only what this body derived and turns into the report's error. Shared, without
/// one: the error is returned and the writer rolls back the whole group.
fn apply_parsed(
    conn: &Connection,
    event_id: WebhookEventId,
    parsed: &Result<ParsedBatch, String>,
    numbers: &BusinessNumbers,
    now_ms: i64,
    isolation: Isolation,
) -> Result<ApplyReport, DbError> {
    let batch = match parsed {
        Ok(batch) => batch,
        Err(error) => {
            return Ok(ApplyReport {
                state: Some(ApplyState::Failed),
                errors: vec![error.clone()],
                ..ApplyReport::default()
            });
        }
    };
    let source = Source {
        event_id,
        now: now_ms.div_euclid(1000),
    };
    if isolation == Isolation::Shared {
        let (routed, applied) = apply_batch(conn, batch, numbers, source)?;
        return Ok(with_outcome(routed, applied));
    }
    db::run_cached(conn, "SAVEPOINT ingest_apply")?;
    let report = match apply_batch(conn, batch, numbers, source) {
        Ok((routed, applied)) => {
            db::run_cached(conn, "RELEASE ingest_apply")?;
            with_outcome(routed, applied)
        }
        Err(error) => {
            db::run_cached(conn, "ROLLBACK TO ingest_apply")?;
            db::run_cached(conn, "RELEASE ingest_apply")?;
            ApplyReport {
                state: Some(ApplyState::Failed),
                errors: vec![format!("applying failed: {error}")],
                ..ApplyReport::default()
            }
        }
    };
    if report.state == Some(ApplyState::Failed) {
        tracing::warn!(errors = ?report.errors, "webhook event kept as failed");
    }
    Ok(report)
}

/// The event's state from what applying it found.
fn with_outcome(routed: bool, mut applied: ApplyReport) -> ApplyReport {
    applied.state = Some(if !applied.errors.is_empty() {
        ApplyState::Failed
    } else if routed {
        ApplyState::Applied
    } else {
        ApplyState::Ignored
    });
    applied
}

/// The body being applied: the stored event its messages name, and when it came.
#[derive(Clone, Copy)]
struct Source {
    event_id: WebhookEventId,
    now: i64,
}

/// Returns whether any change concerned a configured number, and what was applied.
fn apply_batch(
    conn: &Connection,
    batch: &ParsedBatch,
    numbers: &BusinessNumbers,
    source: Source,
) -> Result<(bool, ApplyReport), DbError> {
    let now = source.now;
    let mut report = ApplyReport::default();
    let mut routed = false;
    let mut known: HashMap<PhoneNumberId, BusinessNumberId> = HashMap::new();
    let mut body = BodyWrites::default();
    for change in &batch.changes {
        let Some(phone_number_id) = change.phone_number_id.as_ref() else {
            continue;
        };
        if !numbers.contains(phone_number_id) {
            tracing::debug!(%phone_number_id, "event for a number that is not configured");
            continue;
        }
        routed = true;
        let business_number = match known.get(phone_number_id) {
            Some(id) => *id,
            None => {
                let id = business_number_for(conn, phone_number_id, change, now)?;
                known.insert(phone_number_id.clone(), id);
                id
            }
        };
        apply_change(
            conn,
            business_number,
            change,
            source,
            &mut body,
            &mut report,
        )?;
    }
    body.messages.finish(conn)?;
    Ok((routed, report))
}

fn business_number_for(
    conn: &Connection,
    phone_number_id: &PhoneNumberId,
    change: &ChangeEvents,
    now: i64,
) -> Result<BusinessNumberId, DbError> {
    if let Some((id, display_known)) =
        business_numbers::id_and_display_known(conn, phone_number_id.as_str())?
        && (display_known || change.display_phone_number.is_none())
    {
        return Ok(id);
    }
    business_numbers::upsert(
        conn,
        &NewBusinessNumber {
            phone_number_id: phone_number_id.as_str().to_owned(),
            waba_id: change.waba_id.clone(),
            display_phone_number: change.display_phone_number.clone(),
            verified_name: None,
        },
        now,
    )
}

/// What a body writes once rather than per message.
#[derive(Default)]
struct BodyWrites {
    /// The conversation of each sender already met in this body: a customer writing
    /// several messages in one body is looked up (and their contact row refreshed)
    /// once. The key is the whole identity, so a changed profile name is still written.
    conversations: HashMap<(BusinessNumberId, ContactIdentity), ConversationId>,
    /// The body's new messages; the conversations they move are updated at the end.
    messages: InsertBatch,
}

impl BodyWrites {
    fn conversation_of(
        &mut self,
        conn: &Connection,
        business_number: BusinessNumberId,
        identity: ContactIdentity,
        now: i64,
    ) -> Result<ConversationId, DbError> {
        let key = (business_number, identity);
        if let Some(conversation) = self.conversations.get(&key) {
            return Ok(*conversation);
        }
        let contact = contacts::upsert(conn, &key.1, now)?;
        let conversation = conversations::get_or_create(conn, business_number, contact, now)?;
        self.conversations.insert(key, conversation);
        Ok(conversation)
    }
}

fn apply_change(
    conn: &Connection,
    business_number: BusinessNumberId,
    change: &ChangeEvents,
    source: Source,
    body: &mut BodyWrites,
    report: &mut ApplyReport,
) -> Result<(), DbError> {
    for message in &change.messages {
        match message {
            Ok(message) => apply_message(conn, business_number, message, source, body, report)?,
            Err(error) => report.errors.push(format!("message skipped: {error}")),
        }
    }
    for status in &change.statuses {
        match status {
            Ok(status) => apply_status(conn, status, source.now, report)?,
            Err(error) => report.errors.push(format!("status skipped: {error}")),
        }
    }
    for error in &change.value_errors {
        tracing::warn!(%error, "Meta reported an error for a business number");
    }
    Ok(())
}

fn apply_status(
    conn: &Connection,
    status: &StatusUpdate,
    now: i64,
    report: &mut ApplyReport,
) -> Result<(), DbError> {
    // A status naming an outbox entry whose send was never confirmed proves Meta took it.
    if let Some(key) = status.raw["biz_opaque_callback_data"].as_str()
        && let Some(entry) = outbound::confirm_uncertain(conn, key, status.wamid.as_str(), now)?
    {
        report.message_changed(entry.conversation_id, entry.message_id);
    }
    let error = status.error.as_ref();
    let outcome = statuses::apply(
        conn,
        &StatusReport {
            wamid: status.wamid.as_str().to_owned(),
            status: status.status.as_str().to_owned(),
            wa_timestamp: status.timestamp,
            recipient_id: status.recipient_id.clone(),
            error_code: error.and_then(|error| error.code),
            error_title: error.and_then(|error| error.title.clone()),
            error_details: error.and_then(|error| error.details.clone()),
            pricing_category: status.pricing_category.clone(),
            pricing_billable: status.pricing_billable,
            raw_json: status.raw.to_string(),
        },
        now,
    )?;
    if let StatusOutcome::Applied {
        message_id,
        conversation_id,
    } = outcome
    {
        report.message_changed(conversation_id, message_id);
    }
    Ok(())
}

fn find_message(conn: &Connection, wamid: &Wamid) -> Result<Option<(MessageId, i64)>, DbError> {
    Ok(conn
        .prepare_cached("SELECT id, conversation_id FROM messages WHERE wamid = ?1")?
        .query_row([wamid.as_str()], |row| {
            Ok((MessageId(row.get(0)?), row.get(1)?))
        })
        .optional()?)
}

fn apply_message(
    conn: &Connection,
    business_number: BusinessNumberId,
    message: &InboundMessage,
    source: Source,
    body: &mut BodyWrites,
    report: &mut ApplyReport,
) -> Result<(), DbError> {
    if let MessageContent::Reaction { target, emoji } = &message.content {
        let changed = reactions::apply(
            conn,
            &ReactionUpdate {
                message_wamid: target.as_str().to_owned(),
                reactor: Reactor::Customer,
                emoji: emoji.clone(),
                reaction_wamid: Some(message.wamid.as_str().to_owned()),
                wa_timestamp: message.timestamp,
            },
        )?;
        if changed && let Some((id, conversation)) = find_message(conn, target)? {
            report.message_changed(conversation, id);
        }
        return Ok(());
    }
    let now = source.now;
    let sender = &message.sender;
    let conversation = body.conversation_of(
        conn,
        business_number,
        ContactIdentity {
            wa_id: sender.wa_id.as_ref().map(|id| id.as_str().to_owned()),
            user_id: sender.user_id.as_ref().map(|id| id.as_str().to_owned()),
            parent_user_id: sender.parent_user_id.clone(),
            username: sender.username.clone(),
            profile_name: sender.profile_name.clone(),
        },
        now,
    )?;
    match &message.content {
        MessageContent::Edit {
            original,
            replacement,
            replacement_type,
        } => {
            if let Some((id, owner)) =
                apply_edit(conn, original, replacement_type, replacement, message)?
            {
                report.message_changed(owner, id);
                return Ok(());
            }
        }
        MessageContent::Revoke { original } => {
            if let Some((id, owner)) = apply_revoke(conn, original, message, now)? {
                report.message_changed(owner, id);
                return Ok(());
            }
        }
        _ => {}
    }
    insert_message(conn, conversation, message, source, body, report)
}

/// Inserts the message. An edit or revoke whose original is not stored is inserted
/// under the original's wamid, so the original arriving late is a duplicate and the
/// newer state stays.
fn insert_message(
    conn: &Connection,
    conversation: ConversationId,
    message: &InboundMessage,
    source: Source,
    body: &mut BodyWrites,
    report: &mut ApplyReport,
) -> Result<(), DbError> {
    let now = source.now;
    let mut stored = stored_message(message);
    let wamid = match &message.content {
        MessageContent::Edit { original, .. } => {
            stored
                .details
                .insert("edited_at".to_owned(), json!(message.timestamp));
            original
        }
        MessageContent::Revoke { original } => {
            stored
                .details
                .insert("revoked_at".to_owned(), json!(message.timestamp));
            original
        }
        _ => &message.wamid,
    };
    let inserted = body.messages.insert(
        conn,
        &NewMessage {
            conversation_id: conversation,
            wamid: Some(wamid.as_str().to_owned()),
            direction: Direction::In,
            kind: stored.kind.clone(),
            body: stored.body.clone(),
            caption: stored.caption.clone(),
            details_json: stored.details_json(),
            reply_to_wamid: message.reply_to.as_ref().map(|id| id.as_str().to_owned()),
            forwarded: match message.forwarded {
                ForwardedFlag::No => Forwarded::No,
                ForwardedFlag::Forwarded => Forwarded::Forwarded,
                ForwardedFlag::Frequently => Forwarded::Frequently,
            },
            referral_json: message
                .referral
                .as_ref()
                .map(|referral| referral.to_string()),
            wa_timestamp: message.timestamp,
            status: None,
            raw_event_id: Some(source.event_id),
        },
        now,
    )?;
    let Some(inserted) = inserted else {
        return Ok(());
    };
    if let Some(new_media) = &stored.media {
        media::insert_pending(conn, inserted.id, new_media, now)?;
        report.queued_media += 1;
    }
    // No status waits for a customer's message: Meta reports statuses only for
    // messages the business sent (stored by `outbound`, which applies them).
    report.inserted_messages += 1;
    report.message_changed(conversation.0, inserted.id);
    report.changed_conversations.insert(conversation.0);
    Ok(())
}

/// Replaces the content of a stored message with its edited version, unless a newer
/// edit is already applied. Returns the message if it is stored.
fn apply_edit(
    conn: &Connection,
    original: &Wamid,
    replacement_type: &str,
    replacement: &MessageContent,
    edit: &InboundMessage,
) -> Result<Option<(MessageId, i64)>, DbError> {
    let Some((id, owner)) = find_message(conn, original)? else {
        return Ok(None);
    };
    let mut stored = stored_content(replacement_type, replacement);
    stored
        .details
        .insert("edited_at".to_owned(), json!(edit.timestamp));
    stored
        .details
        .insert("edit_wamid".to_owned(), json!(edit.wamid.as_str()));
    conn.prepare_cached(
        "UPDATE messages SET kind = ?2, body = ?3, caption = ?4, details_json = ?5
          WHERE id = ?1 AND kind <> 'revoked'
            AND COALESCE(json_extract(details_json, '$.edited_at'), -1) < ?6",
    )?
    .execute(params![
        id.0,
        stored.kind,
        stored.body,
        stored.caption,
        stored.details_json(),
        edit.timestamp
    ])?;
    Ok(Some((id, owner)))
}

/// Marks a stored message as deleted by the customer, dropping its text and calling off
/// the download of its file. A file already stored stays in the store (other messages
/// may share its bytes) but is no longer shown, opened or served for this message.
fn apply_revoke(
    conn: &Connection,
    original: &Wamid,
    revoke: &InboundMessage,
    now: i64,
) -> Result<Option<(MessageId, i64)>, DbError> {
    let Some((id, owner)) = find_message(conn, original)? else {
        return Ok(None);
    };
    conn.prepare_cached(
        "UPDATE messages SET kind = 'revoked', body = NULL, caption = NULL,
             details_json = json_object('revoked_at', ?2, 'original_kind', kind)
          WHERE id = ?1 AND kind <> 'revoked'",
    )?
    .execute(params![id.0, revoke.timestamp])?;
    media::cancel_for_deleted_message(conn, id, now)?;
    Ok(Some((id, owner)))
}
