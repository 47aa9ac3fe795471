//! The media operations of [`Core`]: the background worker, retries, the URI scheme and
//! the stored file of a message.

use std::path::PathBuf;
use std::sync::Arc;

use tokio_util::sync::CancellationToken;
use tracing::instrument;

use super::protocol::{self, MediaResponse};
use super::store::MediaStore;
use super::worker::{DownloadSummary, MediaWorker};
use super::{MediaError, named};
use crate::change::Change;
use crate::config::Config;
use crate::db::{self, Database, media};
use crate::error::CoreError;
use crate::graph::GraphClient;
use crate::{ChangeBus, Core};

/// Builds the worker a [`Core`] owns.
pub(crate) fn worker_for(
    config: &Config,
    db: &Database,
    changes: &ChangeBus,
    graph: &GraphClient,
) -> Arc<MediaWorker> {
    Arc::new(MediaWorker::new(
        db.clone(),
        changes.clone(),
        graph.clone(),
        MediaStore::new(&config.data_dir),
        config.media_limits,
        config.thumbnail_max_side,
    ))
}

impl From<MediaError> for CoreError {
    fn from(error: MediaError) -> Self {
        match error {
            MediaError::Db(db) => CoreError::Storage(db),
            MediaError::NotFound(what) => CoreError::NotFound(format!("media {what}")),
            MediaError::BadRequest(text) => CoreError::InvalidInput(text),
            other => CoreError::Internal(other.to_string()),
        }
    }
}

impl Core {
    /// Starts downloading media in the background (pending rows from before a restart
    /// first); it stops when `cancel` fires.
    pub fn start_media_worker(&self, cancel: CancellationToken) -> tokio::task::JoinHandle<()> {
        tokio::spawn(self.media_worker().clone().run(cancel))
    }

    /// Downloads every media file due now and returns how that went; the background
    /// worker calls this in a loop.
    pub async fn download_due_media(&self) -> Result<DownloadSummary, CoreError> {
        Ok(self.media_worker().download_due().await?)
    }

    /// The access-token refusal met while downloading, until a download succeeds.
    pub fn media_account_problem(&self) -> Option<String> {
        self.media_worker().account_problem()
    }

    /// Puts a failed download of `message_id`'s media back in the queue and wakes the
    /// worker.
    #[instrument(skip(self))]
    pub async fn retry_media_download(&self, message_id: i64) -> Result<(), CoreError> {
        let conversation = self
            .database()
            .write(move |conn| media::requeue_failed(conn, message_id, db::now_secs()))
            .await?
            .ok_or_else(|| {
                CoreError::InvalidInput(format!(
                    "message {message_id} has no failed media download to retry"
                ))
            })?;
        self.changes().publish(Change::MessagesChanged {
            conversation_id: conversation,
            message_ids: vec![message_id],
        });
        self.media_worker().wake();
        Ok(())
    }

    /// Answers a request of the `chatsphere-media` URI scheme.
    pub async fn serve_media(&self, path: &str, range: Option<&str>) -> MediaResponse {
        protocol::serve(
            self.database(),
            self.media_worker().store(),
            self.media_previews(),
            path,
            range,
        )
        .await
    }

    /// Where the downloaded file of `message_id`'s media is stored, and a safe file name
    /// for it (Meta's, cleaned, or one made from its type).
    pub async fn media_file(&self, message_id: i64) -> Result<(PathBuf, String), CoreError> {
        let file = self
            .database()
            .read(move |conn| media::downloaded_of_message(conn, message_id))
            .await?
            .ok_or_else(|| {
                CoreError::NotFound(format!("downloaded media of message {message_id}"))
            })?;
        let path = self
            .media_worker()
            .store()
            .path_of(&file.sha256)
            .ok_or_else(|| CoreError::Internal(format!("{:?} is not a store name", file.sha256)))?;
        let name = named::safe_file_name(file.file_name.as_deref(), file.mime_type.as_deref());
        Ok((path, name))
    }

    /// A copy of `message_id`'s file under its readable name (inside the data folder), for
    /// the system's default app, which picks itself by the name's extension.
    pub async fn media_file_for_opening(&self, message_id: i64) -> Result<PathBuf, CoreError> {
        let (source, name) = self.media_file(message_id).await?;
        let sha256 = source
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let data_dir = self.config().data_dir.clone();
        Ok(tokio::task::spawn_blocking(move || {
            named::named_copy(&data_dir, &source, &sha256, &name)
        })
        .await
        .map_err(|e| CoreError::Internal(format!("copying the file stopped abnormally: {e}")))??)
    }

    /// Copies the downloaded file of `message_id`'s media to `destination`.
    pub async fn save_media_as(
        &self,
        message_id: i64,
        destination: PathBuf,
    ) -> Result<(), CoreError> {
        let (source, _) = self.media_file(message_id).await?;
        tokio::fs::copy(&source, &destination).await.map_err(|e| {
            CoreError::Internal(format!("could not save to {}: {e}", destination.display()))
        })?;
        Ok(())
    }
}
