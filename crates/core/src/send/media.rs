//! Sending a file the owner picked. Everything Meta would refuse is refused here,
//! before anything is queued: the type comes from the file's bytes (its name only tells
//! Office formats apart), and must be one Meta accepts for the kind, within its size
//! limit. The file is then copied into the media store — the message's local copy,
//! media state `local` — and queued with an upload step (see [`crate::db::outbox`]):
//!
//! `queued` → `in_flight` (upload) → `queued` with `uploaded_media_id` → `in_flight`
//! (send by id) → `sent` | `failed` | `uncertain`.
//!
//! An upload that fails retryably is tried again; one Meta refuses (131053: wrong type,
//! too large) fails the message with a sentence. A send retried after the upload reuses
//! the stored media id, across restarts too.

use std::path::Path;

use serde::{Deserialize, Serialize};
use tracing::instrument;

use super::{OwnerMessage, QueuedMessage, SendError};
use crate::core::Core;
use crate::db::media::StoredMedia;
use crate::db::outbox::Upload;
use crate::error::CoreError;
use crate::graph::types::{MediaBody, OutgoingContent};
use crate::media::verify::human_size;
use crate::media::verify::sniff;
use crate::media::{MediaLimits, MediaStore, thumbnail_png};

/// Meta's limit on a media caption.
pub const MAX_CAPTION_CHARS: usize = 1024;

/// How WhatsApp shows a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum MediaKind {
    Image,
    Video,
    Audio,
    Document,
    Sticker,
}

impl MediaKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MediaKind::Image => "image",
            MediaKind::Video => "video",
            MediaKind::Audio => "audio",
            MediaKind::Document => "document",
            MediaKind::Sticker => "sticker",
        }
    }

    /// The kind a sendable type travels as.
    fn of_mime(mime_type: &str) -> MediaKind {
        match mime_type {
            "image/jpeg" | "image/png" => MediaKind::Image,
            "image/webp" => MediaKind::Sticker,
            m if m.starts_with("video/") => MediaKind::Video,
            m if m.starts_with("audio/") => MediaKind::Audio,
            _ => MediaKind::Document,
        }
    }

    fn accepted_types(self) -> &'static str {
        match self {
            MediaKind::Image => "JPEG or PNG",
            MediaKind::Video => "MP4 or 3GPP",
            MediaKind::Audio => "AAC, AMR, MP3, MP4 audio or OGG (Opus)",
            MediaKind::Document => "PDF, plain text, Word, Excel or PowerPoint",
            MediaKind::Sticker => "WebP",
        }
    }
}

/// A file on this computer to send, by its real path (file dialog or drag-and-drop).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct MediaToSend {
    pub conversation_id: i64,
    pub idempotency_key: String,
    pub path: String,
    /// Not given: the kind the file's type suggests (a WebP becomes a sticker).
    pub kind: Option<MediaKind>,
    pub caption: Option<String>,
    pub reply_to_wamid: Option<String>,
    /// Show an OGG (Opus) audio file as a voice note.
    pub voice: bool,
}

/// The local copy and upload of a queued media message.
pub(crate) struct QueuedFile {
    pub stored: StoredMedia,
    pub file_name: Option<String>,
    pub caption: Option<String>,
    pub voice: bool,
}

impl QueuedFile {
    pub(crate) fn upload(&self) -> Upload {
        Upload {
            sha256: self.stored.sha256.clone(),
            mime_type: self.stored.mime_type.clone(),
            file_name: self.file_name.clone(),
        }
    }
}

/// A file that passed every check WhatsApp makes before sending.
pub(crate) struct CheckedFile {
    pub bytes: Vec<u8>,
    pub mime_type: &'static str,
    pub kind: MediaKind,
    pub file_name: Option<String>,
}

/// The last part of a path, when it has one.
pub(crate) fn file_name_of(path: &Path) -> Option<String> {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .filter(|name| !name.is_empty())
}

