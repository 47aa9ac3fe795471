use std::time::Duration;

use base64::Engine;
use chatsphere_meta_sim::{Fault, SimConfig, Simulator, StatusOutcome, StatusPlan};
use serde_json::json;

use crate::support::{
    Graph, Receiver, TOKEN, assert_meta_error, assert_whatsapp_error, config_for, start,
    text_message,
};

const CUSTOMER: &str = "16505551234";

async fn open_window(sim: &Simulator) {
    sim.customer(CUSTOMER).send_text("hello").await.unwrap();
}

fn quiet(sim: &Simulator) {
    sim.set_status_plan(StatusPlan {
        outcome: StatusOutcome::Sent,
        ..StatusPlan::default()
    });
}

#[tokio::test]
async fn text_send_returns_meta_success_shape_with_a_fresh_wamid() {
    let (sim, _receiver) = start().await;
    open_window(&sim).await;
    let graph = Graph::new(&sim);
    let body = json!({"messaging_product": "whatsapp", "recipient_type": "individual", "to": "+1 (650) 555-1234", "type": "text", "text": {"preview_url": true, "body": "see https://example.com"}});
    let (status, first) = graph.send(&sim, body.clone()).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["messaging_product"], "whatsapp");
    assert_eq!(first["contacts"][0]["input"], "+1 (650) 555-1234");
    assert_eq!(first["contacts"][0]["wa_id"], CUSTOMER);
    let wamid = first["messages"][0]["id"].as_str().unwrap();
    let encoded = wamid.strip_prefix("wamid.").expect("wamid. prefix");
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .expect("wamid body is base64");
    assert!(
        decoded
            .windows(CUSTOMER.len())
            .any(|window| window == CUSTOMER.as_bytes()),
        "wamid encodes the recipient like Meta's"
    );
    let (_, second) = graph.send(&sim, body).await;
    assert_ne!(
        second["messages"][0]["id"], first["messages"][0]["id"],
        "every send gets a fresh wamid"
    );
    let sent = sim.sent_messages();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].to, CUSTOMER);
    assert_eq!(sent[0].message_type, "text");
    assert_eq!(
        sent[0].request["text"]["preview_url"], true,
        "the request is kept verbatim"
    );
}

#[tokio::test]
async fn every_send_kind_is_accepted_inside_the_window() {
    let (sim, _receiver) = start().await;
    quiet(&sim);
    open_window(&sim).await;
    let graph = Graph::new(&sim);
    let image = sim
        .upload_media(chatsphere_meta_sim::TINY_PNG.to_vec(), "image/png")
        .unwrap();
    let bodies = vec![
        json!({"type": "text", "text": {"body": "quoted"}, "context": {"message_id": "wamid.IN"}}),
        json!({"type": "image", "image": {"id": image.id, "caption": "legenda"}}),
        json!({"type": "document", "document": {"link": "https://example.com/a.pdf", "filename": "a.pdf"}}),
        json!({"type": "location", "location": {"latitude": -23.56, "longitude": -46.65, "name": "Loja", "address": "Av. Paulista"}}),
        json!({"type": "reaction", "reaction": {"message_id": "wamid.IN", "emoji": "❤️"}}),
        json!({"type": "reaction", "reaction": {"message_id": "wamid.IN", "emoji": ""}}),
        json!({"type": "contacts", "contacts": [{"name": {"formatted_name": "Ana"}, "phones": [{"phone": "+5511"}]}]}),
        json!({"type": "interactive", "interactive": {"type": "button", "body": {"text": "Choose"}, "action": {"buttons": [{"type": "reply", "reply": {"id": "a", "title": "A"}}]}}}),
        json!({"type": "interactive", "interactive": {"type": "list", "body": {"text": "Menu"}, "action": {"button": "Open", "sections": [{"title": "S", "rows": [{"id": "r", "title": "R"}]}]}}}),
    ];
    for mut body in bodies {
        body["messaging_product"] = json!("whatsapp");
        body["to"] = json!(CUSTOMER);
        let (status, response) = graph.send(&sim, body.clone()).await;
        assert_eq!(status, 200, "{body} → {response}");
    }
    assert_eq!(sim.sent_messages().len(), 9);
}

#[tokio::test]
async fn mark_as_read_and_typing_indicator_return_success_and_are_recorded() {
    let (sim, _receiver) = start().await;
    let graph = Graph::new(&sim);
    let (status, body) = graph
        .send(
            &sim,
            json!({"messaging_product": "whatsapp", "status": "read", "message_id": "wamid.IN1"}),
        )
        .await;
    assert_eq!((status, body), (200, json!({"success": true})));
    let (status, _) = graph.send(&sim, json!({"messaging_product": "whatsapp", "status": "read", "message_id": "wamid.IN2", "typing_indicator": {"type": "text"}})).await;
    assert_eq!(status, 200);
    let receipts = sim.read_receipts();
    assert_eq!(receipts.len(), 2);
    assert!(
        !receipts[0].typing_indicator && receipts[1].typing_indicator,
        "{receipts:?}"
    );
    assert!(
        sim.sent_messages().is_empty(),
        "read receipts are not messages"
    );
}

