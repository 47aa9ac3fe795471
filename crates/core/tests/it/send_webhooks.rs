//! Sends and their status webhooks together, over real HTTP both ways: the `sent`
//! status that beats the send response, and statuses that settle a send whose
//! response never came.

use std::sync::Arc;
use std::time::Duration;

use chatsphere_core::config::SendingSettings;
use chatsphere_core::model::{MessageStatus, Pricing, SendState};
use chatsphere_core::secrets::{MemorySecrets, SecretKind};
use chatsphere_core::send::TextToSend;
use chatsphere_core::webhook::server::WebhookServer;
use chatsphere_core::{Config, Core};
use chatsphere_meta_sim::{Fault, SimConfig, Simulator, StatusPlan};
use tokio_util::sync::CancellationToken;

use crate::send_support::{
    TOKEN, count, customer_wrote, key, message, quick_settings, wait_for_state,
};

const APP_SECRET: &str = "send-tests-app-secret";
const PATIENCE: Duration = Duration::from_secs(15);

struct Live {
    sim: Simulator,
    core: Core,
    conversation_id: i64,
    stop: CancellationToken,
    _server: WebhookServer,
    _dir: tempfile::TempDir,
}

impl Drop for Live {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

/// A core whose webhook server receives the simulator's status webhooks.
async fn live(plan: StatusPlan, sending: SendingSettings) -> Live {
    let sim = Simulator::start(SimConfig {
        access_token: TOKEN.into(),
        app_secret: APP_SECRET.into(),
        enforce_window: false,
        status_plan: plan,
        ..SimConfig::default()
    })
    .await
    .expect("the simulator starts");
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemorySecrets::with([
        (SecretKind::AccessToken, TOKEN),
        (SecretKind::AppSecret, APP_SECRET),
        (SecretKind::VerifyToken, "send-tests-verify"),
    ]));
    let mut config = Config::new(dir.path(), secrets);
    config.graph_base_url = sim.graph_base_url().to_string();
    config.phone_number_ids = vec![sim.phone_number_id()];
    config.sending = sending;
    let core = Core::open(config).await.expect("the core opens");
    let stop = CancellationToken::new();
    let (server, _state) = core
        .start_webhook_server(stop.clone())
        .await
        .expect("the webhook server starts");
    sim.set_webhook_url(Some(format!(
        "http://127.0.0.1:{}{}",
        server.port(),
        chatsphere_core::webhook::WEBHOOK_PATH
    )));
    let conversation_id = customer_wrote(
        &core,
        &sim.phone_number_id(),
        "5511987654321",
        "wamid.live-inbound",
        60,
    )
    .await;
    Live {
        sim,
        core,
        conversation_id,
        stop,
        _server: server,
        _dir: dir,
    }
}

async fn send_text(live: &Live, body: &str) -> i64 {
    live.core
        .send_text(TextToSend {
            conversation_id: live.conversation_id,
            idempotency_key: key("live"),
            body: body.into(),
            reply_to_wamid: None,
            preview_url: false,
        })
        .await
        .expect("queued")
        .message_id
}

async fn wait_for_status(live: &Live, message_id: i64, status: MessageStatus) {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let current = message(&live.core, live.conversation_id, message_id).await;
        if current.status == Some(status) {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "message {message_id} never reached {status:?}: {current:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_sent_status_that_beats_the_send_response_is_applied_when_the_wamid_is_stored() {
    let live = live(
        StatusPlan {
            sent_before_response: true,
            ..StatusPlan::default()
        },
        quick_settings(),
    )
    .await;
    let message_id = send_text(&live, "Racing the webhook").await;
    wait_for_state(&live.core, message_id, "sent").await;
    let stored = message(&live.core, live.conversation_id, message_id).await;
    assert!(
        stored.status_times.sent_at.is_some(),
        "the early `sent` status was kept and applied: {stored:?}"
    );
    wait_for_status(&live, message_id, MessageStatus::Read).await;
    live.sim.settle().await;
    assert_eq!(
        count(&live.core, "SELECT COUNT(*) FROM pending_statuses").await,
        0,
        "no status is left waiting"
    );
    let done = message(&live.core, live.conversation_id, message_id).await;
    assert_eq!(
        done.status,
        Some(MessageStatus::Read),
        "the ticks reached read"
    );
    assert!(done.status_times.delivered_at.is_some());
    assert_eq!(
        done.pricing,
        Some(Pricing {
            category: "service".into(),
            billable: Some(true),
        }),
        "the cost Meta reported (held back with the early `sent`) reaches the message"
    );
}

#[tokio::test]
async fn status_webhooks_confirm_a_send_whose_response_never_came() {
    let live = live(
        StatusPlan {
            // Statuses come after the client gave up waiting for the response.
            sent_after: Duration::from_millis(1500),
            delivered_after: Duration::from_millis(1600),
            read_after: Duration::from_millis(1700),
            ..StatusPlan::default()
        },
        SendingSettings {
            request_timeout: Duration::from_millis(500),
            ..quick_settings()
        },
    )
    .await;
    live.sim.set_fault(Fault::timeout_after_accept());
    let message_id = send_text(&live, "Did it go?").await;
    wait_for_state(&live.core, message_id, "uncertain").await;

    wait_for_status(&live, message_id, MessageStatus::Read).await;
    let confirmed = message(&live.core, live.conversation_id, message_id).await;
    assert_eq!(
        confirmed.send_state,
        Some(SendState::Sent),
        "the status proved Meta took it"
    );
    assert_eq!(
        confirmed.wamid.as_deref(),
        Some(live.sim.sent_messages()[0].wamid.as_str())
    );
    assert_eq!(confirmed.error, None, "the \"not confirmed\" note is gone");
    assert_eq!(
        live.sim.sent_messages().len(),
        1,
        "and it was never sent twice"
    );
}