/// Reads `path_text` and checks it as WhatsApp would: a type it sends (from the bytes),
/// matching `kind` when one is asked for, within that kind's size limit. The error is a
/// sentence for the owner.
pub(crate) async fn check_file(
    path_text: &str,
    kind: Option<MediaKind>,
    limits: &MediaLimits,
) -> Result<CheckedFile, String> {
    let path = Path::new(path_text);
    let file_name = file_name_of(path);
    let unreadable = |e: std::io::Error| format!("the file {path_text} could not be read: {e}");
    let metadata = tokio::fs::metadata(path).await.map_err(unreadable)?;
    if !metadata.is_file() {
        return Err(format!("{path_text} is not a file"));
    }
    let size = metadata.len();
    if size == 0 {
        return Err("the file is empty".into());
    }
    // The largest limit first, so a huge file is refused before it is read.
    let largest = limits.largest();
    if size > largest {
        return Err(too_large(
            size,
            largest,
            kind.unwrap_or(MediaKind::Document),
            false,
        ));
    }
    let bytes = tokio::fs::read(path).await.map_err(unreadable)?;
    let mime_type = sendable_type(&bytes, file_name.as_deref()).ok_or_else(|| {
        "WhatsApp cannot send this type of file: it accepts JPEG and PNG images, \
         MP4 and 3GPP videos, AAC, AMR, MP3, MP4 and OGG audio, WebP stickers, and \
         PDF, text and Office documents"
            .to_string()
    })?;
    let kind = kind.unwrap_or(MediaKind::of_mime(mime_type));
    if MediaKind::of_mime(mime_type) != kind {
        return Err(format!(
            "this file is {mime_type}; a {} must be {}",
            kind.as_str(),
            kind.accepted_types()
        ));
    }
    let animated = kind == MediaKind::Sticker && is_animated_webp(&bytes);
    let limit = limits.for_kind(kind.as_str(), animated);
    let size = bytes.len() as u64;
    if size > limit {
        return Err(too_large(size, limit, kind, animated));
    }
    Ok(CheckedFile {
        bytes,
        mime_type,
        kind,
        file_name,
    })
}

impl Core {
    /// Checks the file, keeps a copy, and queues its upload and send.
    #[instrument(skip(self, media), fields(conversation_id = media.conversation_id))]
    pub async fn send_media(&self, media: MediaToSend) -> Result<QueuedMessage, CoreError> {
        let CheckedFile {
            bytes,
            mime_type,
            kind,
            file_name,
        } = self.read_sendable(&media.path, media.kind).await?;
        if media.voice && mime_type != "audio/ogg" {
            return Err(invalid(
                "only an OGG (Opus) audio file can be sent as a voice note".into(),
            ));
        }
        let caption = media
            .caption
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty());
        if let Some(caption) = &caption {
            if matches!(kind, MediaKind::Audio | MediaKind::Sticker) {
                return Err(invalid(format!(
                    "a {} cannot have a caption",
                    kind.as_str()
                )));
            }
            if caption.chars().count() > MAX_CAPTION_CHARS {
                return Err(invalid(format!(
                    "a caption holds at most {MAX_CAPTION_CHARS} characters"
                )));
            }
        }
        let stored = self.keep_local_copy(bytes, mime_type).await?;
        let body = MediaBody {
            id: String::new(),
            caption: caption.clone(),
            filename: (kind == MediaKind::Document)
                .then(|| file_name.clone())
                .flatten(),
            voice: media.voice.then_some(true),
        };
        let content = match kind {
            MediaKind::Image => OutgoingContent::Image { image: body },
            MediaKind::Video => OutgoingContent::Video { video: body },
            MediaKind::Audio => OutgoingContent::Audio { audio: body },
            MediaKind::Document => OutgoingContent::Document { document: body },
            MediaKind::Sticker => OutgoingContent::Sticker { sticker: body },
        };
        let message = OwnerMessage {
            kind: kind.as_str(),
            body: None,
            details_json: None,
            reply_to_wamid: media.reply_to_wamid,
            needs_open_window: true,
        };
        let file = QueuedFile {
            stored,
            file_name,
            caption,
            voice: media.voice,
        };
        self.queue_with_file(
            media.conversation_id,
            media.idempotency_key,
            message,
            content,
            Some(file),
        )
        .await
    }

    /// Reads a file to send as `kind` (or the kind its type suggests), refusing what
    /// Meta would refuse (see [`check_file`]) with the owner's sentence.
    pub(crate) async fn read_sendable(
        &self,
        path: &str,
        kind: Option<MediaKind>,
    ) -> Result<CheckedFile, CoreError> {
        check_file(path, kind, &self.media_limits())
            .await
            .map_err(invalid)
    }

    /// Content-addressed: the same file sent twice is stored once.
    async fn keep_local_copy(
        &self,
        bytes: Vec<u8>,
        mime_type: &'static str,
    ) -> Result<StoredMedia, CoreError> {
        let store = MediaStore::new(&self.config().data_dir);
        let max_side = self.config().thumbnail_max_side;
        tokio::task::spawn_blocking(move || {
            let sha256 = store.put(&bytes)?;
            let thumbnail_sha256 = match MediaKind::of_mime(mime_type) {
                MediaKind::Image | MediaKind::Sticker => thumbnail_png(&bytes, max_side)
                    .map(|thumbnail| store.put(&thumbnail))
                    .transpose()?,
                _ => None,
            };
            Ok::<_, crate::media::MediaError>(StoredMedia {
                sha256,
                size_bytes: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
                mime_type: mime_type.to_string(),
                thumbnail_sha256,
            })
        })
        .await
        .map_err(|e| CoreError::Internal(format!("storing the file failed: {e}")))?
        .map_err(|e| CoreError::Internal(format!("the file could not be kept: {e}")))
    }
}

