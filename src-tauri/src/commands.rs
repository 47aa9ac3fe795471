//! Tauri commands: each takes the core from managed state, calls one core function
//! and maps the error.

use chatsphere_core::chosen_files::ChosenFiles;
use chatsphere_core::model::{ConversationSummary, MessageCursor, MessagePage};
use chatsphere_core::quick_replies::{QuickReply, QuickReplyInput};
use chatsphere_core::send::{
    LocationToSend, MediaToSend, QueuedMessage, ReactionToSend, ServiceWindow, StagedFile,
    TextToSend,
};
use chatsphere_core::templates::{HeaderFileToUpload, HeaderMedia, Template, TemplateToSend};
use chatsphere_core::{Core, CoreError, Settings};
use serde::Serialize;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;

use crate::ipc_error::IpcError;
use crate::settings::SettingsFile;
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

#[tauri::command]
#[specta::specta]
pub async fn service_window(
    core: State<'_, Core>,
    conversation_id: i64,
) -> Result<ServiceWindow, IpcError> {
    Ok(core.service_window(conversation_id).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn send_text(core: State<'_, Core>, text: TextToSend) -> Result<QueuedMessage, IpcError> {
    Ok(core.send_text(text).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn send_location(
    core: State<'_, Core>,
    location: LocationToSend,
) -> Result<QueuedMessage, IpcError> {
    Ok(core.send_location(location).await?)
}

/// Looks at a file the owner chose before it is sent: its kind, type, size, why WhatsApp would
/// refuse it, and the preview thumbnail of an image or sticker.
#[tauri::command]
#[specta::specta]
pub async fn stage_media(
    core: State<'_, Core>,
    chosen: State<'_, ChosenFiles>,
    path: String,
) -> Result<StagedFile, IpcError> {
    chosen.check(&path)?;
    Ok(core.stage_media(path).await?)
}

/// Sends a file the owner chose (the file dialog or a drop onto the window).
#[tauri::command]
#[specta::specta]
pub async fn send_media(
    core: State<'_, Core>,
    chosen: State<'_, ChosenFiles>,
    media: MediaToSend,
) -> Result<QueuedMessage, IpcError> {
    chosen.check(&media.path)?;
    Ok(core.send_media(media).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn send_reaction(
    core: State<'_, Core>,
    reaction: ReactionToSend,
) -> Result<(), IpcError> {
    Ok(core.send_reaction(reaction).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn resend_message(
    core: State<'_, Core>,
    message_id: i64,
    idempotency_key: String,
) -> Result<QueuedMessage, IpcError> {
    Ok(core.resend_message(message_id, idempotency_key).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn owner_typing(core: State<'_, Core>, conversation_id: i64) -> Result<(), IpcError> {
    Ok(core.owner_typing(conversation_id).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn import_templates(core: State<'_, Core>) -> Result<u32, IpcError> {
    let count = core.import_templates().await?;
    Ok(u32::try_from(count).unwrap_or(u32::MAX))
}

#[tauri::command]
#[specta::specta]
pub async fn list_templates(core: State<'_, Core>) -> Result<Vec<Template>, IpcError> {
    Ok(core.list_templates().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn send_template(
    core: State<'_, Core>,
    send: TemplateToSend,
) -> Result<QueuedMessage, IpcError> {
    Ok(core.send_template(send).await?)
}

/// Checks and uploads the file chosen for a template's media header.
#[tauri::command]
#[specta::specta]
pub async fn upload_template_header(
    core: State<'_, Core>,
    chosen: State<'_, ChosenFiles>,
    upload: HeaderFileToUpload,
) -> Result<HeaderMedia, IpcError> {
    chosen.check(&upload.path)?;
    Ok(core.upload_template_header(upload).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn list_quick_replies(core: State<'_, Core>) -> Result<Vec<QuickReply>, IpcError> {
    Ok(core.list_quick_replies().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn create_quick_reply(
    core: State<'_, Core>,
    input: QuickReplyInput,
) -> Result<QuickReply, IpcError> {
    Ok(core.create_quick_reply(input).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn update_quick_reply(
    core: State<'_, Core>,
    id: i64,
    input: QuickReplyInput,
) -> Result<QuickReply, IpcError> {
    Ok(core.update_quick_reply(id, input).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn delete_quick_reply(core: State<'_, Core>, id: i64) -> Result<(), IpcError> {
    Ok(core.delete_quick_reply(id).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn fill_quick_reply(
    core: State<'_, Core>,
    id: i64,
    conversation_id: i64,
) -> Result<String, IpcError> {
    Ok(core.fill_quick_reply(id, conversation_id).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn get_settings(core: State<'_, Core>) -> Result<Settings, IpcError> {
    Ok(core.settings())
}

/// Checks the settings, saves them and applies them to the running inbox at once.
#[tauri::command]
#[specta::specta]
pub async fn update_settings(
    app: AppHandle,
    core: State<'_, Core>,
    file: State<'_, SettingsFile>,
    settings: Settings,
) -> Result<Settings, IpcError> {
    let settings = settings.validated()?;
    file.save(&app, &settings)?;
    Ok(core.apply_settings(settings)?)
}
