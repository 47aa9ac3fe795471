//! The outbox against a misbehaving Meta: retries with backoff, survival across a
//! restart, no second send after an ambiguous failure, and a sentence for each refusal.

use std::time::Duration;

use chatsphere_core::ErrorCode;
use chatsphere_core::config::SendingSettings;
use chatsphere_core::model::{MessageStatus, SendState};
use chatsphere_core::send::{QueuedMessage, TextToSend};
use chatsphere_meta_sim::{Fault, SimConfig, Simulator};

use crate::send_support::{
    TOKEN, bench, bench_with, closed_port_url, entries, key, message, open_core, quick_settings,
    simulator, wait_for_state,
};

async fn send_hello(core: &chatsphere_core::Core, conversation_id: i64) -> QueuedMessage {
    core.send_text(TextToSend {
        conversation_id,
        idempotency_key: key("hello"),
        body: "Hello from the shop".into(),
        reply_to_wamid: None,
        preview_url: false,
    })
    .await
    .expect("the message is queued")
}

#[tokio::test]
async fn retryable_errors_are_retried_until_meta_accepts() {
    for fault in [
        Fault::error(130429),
        Fault::error(131056),
        Fault::error(131000),
        Fault::http_status(503),
    ] {
        let b = bench().await;
        b.sim.set_fault(fault.clone().times(2));
        let queued = send_hello(&b.core, b.conversation_id).await;
        let done = wait_for_state(&b.core, queued.message_id, "sent").await;
        assert_eq!(
            done.attempts, 3,
            "two refusals then a success for {fault:?}"
        );
        assert_eq!(
            b.sim.sent_messages().len(),
            1,
            "accepted once for {fault:?}"
        );
        let stored = message(&b.core, b.conversation_id, queued.message_id).await;
        assert_eq!(stored.status, Some(MessageStatus::Sent));
        assert_eq!(stored.error, None, "the retry note is gone once sent");
    }
}

