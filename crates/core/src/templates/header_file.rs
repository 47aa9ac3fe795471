//! A template's picture, video or document header chosen as a file on this computer:
//! checked against Meta's type and size limits for the header's kind, uploaded to the
//! conversation's business number, and then sent by the media id Meta returned.

use serde::Deserialize;
use tracing::instrument;

use super::{HeaderFormat, HeaderMedia};
use crate::core::Core;
use crate::db::outbound;
use crate::error::CoreError;
use crate::graph::GraphError;
use crate::send::MediaKind;
use crate::send::failure::explain;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct HeaderFileToUpload {
    /// The conversation the template goes to: its business number uploads the file.
    pub conversation_id: i64,
    /// A real path (the file dialog).
    pub path: String,
    /// The template header's format: image, video or document.
    pub format: HeaderFormat,
}

impl Core {
    /// Uploads a header file now (the form waits for it) and returns the media id to
    /// send the template with. Nothing is uploaded when the file breaks Meta's rules.
    #[instrument(skip(self, upload), fields(conversation_id = upload.conversation_id))]
    pub async fn upload_template_header(
        &self,
        upload: HeaderFileToUpload,
    ) -> Result<HeaderMedia, CoreError> {
        let kind = match upload.format {
            HeaderFormat::Image => MediaKind::Image,
            HeaderFormat::Video => MediaKind::Video,
            HeaderFormat::Document => MediaKind::Document,
            HeaderFormat::Text | HeaderFormat::Location => {
                return Err(CoreError::InvalidInput(
                    "this template's header takes no file".into(),
                ));
            }
        };
        let file = self.read_sendable(&upload.path, Some(kind)).await?;
        let conversation_id = upload.conversation_id;
        let target = self
            .database()
            .read(move |conn| outbound::conversation_target(conn, conversation_id))
            .await?
            .ok_or_else(|| CoreError::NotFound(format!("conversation {conversation_id}")))?;
        let upload_name = file
            .file_name
            .clone()
            .unwrap_or_else(|| kind.as_str().to_string());
        let media_id = self
            .graph()
            .upload_media(
                &target.phone_number_id,
                file.bytes,
                file.mime_type,
                &upload_name,
            )
            .await
            .map_err(|error| not_uploaded(&error))?;
        Ok(HeaderMedia {
            media_id: Some(media_id),
            link: None,
            filename: (kind == MediaKind::Document)
                .then_some(file.file_name)
                .flatten(),
        })
    }
}

fn not_uploaded(error: &GraphError) -> CoreError {
    let reason = match error {
        GraphError::Meta(_) | GraphError::NoAccessToken | GraphError::Secrets(_) => explain(error),
        other => format!("WhatsApp could not be reached ({other}). Try again."),
    };
    CoreError::Internal(format!("The header file was not uploaded. {reason}"))
}
