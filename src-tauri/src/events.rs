//! The only place events are emitted: each committed domain change becomes a typed
//! UI event.

use chatsphere_core::{Change, Core};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime};
use tauri_specta::Event;
use tokio::sync::broadcast::error::RecvError;

/// Conversations whose list entry changed. An empty list means "reload everything":
/// it is sent when changes were missed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type, Event)]
#[serde(rename_all = "camelCase")]
pub struct ConversationsChanged {
    pub conversation_ids: Vec<i64>,
}

/// Messages of one conversation were added or changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type, Event)]
#[serde(rename_all = "camelCase")]
pub struct MessagesChanged {
    pub conversation_id: i64,
    pub message_ids: Vec<i64>,
}

/// Meta refused the access token: the owner must reconnect WhatsApp. Sent when media
/// could not be downloaded for that reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type, Event)]
#[serde(rename_all = "camelCase")]
pub struct AccountProblem {
    pub message: String,
}

/// A media download advanced; `totalBytes` is null when Meta did not say the size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type, Event)]
#[serde(rename_all = "camelCase")]
pub struct MediaProgress {
    pub conversation_id: i64,
    pub message_id: i64,
    pub received_bytes: u64,
    pub total_bytes: Option<u64>,
}

/// Forwards the core's change bus to the webview until the app exits.
pub fn forward_changes<R: Runtime>(app: AppHandle<R>, core: &Core) {
    let mut changes = core.changes().subscribe();
    tauri::async_runtime::spawn(async move {
        loop {
            let emitted = match changes.recv().await {
                Ok(Change::ConversationsChanged { conversation_ids }) => {
                    ConversationsChanged { conversation_ids }.emit(&app)
                }
                Ok(Change::MessagesChanged {
                    conversation_id,
                    message_ids,
                }) => MessagesChanged {
                    conversation_id,
                    message_ids,
                }
                .emit(&app),
                Ok(Change::AccountProblem { message }) => AccountProblem { message }.emit(&app),
                Ok(Change::MediaProgress {
                    conversation_id,
                    message_id,
                    received_bytes,
                    total_bytes,
                }) => MediaProgress {
                    conversation_id,
                    message_id,
                    received_bytes,
                    total_bytes,
                }
                .emit(&app),
                Err(RecvError::Lagged(missed)) => {
                    tracing::warn!(missed, "the UI missed changes; asking it to reload");
                    ConversationsChanged {
                        conversation_ids: Vec::new(),
                    }
                    .emit(&app)
                }
                Err(RecvError::Closed) => break,
            };
            if let Err(error) = emitted {
                tracing::warn!(%error, "could not emit an event to the UI");
            }
        }
    });
}