#[tokio::test]
async fn a_queued_message_survives_a_restart_and_is_sent_once_when_meta_is_reachable() {
    let sim = simulator().await;
    let dir = tempfile::tempdir().unwrap();
    let slow_retries = SendingSettings {
        retry_base: Duration::from_secs(3600),
        retry_max: Duration::from_secs(3600),
        ..quick_settings()
    };
    // First run: no network (nothing listens where Meta should be).
    let offline = open_core(dir.path(), &closed_port_url().await, slow_retries.clone()).await;
    let conversation_id = crate::send_support::customer_wrote(
        &offline,
        &sim.phone_number_id(),
        "5511912345678",
        "wamid.before-restart",
        60,
    )
    .await;
    let queued = send_hello(&offline, conversation_id).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let waiting = loop {
        let entry = entries(&offline, queued.message_id).await.remove(0);
        if entry.state == "queued" && entry.attempts >= 1 {
            break entry;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "an attempt was made: {entry:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(
        waiting.state, "queued",
        "a connection failure is retried later"
    );
    let noted = message(&offline, conversation_id, queued.message_id).await;
    assert_eq!(noted.status, Some(MessageStatus::Pending));
    assert!(
        noted
            .error
            .and_then(|e| e.title)
            .is_some_and(|t| t.contains("No connection")),
        "the owner sees why it is waiting"
    );
    drop(offline);

    // Second run, network back. The hour-long backoff of the first run is skipped so the
    // test need not wait; a later message for the same customer must queue behind it.
    let online = open_core(dir.path(), sim.graph_base_url(), quick_settings()).await;
    online
        .database()
        .write(|conn| {
            conn.execute("UPDATE outbox SET next_attempt_at_ms = 0", [])?;
            Ok(())
        })
        .await
        .unwrap();
    online
        .send_text(TextToSend {
            conversation_id,
            idempotency_key: key("nudge"),
            body: "second".into(),
            reply_to_wamid: None,
            preview_url: false,
        })
        .await
        .unwrap();
    wait_for_state(&online, queued.message_id, "sent").await;
    let sent = sim.wait_for_sent(2, Duration::from_secs(10)).await.unwrap();
    assert_eq!(
        sent[0].request["text"]["body"], "Hello from the shop",
        "in order"
    );
    assert_eq!(sent.len(), 2, "the queued message went out exactly once");
}

#[tokio::test]
async fn a_timeout_after_meta_accepted_is_marked_uncertain_and_never_resent() {
    let sim = simulator().await;
    sim.set_fault(Fault::timeout_after_accept());
    let settings = SendingSettings {
        request_timeout: Duration::from_millis(500),
        ..quick_settings()
    };
    let b = bench_with(sim, settings).await;
    let queued = send_hello(&b.core, b.conversation_id).await;
    let uncertain = wait_for_state(&b.core, queued.message_id, "uncertain").await;
    assert_eq!(uncertain.attempts, 1, "no blind second attempt");
    let sent = b.sim.sent_messages();
    assert_eq!(sent.len(), 1, "Meta got it once");
    let key = sent[0].request["biz_opaque_callback_data"].clone();
    assert!(
        key.is_string(),
        "the entry's key rides along for status webhooks"
    );
    let stored = message(&b.core, b.conversation_id, queued.message_id).await;
    assert_eq!(stored.status, Some(MessageStatus::Pending));
    assert!(
        stored
            .error
            .and_then(|e| e.title)
            .is_some_and(|t| t.starts_with("Not confirmed")),
        "the owner is told it may have been sent"
    );

    // Reopening the data folder does not send it again either.
    let dir = b.dir.path().to_path_buf();
    let url = b.sim.graph_base_url().to_string();
    drop(b.core);
    let reopened = open_core(&dir, &url, quick_settings()).await;
    let again = send_hello(&reopened, b.conversation_id).await;
    wait_for_state(&reopened, again.message_id, "sent").await;
    assert_eq!(
        b.sim.sent_messages().len(),
        2,
        "only the new message went out"
    );
    assert_eq!(
        entries(&reopened, queued.message_id).await[0].state,
        "uncertain"
    );

    // The owner may choose to send it again: a new entry, sent once.
    let resent = reopened
        .resend_message(queued.message_id, key_str("resend"))
        .await
        .expect("an unconfirmed message can be re-sent on request");
    wait_for_state(&reopened, resent.message_id, "sent").await;
    assert_eq!(b.sim.sent_messages().len(), 3);
}

fn key_str(label: &str) -> String {
    key(label)
}

#[tokio::test]
async fn a_request_interrupted_by_a_crash_is_uncertain_at_the_next_start() {
    let b = bench().await;
    let queued = send_hello(&b.core, b.conversation_id).await;
    wait_for_state(&b.core, queued.message_id, "sent").await;
    // As if the app died between committing "in flight" and hearing back.
    b.core
        .database()
        .write(|conn| {
            conn.execute("UPDATE outbox SET state = 'in_flight'", [])?;
            Ok(())
        })
        .await
        .unwrap();
    let dir = b.dir.path().to_path_buf();
    drop(b.core);
    let reopened = open_core(&dir, b.sim.graph_base_url(), quick_settings()).await;
    wait_for_state(&reopened, queued.message_id, "uncertain").await;
    assert_eq!(b.sim.sent_messages().len(), 1, "never sent a second time");
}

#[tokio::test]
async fn refusals_fail_the_message_with_a_sentence_saying_what_to_do() {
    let cases: [(u32, &str); 12] = [
        (
            131047,
            "More than 24 hours since the customer's last message — send a template instead.",
        ),
        (131026, "could not deliver"),
        (132000, "parameters do not match"),
        (132001, "does not exist"),
        (132005, "too long once filled in"),
        (132007, "formatting rules"),
        (132012, "wrong format"),
        (132015, "paused"),
        (132016, "disabled"),
        (132018, "not valid"),
        (190, "access token"),
        (368, "blocked"),
    ];
    let b = bench().await;
    for (code, sentence) in cases {
        b.sim.set_fault(Fault::error(code));
        let queued = send_hello(&b.core, b.conversation_id).await;
        let failed = wait_for_state(&b.core, queued.message_id, "failed").await;
        assert_eq!(failed.attempts, 1, "{code} is not retried");
        assert_eq!(failed.last_error_code, Some(i64::from(code)));
        let stored = message(&b.core, b.conversation_id, queued.message_id).await;
        assert_eq!(stored.status, Some(MessageStatus::Failed), "{code}");
        assert_eq!(stored.send_state, Some(SendState::Failed), "{code}");
        let error = stored.error.expect("the failure is kept");
        assert_eq!(error.code, Some(i64::from(code)));
        let title = error.title.unwrap_or_default();
        assert!(title.contains(sentence), "{code}: {title:?}");
        assert!(
            error.details.is_some(),
            "Meta's own words are kept for support"
        );
    }
    assert!(b.sim.sent_messages().is_empty(), "nothing was accepted");
}

#[tokio::test]
async fn a_wrong_token_fails_with_the_access_token_sentence() {
    let sim = Simulator::start(SimConfig {
        access_token: format!("{TOKEN}-rotated"),
        enforce_window: false,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let b = bench_with(sim, quick_settings()).await;
    let queued = send_hello(&b.core, b.conversation_id).await;
    wait_for_state(&b.core, queued.message_id, "failed").await;
    let error = message(&b.core, b.conversation_id, queued.message_id)
        .await
        .error
        .expect("an error");
    assert_eq!(error.code, Some(190));
}

#[tokio::test]
async fn free_form_sends_are_refused_in_the_core_outside_the_24_hour_window() {
    let b = bench().await;
    let old = crate::send_support::customer_wrote(
        &b.core,
        &b.sim.phone_number_id(),
        "5511955554444",
        "wamid.yesterday",
        25 * 3600,
    )
    .await;
    let window = b.core.service_window(old).await.unwrap();
    assert!(!window.open);
    assert_eq!(window.seconds_left, 0);
    let refused = b
        .core
        .send_text(TextToSend {
            conversation_id: old,
            idempotency_key: key("late"),
            body: "Are you there?".into(),
            reply_to_wamid: None,
            preview_url: false,
        })
        .await
        .expect_err("refused");
    assert_eq!(refused.code(), ErrorCode::OutsideServiceWindow);
    assert_eq!(
        crate::send_support::count(&b.core, "SELECT COUNT(*) FROM outbox").await,
        0,
        "nothing was queued"
    );

    let open = b.core.service_window(b.conversation_id).await.unwrap();
    assert!(open.open);
    assert!(
        open.seconds_left > 23 * 3600 && open.seconds_left <= 24 * 3600 - 60,
        "the time left counts from the customer's message: {open:?}"
    );
}

#[tokio::test]
async fn a_request_welcome_opens_the_window() {
    let b = bench().await;
    let conversation = b
        .core
        .database()
        .write(|conn| {
            let c = crate::support::conversation(conn, "106540352242922", "5511933332222", "Bia")?;
            let mut welcome = crate::support::text(
                c,
                "wamid.welcome",
                chatsphere_core::model::Direction::In,
                "",
                chatsphere_core::db::now_secs() - 10,
            );
            welcome.kind = "request_welcome".into();
            welcome.body = None;
            crate::support::insert(conn, &welcome)?;
            Ok(c.0)
        })
        .await
        .unwrap();
    assert!(b.core.service_window(conversation).await.unwrap().open);
}

#[tokio::test]
async fn metas_own_window_refusal_fails_the_message_when_the_clocks_disagree() {
    // The simulator keeps its own window and has never heard from this customer.
    let sim = Simulator::start(SimConfig {
        access_token: TOKEN.into(),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let b = bench_with(sim, quick_settings()).await;
    let queued = send_hello(&b.core, b.conversation_id).await;
    wait_for_state(&b.core, queued.message_id, "failed").await;
    let error = message(&b.core, b.conversation_id, queued.message_id)
        .await
        .error
        .expect("an error");
    assert_eq!(error.code, Some(131047));
    assert_eq!(
        error.title.as_deref(),
        Some("More than 24 hours since the customer's last message — send a template instead.")
    );
}
