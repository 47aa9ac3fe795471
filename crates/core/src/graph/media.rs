//! The Graph API calls behind a media download: `GET /{media-id}` for a fresh URL and
//! metadata, and `GET <url>` on Meta's media host, both with the client's token,
//! User-Agent and timeouts.

use std::time::Duration;

use serde::Deserialize;
use tracing::instrument;

use super::{GraphClient, GraphError, transport_error};

/// What `GET /{media-id}` answers.
#[derive(Debug, Clone, Deserialize)]
pub struct MediaMetadata {
    pub url: String,
    pub mime_type: Option<String>,
    /// Hex.
    pub sha256: Option<String>,
    pub file_size: Option<u64>,
}

impl GraphClient {
    /// Asks Meta for a media's current download URL, type, hash and size.
    #[instrument(skip(self))]
    pub async fn media_metadata(&self, media_id: &str) -> Result<MediaMetadata, GraphError> {
        let url = self.url(media_id);
        let token = self.token().await?;
        let request = self.http.get(&url).bearer_auth(token.expose());
        // A read is safe to repeat: an unanswered one is simply "not done".
        match self.exchange(request).await {
            Err(GraphError::NoAnswer(reason)) => Err(GraphError::NotSent(reason)),
            other => other,
        }
    }

    /// Starts downloading a media URL Meta gave; the caller checks the status and reads
    /// the body. `timeout` replaces the client's: a large file takes longer than a call.
    #[instrument(skip(self, url))]
    pub async fn open_media_download(
        &self,
        url: &str,
        timeout: Duration,
    ) -> Result<reqwest::Response, GraphError> {
        let token = self.token().await?;
        self.http
            .get(url)
            .bearer_auth(token.expose())
            .timeout(timeout)
            .send()
            .await
            .map_err(transport_error)
    }
}
