//! The download worker: takes due rows from the `media` table, downloads, verifies and
//! stores them, and records the outcome. It runs apart from ingest, which never waits for
//! it; pending and interrupted downloads are found again after a restart.

use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use futures_util::StreamExt;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio_util::sync::CancellationToken;
use tracing::instrument;

use super::MediaError;
use super::download::{self, UrlOutcome};
use super::store::{MediaStore, thumbnail_png};
use super::verify::{self, MediaLimits};
use crate::change::{Change, ChangeBus};
use crate::db::media::{self, DueMedia, StoredMedia};
use crate::db::{self, Database, DbError};
use crate::graph::GraphClient;

/// Rows taken per round.
const BATCH: usize = 16;
/// Downloads running at once.
const CONCURRENT_DOWNLOADS: usize = 3;
/// Attempts before a temporary failure becomes `failed`.
pub const MAX_ATTEMPTS: i64 = 8;
const FIRST_RETRY_SECS: i64 = 30;
const LONGEST_RETRY_SECS: i64 = 3600;
/// A refused token is retried rarely: the owner has to fix it first.
const ACCOUNT_RETRY_SECS: i64 = 900;
/// The longest the idle worker sleeps before looking again.
const IDLE_POLL: Duration = Duration::from_secs(60);

/// How one round of downloads ended.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DownloadSummary {
    pub downloaded: usize,
    pub retrying: usize,
    pub failed: usize,
    pub expired: usize,
    pub account_problems: usize,
}

/// Everything a download needs; shared by the background loop and direct calls.
pub struct MediaWorker {
    db: Database,
    changes: ChangeBus,
    graph: GraphClient,
    store: MediaStore,
    /// The owner's size limits as they are now: settings change them live.
    limits: RwLock<MediaLimits>,
    thumbnail_max_side: u32,
    account_problem: Mutex<Option<String>>,
}

/// Delay before attempt `attempts + 1`: doubling from 30 s, at most an hour.
pub fn backoff_secs(attempts: i64) -> i64 {
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 16)).unwrap_or(16);
    FIRST_RETRY_SECS
        .saturating_mul(1_i64 << doublings)
        .min(LONGEST_RETRY_SECS)
}

enum Outcome {
    Downloaded,
    Retrying,
    Failed,
    Expired,
    AccountProblem,
}

