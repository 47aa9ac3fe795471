//! A file picked to send, looked at before it goes: what WhatsApp will make of it (kind,
//! type, size), why it would refuse it, and a thumbnail for images and stickers, kept in
//! the media store and served to the webview through the media scheme's preview path.

use std::path::Path;

use serde::Serialize;
use tracing::instrument;

use super::media::{CheckedFile, MediaKind, check_file, file_name_of};
use crate::core::Core;
use crate::error::CoreError;
use crate::media::{MediaError, MediaStore, thumbnail_png};

/// What the attach panel shows for one picked file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct StagedFile {
    pub path: String,
    pub file_name: String,
    /// `None` when the file could not be read.
    pub size_bytes: Option<i64>,
    /// The type WhatsApp is told, from the file's bytes; `None` when it is refused.
    pub mime_type: Option<String>,
    /// How WhatsApp shows it; `None` when it is refused.
    pub kind: Option<MediaKind>,
    /// The sha256 of its thumbnail (images and stickers), for the preview path.
    pub preview_sha256: Option<String>,
    /// Why WhatsApp would refuse it, as a sentence; `None` when it can be sent.
    pub problem: Option<String>,
}

impl Core {
    /// Looks at a picked file as [`Core::send_media`] will, without sending it.
    #[instrument(skip(self))]
    pub async fn stage_media(&self, path: String) -> Result<StagedFile, CoreError> {
        let file_name = file_name_of(Path::new(&path)).unwrap_or_else(|| path.clone());
        let size_bytes = tokio::fs::metadata(&path)
            .await
            .ok()
            .map(|metadata| i64::try_from(metadata.len()).unwrap_or(i64::MAX));
        let checked = match check_file(&path, None, &self.media_limits()).await {
            Ok(checked) => checked,
            Err(problem) => {
                return Ok(StagedFile {
                    path,
                    file_name,
                    size_bytes,
                    mime_type: None,
                    kind: None,
                    preview_sha256: None,
                    problem: Some(capitalized(&problem)),
                });
            }
        };
        let CheckedFile {
            bytes,
            mime_type,
            kind,
            ..
        } = checked;
        let preview_sha256 = if matches!(kind, MediaKind::Image | MediaKind::Sticker) {
            let store = MediaStore::new(&self.config().data_dir);
            let max_side = self.config().thumbnail_max_side;
            tokio::task::spawn_blocking(move || {
                thumbnail_png(&bytes, max_side)
                    .map(|thumbnail| store.put(&thumbnail))
                    .transpose()
            })
            .await
            .map_err(|e| CoreError::Internal(format!("making the preview stopped: {e}")))?
            .map_err(|e: MediaError| CoreError::Internal(e.to_string()))?
        } else {
            None
        };
        if let Some(sha256) = &preview_sha256 {
            self.media_previews().grant(sha256);
        }
        Ok(StagedFile {
            path,
            file_name,
            size_bytes,
            mime_type: Some(mime_type.to_string()),
            kind: Some(kind),
            preview_sha256,
            problem: None,
        })
    }
}

/// A reason as a sentence of its own.
fn capitalized(reason: &str) -> String {
    let mut chars = reason.chars();
    match chars.next() {
        Some(first) => {
            let mut sentence: String = first.to_uppercase().chain(chars).collect();
            if !sentence.ends_with('.') {
                sentence.push('.');
            }
            sentence
        }
        None => String::new(),
    }
}
