use std::time::Duration;

use chatsphere_meta_sim::payload::{BatchLayout, Contact, InboundKind, InboundMessage};
use chatsphere_meta_sim::{
    Direction, RetryPolicy, SimError, Simulator, WEBHOOK_USER_AGENT, new_wamid,
};

use crate::support::{Receiver, config_for, start};

fn fast_retries(sim: &Simulator, attempts: u32) {
    sim.set_retry_policy(RetryPolicy {
        max_attempts: attempts,
        first_backoff: Duration::from_millis(20),
        multiplier: 2.0,
    });
}

#[tokio::test]
async fn customer_text_arrives_with_contact_metadata_and_a_fresh_wamid() {
    let (sim, receiver) = start().await;
    let delivery = sim
        .customer("5511987654321")
        .name("Ana")
        .send_text("olá")
        .await
        .unwrap();
    assert!(
        delivery.accepted(),
        "the app answered 200: {:?}",
        delivery.reports
    );
    assert_eq!(delivery.status(), Some(200));
    assert!(
        delivery.wamid().starts_with("wamid."),
        "wamid shape: {}",
        delivery.wamid()
    );
    let received = &receiver.wait_for(1).await[0];
    assert_eq!(received.user_agent.as_deref(), Some(WEBHOOK_USER_AGENT));
    let json = received.json();
    assert_eq!(json["object"], "whatsapp_business_account");
    assert_eq!(json["entry"][0]["id"], sim.waba_id());
    let change = &json["entry"][0]["changes"][0];
    assert_eq!(change["field"], "messages");
    let value = &change["value"];
    assert_eq!(value["messaging_product"], "whatsapp");
    assert_eq!(value["metadata"]["phone_number_id"], sim.phone_number_id());
    assert_eq!(
        value["metadata"]["display_phone_number"], "15550783881",
        "digits only in webhooks"
    );
    assert_eq!(value["contacts"][0]["wa_id"], "5511987654321");
    assert_eq!(value["contacts"][0]["profile"]["name"], "Ana");
    assert!(
        value["contacts"][0]["user_id"]
            .as_str()
            .is_some_and(|id| id.starts_with("US.")),
        "BSUID present"
    );
    let message = &value["messages"][0];
    assert_eq!(message["from"], "5511987654321");
    assert_eq!(message["id"], delivery.wamid());
    assert_eq!(message["type"], "text");
    assert_eq!(message["text"]["body"], "olá");
    assert!(
        message["timestamp"]
            .as_str()
            .is_some_and(|ts| ts.parse::<i64>().is_ok()),
        "timestamp is a string of seconds"
    );
}

#[tokio::test]
async fn customer_without_phone_is_identified_only_by_business_scoped_id() {
    let (sim, receiver) = start().await;
    sim.customer_without_phone("US.13491208655302741918")
        .name("Sam")
        .username("sam.k")
        .send_text("hi")
        .await
        .unwrap();
    let json = receiver.wait_for(1).await[0].json();
    let value = &json["entry"][0]["changes"][0]["value"];
    let contact = &value["contacts"][0];
    assert!(contact.get("wa_id").is_none(), "no wa_id: {contact}");
    assert_eq!(contact["user_id"], "US.13491208655302741918");
    assert_eq!(contact["profile"]["username"], "sam.k");
    let message = &value["messages"][0];
    assert!(message.get("from").is_none(), "no from: {message}");
    assert_eq!(message["from_user_id"], "US.13491208655302741918");
}

#[tokio::test]
async fn non_200_answers_are_retried_with_backoff_until_accepted() {
    let (sim, receiver) = start().await;
    fast_retries(&sim, 5);
    receiver.respond_with(&[500, 503, 202]);
    let delivery = sim
        .customer("15551230000")
        .send_text("retry me")
        .await
        .unwrap();
    let report = delivery.report().unwrap();
    assert!(report.delivered, "delivered after retries: {report:?}");
    let statuses: Vec<_> = report
        .attempts
        .iter()
        .map(|attempt| attempt.status)
        .collect();
    assert_eq!(
        statuses,
        vec![Some(500), Some(503), Some(202), Some(200)],
        "only 200 counts as accepted"
    );
    let received = receiver.wait_for(4).await;
    assert!(
        received.windows(2).all(|pair| pair[0].body == pair[1].body),
        "retries resend identical bytes"
    );
}