impl MediaWorker {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        db: Database,
        changes: ChangeBus,
        graph: GraphClient,
        store: MediaStore,
        limits: MediaLimits,
        thumbnail_max_side: u32,
    ) -> MediaWorker {
        MediaWorker {
            db,
            changes,
            graph,
            store,
            limits: RwLock::new(limits),
            thumbnail_max_side,
            account_problem: Mutex::new(None),
        }
    }

    pub fn store(&self) -> &MediaStore {
        &self.store
    }

    /// The size limits downloads are held to now.
    pub fn limits(&self) -> MediaLimits {
        *self
            .limits
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Holds the next downloads to `limits`.
    pub fn set_limits(&self, limits: MediaLimits) {
        *self
            .limits
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = limits;
    }

    /// Asks the running worker to look for due downloads now.
    pub fn wake(&self) {
        self.changes.notify_media_queued();
    }

    /// The last refusal of the access token, until a download succeeds again.
    pub fn account_problem(&self) -> Option<String> {
        self.account_problem
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    fn set_account_problem(&self, problem: Option<String>) {
        let mut current = self
            .account_problem
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if *current != problem {
            if let Some(message) = &problem {
                self.changes.publish(Change::AccountProblem {
                    message: message.clone(),
                });
            }
            *current = problem;
        }
    }

    /// Runs until `cancel` fires: downloads what is due, then sleeps until the next row
    /// is due, or ingest queues media, or [`MediaWorker::wake`] is called.
    pub async fn run(self: Arc<Self>, cancel: CancellationToken) {
        if let Err(error) = self.store.clean_temporary_files() {
            tracing::warn!(%error, "could not clean the media store");
        }
        loop {
            if let Err(error) = self.download_due().await {
                tracing::warn!(%error, "a media download round failed");
            }
            let sleep = match self.db.read(media::next_due_at).await {
                Ok(Some(due)) => {
                    let wait = due.saturating_sub(db::now_secs()).max(1);
                    Duration::from_secs(u64::try_from(wait).unwrap_or(1)).min(IDLE_POLL)
                }
                _ => IDLE_POLL,
            };
            tokio::select! {
                () = cancel.cancelled() => return,
                () = self.changes.media_queued() => {}
                () = tokio::time::sleep(sleep) => {}
            }
        }
    }

    /// Downloads every row due now, a few at a time, until none is left.
    #[instrument(skip(self))]
    pub async fn download_due(&self) -> Result<DownloadSummary, DbError> {
        let mut summary = DownloadSummary::default();
        loop {
            let now = db::now_secs();
            let due = self
                .db
                .read(move |conn| media::due(conn, now, BATCH))
                .await?;
            if due.is_empty() {
                return Ok(summary);
            }
            let outcomes: Vec<Result<Outcome, DbError>> = futures_util::stream::iter(due)
                .map(|row| self.download_one(row))
                .buffer_unordered(CONCURRENT_DOWNLOADS)
                .collect()
                .await;
            for outcome in outcomes {
                match outcome? {
                    Outcome::Downloaded => summary.downloaded += 1,
                    Outcome::Retrying => summary.retrying += 1,
                    Outcome::Failed => summary.failed += 1,
                    Outcome::Expired => summary.expired += 1,
                    Outcome::AccountProblem => summary.account_problems += 1,
                }
            }
        }
    }

    #[instrument(skip(self, row), fields(media_id = row.media_id, kind = %row.kind))]
    async fn download_one(&self, row: DueMedia) -> Result<Outcome, DbError> {
        let media_id = row.media_id;
        self.db
            .write(move |conn| media::mark_downloading(conn, media_id, db::now_secs()))
            .await?;
        let attempts = row.attempts + 1;
        let result = self.fetch_and_store(&row).await;
        let now = db::now_secs();
        let (outcome, record, error_text) = match result {
            Ok(stored) => (Outcome::Downloaded, Record::Downloaded(stored), None),
            Err(error) => {
                let (outcome, record) = if error.is_account_problem() {
                    (
                        Outcome::AccountProblem,
                        Record::Retry(now + ACCOUNT_RETRY_SECS),
                    )
                } else if error.is_transient() && attempts < MAX_ATTEMPTS {
                    (
                        Outcome::Retrying,
                        Record::Retry(now + backoff_secs(attempts)),
                    )
                } else if matches!(error, MediaError::Expired(_)) {
                    (Outcome::Expired, Record::GiveUp { expired: true })
                } else {
                    (Outcome::Failed, Record::GiveUp { expired: false })
                };
                tracing::warn!(%error, attempts, "media download did not succeed");
                (outcome, record, Some(error.to_string()))
            }
        };
        let text = error_text.clone().unwrap_or_default();
        self.db
            .write(move |conn| match record {
                Record::Downloaded(stored) => media::mark_downloaded(conn, media_id, &stored, now),
                Record::Retry(at) => media::schedule_retry(conn, media_id, &text, at, now),
                Record::GiveUp { expired } => {
                    media::mark_given_up(conn, media_id, expired, &text, now)
                }
            })
            .await?;
        match &outcome {
            Outcome::AccountProblem => self.set_account_problem(error_text),
            Outcome::Downloaded => self.set_account_problem(None),
            _ => {}
        }
        self.changes.publish(Change::MessagesChanged {
            conversation_id: row.conversation_id,
            message_ids: vec![row.message_id],
        });
        Ok(outcome)
    }

    /// Downloads (through the webhook's URL while it works, else a fresh one), verifies
    /// and stores one media file.
    async fn fetch_and_store(&self, row: &DueMedia) -> Result<StoredMedia, MediaError> {
        let limit = self.limits().for_kind(&row.kind, row.animated);
        let mut expected_hashes: Vec<String> = row.sha256_expected.iter().cloned().collect();
        let mut mime_type = row.mime_type.clone();
        let reporter = ProgressReporter {
            changes: &self.changes,
            conversation_id: row.conversation_id,
            message_id: row.message_id,
            last_step: AtomicU64::new(0),
        };
        let progress = |received, total| reporter.report(received, total);
        let mut bytes = None;
        if let Some(url) = &row.meta_url {
            match download::download(&self.graph, url, limit, &progress).await? {
                UrlOutcome::Bytes(downloaded) => bytes = Some(downloaded),
                UrlOutcome::Expired => tracing::debug!("the webhook's URL expired"),
            }
        }
        let bytes = match bytes {
            Some(bytes) => bytes,
            None => {
                let media_id = row
                    .meta_media_id
                    .as_deref()
                    .ok_or_else(|| MediaError::Expired("no media id to ask Meta with".into()))?;
                let metadata = download::metadata(&self.graph, media_id).await?;
                if let Some(size) = metadata.file_size
                    && size > limit
                {
                    return Err(MediaError::TooLarge { size, limit });
                }
                expected_hashes.extend(metadata.sha256.clone());
                if mime_type.is_none() {
                    mime_type = metadata.mime_type.clone();
                }
                let (id, url) = (row.media_id, metadata.url.clone());
                self.db
                    .write(move |conn| media::set_meta_url(conn, id, &url, db::now_secs()))
                    .await?;
                match download::download(&self.graph, &metadata.url, limit, &progress).await? {
                    UrlOutcome::Bytes(bytes) => bytes,
                    UrlOutcome::Expired => {
                        return Err(MediaError::Transient(
                            "the fresh download URL was refused as expired".into(),
                        ));
                    }
                }
            }
        };
        // The hash first: bytes damaged in transit are a mismatch, not a wrong type.
        verify::check_sha256(&bytes, expected_hashes.iter().map(String::as_str))?;
        let mime_type = match mime_type {
            Some(declared) => {
                verify::check_mime(&declared, &bytes)?;
                declared
            }
            None => verify::sniff(&bytes)
                .unwrap_or("application/octet-stream")
                .to_string(),
        };
        let store = self.store.clone();
        let wants_thumbnail = matches!(row.kind.as_str(), "image" | "sticker");
        let max_side = self.thumbnail_max_side;
        tokio::task::spawn_blocking(move || {
            let sha256 = store.put(&bytes)?;
            let thumbnail_sha256 = match wants_thumbnail.then(|| thumbnail_png(&bytes, max_side)) {
                Some(Some(thumbnail)) => Some(store.put(&thumbnail)?),
                _ => None,
            };
            Ok(StoredMedia {
                sha256,
                size_bytes: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
                mime_type,
                thumbnail_sha256,
            })
        })
        .await
        .map_err(|e| MediaError::Storage(format!("storing the file stopped abnormally: {e}")))?
    }
}

/// Publishes a download's progress at most once per tenth of the file (or per MiB when
/// the size is unknown), so the bus is not flooded chunk by chunk.
struct ProgressReporter<'a> {
    changes: &'a ChangeBus,
    conversation_id: i64,
    message_id: i64,
    last_step: AtomicU64,
}

impl ProgressReporter<'_> {
    fn report(&self, received: u64, total: Option<u64>) {
        let step = match total {
            Some(total) if total > 0 => received.saturating_mul(10) / total,
            _ => received / (1024 * 1024),
        };
        if self.last_step.swap(step, Ordering::Relaxed) != step {
            self.changes.publish(Change::MediaProgress {
                conversation_id: self.conversation_id,
                message_id: self.message_id,
                received_bytes: received,
                total_bytes: total,
            });
        }
    }
}

enum Record {
    Downloaded(StoredMedia),
    Retry(i64),
    GiveUp { expired: bool },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_from_thirty_seconds_to_an_hour() {
        assert_eq!(backoff_secs(1), 30, "first retry after 30 s");
        assert_eq!(backoff_secs(2), 60, "then doubling");
        assert_eq!(backoff_secs(40), 3600, "never longer than an hour");
    }
}
