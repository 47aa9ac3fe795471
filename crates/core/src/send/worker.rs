//! The outbox worker: takes due entries one at a time, sends them, and records the
//! outcome. One request at a time keeps each conversation's order and stays far below
//! Meta's throughput limits for a single shop.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use tracing::{error, info, warn};

use super::failure::{self, Backoff, Verdict};
use crate::change::{Change, ChangeBus};
use crate::db::outbox::{self, Entry, Purpose, Upload};
use crate::db::{self, Database, DbError, outbound};
use crate::graph::types::{OutgoingContent, SendMessageRequest};
use crate::graph::{GraphClient, GraphError};
use crate::media::MediaStore;

/// Longest sleep with nothing due; a wake-up comes sooner when something is queued.
const IDLE_POLL: Duration = Duration::from_secs(60);
/// Pause after the database itself failed, so a broken disk does not spin the CPU.
const STORAGE_PAUSE: Duration = Duration::from_secs(1);

/// Keeps the worker running; dropping it stops the worker after its current request.
pub(crate) struct OutboxHandle {
    wake: Arc<Notify>,
    stop: CancellationToken,
}

impl OutboxHandle {
    pub(crate) fn wake(&self) {
        self.wake.notify_one();
    }
}

impl Drop for OutboxHandle {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

pub(crate) fn start(
    db: Database,
    graph: GraphClient,
    store: MediaStore,
    changes: ChangeBus,
    backoff: Backoff,
) -> OutboxHandle {
    let wake = Arc::new(Notify::new());
    let stop = CancellationToken::new();
    let worker = Worker {
        db,
        graph,
        store,
        changes,
        backoff,
        wake: wake.clone(),
        stop: stop.clone(),
    };
    tokio::spawn(worker.run());
    OutboxHandle { wake, stop }
}

struct Worker {
    db: Database,
    graph: GraphClient,
    /// Where the files of media messages wait for their upload.
    store: MediaStore,
    changes: ChangeBus,
    backoff: Backoff,
    wake: Arc<Notify>,
    stop: CancellationToken,
}

impl Worker {
    async fn run(self) {
        if let Err(e) = self.recover().await {
            error!(error = %e, "could not recover interrupted sends");
        }
        while !self.stop.is_cancelled() {
            match self
                .db
                .write(|conn| outbox::claim_next(conn, db::now_millis()))
                .await
            {
                Ok(Some(entry)) => self.attempt(entry).await,
                Ok(None) => {
                    let wait = self.idle_wait().await;
                    tokio::select! {
                        _ = self.wake.notified() => {}
                        _ = tokio::time::sleep(wait) => {}
                        _ = self.stop.cancelled() => {}
                    }
                }
                Err(DbError::Closed) => break,
                Err(e) => {
                    error!(error = %e, "the outbox could not be read");
                    tokio::select! {
                        _ = tokio::time::sleep(STORAGE_PAUSE) => {}
                        _ = self.stop.cancelled() => {}
                    }
                }
            }
        }
    }

    async fn idle_wait(&self) -> Duration {
        match self.db.read(outbox::next_due_ms).await {
            Ok(Some(due)) => {
                let millis = (due - db::now_millis()).clamp(0, IDLE_POLL.as_millis() as i64);
                Duration::from_millis(millis as u64)
            }
            Ok(None) => IDLE_POLL,
            Err(_) => STORAGE_PAUSE,
        }
    }

    /// Entries left in flight by a crash may have reached Meta: they become uncertain.
    async fn recover(&self) -> Result<(), DbError> {
        let now = db::now_secs();
        let interrupted = self
            .db
            .write(move |conn| {
                let entries = outbox::recover_interrupted(conn, now)?;
                for entry in &entries {
                    if entry.purpose == Purpose::Message {
                        outbound::record_note(
                            conn,
                            entry.message_id,
                            None,
                            failure::UNCERTAIN_SENTENCE,
                        )?;
                    }
                }
                Ok(entries)
            })
            .await?;
        for entry in &interrupted {
            warn!(
                outbox_id = entry.id.0,
                "a send was interrupted; marked not confirmed"
            );
            self.publish(entry);
        }
        Ok(())
    }

    async fn attempt(&self, entry: Entry) {
        if let Some(upload) = &entry.upload
            && entry.uploaded_media_id.is_none()
        {
            self.upload(&entry, upload).await;
            return;
        }
        let mut request: SendMessageRequest = match serde_json::from_str(&entry.request_json) {
            Ok(request) => request,
            Err(e) => {
                let error = GraphError::Setup(format!("the stored request is unreadable: {e}"));
                self.record_failure(&entry, &error, Verdict::Failed).await;
                return;
            }
        };
        if let (Some(media_id), Some(media)) =
            (&entry.uploaded_media_id, request.content.media_mut())
        {
            media.id = media_id.clone();
        }
        match self
            .graph
            .send_message(&entry.phone_number_id, &request)
            .await
        {
            Ok(response) => {
                let wamid = response.messages[0].id.clone();
                info!(outbox_id = entry.id.0, %wamid, "sent");
                let reacted_to = reacted_wamid(&request);
                let accepted = entry.clone();
                let saved = self
                    .db
                    .write(move |conn| {
                        outbox::mark_sent(conn, accepted.id, db::now_secs())?;
                        match (accepted.purpose, reacted_to) {
                            (Purpose::Reaction, Some(target)) => {
                                let emoji = accepted.reaction_emoji.unwrap_or_default();
                                outbound::record_reaction_accepted(conn, &target, &emoji, &wamid)
                            }
                            _ => outbound::record_accepted(conn, accepted.message_id, &wamid),
                        }
                    })
                    .await;
                if let Err(e) = saved {
                    // Meta has the message; the entry stays in flight and becomes
                    // "not confirmed" at the next start rather than being sent twice.
                    error!(error = %e, outbox_id = entry.id.0, "an accepted send could not be recorded");
                }
            }
            Err(error) => {
                let verdict = failure::verdict(&error, entry.attempts, self.backoff);
                warn!(outbox_id = entry.id.0, attempt = entry.attempts, %error, ?verdict, "send failed");
                self.record_failure(&entry, &error, verdict).await;
            }
        }
        self.publish(&entry);
    }

