//! The two HTTP calls a download needs: `GET /{version}/{media-id}` for a fresh URL and
//! metadata, then `GET <url>` with the bearer token and a User-Agent.

use std::time::Duration;

use futures_util::StreamExt;
use serde::Deserialize;

use super::MediaError;
use crate::secrets::Secret;

/// Sent with every request: Meta's media host refuses requests without one.
pub const USER_AGENT: &str = concat!("ChatSphereDesktop/", env!("CARGO_PKG_VERSION"));
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Whole-request bound: a 100 MB document on a slow line still fits.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(600);
/// Meta's code for an invalid or expired access token.
const TOKEN_ERROR_CODE: i64 = 190;
/// Meta's code for an object id it does not know (a media id past its 7 days).
const UNKNOWN_OBJECT_CODE: i64 = 100;

/// What `GET /{media-id}` answers.
#[derive(Debug, Clone, Deserialize)]
pub struct MediaMetadata {
    pub url: String,
    pub mime_type: Option<String>,
    /// Hex.
    pub sha256: Option<String>,
    pub file_size: Option<u64>,
}

#[derive(Debug, Deserialize)]
struct GraphErrorBody {
    error: GraphErrorDetail,
}

#[derive(Debug, Deserialize)]
struct GraphErrorDetail {
    code: Option<i64>,
    message: Option<String>,
}

/// Why a download URL could not be used.
#[derive(Debug)]
pub enum UrlOutcome {
    Bytes(Vec<u8>),
    /// 404 or 410: the URL expired; ask for a fresh one.
    Expired,
}

#[derive(Clone)]
pub struct MediaClient {
    http: reqwest::Client,
    graph_base_url: String,
    graph_version: String,
}

impl MediaClient {
    pub fn new(graph_base_url: &str, graph_version: &str) -> Result<MediaClient, MediaError> {
        let http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .build()
            .map_err(|e| MediaError::Transient(format!("no HTTP client: {e}")))?;
        Ok(MediaClient {
            http,
            graph_base_url: graph_base_url.trim_end_matches('/').to_string(),
            graph_version: graph_version.to_string(),
        })
    }

    /// Asks Meta for the media's current URL, type, hash and size.
    #[tracing::instrument(skip(self, token))]
    pub async fn metadata(
        &self,
        media_id: &str,
        token: &Secret,
    ) -> Result<MediaMetadata, MediaError> {
        if media_id.is_empty() || !media_id.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(MediaError::Expired(format!(
                "{media_id:?} is not a media id Meta gives"
            )));
        }
        let url = format!("{}/{}/{media_id}", self.graph_base_url, self.graph_version);
        let response = self
            .http
            .get(url)
            .bearer_auth(token.expose())
            .send()
            .await
            .map_err(|e| MediaError::Transient(format!("asking Meta for the media: {e}")))?;
        let status = response.status();
        let body = response
            .bytes()
            .await
            .map_err(|e| MediaError::Transient(format!("reading Meta's answer: {e}")))?;
        if status.is_success() {
            return serde_json::from_slice(&body)
                .map_err(|e| MediaError::Transient(format!("Meta's answer is unreadable: {e}")));
        }
        let detail = serde_json::from_slice::<GraphErrorBody>(&body).ok();
        let code = detail.as_ref().and_then(|d| d.error.code);
        let message = detail
            .and_then(|d| d.error.message)
            .unwrap_or_else(|| format!("HTTP {status}"));
        Err(match (status.as_u16(), code) {
            (401, _) | (_, Some(TOKEN_ERROR_CODE)) => MediaError::AccessToken(message),
            (404, _) | (_, Some(UNKNOWN_OBJECT_CODE)) => MediaError::Expired(message),
            (429 | 500..=599, _) => MediaError::Transient(message),
            _ => MediaError::Rejected(message),
        })
    }

    /// Downloads `url`, refusing to read more than `max_bytes`; `progress` hears the
    /// bytes received so far and the announced total after every chunk.
    #[tracing::instrument(skip(self, url, token, progress))]
    pub async fn download(
        &self,
        url: &str,
        token: &Secret,
        max_bytes: u64,
        progress: &(dyn Fn(u64, Option<u64>) + Send + Sync),
    ) -> Result<UrlOutcome, MediaError> {
        let response = self
            .http
            .get(url)
            .bearer_auth(token.expose())
            .send()
            .await
            .map_err(|e| MediaError::Transient(format!("downloading: {e}")))?;
        let status = response.status();
        match status.as_u16() {
            200..=299 => {}
            401 => {
                return Err(MediaError::AccessToken(
                    "the media host refused the access token".into(),
                ));
            }
            404 | 410 => return Ok(UrlOutcome::Expired),
            429 | 500..=599 => {
                return Err(MediaError::Transient(format!(
                    "the media host said {status}"
                )));
            }
            _ => {
                return Err(MediaError::Rejected(format!(
                    "the media host said {status}"
                )));
            }
        }
        if let Some(length) = response.content_length()
            && length > max_bytes
        {
            return Err(MediaError::TooLarge {
                size: length,
                limit: max_bytes,
            });
        }
        let total = response.content_length();
        let mut bytes = Vec::new();
        let mut stream = response.bytes_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| MediaError::Transient(format!("downloading: {e}")))?;
            if (bytes.len() + chunk.len()) as u64 > max_bytes {
                return Err(MediaError::TooLarge {
                    size: (bytes.len() + chunk.len()) as u64,
                    limit: max_bytes,
                });
            }
            bytes.extend_from_slice(&chunk);
            progress(bytes.len() as u64, total);
        }
        Ok(UrlOutcome::Bytes(bytes))
    }
}
