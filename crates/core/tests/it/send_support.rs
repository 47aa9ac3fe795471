//! Helpers for sending tests: a simulator playing Meta over real HTTP and a core that
//! sends to it from a data folder that can be reopened.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chatsphere_core::config::SendingSettings;
use chatsphere_core::db::messages::MessageId;
use chatsphere_core::db::outbox::{self, EntryState};
use chatsphere_core::db::{self, DbError};
use chatsphere_core::model::{Direction, Message};
use chatsphere_core::secrets::{MemorySecrets, SecretKind};
use chatsphere_core::{Config, Core};
use chatsphere_meta_sim::{SimConfig, Simulator};

use crate::support::{conversation, insert, text};

pub const TOKEN: &str = "EAAG-send-tests-token";
pub const CUSTOMER: &str = "5511987654321";
/// How long a test waits for the outbox to reach a state before failing.
const PATIENCE: Duration = Duration::from_secs(15);

pub struct Bench {
    pub sim: Simulator,
    pub core: Core,
    pub dir: tempfile::TempDir,
    pub conversation_id: i64,
    /// The customer's message the conversation starts with.
    pub inbound_wamid: String,
}

/// Retries a few milliseconds apart, so retry tests stay quick.
pub fn quick_settings() -> SendingSettings {
    SendingSettings {
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_secs(2),
        retry_base: Duration::from_millis(20),
        retry_max: Duration::from_millis(200),
        ..SendingSettings::default()
    }
}

/// A simulator that does not check the 24-hour window itself: the core's rule is what
/// these tests look at (the window test turns it back on).
pub async fn simulator() -> Simulator {
    Simulator::start(SimConfig {
        access_token: TOKEN.into(),
        enforce_window: false,
        ..SimConfig::default()
    })
    .await
    .expect("the simulator starts")
}

pub fn config(dir: &Path, graph_base_url: &str, sending: SendingSettings) -> Config {
    let secrets = Arc::new(MemorySecrets::with([(SecretKind::AccessToken, TOKEN)]));
    let mut config = Config::new(dir, secrets);
    config.graph_base_url = graph_base_url.to_string();
    config.sending = sending;
    config.waba_id = None;
    config
}

pub async fn open_core(dir: &Path, graph_base_url: &str, sending: SendingSettings) -> Core {
    Core::open(config(dir, graph_base_url, sending))
        .await
        .expect("the core opens")
}

pub async fn bench() -> Bench {
    bench_with(simulator().await, quick_settings()).await
}

pub async fn bench_with(sim: Simulator, sending: SendingSettings) -> Bench {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut config = config(dir.path(), sim.graph_base_url(), sending);
    config.waba_id = Some(sim.waba_id().to_string());
    let core = Core::open(config).await.expect("the core opens");
    let inbound_wamid = format!("wamid.inbound-{}", db::now_millis());
    let conversation_id =
        customer_wrote(&core, &sim.phone_number_id(), CUSTOMER, &inbound_wamid, 60).await;
    Bench {
        sim,
        core,
        dir,
        conversation_id,
        inbound_wamid,
    }
}

/// The customer wrote `seconds_ago`: the conversation exists and its window opened then.
pub async fn customer_wrote(
    core: &Core,
    phone_number_id: &str,
    wa_id: &str,
    wamid: &str,
    seconds_ago: i64,
) -> i64 {
    let (phone_number_id, wa_id, wamid) = (
        phone_number_id.to_string(),
        wa_id.to_string(),
        wamid.to_string(),
    );
    core.database()
        .write(move |conn| {
            let c = conversation(conn, &phone_number_id, &wa_id, "Ana Souza")?;
            insert(
                conn,
                &text(
                    c,
                    &wamid,
                    Direction::In,
                    "olá",
                    db::now_secs() - seconds_ago,
                ),
            )?;
            Ok(c.0)
        })
        .await
        .expect("the conversation is stored")
}

pub fn key(label: &str) -> String {
    format!("{label}-{}", db::now_millis())
}

/// Waits until the message's newest outbox entry is in `state`.
pub async fn wait_for_state(core: &Core, message_id: i64, state: &str) -> EntryState {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let entries = entries(core, message_id).await;
        if let Some(last) = entries.last()
            && last.state == state
        {
            return last.clone();
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "message {message_id} never reached {state}: {entries:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub async fn entries(core: &Core, message_id: i64) -> Vec<EntryState> {
    core.database()
        .read(move |conn| outbox::states_for_message(conn, MessageId(message_id)))
        .await
        .expect("the outbox reads")
}

pub async fn message(core: &Core, conversation_id: i64, message_id: i64) -> Message {
    core.list_messages(conversation_id, None, 500)
        .await
        .expect("messages read")
        .messages
        .into_iter()
        .find(|m| m.id == message_id)
        .expect("the message is in its conversation")
}

pub async fn count(core: &Core, sql: &'static str) -> i64 {
    core.database()
        .read(move |conn| {
            conn.query_row(sql, [], |row| row.get(0))
                .map_err(DbError::from)
        })
        .await
        .expect("the count reads")
}

/// A port nothing listens on: sends to it fail before reaching anyone.
pub async fn closed_port_url() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port");
    let port = listener.local_addr().expect("an address").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}
