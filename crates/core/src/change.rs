//! Domain changes, published after they are committed. The desktop shell turns each
//! into a typed UI event; nothing else tells the UI that something changed.

use std::sync::Arc;

use tokio::sync::{Notify, broadcast};

/// Changes queued for a slow subscriber before it starts missing some; a subscriber
/// that lags is told so (`RecvError::Lagged`) and should reload what it shows.
const BUS_CAPACITY: usize = 4096;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Conversations were created or their list entry changed (order, unread, flags).
    ConversationsChanged { conversation_ids: Vec<i64> },
    /// Messages of one conversation were added or changed (status, reactions, media).
    MessagesChanged {
        conversation_id: i64,
        message_ids: Vec<i64>,
    },
    /// Meta refused the access token while downloading media: the owner must fix the
    /// account's token before media (and anything else) can be fetched.
    AccountProblem { message: String },
    /// A media download advanced (sent a few times per file, not per chunk).
    MediaProgress {
        conversation_id: i64,
        message_id: i64,
        received_bytes: u64,
        total_bytes: Option<u64>,
    },
}

#[derive(Debug, Clone)]
pub struct ChangeBus {
    sender: broadcast::Sender<Change>,
    /// Rings the media worker when committed rows queued downloads: only then, so
    /// deliveries without media never wake it. Rings coalesce while it is busy.
    media_queued: Arc<Notify>,
}

impl Default for ChangeBus {
    fn default() -> Self {
        ChangeBus {
            sender: broadcast::channel(BUS_CAPACITY).0,
            media_queued: Arc::new(Notify::new()),
        }
    }
}

impl ChangeBus {
    pub fn publish(&self, change: Change) {
        // No subscriber (e.g. headless without a UI) is fine: the change is in the database.
        let _ = self.sender.send(change);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Change> {
        self.sender.subscribe()
    }

    /// Says that committed rows queued media downloads (or a failed one was queued
    /// again). Kept until [`ChangeBus::media_queued`] is next awaited; repeated calls
    /// before then count once.
    pub fn notify_media_queued(&self) {
        self.media_queued.notify_one();
    }

    /// Waits until downloads were queued since the last wait returned.
    pub async fn media_queued(&self) {
        self.media_queued.notified().await;
    }
}