#[tokio::test]
async fn missing_or_wrong_token_is_rejected_with_190_and_http_401() {
    let (sim, _receiver) = start().await;
    let graph = Graph::new(&sim);
    let url = graph.url(&format!("{}/messages", sim.phone_number_id()));
    for request in [
        graph.http.post(&url),
        graph.http.post(&url).bearer_auth("wrong-token"),
    ] {
        let response = request
            .json(&text_message(CUSTOMER, "x"))
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let body: serde_json::Value = response.json().await.unwrap();
        assert_meta_error(status, &body, 401, 190);
    }
    assert!(sim.sent_messages().is_empty());
}

#[tokio::test]
async fn expired_token_is_rejected_with_190() {
    let (sim, _receiver) = start().await;
    sim.set_token_expiry(Some(sim.clock().now_unix() + 3600));
    let graph = Graph::new(&sim);
    assert_eq!(
        graph.get(&sim.phone_number_id()).await.0,
        200,
        "valid before expiry"
    );
    sim.advance_time(Duration::from_secs(3601));
    let (status, body) = graph.get(&sim.phone_number_id()).await;
    assert_meta_error(status, &body, 401, 190);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("expired"),
        "{body}"
    );
}

#[tokio::test]
async fn free_form_outside_the_24_hour_window_fails_with_131047_but_templates_pass() {
    let (sim, _receiver) = start().await;
    quiet(&sim);
    let graph = Graph::new(&sim);
    let (status, body) = graph
        .send(&sim, text_message(CUSTOMER, "never wrote"))
        .await;
    assert_whatsapp_error(status, &body, 400, 131047);
    open_window(&sim).await;
    assert_eq!(
        graph.send(&sim, text_message(CUSTOMER, "inside")).await.0,
        200,
        "open after the customer wrote"
    );
    sim.advance_time(Duration::from_secs(24 * 3600 + 1));
    let (status, body) = graph.send(&sim, text_message(CUSTOMER, "too late")).await;
    assert_whatsapp_error(status, &body, 400, 131047);
    let template = json!({"messaging_product": "whatsapp", "to": CUSTOMER, "type": "template", "template": {"name": "hello_world", "language": {"code": "en_US"}}});
    assert_eq!(
        graph.send(&sim, template).await.0,
        200,
        "templates are allowed outside the window"
    );
}

#[tokio::test]
async fn the_window_lasts_exactly_24_hours_from_the_last_inbound_message() {
    let (sim, _receiver) = start().await;
    quiet(&sim);
    sim.freeze_time();
    open_window(&sim).await;
    let graph = Graph::new(&sim);
    sim.advance_time(Duration::from_secs(24 * 3600 - 1));
    assert_eq!(
        graph
            .send(&sim, text_message(CUSTOMER, "last second"))
            .await
            .0,
        200
    );
    sim.advance_time(Duration::from_secs(1));
    let (status, body) = graph.send(&sim, text_message(CUSTOMER, "too late")).await;
    assert_whatsapp_error(status, &body, 400, 131047);
    open_window(&sim).await;
    assert_eq!(
        graph.send(&sim, text_message(CUSTOMER, "reopened")).await.0,
        200,
        "a new message reopens it"
    );
}

#[tokio::test]
async fn request_welcome_opens_the_window() {
    let (sim, _receiver) = start().await;
    quiet(&sim);
    sim.customer(CUSTOMER).request_welcome().await.unwrap();
    assert_eq!(
        Graph::new(&sim)
            .send(&sim, text_message(CUSTOMER, "welcome!"))
            .await
            .0,
        200
    );
}

#[tokio::test]
async fn per_number_throughput_is_limited_with_130429() {
    let receiver = Receiver::start().await;
    let sim = Simulator::start(SimConfig {
        throughput_per_second: 3,
        ..config_for(&receiver)
    })
    .await
    .unwrap();
    quiet(&sim);
    let graph = Graph::new(&sim);
    let template = json!({"messaging_product": "whatsapp", "type": "template", "template": {"name": "hello_world", "language": {"code": "en_US"}}});
    sim.freeze_time();
    let mut outcomes = Vec::new();
    for n in 0..4 {
        let mut body = template.clone();
        body["to"] = json!(format!("1650555{n:04}"));
        let (status, response) = graph.send(&sim, body).await;
        if status != 200 {
            assert_whatsapp_error(status, &response, 400, 130429);
        }
        outcomes.push(status);
    }
    assert_eq!(
        outcomes,
        [200, 200, 200, 400],
        "three per second, the fourth refused"
    );
    sim.advance_time(Duration::from_secs(1));
    let mut body = template.clone();
    body["to"] = json!("16505559999");
    assert_eq!(
        graph.send(&sim, body).await.0,
        200,
        "the next second has room again"
    );
    sim.set_fault(Fault::error(130429));
    let (status, body) = graph.send(&sim, text_message(CUSTOMER, "x")).await;
    assert_whatsapp_error(status, &body, 400, 130429);
}