fn invalid(reason: String) -> CoreError {
    SendError::Invalid(reason).into()
}

fn too_large(size: u64, limit: u64, kind: MediaKind, animated: bool) -> String {
    let whose = if limit < MediaLimits::META.for_kind(kind.as_str(), animated) {
        "your media settings allow"
    } else {
        "WhatsApp allows"
    };
    format!(
        "the file is {}, more than the {} {whose} for it",
        human_size(size),
        human_size(limit)
    )
}

/// The type Meta is told, from the bytes; `None` when WhatsApp cannot send it.
pub fn sendable_type(bytes: &[u8], file_name: Option<&str>) -> Option<&'static str> {
    let extension = file_name
        .and_then(|name| Path::new(name).extension())
        .map(|ext| ext.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match sniff(bytes) {
        Some(found @ ("image/jpeg" | "image/png" | "image/webp")) => Some(found),
        Some(found @ ("application/pdf" | "audio/amr" | "audio/ogg")) => Some(found),
        // ADTS AAC has layer bits 00, MP3 frames do not.
        Some("audio/mpeg") if bytes.len() >= 2 && bytes[0] == 0xFF && bytes[1] & 0x06 == 0 => {
            Some("audio/aac")
        }
        Some("audio/mpeg") => Some("audio/mpeg"),
        Some("video/mp4") => Some(match &bytes[8..11] {
            b"3gp" | b"3g2" => "video/3gpp",
            b"M4A" | b"M4B" => "audio/mp4",
            _ => "video/mp4",
        }),
        Some("application/zip") => match extension.as_str() {
            "docx" => {
                Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
            }
            "xlsx" => Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            "pptx" => {
                Some("application/vnd.openxmlformats-officedocument.presentationml.presentation")
            }
            _ => None,
        },
        Some("application/x-ole-storage") => match extension.as_str() {
            "doc" => Some("application/msword"),
            "xls" => Some("application/vnd.ms-excel"),
            "ppt" => Some("application/vnd.ms-powerpoint"),
            _ => None,
        },
        Some(_) => None,
        None if is_plain_text(bytes) => Some("text/plain"),
        None => None,
    }
}

fn is_plain_text(bytes: &[u8]) -> bool {
    !bytes.contains(&0) && std::str::from_utf8(bytes).is_ok()
}

/// A WebP whose extended header has the animation flag (500 KB limit, not 100 KB).
fn is_animated_webp(bytes: &[u8]) -> bool {
    bytes.len() > 20 && &bytes[12..16] == b"VP8X" && bytes[20] & 0x02 != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_bytes_and_office_formats_from_the_name_too() {
        let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0];
        assert_eq!(sendable_type(&jpeg, Some("photo.png")), Some("image/jpeg"));
        let mut three_gp = vec![0, 0, 0, 0x14];
        three_gp.extend_from_slice(b"ftyp3gp4\0\0\0\0");
        assert_eq!(sendable_type(&three_gp, None), Some("video/3gpp"));
        let adts = [0xFF, 0xF1, 0x50, 0x80];
        assert_eq!(sendable_type(&adts, None), Some("audio/aac"));
        let mp3 = [0xFF, 0xFB, 0x90, 0x64];
        assert_eq!(sendable_type(&mp3, None), Some("audio/mpeg"));
        let zip = b"PK\x03\x04rest";
        assert_eq!(
            sendable_type(zip, Some("Report.DOCX")),
            Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        );
        assert_eq!(
            sendable_type(zip, Some("archive.zip")),
            None,
            "zip is not sendable"
        );
        assert_eq!(
            sendable_type(b"GIF89a....", None),
            None,
            "gif is not sendable"
        );
        assert_eq!(
            sendable_type("olá, mundo".as_bytes(), None),
            Some("text/plain")
        );
        assert_eq!(
            sendable_type(&[0, 1, 2, 3], None),
            None,
            "binary junk is refused"
        );
    }

    #[test]
    fn a_webp_is_a_sticker_and_a_png_an_image() {
        assert_eq!(MediaKind::of_mime("image/webp"), MediaKind::Sticker);
        assert_eq!(MediaKind::of_mime("image/png"), MediaKind::Image);
        assert_eq!(MediaKind::of_mime("audio/ogg"), MediaKind::Audio);
        assert_eq!(MediaKind::of_mime("text/plain"), MediaKind::Document);
    }
}
