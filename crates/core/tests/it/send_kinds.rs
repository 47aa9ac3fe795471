//! Every kind of send reaches the simulator over real HTTP in Meta's shape, from the
//! conversation's business number, and the stored message follows.

use std::time::Duration;

use chatsphere_core::model::{MessageStatus, Reactor, SendState};
use chatsphere_core::send::{LocationToSend, ReactionToSend, TextToSend};
use chatsphere_meta_sim::BusinessNumber;
use serde_json::json;

use crate::send_support::{
    CUSTOMER, bench, count, customer_wrote, key, message, quick_settings, simulator, wait_for_state,
};

const WAIT: Duration = Duration::from_secs(10);

#[tokio::test]
async fn a_reply_goes_out_quoted_and_the_message_gets_metas_wamid() {
    let b = bench().await;
    let queued = b
        .core
        .send_text(TextToSend {
            conversation_id: b.conversation_id,
            idempotency_key: key("reply"),
            body: "Your order ships today".into(),
            reply_to_wamid: Some(b.inbound_wamid.clone()),
            preview_url: true,
        })
        .await
        .expect("the reply is queued");
    let pending = message(&b.core, b.conversation_id, queued.message_id).await;
    assert_eq!(
        pending.status,
        Some(MessageStatus::Pending),
        "written before it is sent"
    );

    wait_for_state(&b.core, queued.message_id, "sent").await;
    let sent = b.sim.sent_messages();
    assert_eq!(sent.len(), 1, "exactly one request reached Meta");
    assert_eq!(sent[0].phone_number_id, b.sim.phone_number_id());
    assert_eq!(sent[0].to, CUSTOMER);
    assert_eq!(sent[0].graph_version, "v26.0", "the default version");
    assert_eq!(
        sent[0].request["context"]["message_id"],
        json!(b.inbound_wamid),
        "the quote names the customer's message"
    );
    assert_eq!(
        sent[0].request["text"],
        json!({"body": "Your order ships today", "preview_url": true})
    );
    let stored = message(&b.core, b.conversation_id, queued.message_id).await;
    assert_eq!(stored.wamid.as_deref(), Some(sent[0].wamid.as_str()));
    assert_eq!(stored.status, Some(MessageStatus::Sent));
    assert_eq!(stored.send_state, Some(SendState::Sent));
    assert_eq!(stored.error, None);
    let quote = stored.reply_to.expect("the reply shows its quote");
    assert_eq!(quote.text.as_deref(), Some("olá"));
}

