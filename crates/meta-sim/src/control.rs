//! The control API under `/_sim`: what tests, scripts and demos use to drive the simulator
//! over HTTP. Documented in the crate README and in `chatsphere-sim --help`.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::config::StatusPlan;
use crate::faults::Fault;
use crate::ids::{Direction, business_scoped_user_id_for, new_wamid};
use crate::inject::{deliver_messages, deliver_raw, store_inbound_media};
use crate::payload::{
    BatchLayout, Contact, InboundKind, InboundMessage, MediaKind, MessageContext,
};
use crate::scripted::{ScriptConfig, ScriptedCustomers};
use crate::state::Shared;

type SimState = State<Arc<Shared>>;

pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/_sim/health", get(health))
        .route("/_sim/inbound", post(inject_inbound))
        .route("/_sim/webhook/raw", post(inject_raw))
        .route("/_sim/sent", get(list_sent))
        .route("/_sim/uploads", get(list_uploads))
        .route("/_sim/read-receipts", get(list_read_receipts))
        .route("/_sim/deliveries", get(list_deliveries))
        .route(
            "/_sim/faults",
            post(add_fault).delete(clear_faults).get(list_faults),
        )
        .route("/_sim/time", get(time))
        .route("/_sim/time/advance", post(advance_time))
        .route("/_sim/time/compress", post(compress_time))
        .route("/_sim/time/freeze", post(freeze_time))
        .route("/_sim/time/resume", post(resume_time))
        .route(
            "/_sim/status-plan",
            get(get_status_plan).put(put_status_plan),
        )
        .route("/_sim/customers/start", post(start_customers))
        .route("/_sim/customers/stop", post(stop_customers))
}

fn bad_request(message: impl Into<String>) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"error": message.into()})),
    )
        .into_response()
}

async fn health(State(shared): SimState) -> Json<Value> {
    let number = shared.default_number();
    Json(json!({
        "ok": true,
        "graph_base_url": shared.base_url,
        "phone_number_id": number.phone_number_id,
        "display_phone_number": number.display_phone_number,
        "waba_id": shared.config.waba_id,
        "app_id": shared.config.app_id,
    }))
}

/// A media attachment given inline to `/_sim/inbound`.
#[derive(Debug, Deserialize)]
struct InjectMedia {
    kind: MediaKind,
    mime_type: String,
    data_base64: String,
    caption: Option<String>,
    filename: Option<String>,
    #[serde(default)]
    voice: bool,
}

#[derive(Debug, Deserialize)]
struct InjectRequest {
    /// The customer's phone number; omit (with `user_id`) for a customer without one.
    from: Option<String>,
    user_id: Option<String>,
    #[serde(default = "default_name")]
    name: String,
    username: Option<String>,
    phone_number_id: Option<String>,
    /// Any inbound message kind (`{"type":"text","body":"…"}`, …).
    message: Option<InboundKind>,
    /// Or a media attachment whose bytes the app can then download.
    media: Option<InjectMedia>,
    /// Quote this business message.
    reply_to: Option<String>,
    #[serde(default)]
    forwarded: bool,
    /// Deliver the same body this many times.
    #[serde(default = "one")]
    copies: u32,
}

fn default_name() -> String {
    "WhatsApp User".to_owned()
}

fn one() -> u32 {
    1
}

async fn inject_inbound(State(shared): SimState, Json(request): Json<InjectRequest>) -> Response {
    let phone_number_id = request
        .phone_number_id
        .clone()
        .unwrap_or_else(|| shared.default_number().phone_number_id);
    let Some(number) = shared.number(&phone_number_id).cloned() else {
        return bad_request(format!("unknown phone_number_id {phone_number_id}"));
    };
    let contact = match (&request.from, &request.user_id) {
        (Some(wa_id), user_id) => Contact {
            wa_id: Some(wa_id.clone()),
            user_id: Some(
                user_id
                    .clone()
                    .unwrap_or_else(|| business_scoped_user_id_for(wa_id)),
            ),
            name: request.name.clone(),
            username: request.username.clone(),
        },
        (None, Some(user_id)) => Contact::without_phone(
            user_id.clone(),
            request.name.clone(),
            request.username.clone().unwrap_or_default(),
        ),
        (None, None) => return bad_request("give `from` (a phone number) or `user_id`"),
    };
    let kind = match (request.message, request.media) {
        (Some(kind), None) => kind,
        (None, Some(media)) => {
            let Ok(bytes) = STANDARD.decode(media.data_base64.as_bytes()) else {
                return bad_request("media.data_base64 is not valid base64");
            };
            let mut attachment = store_inbound_media(
                &shared,
                &phone_number_id,
                media.kind,
                bytes.into(),
                &media.mime_type,
                media.filename,
            );
            attachment.caption = media.caption;
            if media.kind == MediaKind::Audio {
                attachment.voice = Some(media.voice);
            }
            InboundKind::Media(attachment)
        }
        _ => return bad_request("give exactly one of `message` or `media`"),
    };
    let mut message = InboundMessage::new(
        contact.clone(),
        new_wamid(contact.address(), Direction::Inbound),
        shared.clock.now_unix(),
        kind,
    );
    if let Some(reply_to) = request.reply_to {
        message = message.with_context(MessageContext::Reply {
            business_number: number.webhook_number(),
            message_id: reply_to,
        });
    } else if request.forwarded {
        message = message.with_context(MessageContext::Forwarded);
    }
    let wamid = message.id.clone();
    match deliver_messages(
        &shared,
        &phone_number_id,
        vec![message],
        BatchLayout::OneChange,
        request.copies,
    )
    .await
    {
        Ok(reports) => Json(json!({"wamid": wamid, "reports": reports})).into_response(),
        Err(error) => (
            StatusCode::CONFLICT,
            Json(json!({"error": error.to_string()})),
        )
            .into_response(),
    }
}