#[tokio::test]
async fn pair_rate_limit_returns_131056_and_refills_with_time() {
    let receiver = Receiver::start().await;
    let config = SimConfig {
        pair_rate: chatsphere_meta_sim::PairRateLimit {
            burst: 2,
            refill_every: Duration::from_secs(6),
        },
        ..config_for(&receiver)
    };
    let sim = Simulator::start(config).await.unwrap();
    quiet(&sim);
    open_window(&sim).await;
    let graph = Graph::new(&sim);
    assert_eq!(graph.send(&sim, text_message(CUSTOMER, "1")).await.0, 200);
    assert_eq!(graph.send(&sim, text_message(CUSTOMER, "2")).await.0, 200);
    let (status, body) = graph.send(&sim, text_message(CUSTOMER, "3")).await;
    assert_whatsapp_error(status, &body, 400, 131056);
    sim.advance_time(Duration::from_secs(7));
    assert_eq!(
        graph.send(&sim, text_message(CUSTOMER, "4")).await.0,
        200,
        "one message refilled after 6 s"
    );
}

#[tokio::test]
async fn injected_errors_and_5xx_fire_the_requested_number_of_times() {
    let (sim, _receiver) = start().await;
    quiet(&sim);
    open_window(&sim).await;
    let graph = Graph::new(&sim);
    sim.set_fault(Fault::error(368).times(2));
    sim.set_fault(Fault::http_status(503));
    for _ in 0..2 {
        let (status, body) = graph.send(&sim, text_message(CUSTOMER, "x")).await;
        assert_whatsapp_error(status, &body, 403, 368);
    }
    let (status, body) = graph.send(&sim, text_message(CUSTOMER, "x")).await;
    assert_whatsapp_error(status, &body, 503, 131016);
    assert_eq!(
        graph.send(&sim, text_message(CUSTOMER, "x")).await.0,
        200,
        "faults exhausted"
    );
    for code in [131026u64, 131000, 190] {
        sim.set_fault(Fault::error(code as u32));
        let (status, body) = graph.send(&sim, text_message(CUSTOMER, "x")).await;
        assert_eq!(body["error"]["code"].as_u64(), Some(code), "{body}");
        assert_eq!(
            status,
            chatsphere_meta_sim::catalogue(code as u32).0,
            "HTTP status of {code}"
        );
    }
}

#[tokio::test]
async fn timeout_after_accept_sends_the_message_although_the_client_times_out() {
    let (sim, receiver) = start().await;
    open_window(&sim).await;
    sim.set_fault(Fault::timeout_after_accept());
    let client = reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let result = client
        .post(format!(
            "{}/v26.0/{}/messages",
            sim.graph_base_url(),
            sim.phone_number_id()
        ))
        .bearer_auth(TOKEN)
        .json(&text_message(CUSTOMER, "did it go?"))
        .send()
        .await;
    assert!(
        result.is_err_and(|error| error.is_timeout()),
        "the client times out"
    );
    assert_eq!(sim.sent_messages().len(), 1, "but Meta accepted it");
    let wamid = sim.sent_messages()[0].wamid.clone();
    receiver.wait_for(2).await;
    let sent_status = receiver.received().iter().any(|received| {
        received.json()["entry"][0]["changes"][0]["value"]["statuses"][0]["id"] == wamid.as_str()
    });
    assert!(sent_status, "its status webhooks still arrive");
}

#[tokio::test]
async fn timeout_before_accept_sends_nothing() {
    let (sim, _receiver) = start().await;
    open_window(&sim).await;
    sim.set_fault(Fault::timeout_before_accept());
    let client = reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let result = client
        .post(format!(
            "{}/v26.0/{}/messages",
            sim.graph_base_url(),
            sim.phone_number_id()
        ))
        .bearer_auth(TOKEN)
        .json(&text_message(CUSTOMER, "x"))
        .send()
        .await;
    assert!(result.is_err(), "the client times out");
    assert!(sim.sent_messages().is_empty(), "nothing was accepted");
}

