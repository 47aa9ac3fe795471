use std::time::Duration;

use base64::Engine;
use serde_json::{Value, json};

use crate::support::{Graph, start, text_message};

async fn call(method: reqwest::Method, url: String, body: Option<Value>) -> Value {
    let client = reqwest::Client::new();
    let mut request = client.request(method, url);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    assert!(
        response.status().is_success(),
        "control call failed: {}",
        response.status()
    );
    response.json().await.unwrap()
}

#[tokio::test]
async fn control_api_injects_messages_and_lists_what_the_app_sent() {
    let (sim, receiver) = start().await;
    let base = sim.graph_base_url().to_owned();
    let health = call(reqwest::Method::GET, format!("{base}/_sim/health"), None).await;
    assert_eq!(health["phone_number_id"], sim.phone_number_id());

    let injected = call(reqwest::Method::POST, format!("{base}/_sim/inbound"), Some(json!({
        "from": "5511987654321", "name": "Ana", "message": {"type": "text", "body": "olá 👋"}, "copies": 2
    }))).await;
    let wamid = injected["wamid"].as_str().unwrap();
    let received = receiver.wait_for(2).await;
    assert_eq!(received[0].body, received[1].body, "two identical copies");
    assert_eq!(
        received[0].json()["entry"][0]["changes"][0]["value"]["messages"][0]["id"],
        wamid
    );

    let png = base64::engine::general_purpose::STANDARD.encode(chatsphere_meta_sim::TINY_PNG);
    call(reqwest::Method::POST, format!("{base}/_sim/inbound"), Some(json!({
        "user_id": "US.555", "name": "Sem Telefone", "media": {"kind": "image", "mime_type": "image/png", "data_base64": png, "caption": "oi"}
    }))).await;
    let media_post = receiver.wait_for(3).await[2].json();
    let message = &media_post["entry"][0]["changes"][0]["value"]["messages"][0];
    assert_eq!(message["image"]["caption"], "oi");
    assert_eq!(message["from_user_id"], "US.555");

    let (status, _) = Graph::new(&sim)
        .send(&sim, text_message("5511987654321", "resposta"))
        .await;
    assert_eq!(status, 200, "the injected message opened the window");
    let sent = call(reqwest::Method::GET, format!("{base}/_sim/sent"), None).await;
    assert_eq!(sent["data"][0]["request"]["text"]["body"], "resposta");
    let raw = br#"{"object":"whatsapp_business_account","entry":[]}"#.to_vec();
    let report: Value = reqwest::Client::new()
        .post(format!("{base}/_sim/webhook/raw"))
        .body(raw.clone())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(report["report"]["delivered"], true);
    let last = receiver
        .received()
        .into_iter()
        .find(|received| received.body == raw);
    assert!(last.is_some(), "raw body delivered unchanged");
    let deliveries = call(
        reqwest::Method::GET,
        format!("{base}/_sim/deliveries"),
        None,
    )
    .await;
    assert!(deliveries["data"].as_array().unwrap().len() >= 4);
}

#[tokio::test]
async fn control_api_sets_faults_time_and_status_plan() {
    let (sim, _receiver) = start().await;
    let base = sim.graph_base_url().to_owned();
    sim.customer("16505551234").send_text("hi").await.unwrap();
    call(
        reqwest::Method::POST,
        format!("{base}/_sim/faults"),
        Some(json!({"kind": "error", "code": 131056})),
    )
    .await;
    let graph = Graph::new(&sim);
    let (_, body) = graph.send(&sim, text_message("16505551234", "x")).await;
    assert_eq!(
        body["error"]["code"], 131056,
        "fault from the control API fired"
    );
    call(
        reqwest::Method::POST,
        format!("{base}/_sim/faults"),
        Some(json!({"kind": "http_status", "status": 502, "remaining": null})),
    )
    .await;
    assert_eq!(
        graph.send(&sim, text_message("16505551234", "x")).await.0,
        502
    );
    assert_eq!(
        graph.send(&sim, text_message("16505551234", "x")).await.0,
        502,
        "remaining: null means until cleared"
    );
    call(reqwest::Method::DELETE, format!("{base}/_sim/faults"), None).await;
    assert_eq!(
        graph.send(&sim, text_message("16505551234", "x")).await.0,
        200
    );

    let before = sim.clock().now_unix();
    let after = call(
        reqwest::Method::POST,
        format!("{base}/_sim/time/advance"),
        Some(json!({"seconds": 90_000})),
    )
    .await;
    assert!(after["now"].as_i64().unwrap() >= before + 90_000);
    assert_eq!(
        graph.send(&sim, text_message("16505551234", "x")).await.0,
        400,
        "window closed after advancing 25 h"
    );
    let frozen = call(
        reqwest::Method::POST,
        format!("{base}/_sim/time/freeze"),
        None,
    )
    .await;
    assert_eq!(frozen["frozen"], true);
    let stood = sim.clock().now();
    tokio::time::sleep(Duration::from_millis(5)).await;
    assert_eq!(sim.clock().now(), stood, "frozen through the control API");
    call(
        reqwest::Method::POST,
        format!("{base}/_sim/time/resume"),
        None,
    )
    .await;
    let compressed = call(
        reqwest::Method::POST,
        format!("{base}/_sim/time/compress"),
        Some(json!({"factor": 50.0})),
    )
    .await;
    assert_eq!(compressed["compression"], 50.0);
    assert_eq!(
        sim.clock().real_duration(Duration::from_secs(50)),
        Duration::from_secs(1)
    );

    call(
        reqwest::Method::PUT,
        format!("{base}/_sim/status-plan"),
        Some(json!({"skip_delivered": true, "duplicates": 2})),
    )
    .await;
    let plan = call(
        reqwest::Method::GET,
        format!("{base}/_sim/status-plan"),
        None,
    )
    .await;
    assert_eq!(plan["skip_delivered"], true);
    assert_eq!(plan["duplicates"], 2);
}

