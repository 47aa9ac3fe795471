//! `chatsphere-headless send`: queues a text through the same outbox as the app and
//! waits for Meta's answer.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use chatsphere_core::db::messages::MessageId;
use chatsphere_core::db::outbox::{self, EntryState};
use chatsphere_core::secrets::EnvSecrets;
use chatsphere_core::send::TextToSend;
use chatsphere_core::{Config, Core};

/// How often the outbox is looked at while waiting.
const POLL: Duration = Duration::from_millis(50);

pub struct SendArgs {
    pub data_dir: PathBuf,
    pub to: String,
    pub text: String,
    pub from: Option<String>,
    pub graph_url: Option<String>,
    pub wait: Duration,
}

/// How the send ended, as the process exit code says it.
pub enum Outcome {
    Sent { wamid: String },
    Failed { reason: String },
    NotConfirmed { reason: String },
    StillQueued { reason: Option<String> },
}

pub async fn send(args: SendArgs, phone_numbers: Vec<String>) -> Result<Outcome> {
    let mut config = Config::new(&args.data_dir, Arc::new(EnvSecrets)).with_env_overrides();
    if !phone_numbers.is_empty() {
        config.phone_number_ids = phone_numbers;
    }
    if let Some(from) = &args.from
        && !config.phone_number_ids.contains(from)
    {
        config.phone_number_ids.push(from.clone());
    }
    if let Some(url) = args.graph_url {
        config.graph_base_url = url;
    }
    let core = Core::open(config)
        .await
        .context("could not open the inbox")?;
    let conversation_id = core.open_conversation(args.from, args.to).await?;
    let key = format!(
        "headless-{}-{}",
        std::process::id(),
        chatsphere_core::db::now_millis()
    );
    let queued = core
        .send_text(TextToSend {
            conversation_id,
            idempotency_key: key,
            body: args.text,
            reply_to_wamid: None,
            preview_url: false,
        })
        .await?;
    let deadline = tokio::time::Instant::now() + args.wait;
    loop {
        let entry = latest_entry(&core, queued.message_id).await?;
        let message = core
            .list_messages(conversation_id, None, 500)
            .await?
            .messages
            .into_iter()
            .find(|m| m.id == queued.message_id)
            .context("the queued message disappeared")?;
        let reason = message.error.and_then(|e| e.title);
        match entry.state.as_str() {
            "sent" => {
                return Ok(Outcome::Sent {
                    wamid: message.wamid.unwrap_or_default(),
                });
            }
            "failed" => {
                return Ok(Outcome::Failed {
                    reason: reason.unwrap_or_else(|| "WhatsApp refused the message".into()),
                });
            }
            "uncertain" => {
                return Ok(Outcome::NotConfirmed {
                    reason: reason.unwrap_or_default(),
                });
            }
            _ if tokio::time::Instant::now() >= deadline => {
                return Ok(Outcome::StillQueued { reason });
            }
            _ => tokio::time::sleep(POLL).await,
        }
    }
}

async fn latest_entry(core: &Core, message_id: i64) -> Result<EntryState> {
    let entries = core
        .database()
        .read(move |conn| outbox::states_for_message(conn, MessageId(message_id)))
        .await?;
    match entries.into_iter().last() {
        Some(entry) => Ok(entry),
        None => bail!("the message has no outbox entry"),
    }
}
