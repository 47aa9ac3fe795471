//! `Core`: the inbox without a window. The desktop shell and the headless binary
//! both build one from a `Config` and call into it.

use std::sync::Arc;

use tracing::instrument;

use crate::change::{Change, ChangeBus};
use crate::config::Config;
use crate::db::business_numbers::{self, NewBusinessNumber};
use crate::db::conversations::{self, ConversationId};
use crate::db::{self, Database, messages};
use crate::error::CoreError;
use crate::media::MediaWorker;
use crate::model::{ConversationSummary, MessageCursor, MessagePage};

/// Most messages one page may hold; the UI asks for less.
pub const MAX_PAGE_SIZE: u32 = 500;

#[derive(Clone)]
pub struct Core {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    db: Database,
    changes: ChangeBus,
    /// Every business number this inbox answers for: the configured ones and those
    /// registered in the database, read once at start-up.
    phone_number_ids: Vec<String>,
    media: Arc<MediaWorker>,
}

impl Core {
    /// Opens the data directory (creating it), migrates the database and registers the
    /// configured business numbers.
    #[instrument(skip(config), fields(data_dir = %config.data_dir.display()))]
    pub async fn open(config: Config) -> Result<Core, CoreError> {
        std::fs::create_dir_all(&config.data_dir).map_err(|e| {
            CoreError::Internal(format!(
                "could not create the data folder {}: {e}",
                config.data_dir.display()
            ))
        })?;
        let path = config.database_path();
        let durability = config.durability;
        let db = tokio::task::spawn_blocking(move || Database::open_with(&path, durability))
            .await
            .map_err(|e| CoreError::Internal(format!("opening the database failed: {e}")))??;
        let numbers = config.phone_number_ids.clone();
        let phone_number_ids = db
            .write(move |conn| {
                let now = db::now_secs();
                for phone_number_id in numbers {
                    business_numbers::upsert(
                        conn,
                        &NewBusinessNumber {
                            phone_number_id,
                            waba_id: None,
                            display_phone_number: None,
                            verified_name: None,
                        },
                        now,
                    )?;
                }
                let registered = business_numbers::list(conn)?;
                Ok(registered.into_iter().map(|n| n.phone_number_id).collect())
            })
            .await?;
        let changes = ChangeBus::default();
        let media = crate::media::service::worker_for(&config, &db, &changes)?;
        Ok(Core {
            inner: Arc::new(Inner {
                config,
                db,
                changes,
                media,
                phone_number_ids,
            }),
        })
    }

    /// The business phone number ids webhook events are accepted for.
    pub fn phone_number_ids(&self) -> &[String] {
        &self.inner.phone_number_ids
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    pub fn database(&self) -> &Database {
        &self.inner.db
    }

    pub fn changes(&self) -> &ChangeBus {
        &self.inner.changes
    }

    pub fn media_worker(&self) -> &Arc<MediaWorker> {
        &self.inner.media
    }

    pub async fn list_conversations(&self) -> Result<Vec<ConversationSummary>, CoreError> {
        let now = db::now_secs();
        Ok(self
            .inner
            .db
            .read(move |conn| conversations::list_summaries(conn, now))
            .await?)
    }

    pub async fn list_messages(
        &self,
        conversation_id: i64,
        before: Option<MessageCursor>,
        limit: u32,
    ) -> Result<MessagePage, CoreError> {
        if limit == 0 || limit > MAX_PAGE_SIZE {
            return Err(CoreError::InvalidInput(format!(
                "a page holds 1 to {MAX_PAGE_SIZE} messages, not {limit}"
            )));
        }
        let conversation = ConversationId(conversation_id);
        self.inner
            .db
            .read(move |conn| {
                if !conversations::exists(conn, conversation)? {
                    return Ok(None);
                }
                messages::page(conn, conversation, before, limit as usize).map(Some)
            })
            .await?
            .ok_or_else(|| CoreError::NotFound(format!("conversation {conversation_id}")))
    }

    /// The owner opened the conversation: its inbound messages are read.
    pub async fn mark_conversation_read(&self, conversation_id: i64) -> Result<(), CoreError> {
        let conversation = ConversationId(conversation_id);
        let found = self
            .inner
            .db
            .write(move |conn| {
                if !conversations::exists(conn, conversation)? {
                    return Ok(false);
                }
                conversations::mark_read(conn, conversation, db::now_secs())?;
                Ok(true)
            })
            .await?;
        if !found {
            return Err(CoreError::NotFound(format!(
                "conversation {conversation_id}"
            )));
        }
        self.inner.changes.publish(Change::ConversationsChanged {
            conversation_ids: vec![conversation_id],
        });
        Ok(())
    }
}