#[tokio::test]
async fn control_api_rejects_inbound_without_a_sender() {
    let (sim, _receiver) = start().await;
    let response = reqwest::Client::new()
        .post(format!("{}/_sim/inbound", sim.graph_base_url()))
        .json(&json!({"message": {"type": "text", "body": "who am I"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn scripted_customers_write_in_several_scripts_and_answer_replies() {
    let (sim, receiver) = start().await;
    sim.compress_time(1000.0);
    sim.start_scripted_customers(chatsphere_meta_sim::ScriptConfig {
        customers: 4,
        pace: Duration::from_secs(5),
        answer_after: Duration::from_secs(5),
        max_actions: Some(6),
        seed: 42,
        ..Default::default()
    });
    let received = receiver.wait_for(6).await;
    let first = received[0].json();
    let from = first["entry"][0]["changes"][0]["value"]["messages"][0]["from"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, response) = Graph::new(&sim)
        .send(&sim, text_message(&from, "Obrigado pelo contato!"))
        .await;
    assert_eq!(
        status, 200,
        "a scripted customer's message opens the window: {response}"
    );
    let wamid = response["messages"][0]["id"].as_str().unwrap().to_owned();
    let is_answer = |json: &Value| {
        let message = &json["entry"][0]["changes"][0]["value"]["messages"][0];
        let body = message["text"]["body"].as_str().unwrap_or_default();
        message["from"] == from.as_str()
            && (message["reaction"]["message_id"] == wamid.as_str()
                || message["context"]["id"] == wamid.as_str()
                || chatsphere_meta_sim::ANSWERS.contains(&body))
    };
    let mut answered = false;
    for _ in 0..500 {
        answered = receiver
            .received()
            .iter()
            .any(|received| is_answer(&received.json()));
        if answered {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    sim.stop_scripted_customers();
    assert!(answered, "the customer answered the business's message");
    let names: Vec<String> = receiver
        .received()
        .iter()
        .filter_map(|received| {
            received.json()["entry"][0]["changes"][0]["value"]["contacts"][0]["profile"]["name"]
                .as_str()
                .map(str::to_owned)
        })
        .collect();
    assert!(
        names.iter().any(|name| !name.is_ascii()),
        "names beyond ASCII: {names:?}"
    );
}

#[test]
fn scripted_customers_are_the_same_for_the_same_config() {
    let config = chatsphere_meta_sim::ScriptConfig {
        customers: 6,
        ..Default::default()
    };
    let first = chatsphere_meta_sim::script_contacts(&config);
    assert_eq!(
        first,
        chatsphere_meta_sim::script_contacts(&config),
        "reproducible"
    );
    assert_eq!(first.len(), 6);
    let numbers: std::collections::HashSet<_> =
        first.iter().map(|contact| contact.wa_id.clone()).collect();
    assert_eq!(numbers.len(), 6, "distinct numbers");
}

#[tokio::test]
async fn shutdown_stops_serving_and_background_work() {
    let (sim, _receiver) = start().await;
    let health = format!("{}/_sim/health", sim.graph_base_url());
    assert!(reqwest::get(&health).await.unwrap().status().is_success());
    sim.shutdown().await;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    assert!(
        client.get(&health).send().await.is_err(),
        "nothing listens after shutdown"
    );
}

#[tokio::test]
async fn a_fault_on_any_endpoint_hits_sends_and_uploads_alike() {
    let (sim, _receiver) = start().await;
    sim.customer("16505551234").send_text("hi").await.unwrap();
    sim.set_fault(
        chatsphere_meta_sim::Fault::error(131000)
            .on(chatsphere_meta_sim::Endpoint::Any)
            .times(2),
    );
    let graph = Graph::new(&sim);
    let (status, _) = graph.send(&sim, text_message("16505551234", "x")).await;
    assert_eq!(status, 500);
    let form = reqwest::multipart::Form::new()
        .text("messaging_product", "whatsapp")
        .part(
            "file",
            reqwest::multipart::Part::bytes(chatsphere_meta_sim::TINY_PNG.to_vec())
                .mime_str("image/png")
                .unwrap(),
        );
    let response = graph
        .http
        .post(graph.url(&format!("{}/media", sim.phone_number_id())))
        .bearer_auth(crate::support::TOKEN)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 500, "the upload got the same fault");
    assert_eq!(
        graph.send(&sim, text_message("16505551234", "x")).await.0,
        200,
        "two uses, then gone"
    );
}