    /// The upload step of a media entry. On success the entry is queued again for its
    /// send, due at once; the worker's loop picks it up next.
    async fn upload(&self, entry: &Entry, upload: &Upload) {
        let path = self.store.path_of(&upload.sha256);
        let bytes = match path {
            Some(path) => tokio::fs::read(&path).await.map_err(|e| {
                GraphError::Setup(format!("the local copy of the file is unreadable: {e}"))
            }),
            None => Err(GraphError::Setup(
                "the local copy of the file is missing".into(),
            )),
        };
        let uploaded = match bytes {
            Ok(bytes) => {
                let file_name = upload.file_name.as_deref().unwrap_or("file");
                self.graph
                    .upload_media(&entry.phone_number_id, bytes, &upload.mime_type, file_name)
                    .await
            }
            Err(error) => Err(error),
        };
        match uploaded {
            Ok(media_id) => {
                info!(outbox_id = entry.id.0, %media_id, "uploaded");
                let (id, message_id) = (entry.id, entry.message_id);
                let saved = self
                    .db
                    .write(move |conn| {
                        crate::db::media::set_uploaded_id(
                            conn,
                            message_id,
                            &media_id,
                            db::now_secs(),
                        )?;
                        outbox::record_upload(conn, id, &media_id, db::now_millis())
                    })
                    .await;
                if let Err(e) = saved {
                    // Still in flight without a media id: the next start queues the
                    // upload again, which costs an unused file on Meta's side at most.
                    error!(error = %e, outbox_id = entry.id.0, "an upload could not be recorded");
                }
            }
            Err(error) => {
                let verdict = upload_verdict(&error, entry.attempts, self.backoff);
                warn!(outbox_id = entry.id.0, attempt = entry.attempts, %error, ?verdict, "upload failed");
                self.record_failure(entry, &error, verdict).await;
                self.publish(entry);
            }
        }
    }

    async fn record_failure(&self, entry: &Entry, error: &GraphError, verdict: Verdict) {
        let sentence = failure::explain(error);
        let code = error.meta_code();
        let details = match error {
            GraphError::Meta(meta) => meta.details.clone().or_else(|| Some(meta.title.clone())),
            other => Some(other.to_string()),
        };
        let entry = entry.clone();
        let reacted_to = serde_json::from_str::<SendMessageRequest>(&entry.request_json)
            .ok()
            .and_then(|request| reacted_wamid(&request));
        let technical = error.to_string();
        let saved = self
            .db
            .write(move |conn| {
                let now = db::now_secs();
                let is_message = entry.purpose == Purpose::Message;
                match verdict {
                    Verdict::Retry { delay } => {
                        let at = db::now_millis() + delay.as_millis() as i64;
                        if outbox::reschedule(conn, entry.id, at, &technical, code, now)?
                            && is_message
                        {
                            outbound::record_note(conn, entry.message_id, code, &sentence)?;
                        }
                    }
                    Verdict::Uncertain => {
                        if outbox::mark_uncertain(conn, entry.id, &technical, now)? && is_message {
                            outbound::record_note(conn, entry.message_id, None, &sentence)?;
                        }
                    }
                    Verdict::Failed => {
                        // Unchanged when a status webhook already proved Meta has it.
                        let failed = outbox::mark_failed(conn, entry.id, &technical, code, now)?;
                        if !failed {
                            return Ok(());
                        }
                        if is_message {
                            outbound::record_failed(
                                conn,
                                entry.message_id,
                                code,
                                &sentence,
                                details.as_deref(),
                                now,
                            )?;
                        } else if let Some(target) = reacted_to {
                            let emoji = entry.reaction_emoji.unwrap_or_default();
                            outbound::undo_business_reaction(conn, &target, &emoji)?;
                        }
                    }
                }
                Ok(())
            })
            .await;
        if let Err(e) = saved {
            error!(error = %e, "a send failure could not be recorded");
        }
    }

    fn publish(&self, entry: &Entry) {
        self.changes.publish(Change::MessagesChanged {
            conversation_id: entry.conversation_id,
            message_ids: vec![entry.message_id.0],
        });
        self.changes.publish(Change::ConversationsChanged {
            conversation_ids: vec![entry.conversation_id],
        });
    }
}

/// An upload carries no message, so an unanswered one is simply tried again.
fn upload_verdict(error: &GraphError, attempt: u32, backoff: Backoff) -> Verdict {
    match failure::verdict(error, attempt, backoff) {
        Verdict::Uncertain => {
            failure::verdict(&GraphError::NotSent(error.to_string()), attempt, backoff)
        }
        verdict => verdict,
    }
}

fn reacted_wamid(request: &SendMessageRequest) -> Option<String> {
    match &request.content {
        OutgoingContent::Reaction { reaction } => Some(reaction.message_id.clone()),
        _ => None,
    }
}
