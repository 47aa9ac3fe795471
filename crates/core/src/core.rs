//! `Core`: the inbox without a window. The desktop shell and the headless binary
//! both build one from a `Config` and call into it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use tracing::{instrument, warn};

use crate::change::{Change, ChangeBus};
use crate::config::Config;
use crate::db::business_numbers::{self, NewBusinessNumber};
use crate::db::conversations::{self, ConversationId};
use crate::db::outbound;
use crate::db::{self, Database, messages};
use crate::error::CoreError;
use crate::graph::{GraphClient, GraphSettings};
use crate::media::MediaWorker;
use crate::model::{ConversationSummary, MessageCursor, MessagePage};
use crate::send::failure::Backoff;
use crate::send::worker::{self, OutboxHandle};
use crate::settings::SendingPreferences;

/// How often the typing indicator is refreshed at most; Meta shows it for 25 seconds.
const TYPING_REFRESH: std::time::Duration = std::time::Duration::from_secs(20);

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
    graph: GraphClient,
    outbox: OutboxHandle,
    /// The owner's sending preferences as they are now: settings change them live.
    preferences: RwLock<SendingPreferences>,
    /// When the typing indicator was last shown, per conversation.
    typing_shown: Mutex<HashMap<i64, Instant>>,
    /// Every business number this inbox answers for: the configured ones and those
    /// registered in the database, read once at start-up.
    phone_number_ids: Vec<String>,
    media: Arc<MediaWorker>,
    /// Thumbnails of files picked to send in this run, which the webview may load.
    media_previews: crate::media::PreviewGrants,
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
        let graph = GraphClient::new(
            &GraphSettings {
                base_url: config.graph_base_url.clone(),
                version: config.graph_version.clone(),
                connect_timeout: config.sending.connect_timeout,
                request_timeout: config.sending.request_timeout,
            },
            config.secrets.clone(),
        )
        .map_err(|e| CoreError::Internal(e.to_string()))?;
        let changes = ChangeBus::default();
        let outbox = worker::start(
            db.clone(),
            graph.clone(),
            crate::media::MediaStore::new(&config.data_dir),
            changes.clone(),
            Backoff {
                base: config.sending.retry_base,
                max: config.sending.retry_max,
            },
        );
        let media = crate::media::service::worker_for(&config, &db, &changes, &graph);
        let preferences = RwLock::new(SendingPreferences {
            mark_read_on_open: config.sending.mark_read_on_open,
            typing_indicator: config.sending.typing_indicator,
            link_previews: config.sending.link_previews,
        });
        Ok(Core {
            inner: Arc::new(Inner {
                config,
                db,
                changes,
                media,
                media_previews: Default::default(),
                graph,
                outbox,
                preferences,
                typing_shown: Mutex::new(HashMap::new()),
                phone_number_ids,
            }),
        })
    }

    /// The business phone number ids webhook events are accepted for.
    pub fn phone_number_ids(&self) -> &[String] {
        &self.inner.phone_number_ids
    }

    pub fn graph(&self) -> &GraphClient {
        &self.inner.graph
    }

    /// The sending preferences in force now.
    pub fn preferences(&self) -> SendingPreferences {
        match self.inner.preferences.read() {
            Ok(preferences) => preferences.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    pub(crate) fn set_preferences(&self, preferences: SendingPreferences) {
        match self.inner.preferences.write() {
            Ok(mut current) => *current = preferences,
            Err(poisoned) => *poisoned.into_inner() = preferences,
        }
    }

    /// Tells the outbox worker something new is queued.
    pub(crate) fn wake_outbox(&self) {
        self.inner.outbox.wake();
    }

    /// Shows the customer "typing…" while the owner types, if the setting is on and the
    /// window is open (the indicator promises a reply). Refreshed at most every 20 s.
    #[instrument(skip(self))]
    pub async fn owner_typing(&self, conversation_id: i64) -> Result<(), CoreError> {
        if !self.preferences().typing_indicator {
            return Ok(());
        }
        {
            let shown = self
                .inner
                .typing_shown
                .lock()
                .map_err(|_| CoreError::Internal("typing state poisoned".into()))?;
            if shown
                .get(&conversation_id)
                .is_some_and(|at| at.elapsed() < TYPING_REFRESH)
            {
                return Ok(());
            }
        }
        if !self.service_window(conversation_id).await?.open {
            return Ok(());
        }
        let Some((phone_number_id, wamid)) = self.read_receipt_target(conversation_id).await?
        else {
            return Ok(());
        };
        self.inner
            .graph
            .mark_read(&phone_number_id, &wamid, true)
            .await
            .map_err(|e| CoreError::Internal(format!("the typing indicator failed: {e}")))?;
        if let Ok(mut shown) = self.inner.typing_shown.lock() {
            shown.insert(conversation_id, Instant::now());
        }
        Ok(())
    }

    async fn read_receipt_target(
        &self,
        conversation_id: i64,
    ) -> Result<Option<(String, String)>, CoreError> {
        Ok(self
            .inner
            .db
            .read(move |conn| {
                let Some(target) = outbound::conversation_target(conn, conversation_id)? else {
                    return Ok(None);
                };
                Ok(outbound::newest_inbound_wamid(conn, conversation_id)?
                    .map(|wamid| (target.phone_number_id, wamid)))
            })
            .await?)
    }

    /// Sends the customer a read receipt for the conversation's newest message, in the
    /// background: opening a conversation never waits for Meta.
    fn send_read_receipt(&self, conversation_id: i64) {
        let core = self.clone();
        tokio::spawn(async move {
            let target = match core.read_receipt_target(conversation_id).await {
                Ok(Some(target)) => target,
                Ok(None) => return,
                Err(e) => {
                    warn!(error = %e, "no read receipt target");
                    return;
                }
            };
            if let Err(e) = core
                .inner
                .graph
                .mark_read(&target.0, &target.1, false)
                .await
            {
                warn!(error = %e, conversation_id, "the read receipt was not sent");
            }
        });
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

    /// The media size limits in force now, for downloads and for files to send.
    pub fn media_limits(&self) -> crate::media::MediaLimits {
        self.inner.media.limits()
    }

    pub fn media_worker(&self) -> &Arc<MediaWorker> {
        &self.inner.media
    }

    pub fn media_previews(&self) -> &crate::media::PreviewGrants {
        &self.inner.media_previews
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
        if self.preferences().mark_read_on_open {
            self.send_read_receipt(conversation_id);
        }
        Ok(())
    }
}