#[tokio::test]
async fn retries_stop_after_the_policy_allows() {
    let (sim, receiver) = start().await;
    fast_retries(&sim, 3);
    receiver.respond_with(&[500, 500, 500, 500]);
    let delivery = sim
        .customer("15551230001")
        .send_text("lost?")
        .await
        .unwrap();
    let report = delivery.report().unwrap();
    assert!(!report.delivered, "not delivered: {report:?}");
    assert_eq!(report.attempts.len(), 3, "three attempts in total");
    assert_eq!(report.final_status(), Some(500));
    let log = sim.deliveries();
    assert_eq!(
        log.last().map(|record| (record.attempts, record.delivered)),
        Some((3, false)),
        "delivery log: {log:?}"
    );
}

#[tokio::test]
async fn unreachable_app_is_reported_as_attempts_without_status() {
    let receiver = Receiver::start().await;
    let mut config = config_for(&receiver);
    config.webhook_url = Some("http://127.0.0.1:9/webhook".to_owned());
    let sim = Simulator::start(config).await.unwrap();
    fast_retries(&sim, 2);
    let delivery = sim
        .customer("15551230002")
        .send_text("anyone?")
        .await
        .unwrap();
    let report = delivery.report().unwrap();
    assert!(!report.delivered);
    assert!(
        report
            .attempts
            .iter()
            .all(|attempt| attempt.status.is_none() && attempt.error.is_some()),
        "{report:?}"
    );
}

#[tokio::test]
async fn duplicate_deliveries_send_identical_bytes() {
    let (sim, receiver) = start().await;
    let delivery = sim
        .customer("15551230003")
        .delivered_times(3)
        .send_text("once, thrice")
        .await
        .unwrap();
    assert_eq!(delivery.reports.len(), 3);
    let received = receiver.wait_for(3).await;
    assert!(
        received.iter().all(|copy| copy.body == received[0].body),
        "duplicates are byte-identical"
    );
    assert!(
        received
            .iter()
            .all(|copy| copy.signature == received[0].signature)
    );
}

#[tokio::test]
async fn a_batch_of_1000_messages_arrives_in_one_post_in_every_layout() {
    let (sim, receiver) = start().await;
    let contact = Contact::with_phone("15551239999", "Batch");
    let messages: Vec<InboundMessage> = (0..1000)
        .map(|n| {
            InboundMessage::new(
                contact.clone(),
                new_wamid("15551239999", Direction::Inbound),
                1_750_000_000 + n,
                InboundKind::Text {
                    body: format!("m{n}"),
                },
            )
        })
        .collect();
    sim.deliver_batch(messages.clone(), BatchLayout::OneChange)
        .await
        .unwrap();
    sim.deliver_batch(messages[..3].to_vec(), BatchLayout::ChangePerMessage)
        .await
        .unwrap();
    sim.deliver_batch(messages[..3].to_vec(), BatchLayout::EntryPerMessage)
        .await
        .unwrap();
    let received = receiver.wait_for(3).await;
    let one = received[0].json();
    let value = &one["entry"][0]["changes"][0]["value"];
    assert_eq!(
        value["messages"].as_array().unwrap().len(),
        1000,
        "1000 updates in one change"
    );
    assert_eq!(
        value["contacts"].as_array().unwrap().len(),
        1,
        "the sender appears once in contacts"
    );
    let per_change = received[1].json();
    assert_eq!(per_change["entry"].as_array().unwrap().len(), 1);
    assert_eq!(
        per_change["entry"][0]["changes"].as_array().unwrap().len(),
        3,
        "one change per message"
    );
    let per_entry = received[2].json();
    assert_eq!(
        per_entry["entry"].as_array().unwrap().len(),
        3,
        "one entry per message"
    );
}

