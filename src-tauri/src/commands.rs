//! Tauri commands: each takes the core from managed state, calls one core function
//! and maps the error.

use chatsphere_core::model::{ConversationSummary, MessageCursor, MessagePage};
use chatsphere_core::{Core, CoreError};
use serde::Serialize;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;

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

/// Puts a failed media download back in the queue.
#[tauri::command]
#[specta::specta]
pub async fn retry_media_download(core: State<'_, Core>, message_id: i64) -> Result<(), IpcError> {
    Ok(core.retry_media_download(message_id).await?)
}

/// Opens a message's downloaded file with the system's default app.
#[tauri::command]
#[specta::specta]
pub async fn open_media(
    app: AppHandle,
    core: State<'_, Core>,
    message_id: i64,
) -> Result<(), IpcError> {
    let path = core.media_file_for_opening(message_id).await?;
    app.opener()
        .open_path(path.display().to_string(), None::<&str>)
        .map_err(|error| CoreError::Internal(format!("the file could not be opened: {error}")))?;
    Ok(())
}

/// Asks where to save a message's downloaded file and copies it there. Returns whether
/// it was saved (false when the owner cancelled).
#[tauri::command]
#[specta::specta]
pub async fn save_media_as(
    app: AppHandle,
    core: State<'_, Core>,
    message_id: i64,
) -> Result<bool, IpcError> {
    let (_, file_name) = core.media_file(message_id).await?;
    let (chosen_tx, chosen_rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_file_name(file_name)
        .save_file(move |chosen| {
            let _ = chosen_tx.send(chosen);
        });
    let chosen = chosen_rx.await.ok().flatten();
    let Some(destination) = chosen.and_then(|path| path.into_path().ok()) else {
        return Ok(false);
    };
    core.save_media_as(message_id, destination).await?;
    Ok(true)
}
