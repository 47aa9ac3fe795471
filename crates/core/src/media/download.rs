//! The two steps of a download, through the Graph API client (one place for Meta's base
//! URL, version, token, User-Agent and error parsing): a fresh URL and metadata from
//! `GET /{media-id}`, then the bytes from that URL, within the size limit of their kind.

use std::time::Duration;

use futures_util::StreamExt;

use super::MediaError;
use crate::graph::{GraphClient, GraphError, MediaMetadata};

/// Whole-download bound: a 100 MB document on a slow line still fits.
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(600);
/// Meta's code for an invalid or expired access token.
const TOKEN_ERROR_CODE: i64 = 190;
/// Meta's code for an object id it does not know (a media id past its 7 days).
const UNKNOWN_OBJECT_CODE: i64 = 100;

/// What a download URL gave.
#[derive(Debug)]
pub enum UrlOutcome {
    Bytes(Vec<u8>),
    /// 404 or 410: the URL expired; ask for a fresh one.
    Expired,
}

/// What a refusal means for a download, from the HTTP status and Meta's code.
fn classify(status: u16, code: Option<i64>, message: String) -> MediaError {
    match (status, code) {
        (401, _) | (_, Some(TOKEN_ERROR_CODE)) => MediaError::AccessToken(message),
        (404 | 410, _) | (_, Some(UNKNOWN_OBJECT_CODE)) => MediaError::Expired(message),
        (429 | 500..=599, _) => MediaError::Transient(message),
        _ => MediaError::Rejected(message),
    }
}

impl From<GraphError> for MediaError {
    fn from(error: GraphError) -> Self {
        match error {
            GraphError::NoAccessToken => MediaError::NoAccessToken,
            GraphError::Meta(meta) => classify(meta.http_status, Some(meta.code), meta.to_string()),
            GraphError::HttpStatus { status } => {
                classify(status, None, format!("Meta answered HTTP {status}"))
            }
            other @ (GraphError::Secrets(_)
            | GraphError::Setup(_)
            | GraphError::NotSent(_)
            | GraphError::NoAnswer(_)
            | GraphError::BadResponse(_)) => MediaError::Transient(other.to_string()),
        }
    }
}

/// Asks Meta for the media's current URL, type, hash and size.
pub async fn metadata(graph: &GraphClient, media_id: &str) -> Result<MediaMetadata, MediaError> {
    if media_id.is_empty() || !media_id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(MediaError::Expired(format!(
            "{media_id:?} is not a media id Meta gives"
        )));
    }
    Ok(graph.media_metadata(media_id).await?)
}

/// Downloads `url`, refusing to read more than `max_bytes`; `progress` hears the bytes
/// received so far and the announced total after every chunk.
pub async fn download(
    graph: &GraphClient,
    url: &str,
    max_bytes: u64,
    progress: &(dyn Fn(u64, Option<u64>) + Send + Sync),
) -> Result<UrlOutcome, MediaError> {
    let response = graph.open_media_download(url, DOWNLOAD_TIMEOUT).await?;
    let status = response.status().as_u16();
    match status {
        200..=299 => {}
        404 | 410 => return Ok(UrlOutcome::Expired),
        _ => {
            return Err(classify(
                status,
                None,
                format!("the media host said HTTP {status}"),
            ));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::MetaError;

    #[test]
    fn graph_errors_become_download_outcomes() {
        let meta = |http_status, code| {
            MediaError::from(GraphError::Meta(MetaError {
                http_status,
                code,
                title: "refused".into(),
                details: None,
                error_type: None,
                fbtrace_id: None,
            }))
        };
        assert!(
            matches!(meta(400, 190), MediaError::AccessToken(_)),
            "190 is the token"
        );
        assert!(
            matches!(meta(401, 0), MediaError::AccessToken(_)),
            "401 is the token"
        );
        assert!(
            matches!(meta(400, 100), MediaError::Expired(_)),
            "unknown media id"
        );
        assert!(
            matches!(meta(503, 2), MediaError::Transient(_)),
            "Meta is down"
        );
        assert!(matches!(meta(400, 131009), MediaError::Rejected(_)));
        assert!(matches!(
            MediaError::from(GraphError::HttpStatus { status: 502 }),
            MediaError::Transient(_)
        ));
        assert!(matches!(
            MediaError::from(GraphError::NoAccessToken),
            MediaError::NoAccessToken
        ));
        assert!(matches!(
            MediaError::from(GraphError::NotSent("refused".into())),
            MediaError::Transient(_)
        ));
    }
}