#[tokio::test]
async fn invalid_requests_get_the_matching_meta_errors() {
    let (sim, _receiver) = start().await;
    quiet(&sim);
    open_window(&sim).await;
    let graph = Graph::new(&sim);
    let four_buttons: Vec<_> = (0..4)
        .map(|n| json!({"type": "reply", "reply": {"id": n.to_string(), "title": "B"}}))
        .collect();
    let cases = vec![
        (
            json!({"to": CUSTOMER, "type": "text", "text": {"body": "x"}}),
            400,
            100,
        ),
        (
            json!({"messaging_product": "whatsapp", "type": "text", "text": {"body": "x"}}),
            400,
            131008,
        ),
        (
            json!({"messaging_product": "whatsapp", "to": CUSTOMER, "type": "text", "text": {}}),
            400,
            131008,
        ),
        (
            json!({"messaging_product": "whatsapp", "to": CUSTOMER, "type": "text", "text": {"body": "x".repeat(4097)}}),
            400,
            100,
        ),
        (
            json!({"messaging_product": "whatsapp", "to": CUSTOMER, "type": "poll", "poll": {}}),
            400,
            131051,
        ),
        (
            json!({"messaging_product": "whatsapp", "to": CUSTOMER, "type": "image", "image": {"id": "404404404"}}),
            400,
            131053,
        ),
        (
            json!({"messaging_product": "whatsapp", "to": "not-a-number", "type": "text", "text": {"body": "x"}}),
            400,
            131009,
        ),
        (
            json!({"messaging_product": "whatsapp", "to": "+1 555-078-3881", "type": "text", "text": {"body": "x"}}),
            400,
            131021,
        ),
        (
            json!({"messaging_product": "whatsapp", "to": CUSTOMER, "type": "interactive", "interactive": {"type": "button", "body": {"text": "x"}, "action": {"buttons": four_buttons}}}),
            400,
            131009,
        ),
        (
            json!({"messaging_product": "whatsapp", "to": CUSTOMER, "type": "reaction", "reaction": {"emoji": "👍"}}),
            400,
            131008,
        ),
    ];
    for (body, status, code) in cases {
        let (got_status, response) = graph.send(&sim, body.clone()).await;
        assert_meta_error(got_status, &response, status, code);
    }
    let response = graph
        .http
        .post(graph.url(&format!("{}/messages", sim.phone_number_id())))
        .bearer_auth(TOKEN)
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400, "invalid JSON is a 400");
    assert!(sim.sent_messages().is_empty(), "nothing invalid was sent");
}

#[tokio::test]
async fn unknown_phone_number_and_bad_versions_are_rejected() {
    let (sim, _receiver) = start().await;
    let graph = Graph::new(&sim);
    let (status, body) = graph
        .post("999999/messages", &text_message(CUSTOMER, "x"))
        .await;
    assert_meta_error(status, &body, 400, 100);
    let response = graph
        .http
        .get(format!("{}/26/{}", graph.base, sim.phone_number_id()))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400, "version must look like vNN.N");
}

#[tokio::test]
async fn sending_to_a_business_scoped_id_uses_recipient_and_answers_with_user_id() {
    let (sim, _receiver) = start().await;
    quiet(&sim);
    sim.customer_without_phone("US.1349120865530274")
        .send_text("hi")
        .await
        .unwrap();
    let body = json!({"messaging_product": "whatsapp", "recipient": "US.1349120865530274", "type": "text", "text": {"body": "hello"}});
    let (status, response) = Graph::new(&sim).send(&sim, body).await;
    assert_eq!(status, 200, "{response}");
    assert_eq!(response["contacts"][0]["user_id"], "US.1349120865530274");
    assert!(response["contacts"][0].get("wa_id").is_none());
}

#[tokio::test]
async fn tests_can_wait_for_what_the_app_sends() {
    let (sim, _receiver) = start().await;
    quiet(&sim);
    open_window(&sim).await;
    let timeout = Duration::from_secs(5);
    let error = sim
        .wait_for_sent(1, Duration::from_millis(50))
        .await
        .unwrap_err();
    assert!(
        matches!(error, chatsphere_meta_sim::SimError::Timeout(_)),
        "nothing sent yet: {error}"
    );
    let graph = Graph::new(&sim);
    let waiter = sim.wait_for_sent(2, timeout);
    let sender = async {
        graph.send(&sim, text_message(CUSTOMER, "one")).await;
        graph.send(&sim, text_message(CUSTOMER, "two")).await;
    };
    let (sent, ()) = tokio::join!(waiter, sender);
    let bodies: Vec<_> = sent
        .unwrap()
        .iter()
        .map(|message| message.request["text"]["body"].clone())
        .collect();
    assert_eq!(bodies, [json!("one"), json!("two")]);
    graph
        .send(
            &sim,
            json!({"messaging_product": "whatsapp", "status": "read", "message_id": "wamid.X"}),
        )
        .await;
    assert_eq!(
        sim.wait_for_read_receipts(1, timeout).await.unwrap()[0].message_id,
        "wamid.X"
    );
}
