//! Settings changed while the inbox runs take effect at once, without a restart.

use std::time::Duration;

use chatsphere_core::Settings;
use chatsphere_core::send::TextToSend;

use crate::send_support::{bench, key, wait_for_state};

#[tokio::test]
async fn turning_off_mark_as_read_stops_read_receipts_at_once_and_turning_it_on_restores_them() {
    let b = bench().await;
    assert_eq!(b.core.settings(), Settings::default(), "the defaults apply");
    let mut settings = b.core.settings();
    settings.sending.mark_read_on_open = false;
    b.core.apply_settings(settings.clone()).expect("applied");

    b.core
        .mark_conversation_read(b.conversation_id)
        .await
        .expect("marked read");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        b.sim.read_receipts().is_empty(),
        "no receipt with the setting off: {:?}",
        b.sim.read_receipts()
    );

    settings.sending.mark_read_on_open = true;
    b.core.apply_settings(settings).expect("applied");
    b.core
        .mark_conversation_read(b.conversation_id)
        .await
        .expect("marked read");
    let receipts = b
        .sim
        .wait_for_read_receipts(1, Duration::from_secs(10))
        .await
        .expect("a receipt once the setting is back on");
    assert_eq!(receipts[0].message_id, b.inbound_wamid);
}

#[tokio::test]
async fn a_new_graph_api_version_is_used_by_the_next_send() {
    let b = bench().await;
    let mut settings = b.core.settings();
    settings.graph.version = " v24.0 ".into();
    let applied = b.core.apply_settings(settings).expect("applied");
    assert_eq!(applied.graph.version, "v24.0", "spaces are trimmed");
    assert_eq!(b.core.settings().graph.version, "v24.0");

    let queued = b
        .core
        .send_text(TextToSend {
            conversation_id: b.conversation_id,
            idempotency_key: key("version"),
            body: "Spoken in v24.0".into(),
            reply_to_wamid: None,
            preview_url: false,
        })
        .await
        .expect("queued");
    wait_for_state(&b.core, queued.message_id, "sent").await;
    let sent = b.sim.sent_messages();
    assert_eq!(
        sent.last().map(|m| m.graph_version.as_str()),
        Some("v24.0"),
        "the outbox worker follows the new version"
    );
}

#[tokio::test]
async fn an_invalid_setting_is_refused_and_nothing_changes() {
    let b = bench().await;
    let mut settings = b.core.settings();
    settings.graph.version = "latest".into();
    settings.sending.typing_indicator = false;
    let error = b.core.apply_settings(settings).expect_err("refused");
    assert_eq!(error.code(), chatsphere_core::ErrorCode::InvalidInput);
    assert_eq!(
        b.core.settings(),
        Settings::default(),
        "nothing was applied"
    );
}
