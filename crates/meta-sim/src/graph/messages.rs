//! `POST /{version}/{phone-number-id}/messages`: sends, mark-as-read and typing indicators.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::{FaultAction, check_token, check_version, fault_for, hang};
use crate::error::GraphError;
use crate::faults::Endpoint;
use crate::ids::{Direction, new_wamid};
use crate::state::{PairBucket, ReadReceipt, SecondCounter, SentMessage, Shared};
use crate::statuses::{SentKind, start_lifecycle};
use crate::templates::validate_template_send;

const WINDOW_SECONDS: i64 = 24 * 60 * 60;
const TEXT_LIMIT: usize = 4096;
const CAPTION_LIMIT: usize = 1024;

pub(super) async fn send_message(
    State(shared): State<Arc<Shared>>,
    Path((version, phone_number_id)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match handle(&shared, &version, &phone_number_id, &query, &headers, &body).await {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

async fn handle(
    shared: &Arc<Shared>,
    version: &str,
    phone_number_id: &str,
    query: &HashMap<String, String>,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response, GraphError> {
    check_version(version)?;
    check_token(shared, headers, query)?;
    let number = shared
        .number(phone_number_id)
        .cloned()
        .ok_or_else(|| GraphError::unknown_object(phone_number_id))?;
    let hang_after_accept = match fault_for(shared, Endpoint::Messages) {
        FaultAction::Fail(error) => return Err(error),
        FaultAction::HangBeforeAccept => {
            hang(shared).await;
            return Err(GraphError::from_code(131000));
        }
        FaultAction::HangAfterAccept => true,
        FaultAction::None | FaultAction::CorruptBytes | FaultAction::SlowDownload(_) => false,
    };
    let request: Value = serde_json::from_slice(body).map_err(|error| {
        GraphError::invalid_parameter(format!("The request body is not valid JSON: {error}"))
    })?;
    if request["messaging_product"].as_str() != Some("whatsapp") {
        return Err(GraphError::invalid_parameter(
            "The parameter messaging_product is required and must be \"whatsapp\".",
        ));
    }
    if request["status"].as_str() == Some("read") {
        return mark_as_read(shared, phone_number_id, &request).map(IntoResponse::into_response);
    }
    let (input, recipient) = recipient(&request)?;
    if recipient == number.webhook_number() {
        return Err(GraphError::from_code(131021));
    }
    let message_type = request["type"].as_str().unwrap_or("text").to_owned();
    validate_content(shared, &message_type, &request)?;
    let is_bsuid = !recipient.chars().all(|ch| ch.is_ascii_digit());
    if is_bsuid && message_type == "template" && template_is_authentication(shared, &request) {
        return Err(GraphError::from_code(131062));
    }
    check_window(shared, phone_number_id, &recipient, &message_type)?;
    check_rate_limits(shared, phone_number_id, &recipient)?;

    let wamid = new_wamid(&recipient, Direction::Outbound);
    let sent = SentMessage {
        wamid: wamid.clone(),
        phone_number_id: phone_number_id.to_owned(),
        to: recipient.clone(),
        message_type: message_type.clone(),
        request: request.clone(),
        graph_version: version.to_owned(),
        accepted_at: shared.clock.now_unix(),
    };
    shared.lock().sent.push(sent.clone());
    shared.activity.notify_waiters();
    let kind = match message_type.as_str() {
        "reaction" => SentKind::Reaction,
        "audio" if request["audio"]["voice"].as_bool() == Some(true) => SentKind::VoiceNote,
        _ => SentKind::Regular,
    };
    start_lifecycle(shared, sent, kind).await;
    if hang_after_accept {
        hang(shared).await;
    }
    let contact = if is_bsuid {
        json!({"input": input, "user_id": recipient})
    } else {
        json!({"input": input, "wa_id": recipient})
    };
    Ok(Json(json!({
        "messaging_product": "whatsapp",
        "contacts": [contact],
        "messages": [{"id": wamid}],
    }))
    .into_response())
}

/// `to` (a phone number in any common format) wins over `recipient` (a business-scoped id).
fn recipient(request: &Value) -> Result<(String, String), GraphError> {
    if let Some(to) = request["to"].as_str() {
        let digits: String = to.chars().filter(char::is_ascii_digit).collect();
        let allowed = to
            .chars()
            .all(|ch| ch.is_ascii_digit() || "+-() ".contains(ch));
        if digits.len() < 7 || !allowed {
            return Err(GraphError::from_code(131009)
                .with_details(format!("The recipient '{to}' is not a valid phone number.")));
        }
        return Ok((to.to_owned(), digits));
    }
    if let Some(user_id) = request["recipient"].as_str() {
        return Ok((user_id.to_owned(), user_id.to_owned()));
    }
    Err(GraphError::from_code(131008).with_details("The parameter 'to' is required."))
}

fn mark_as_read(
    shared: &Shared,
    phone_number_id: &str,
    request: &Value,
) -> Result<Json<Value>, GraphError> {
    let message_id = request["message_id"].as_str().ok_or_else(|| {
        GraphError::from_code(131008).with_details("The parameter 'message_id' is required.")
    })?;
    let typing_indicator = match &request["typing_indicator"] {
        Value::Null => false,
        indicator if indicator["type"] == "text" => true,
        _ => {
            return Err(GraphError::from_code(131009)
                .with_details("typing_indicator.type must be \"text\"."));
        }
    };
    let receipt = ReadReceipt {
        phone_number_id: phone_number_id.to_owned(),
        message_id: message_id.to_owned(),
        typing_indicator,
        at: shared.clock.now_unix(),
    };
    shared.lock().read_receipts.push(receipt);
    shared.activity.notify_waiters();
    Ok(Json(json!({"success": true})))
}

fn missing(parameter: &str) -> GraphError {
    GraphError::from_code(131008).with_details(format!("The parameter {parameter} is required."))
}

fn too_long(parameter: &str, limit: usize) -> GraphError {
    GraphError::invalid_parameter(format!(
        "Param {parameter} must be at most {limit} characters long."
    ))
}

fn validate_content(
    shared: &Shared,
    message_type: &str,
    request: &Value,
) -> Result<(), GraphError> {
    let object = &request[message_type];
    if request.get("context").is_some() && request["context"]["message_id"].as_str().is_none() {
        return Err(missing("context['message_id']"));
    }
    match message_type {
        "text" => {
            let body = object["body"]
                .as_str()
                .ok_or_else(|| missing("text['body']"))?;
            if body.chars().count() > TEXT_LIMIT {
                return Err(too_long("text['body']", TEXT_LIMIT));
            }
        }
        "image" | "video" | "audio" | "document" | "sticker" => {
            validate_media_reference(shared, message_type, object)?
        }
        "location" => {
            if !object["latitude"].is_number() || !object["longitude"].is_number() {
                return Err(missing("location['latitude'] and location['longitude']"));
            }
        }
        "contacts" => {
            if object.as_array().is_none_or(Vec::is_empty) {
                return Err(missing("contacts"));
            }
        }
        "reaction" => {
            object["message_id"]
                .as_str()
                .ok_or_else(|| missing("reaction['message_id']"))?;
            if object["emoji"].as_str().is_none() {
                return Err(missing("reaction['emoji']"));
            }
            if request.get("context").is_some() {
                return Err(GraphError::from_code(131009)
                    .with_details("A reaction cannot quote a message."));
            }
        }
        "interactive" => validate_interactive(object)?,
        "template" => {
            let templates = shared.lock().templates.clone();
            validate_template_send(&templates, object)?;
        }
        other => {
            return Err(GraphError::from_code(131051)
                .with_details(format!("Message type {other} is not currently supported.")));
        }
    }
    Ok(())
}

fn validate_media_reference(shared: &Shared, kind: &str, object: &Value) -> Result<(), GraphError> {
    if let Some(id) = object["id"].as_str() {
        let now = shared.clock.now_unix();
        let known = shared
            .lock()
            .media
            .get(id)
            .is_some_and(|media| !media.deleted && now <= media.expires_at);
        if !known {
            return Err(GraphError::from_code(131053).with_details(format!(
                "The media id {id} is not valid or has been deleted."
            )));
        }
    } else if object["link"].as_str().is_none() {
        return Err(missing(&format!("{kind}['id'] or {kind}['link']")));
    }
    if let Some(caption) = object["caption"].as_str() {
        if matches!(kind, "audio" | "sticker") {
            return Err(GraphError::invalid_parameter(format!(
                "Param {kind}['caption'] is not allowed for {kind} messages."
            )));
        }
        if caption.chars().count() > CAPTION_LIMIT {
            return Err(too_long(&format!("{kind}['caption']"), CAPTION_LIMIT));
        }
    }
    Ok(())
}

fn invalid(details: String) -> GraphError {
    GraphError::from_code(131009).with_details(details)
}

fn validate_interactive(object: &Value) -> Result<(), GraphError> {
    let body = object["body"]["text"]
        .as_str()
        .ok_or_else(|| missing("interactive['body']['text']"))?;
    match object["type"].as_str() {
        Some("button") => {
            let buttons = object["action"]["buttons"]
                .as_array()
                .ok_or_else(|| missing("interactive['action']['buttons']"))?;
            if buttons.is_empty() || buttons.len() > 3 {
                return Err(invalid(format!(
                    "An interactive button message needs 1 to 3 buttons, got {}.",
                    buttons.len()
                )));
            }
            if body.chars().count() > 1024 {
                return Err(too_long("interactive['body']['text']", 1024));
            }
            for button in buttons {
                let title = button["reply"]["title"]
                    .as_str()
                    .ok_or_else(|| missing("button reply title"))?;
                if title.chars().count() > 20 {
                    return Err(invalid(format!(
                        "Button title '{title}' is longer than 20 characters."
                    )));
                }
            }
        }
        Some("list") => {
            object["action"]["button"]
                .as_str()
                .ok_or_else(|| missing("interactive['action']['button']"))?;
            let sections = object["action"]["sections"]
                .as_array()
                .ok_or_else(|| missing("interactive['action']['sections']"))?;
            let rows: usize = sections
                .iter()
                .map(|section| section["rows"].as_array().map_or(0, Vec::len))
                .sum();
            if sections.is_empty() || sections.len() > 10 || rows == 0 || rows > 10 {
                return Err(invalid(format!(
                    "A list needs 1 to 10 sections and 1 to 10 rows in total, got {} and {rows}.",
                    sections.len()
                )));
            }
        }
        Some(
            "cta_url"
            | "flow"
            | "product"
            | "product_list"
            | "location_request_message"
            | "address_message",
        ) => {}
        other => {
            return Err(invalid(format!(
                "Unknown interactive type {}.",
                other.unwrap_or("(none)")
            )));
        }
    }
    Ok(())
}

fn template_is_authentication(shared: &Shared, request: &Value) -> bool {
    let name = request["template"]["name"].as_str().unwrap_or_default();
    shared
        .lock()
        .templates
        .iter()
        .any(|template| template.name == name && template.category == "AUTHENTICATION")
}

fn check_window(
    shared: &Shared,
    phone_number_id: &str,
    recipient: &str,
    message_type: &str,
) -> Result<(), GraphError> {
    if !shared.config.enforce_window || message_type == "template" {
        return Ok(());
    }
    let last_inbound = shared
        .lock()
        .last_inbound
        .get(&(phone_number_id.to_owned(), recipient.to_owned()))
        .copied();
    match last_inbound {
        Some(at) if shared.clock.now_unix() - at < WINDOW_SECONDS => Ok(()),
        _ => Err(GraphError::from_code(131047)),
    }
}

fn check_rate_limits(
    shared: &Shared,
    phone_number_id: &str,
    recipient: &str,
) -> Result<(), GraphError> {
    let now = shared.clock.now();
    let now_ms = i64::try_from(
        now.duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_millis(),
    )
    .unwrap_or(i64::MAX);
    let second = now_ms / 1000;
    let limit = shared.config.throughput_per_second;
    let pair = &shared.config.pair_rate;
    let mut state = shared.lock();
    let counter = state
        .throughput
        .entry(phone_number_id.to_owned())
        .or_default();
    if counter.second != second {
        *counter = SecondCounter { second, count: 0 };
    }
    if counter.count >= limit {
        return Err(GraphError::from_code(130429));
    }
    let burst = f64::from(pair.burst);
    let refill_ms = pair.refill_every.as_millis().max(1) as f64;
    let bucket = state
        .pair_buckets
        .entry((phone_number_id.to_owned(), recipient.to_owned()))
        .or_insert(PairBucket {
            tokens: burst,
            updated_ms: now_ms,
        });
    let refilled = (now_ms - bucket.updated_ms).max(0) as f64 / refill_ms;
    bucket.tokens = (bucket.tokens + refilled).min(burst);
    bucket.updated_ms = now_ms;
    if bucket.tokens < 1.0 {
        return Err(GraphError::from_code(131056));
    }
    bucket.tokens -= 1.0;
    if let Some(counter) = state.throughput.get_mut(phone_number_id) {
        counter.count += 1;
    }
    Ok(())
}
