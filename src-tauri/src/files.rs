//! Files reach the inbox only when the owner chose them: through the system's file dialog,
//! opened here rather than by the webview, or by dropping them on the window. Both are
//! recorded in [`ChosenFiles`], and the commands that read a file refuse any other path.

use chatsphere_core::CoreError;
use chatsphere_core::chosen_files::ChosenFiles;
use serde::Deserialize;
use tauri::{AppHandle, Manager, State, WebviewEvent};
use tauri_plugin_dialog::{DialogExt, FilePath};

use crate::ipc_error::IpcError;

/// What the files are for, which decides the dialog's title, filter and whether it takes many.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum FilePurpose {
    /// Attachments to a message: any number.
    Send,
    /// A template header's picture: one file.
    HeaderImage,
    /// A template header's video: one file.
    HeaderVideo,
    /// A template header's document: one file.
    HeaderDocument,
}

/// The attach dialog's title, by which the end-to-end tests find the native window.
pub const SEND_DIALOG_TITLE: &str = "Choose files to send";

const SENDABLE_EXTENSIONS: &[&str] = &[
    "jpg", "jpeg", "png", "webp", "mp4", "3gp", "aac", "amr", "mp3", "m4a", "ogg", "opus", "pdf",
    "txt", "doc", "docx", "xls", "xlsx", "ppt", "pptx",
];
const DOCUMENT_EXTENSIONS: &[&str] = &["pdf", "txt", "doc", "docx", "xls", "xlsx", "ppt", "pptx"];

impl FilePurpose {
    fn title(self) -> &'static str {
        match self {
            FilePurpose::Send => SEND_DIALOG_TITLE,
            FilePurpose::HeaderImage => "Choose the header picture",
            FilePurpose::HeaderVideo => "Choose the header video",
            FilePurpose::HeaderDocument => "Choose the header document",
        }
    }

    /// The files WhatsApp takes for this purpose, offered first.
    fn filter(self) -> (&'static str, &'static [&'static str]) {
        match self {
            FilePurpose::Send => ("Files WhatsApp can send", SENDABLE_EXTENSIONS),
            FilePurpose::HeaderImage => ("JPEG or PNG pictures", &["jpg", "jpeg", "png"]),
            FilePurpose::HeaderVideo => ("MP4 or 3GPP videos", &["mp4", "3gp"]),
            FilePurpose::HeaderDocument => ("PDF, text and Office documents", DOCUMENT_EXTENSIONS),
        }
    }
}

/// Opens the system's file dialog for `purpose` and returns the real paths the owner
/// chose (none when cancelled); only these may then be staged, sent or uploaded.
#[tauri::command]
#[specta::specta]
pub async fn pick_files(
    app: AppHandle,
    window: tauri::Window,
    chosen: State<'_, ChosenFiles>,
    purpose: FilePurpose,
) -> Result<Vec<String>, IpcError> {
    let (name, extensions) = purpose.filter();
    let dialog = app
        .dialog()
        .file()
        .set_title(purpose.title())
        .add_filter(name, extensions)
        .add_filter("All files", &["*"]);
    // GTK dialogs are not given a parent, as the dialog plugin does for its own.
    #[cfg(any(windows, target_os = "macos"))]
    let dialog = dialog.set_parent(&window);
    #[cfg(not(any(windows, target_os = "macos")))]
    let _ = window;
    let (answer_tx, answer_rx) = tokio::sync::oneshot::channel::<Vec<FilePath>>();
    if purpose == FilePurpose::Send {
        dialog.pick_files(move |picked| {
            let _ = answer_tx.send(picked.unwrap_or_default());
        });
    } else {
        dialog.pick_file(move |picked| {
            let _ = answer_tx.send(picked.into_iter().collect());
        });
    }
    let picked = answer_rx.await.unwrap_or_default();
    let paths = picked
        .into_iter()
        .map(|path| {
            path.into_path()
                .map_err(|e| CoreError::Internal(format!("the chosen file has no path: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    chosen.record(&paths);
    Ok(paths
        .iter()
        .map(|path| path.display().to_string())
        .collect())
}

/// Records the files dropped on the window, in the same main-thread turn that tells the
/// webview of the drop, so they are known before the webview can ask for them.
pub fn record_drops<R: tauri::Runtime>(webview: &tauri::Webview<R>, event: &WebviewEvent) {
    if let WebviewEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
        webview.state::<ChosenFiles>().record(paths);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_attach_dialog_keeps_the_title_the_end_to_end_tests_look_for() {
        assert_eq!(FilePurpose::Send.title(), "Choose files to send");
    }

    #[test]
    fn each_header_dialog_offers_only_what_meta_takes_in_that_header() {
        assert_eq!(FilePurpose::HeaderImage.filter().1, ["jpg", "jpeg", "png"]);
        assert_eq!(FilePurpose::HeaderVideo.filter().1, ["mp4", "3gp"]);
        assert!(!FilePurpose::HeaderDocument.filter().1.contains(&"png"));
        assert!(FilePurpose::Send.filter().1.contains(&"webp"));
    }
}