async fn inject_raw(State(shared): SimState, body: Bytes) -> Response {
    let phone_number_id = shared.default_number().phone_number_id;
    match deliver_raw(&shared, &phone_number_id, body.to_vec()).await {
        Ok(report) => Json(json!({ "report": report })).into_response(),
        Err(error) => (
            StatusCode::CONFLICT,
            Json(json!({"error": error.to_string()})),
        )
            .into_response(),
    }
}

async fn list_sent(State(shared): SimState) -> Json<Value> {
    Json(json!({ "data": shared.lock().sent }))
}

async fn list_uploads(State(shared): SimState) -> Json<Value> {
    Json(json!({ "data": shared.lock().uploads }))
}

async fn list_read_receipts(State(shared): SimState) -> Json<Value> {
    Json(json!({ "data": shared.lock().read_receipts }))
}

async fn list_deliveries(State(shared): SimState) -> Json<Value> {
    Json(json!({ "data": shared.lock().deliveries }))
}

async fn add_fault(State(shared): SimState, Json(fault): Json<Fault>) -> Json<Value> {
    shared.lock().faults.push(fault);
    Json(json!({"success": true}))
}

async fn list_faults(State(shared): SimState) -> Json<Value> {
    Json(json!({ "data": shared.lock().faults }))
}

async fn clear_faults(State(shared): SimState) -> Json<Value> {
    shared.lock().faults.clear();
    Json(json!({"success": true}))
}

async fn time(State(shared): SimState) -> Json<Value> {
    Json(json!({"now": shared.clock.now_unix(), "compression": shared.clock.compression()}))
}

#[derive(Debug, Deserialize)]
struct Advance {
    seconds: u64,
}

async fn advance_time(State(shared): SimState, Json(advance): Json<Advance>) -> Json<Value> {
    shared.clock.advance(Duration::from_secs(advance.seconds));
    Json(json!({"now": shared.clock.now_unix()}))
}

#[derive(Debug, Deserialize)]
struct Compress {
    factor: f64,
}

async fn compress_time(State(shared): SimState, Json(compress): Json<Compress>) -> Json<Value> {
    shared.clock.set_compression(compress.factor);
    Json(json!({"compression": shared.clock.compression()}))
}

async fn freeze_time(State(shared): SimState) -> Json<Value> {
    shared.clock.freeze();
    Json(json!({"now": shared.clock.now_unix(), "frozen": true}))
}

async fn resume_time(State(shared): SimState) -> Json<Value> {
    shared.clock.resume();
    Json(json!({"now": shared.clock.now_unix(), "frozen": false}))
}

async fn get_status_plan(State(shared): SimState) -> Json<StatusPlan> {
    Json(shared.lock().status_plan.clone())
}

async fn put_status_plan(State(shared): SimState, Json(plan): Json<StatusPlan>) -> Json<Value> {
    shared.lock().status_plan = plan;
    Json(json!({"success": true}))
}

async fn start_customers(State(shared): SimState, body: Bytes) -> Response {
    let config = if body.is_empty() {
        ScriptConfig::default()
    } else {
        match serde_json::from_slice(&body) {
            Ok(config) => config,
            Err(error) => return bad_request(format!("invalid script config: {error}")),
        }
    };
    ScriptedCustomers::start(&shared, config);
    Json(json!({"success": true})).into_response()
}

async fn stop_customers(State(shared): SimState) -> Json<Value> {
    ScriptedCustomers::stop_running(&shared);
    Json(json!({"success": true}))
}