#[tokio::test]
async fn reordered_batch_keeps_every_message() {
    let (sim, receiver) = start().await;
    let customer = sim.customer("15551230004");
    let mut messages: Vec<_> = (0..5)
        .map(|n| {
            customer.message(InboundKind::Text {
                body: format!("#{n}"),
            })
        })
        .collect();
    messages.reverse();
    let ids: Vec<_> = messages.iter().map(|message| message.id.clone()).collect();
    sim.deliver_batch(messages, BatchLayout::ChangePerMessage)
        .await
        .unwrap();
    let json = receiver.wait_for(1).await[0].json();
    let arrived: Vec<String> = json["entry"][0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|change| {
            change["value"]["messages"][0]["id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(
        arrived, ids,
        "messages arrive in the (reversed) order given"
    );
}

#[tokio::test]
async fn no_callback_means_no_delivery_target() {
    let receiver = Receiver::start().await;
    let mut config = config_for(&receiver);
    config.webhook_url = None;
    let sim = Simulator::start(config).await.unwrap();
    let error = sim
        .customer("15551230005")
        .send_text("hello?")
        .await
        .unwrap_err();
    assert!(matches!(error, SimError::NoWebhookTarget), "{error}");
}

#[tokio::test]
async fn inbound_media_can_be_downloaded_by_the_app_and_matches_its_sha256() {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    let (sim, receiver) = start().await;
    let bytes = chatsphere_meta_sim::TINY_PNG.to_vec();
    let delivery = sim
        .customer("15551230006")
        .send_image(bytes.clone(), "image/png", Some("foto 📷"))
        .await
        .unwrap();
    let json = receiver.wait_for(1).await[0].json();
    let image = &json["entry"][0]["changes"][0]["value"]["messages"][0]["image"];
    assert_eq!(image["id"], delivery.media().unwrap().id.as_str());
    assert_eq!(image["caption"], "foto 📷");
    let expected_sha = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(&bytes));
    assert_eq!(
        image["sha256"],
        expected_sha.as_str(),
        "base64 sha256 like Meta's webhooks"
    );
    let url = image["url"].as_str().unwrap();
    let downloaded = reqwest::Client::new()
        .get(url)
        .bearer_auth(crate::support::TOKEN)
        .header("User-Agent", "chatsphere-test")
        .send()
        .await
        .unwrap();
    assert_eq!(downloaded.status(), 200);
    assert_eq!(downloaded.headers()["content-type"], "image/png");
    assert_eq!(
        downloaded.bytes().await.unwrap().to_vec(),
        bytes,
        "downloaded bytes are the customer's"
    );
}

#[tokio::test]
async fn messages_delivered_separately_can_arrive_reversed() {
    let (sim, receiver) = start().await;
    let customer = sim.customer("15551230007");
    let messages: Vec<_> = (0..4)
        .map(|n| {
            customer.message(InboundKind::Text {
                body: format!("#{n}"),
            })
        })
        .collect();
    let ids: Vec<_> = messages.iter().map(|message| message.id.clone()).collect();
    let reports = sim
        .deliver_separately(messages, chatsphere_meta_sim::DeliveryOrder::Reversed)
        .await
        .unwrap();
    assert_eq!(reports.len(), 4, "one POST per message");
    let arrived: Vec<String> = receiver
        .wait_for(4)
        .await
        .iter()
        .map(|received| {
            received.json()["entry"][0]["changes"][0]["value"]["messages"][0]["id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let reversed: Vec<String> = ids.into_iter().rev().collect();
    assert_eq!(arrived, reversed, "last message first");
}

#[tokio::test]
async fn batches_over_1000_updates_are_refused() {
    let (sim, receiver) = start().await;
    let customer = sim.customer("15551230008");
    let messages: Vec<_> = (0..1001)
        .map(|n| {
            customer.message(InboundKind::Text {
                body: n.to_string(),
            })
        })
        .collect();
    let error = sim
        .deliver_batch(messages, BatchLayout::OneChange)
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            SimError::BatchTooLarge {
                got: 1001,
                max: 1000
            }
        ),
        "{error}"
    );
    assert!(receiver.received().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn value_level_errors_arrive_without_messages() {
    let (sim, receiver) = start().await;
    sim.deliver_value_error(130429).await.unwrap();
    let json = receiver.wait_for(1).await[0].json();
    let value = &json["entry"][0]["changes"][0]["value"];
    assert!(value.get("messages").is_none(), "{value}");
    assert_eq!(value["errors"][0]["code"], 130429);
    assert_eq!(value["errors"][0]["title"], "Rate limit hit");
}

#[tokio::test]
async fn customers_keep_a_stable_business_scoped_id_and_a_realistic_default_name() {
    let (sim, receiver) = start().await;
    sim.customer("15551230009").send_text("one").await.unwrap();
    sim.customer("15551230009").send_text("two").await.unwrap();
    let received = receiver.wait_for(2).await;
    let contact = |index: usize| {
        received[index].json()["entry"][0]["changes"][0]["value"]["contacts"][0].clone()
    };
    assert_eq!(
        contact(0)["user_id"],
        contact(1)["user_id"],
        "same user, same BSUID"
    );
    assert!(
        chatsphere_meta_sim::NAMES.contains(&contact(0)["profile"]["name"].as_str().unwrap()),
        "default name comes from the corpus"
    );
}

#[tokio::test]
async fn a_second_business_number_gets_its_own_metadata_and_window() {
    let receiver = Receiver::start().await;
    let second = chatsphere_meta_sim::BusinessNumber {
        phone_number_id: "200000000000002".into(),
        display_phone_number: "+55 11 4000-0002".into(),
        verified_name: "Filial Centro".into(),
        quality_rating: "GREEN".into(),
    };
    let mut config = config_for(&receiver);
    config.numbers.push(second.clone());
    let sim = Simulator::start(config).await.unwrap();
    sim.customer("15551230010")
        .to_number(&second.phone_number_id)
        .send_text("oi")
        .await
        .unwrap();
    let json = receiver.wait_for(1).await[0].json();
    let metadata = &json["entry"][0]["changes"][0]["value"]["metadata"];
    assert_eq!(metadata["phone_number_id"], "200000000000002");
    assert_eq!(metadata["display_phone_number"], "551140000002");
    let graph = crate::support::Graph::new(&sim);
    let body = crate::support::text_message("15551230010", "reply");
    assert_eq!(
        graph.post("200000000000002/messages", &body).await.0,
        200,
        "window open on the second number"
    );
    let (status, _) = graph.send(&sim, body).await;
    assert_eq!(status, 400, "but not on the first");
}

#[tokio::test]
async fn customer_actions_carry_their_context_referral_and_type_objects() {
    use chatsphere_meta_sim::payload::{ContactCard, OrderItem, Referral};
    let (sim, receiver) = start().await;
    let customer = sim.customer("5215512345678").name("José");
    let business = "wamid.BUSINESS";
    customer.reply_text(business, "sí, gracias").await.unwrap();
    customer.react(business, "🙏").await.unwrap();
    customer.remove_reaction(business, false).await.unwrap();
    customer.press_button(business, "yes", "Sí").await.unwrap();
    customer
        .choose_list_row(business, "row-2", "Martes", Some("10:00"))
        .await
        .unwrap();
    customer
        .complete_flow(business, &serde_json::json!({"date": "2026-12-01"}))
        .await
        .unwrap();
    customer
        .tap_template_button(business, "STOP", "Parar")
        .await
        .unwrap();
    customer
        .ask_about_product("cat-1", "sku-9", "¿Tienen talla M?")
        .await
        .unwrap();
    customer
        .clone()
        .forwarded(true)
        .send_text("reenviado")
        .await
        .unwrap();
    let ad = Referral {
        source_url: "https://fb.me/x".into(),
        source_id: "120".into(),
        headline: "Oferta".into(),
        body: "2x1".into(),
        ctwa_clid: Some("clid-1".into()),
        welcome_message: Some("Hola!".into()),
    };
    customer
        .clone()
        .from_ad(ad)
        .send_text("vi el anuncio")
        .await
        .unwrap();
    customer
        .send_location(19.43, -99.13, Some("Zócalo"), None)
        .await
        .unwrap();
    customer
        .share_contact(ContactCard {
            formatted_name: "Luz".into(),
            first_name: "Luz".into(),
            last_name: None,
            phones: vec!["+52 55 0000 0000".into()],
            emails: vec![],
            company: None,
        })
        .await
        .unwrap();
    customer
        .place_order(
            "cat-1",
            None,
            vec![OrderItem {
                product_retailer_id: "sku-9".into(),
                quantity: 1,
                item_price: 199.0,
                currency: "MXN".into(),
            }],
        )
        .await
        .unwrap();
    customer.send_unsupported("poll_creation").await.unwrap();
    customer.change_number("5215587654321").await.unwrap();
    let messages: Vec<serde_json::Value> = receiver
        .wait_for(15)
        .await
        .iter()
        .map(|received| received.json()["entry"][0]["changes"][0]["value"]["messages"][0].clone())
        .collect();
    let types: Vec<&str> = messages
        .iter()
        .map(|message| message["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "text",
            "reaction",
            "reaction",
            "interactive",
            "interactive",
            "interactive",
            "button",
            "text",
            "text",
            "text",
            "location",
            "contacts",
            "order",
            "unsupported",
            "system"
        ]
    );
    for index in [0, 3, 4, 5, 6] {
        assert_eq!(
            messages[index]["context"]["id"], business,
            "message {index} quotes the business message"
        );
        assert_eq!(messages[index]["context"]["from"], "15550783881");
    }
    assert_eq!(messages[1]["reaction"]["emoji"], "🙏");
    assert!(
        messages[2]["reaction"].get("emoji").is_none(),
        "removal omits the emoji"
    );
    let flow = &messages[5]["interactive"]["nfm_reply"]["response_json"];
    assert!(flow.is_string(), "flow response_json is a JSON string");
    assert_eq!(
        messages[7]["context"]["referred_product"]["product_retailer_id"],
        "sku-9"
    );
    assert_eq!(messages[8]["context"]["frequently_forwarded"], true);
    assert_eq!(messages[9]["referral"]["ctwa_clid"], "clid-1");
    assert_eq!(messages[13]["errors"][0]["code"], 131051);
    assert_eq!(messages[14]["system"]["wa_id"], "5215587654321");
}
