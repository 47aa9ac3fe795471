//! The Graph API side: what the app calls.

mod account;
mod media;
mod messages;
mod nodes;
mod templates;

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::HeaderMap;
use axum::routing::{get, post};

use crate::error::GraphError;
use crate::faults::{Endpoint, FaultKind, take_fault};
use crate::state::Shared;

pub(crate) use media::{media_url, mime_limit, store_media};

/// Uploads can be up to 100 MB (documents); leave room so oversize gets Meta's error, not a 413.
const UPLOAD_BODY_LIMIT: usize = 128 * 1024 * 1024;

pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/debug_token", get(account::debug_token))
        .route("/{version}/debug_token", get(account::debug_token))
        .route("/whatsapp_business/attachments", get(media::download))
        .route("/whatsapp_business/attachments/", get(media::download))
        .route(
            "/{version}/{node}",
            get(nodes::get_node)
                .post(nodes::post_node)
                .delete(nodes::delete_node),
        )
        .route("/{version}/{node}/messages", post(messages::send_message))
        .route(
            "/{version}/{node}/media",
            post(media::upload).layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        )
        .route(
            "/{version}/{node}/message_templates",
            get(templates::list_templates),
        )
        .route(
            "/{version}/{node}/phone_numbers",
            get(account::list_phone_numbers),
        )
        .route(
            "/{version}/{node}/subscribed_apps",
            get(account::get_subscribed_apps)
                .post(account::post_subscribed_apps)
                .delete(account::delete_subscribed_apps),
        )
        .route(
            "/{version}/{node}/subscriptions",
            get(account::get_app_subscriptions).post(account::post_app_subscriptions),
        )
}

/// Rejects path versions that are not `vNN.N`, like Graph's "Unknown path components".
pub(crate) fn check_version(version: &str) -> Result<(), GraphError> {
    let valid = version
        .strip_prefix('v')
        .and_then(|rest| rest.split_once('.'))
        .is_some_and(|(major, minor)| {
            !major.is_empty()
                && !minor.is_empty()
                && major.chars().all(|ch| ch.is_ascii_digit())
                && minor.chars().all(|ch| ch.is_ascii_digit())
        });
    if valid {
        Ok(())
    } else {
        Err(GraphError::from_code(2500)
            .with_message(format!("Unknown path components: /{version}"))
            .with_http_status(400))
    }
}

/// The token of a request: `Authorization: Bearer …` or the `access_token` parameter.
pub(crate) fn presented_token(
    headers: &HeaderMap,
    query: &HashMap<String, String>,
) -> Option<String> {
    headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| {
            value
                .strip_prefix("Bearer ")
                .or_else(|| value.strip_prefix("OAuth "))
        })
        .map(|token| token.trim().to_owned())
        .or_else(|| query.get("access_token").cloned())
}

/// Checks the system-user token (190 when missing, wrong or expired).
pub(crate) fn check_token(
    shared: &Shared,
    headers: &HeaderMap,
    query: &HashMap<String, String>,
) -> Result<(), GraphError> {
    let token = presented_token(headers, query).ok_or_else(|| {
        GraphError::from_code(190).with_message(
            "An active access token must be used to query information about the current user.",
        )
    })?;
    if !constant_time_eq(token.as_bytes(), shared.config.access_token.as_bytes()) {
        return Err(GraphError::invalid_token());
    }
    let expires_at = shared.lock().account.token_expires_at;
    if let Some(expires_at) = expires_at
        && shared.clock.now_unix() >= expires_at
    {
        return Err(GraphError::expired_token(expires_at));
    }
    Ok(())
}

/// The app access token `{app-id}|{app-secret}`.
pub(crate) fn app_access_token(shared: &Shared) -> String {
    format!("{}|{}", shared.config.app_id, shared.config.app_secret)
}

fn constant_time_eq(left: &[u8], right: &[u8]) -> bool {
    left.len() == right.len()
        && left
            .iter()
            .zip(right)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// The outcome of checking the fault list for a request.
pub(crate) enum FaultAction {
    None,
    Fail(GraphError),
    HangBeforeAccept,
    HangAfterAccept,
    CorruptBytes,
    SlowDownload(std::time::Duration),
}

pub(crate) fn fault_for(shared: &Shared, endpoint: Endpoint) -> FaultAction {
    let kind = take_fault(&mut shared.lock().faults, endpoint);
    match kind {
        None => FaultAction::None,
        Some(FaultKind::Error { code }) => FaultAction::Fail(GraphError::from_code(code)),
        Some(FaultKind::HttpStatus { status }) => {
            let code = if status == 503 { 131016 } else { 131000 };
            FaultAction::Fail(GraphError::from_code(code).with_http_status(status))
        }
        Some(FaultKind::TimeoutBeforeAccept) => FaultAction::HangBeforeAccept,
        Some(FaultKind::TimeoutAfterAccept) => FaultAction::HangAfterAccept,
        Some(FaultKind::CorruptMediaBytes) => FaultAction::CorruptBytes,
        Some(FaultKind::SlowMediaDownload { chunk_delay_ms }) => {
            FaultAction::SlowDownload(std::time::Duration::from_millis(chunk_delay_ms))
        }
    }
}

/// Holds a request open until the simulator shuts down (or an hour passes), so the
/// client experiences a timeout.
pub(crate) async fn hang(shared: &Shared) {
    tokio::select! {
        () = tokio::time::sleep(std::time::Duration::from_secs(3600)) => {}
        () = shared.shutdown.cancelled() => {}
    }
}
