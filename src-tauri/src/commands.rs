//! Tauri commands: each takes the core from managed state, calls one core function
//! and maps the error.

use chatsphere_core::Core;
use chatsphere_core::model::{ConversationSummary, MessageCursor, MessagePage};
use serde::Serialize;
use tauri::State;

use crate::ipc_error::IpcError;
use crate::webhook::WebhookHandle;

#[tauri::command]
#[specta::specta]
pub async fn list_conversations(
    core: State<'_, Core>,
) -> Result<Vec<ConversationSummary>, IpcError> {
    Ok(core.list_conversations().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn list_messages(
    core: State<'_, Core>,
    conversation_id: i64,
    before: Option<MessageCursor>,
    limit: u32,
) -> Result<MessagePage, IpcError> {
    Ok(core.list_messages(conversation_id, before, limit).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn mark_conversation_read(
    core: State<'_, Core>,
    conversation_id: i64,
) -> Result<(), IpcError> {
    Ok(core.mark_conversation_read(conversation_id).await?)
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    pub webhook_port: Option<u16>,
}

#[tauri::command]
#[specta::specta]
pub async fn app_info(
    core: State<'_, Core>,
    webhook: State<'_, WebhookHandle>,
) -> Result<AppInfo, IpcError> {
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        data_dir: core.config().data_dir.display().to_string(),
        webhook_port: webhook.port(),
    })
}