#[tokio::test]
async fn the_same_idempotency_key_twice_is_one_message_and_one_send() {
    let b = bench().await;
    let send = TextToSend {
        conversation_id: b.conversation_id,
        idempotency_key: key("double-click"),
        body: "Hello".into(),
        reply_to_wamid: None,
        preview_url: false,
    };
    let first = b.core.send_text(send.clone()).await.expect("queued");
    let second = b.core.send_text(send).await.expect("a repeat answers too");
    assert_eq!(first, second, "the repeat returns the first message");
    wait_for_state(&b.core, first.message_id, "sent").await;
    b.sim.settle().await;
    assert_eq!(b.sim.sent_messages().len(), 1, "Meta saw one request");
    assert_eq!(
        count(
            &b.core,
            "SELECT COUNT(*) FROM messages WHERE direction = 'out'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_location_is_sent_with_its_name_and_address() {
    let b = bench().await;
    let queued = b
        .core
        .send_location(LocationToSend {
            conversation_id: b.conversation_id,
            idempotency_key: key("location"),
            latitude: -23.5614,
            longitude: -46.6559,
            name: Some("Corner Shop".into()),
            address: Some("Av. Paulista 1000".into()),
            reply_to_wamid: None,
        })
        .await
        .expect("queued");
    wait_for_state(&b.core, queued.message_id, "sent").await;
    let sent = b.sim.sent_messages();
    assert_eq!(sent[0].message_type, "location");
    assert_eq!(
        sent[0].request["location"],
        json!({"latitude": -23.5614, "longitude": -46.6559, "name": "Corner Shop", "address": "Av. Paulista 1000"})
    );
    let stored = message(&b.core, b.conversation_id, queued.message_id).await;
    assert_eq!(stored.kind, "location");
    assert_eq!(
        stored.details.expect("details")["latitude"],
        json!(-23.5614)
    );
}

#[tokio::test]
async fn a_reaction_is_added_changed_and_removed() {
    let b = bench().await;
    let inbound_id = b
        .core
        .list_messages(b.conversation_id, None, 10)
        .await
        .unwrap()
        .messages[0]
        .id;
    for (round, emoji) in ["👍", "❤️", ""].into_iter().enumerate() {
        b.core
            .send_reaction(ReactionToSend {
                idempotency_key: key(&format!("react-{round}")),
                message_id: inbound_id,
                emoji: emoji.into(),
            })
            .await
            .expect("the reaction is queued");
        let sent = b.sim.wait_for_sent(round + 1, WAIT).await.expect("sent");
        assert_eq!(sent[round].message_type, "reaction");
        assert_eq!(
            sent[round].request["reaction"],
            json!({"message_id": b.inbound_wamid, "emoji": emoji})
        );
        let reactions = message(&b.core, b.conversation_id, inbound_id)
            .await
            .reactions;
        if emoji.is_empty() {
            assert!(reactions.is_empty(), "an empty emoji removes the reaction");
        } else {
            assert_eq!(
                reactions.len(),
                1,
                "one reaction per reactor: {reactions:?}"
            );
            assert_eq!(reactions[0].reactor, Reactor::Business);
            assert_eq!(reactions[0].emoji, emoji);
        }
    }
}

#[tokio::test]
async fn each_send_goes_out_from_the_conversations_own_number() {
    let second = BusinessNumber {
        phone_number_id: "106540352249999".into(),
        display_phone_number: "+1 555 078 9999".into(),
        verified_name: "Corner Shop Downtown".into(),
        ..chatsphere_meta_sim::SimConfig::default().numbers[0].clone()
    };
    let mut sim_config = chatsphere_meta_sim::SimConfig {
        access_token: crate::send_support::TOKEN.into(),
        enforce_window: false,
        ..chatsphere_meta_sim::SimConfig::default()
    };
    sim_config.numbers.push(second.clone());
    let sim = chatsphere_meta_sim::Simulator::start(sim_config)
        .await
        .expect("sim");
    let b = crate::send_support::bench_with(sim, quick_settings()).await;
    let downtown = customer_wrote(
        &b.core,
        &second.phone_number_id,
        "5511900001111",
        "wamid.downtown",
        30,
    )
    .await;
    let queued = b
        .core
        .send_text(TextToSend {
            conversation_id: downtown,
            idempotency_key: key("downtown"),
            body: "From downtown".into(),
            reply_to_wamid: None,
            preview_url: false,
        })
        .await
        .expect("queued");
    wait_for_state(&b.core, queued.message_id, "sent").await;
    assert_eq!(
        b.sim.sent_messages()[0].phone_number_id,
        second.phone_number_id,
        "the second number's conversation answers from the second number"
    );
}

#[tokio::test]
async fn opening_a_conversation_sends_a_read_receipt_and_typing_shows_the_indicator() {
    let b = bench().await;
    b.core
        .mark_conversation_read(b.conversation_id)
        .await
        .expect("marked read");
    let receipts = b
        .sim
        .wait_for_read_receipts(1, WAIT)
        .await
        .expect("a receipt");
    assert_eq!(receipts[0].message_id, b.inbound_wamid);
    assert!(!receipts[0].typing_indicator);

    b.core
        .owner_typing(b.conversation_id)
        .await
        .expect("typing shown");
    b.core
        .owner_typing(b.conversation_id)
        .await
        .expect("a second keystroke is fine");
    let receipts = b.sim.wait_for_read_receipts(2, WAIT).await.expect("typing");
    assert!(receipts[1].typing_indicator);
    assert_eq!(
        b.sim.read_receipts().len(),
        2,
        "the indicator is not re-sent on every keystroke"
    );
}

#[tokio::test]
async fn with_the_settings_off_no_read_receipt_or_typing_indicator_is_sent() {
    let sim = simulator().await;
    let settings = chatsphere_core::config::SendingSettings {
        mark_read_on_open: false,
        typing_indicator: false,
        ..quick_settings()
    };
    let b = crate::send_support::bench_with(sim, settings).await;
    b.core
        .mark_conversation_read(b.conversation_id)
        .await
        .unwrap();
    b.core.owner_typing(b.conversation_id).await.unwrap();
    // A text afterwards proves the simulator was reachable all along.
    let queued = b
        .core
        .send_text(TextToSend {
            conversation_id: b.conversation_id,
            idempotency_key: key("after"),
            body: "ok".into(),
            reply_to_wamid: None,
            preview_url: false,
        })
        .await
        .unwrap();
    wait_for_state(&b.core, queued.message_id, "sent").await;
    assert!(
        b.sim.read_receipts().is_empty(),
        "nothing was sent: {:?}",
        b.sim.read_receipts()
    );
}
