//! The app's media URI scheme (`chatsphere-media://localhost/<sha256>`, `/thumb/<sha256>`
//! and `/preview/<sha256>`), resolved here so it is tested without a window. Only files
//! known to the database as a message's media or their thumbnails are served, and the
//! previews of files the owner picked to send in this run; any other path, `../` or
//! absolute paths included, is refused before the file system is touched.

use super::MediaError;
use super::preview::PreviewGrants;
use super::store::{MediaStore, is_store_name};
use crate::db::Database;
use crate::db::media;

/// The scheme name the shell registers.
pub const SCHEME: &str = "chatsphere-media";
/// An open-ended range (`bytes=N-`) is answered with at most this much, so seeking in a
/// long video never reads the whole file.
const MAX_OPEN_RANGE: u64 = 4 * 1024 * 1024;

/// An HTTP-like answer the shell turns into the webview's response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaResponse {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl MediaResponse {
    fn error(error: &MediaError) -> MediaResponse {
        let (status, mut headers) = match error {
            MediaError::BadRequest(_) => (400, Vec::new()),
            MediaError::NotFound(_) => (404, Vec::new()),
            MediaError::RangeNotSatisfiable { size } => {
                (416, vec![("Content-Range", format!("bytes */{size}"))])
            }
            _ => (500, Vec::new()),
        };
        headers.push(("Content-Type", "text/plain; charset=utf-8".into()));
        MediaResponse {
            status,
            headers,
            body: error.to_string().into_bytes(),
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// Which of a stored file's roles a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Served {
    Original,
    Thumbnail,
    /// The thumbnail of a file picked to send, not sent yet.
    Preview,
}

/// Which stored file a request path names, and as what.
fn parse_path(path: &str) -> Result<(&str, Served), MediaError> {
    let refused = || MediaError::BadRequest(format!("{path:?} does not name media"));
    let rest = path.strip_prefix('/').ok_or_else(refused)?;
    let (name, served) = if let Some(name) = rest.strip_prefix("thumb/") {
        (name, Served::Thumbnail)
    } else if let Some(name) = rest.strip_prefix("preview/") {
        (name, Served::Preview)
    } else {
        (rest, Served::Original)
    };
    if is_store_name(name) {
        Ok((name, served))
    } else {
        Err(refused())
    }
}

/// Reads a `Range` header (one range only): `(start, length)` within `size`.
pub fn parse_range(header: &str, size: u64) -> Result<(u64, u64), MediaError> {
    let unsatisfiable = MediaError::RangeNotSatisfiable { size };
    let spec = header
        .trim()
        .strip_prefix("bytes=")
        .filter(|spec| !spec.contains(','))
        .ok_or_else(|| MediaError::BadRequest(format!("unsupported range {header:?}")))?;
    let (start, end) = spec
        .split_once('-')
        .ok_or_else(|| MediaError::BadRequest(format!("unsupported range {header:?}")))?;
    let number = |text: &str| {
        text.trim()
            .parse::<u64>()
            .map_err(|_| MediaError::BadRequest(format!("unsupported range {header:?}")))
    };
    let (first, last) = match (start.trim().is_empty(), end.trim().is_empty()) {
        (true, false) => {
            let suffix = number(end)?.min(size);
            if suffix == 0 {
                return Err(unsatisfiable);
            }
            (size - suffix, size - 1)
        }
        (false, true) => {
            let first = number(start)?;
            (
                first,
                size.saturating_sub(1)
                    .min(first.saturating_add(MAX_OPEN_RANGE - 1)),
            )
        }
        (false, false) => (number(start)?, number(end)?.min(size.saturating_sub(1))),
        (true, true) => return Err(MediaError::BadRequest(format!("empty range {header:?}"))),
    };
    if first >= size || last < first {
        return Err(unsatisfiable);
    }
    Ok((first, last - first + 1))
}

/// Answers one request of the media scheme: `path` is the URI's path, `range` its
/// `Range` header.
pub async fn serve(
    db: &Database,
    store: &MediaStore,
    previews: &PreviewGrants,
    path: &str,
    range: Option<&str>,
) -> MediaResponse {
    match resolve(db, store, previews, path, range).await {
        Ok(response) => response,
        Err(error) => MediaResponse::error(&error),
    }
}

async fn resolve(
    db: &Database,
    store: &MediaStore,
    previews: &PreviewGrants,
    path: &str,
    range: Option<&str>,
) -> Result<MediaResponse, MediaError> {
    let (name, served) = parse_path(path)?;
    let sha256 = name.to_string();
    let content_type = if served == Served::Preview {
        if !previews.is_granted(name) {
            return Err(MediaError::NotFound(name.to_string()));
        }
        "image/png".to_string()
    } else {
        let wants_thumbnail = served == Served::Thumbnail;
        db.read(move |conn| media::servable_by_sha256(conn, &sha256, wants_thumbnail))
            .await?
            .ok_or_else(|| MediaError::NotFound(name.to_string()))?
            .unwrap_or_else(|| "application/octet-stream".into())
    };
    let store = store.clone();
    let name_owned = name.to_string();
    let range = range.map(str::to_owned);
    tokio::task::spawn_blocking(move || {
        let size = store.size_of(&name_owned)?;
        let wanted = range
            .as_deref()
            .map(|header| parse_range(header, size))
            .transpose()?;
        let (body, _) = store.read_range(&name_owned, wanted)?;
        let mut headers = vec![
            ("Content-Type", content_type),
            ("Accept-Ranges", "bytes".to_string()),
            ("Content-Length", body.len().to_string()),
            // Content-addressed: a name never changes its bytes.
            (
                "Cache-Control",
                "private, max-age=31536000, immutable".to_string(),
            ),
            ("X-Content-Type-Options", "nosniff".to_string()),
        ];
        let status = match wanted {
            Some((start, len)) => {
                headers.push((
                    "Content-Range",
                    format!("bytes {start}-{}/{size}", start + len - 1),
                ));
                206
            }
            None => 200,
        };
        Ok(MediaResponse {
            status,
            headers,
            body,
        })
    })
    .await
    .map_err(|e| MediaError::Storage(format!("reading the file stopped abnormally: {e}")))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_other_than_a_hash_are_refused() {
        for path in [
            "/../chatsphere.sqlite3",
            "/thumb/../../etc/passwd",
            "//etc/passwd",
            "/etc/passwd",
            "C:\\Windows\\win.ini",
            "/%2e%2e/secret",
            "/preview/../chatsphere.sqlite3",
            "/preview//home/owner/secret.png",
            "/preview/",
        ] {
            assert!(
                matches!(parse_path(path), Err(MediaError::BadRequest(_))),
                "{path} must be refused"
            );
        }
        let hash = "ab".repeat(32);
        assert_eq!(
            parse_path(&format!("/thumb/{hash}")).ok(),
            Some((hash.as_str(), Served::Thumbnail))
        );
        assert_eq!(
            parse_path(&format!("/preview/{hash}")).ok(),
            Some((hash.as_str(), Served::Preview))
        );
    }

    #[test]
    fn ranges_are_read_like_http() {
        assert_eq!(
            parse_range("bytes=0-99", 1000).ok(),
            Some((0, 100)),
            "closed range"
        );
        assert_eq!(
            parse_range("bytes=-100", 1000).ok(),
            Some((900, 100)),
            "suffix range"
        );
        assert_eq!(
            parse_range("bytes=990-", 1000).ok(),
            Some((990, 10)),
            "open range"
        );
        assert_eq!(
            parse_range("bytes=900-5000", 1000).ok(),
            Some((900, 100)),
            "clamped end"
        );
        assert!(
            matches!(
                parse_range("bytes=1000-", 1000),
                Err(MediaError::RangeNotSatisfiable { size: 1000 })
            ),
            "past the end"
        );
    }
}
