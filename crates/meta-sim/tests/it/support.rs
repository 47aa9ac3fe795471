//! Test helpers: a tiny axum app that plays "the app" receiving webhooks, an independent
//! HMAC-SHA256, and a Graph API client.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use chatsphere_meta_sim::{SimConfig, Simulator};
use serde_json::Value;
use sha2::{Digest, Sha256};

pub const APP_SECRET: &str = "test-app-secret-4f1c9a";
pub const TOKEN: &str = "EAAG-test-system-user-token";
pub const VERIFY_TOKEN: &str = "verify-me";
pub const VERSION: &str = "v26.0";

/// One webhook POST as the app received it.
#[derive(Clone, Debug)]
pub struct Received {
    pub body: Vec<u8>,
    pub signature: Option<String>,
    pub user_agent: Option<String>,
}

impl Received {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("webhook body is JSON")
    }
}

#[derive(Default)]
struct ReceiverState {
    received: Vec<Received>,
    responses: VecDeque<u16>,
    handshakes: Vec<HashMap<String, String>>,
}

/// Plays the app: records webhook POSTs, answers the verification handshake.
#[derive(Clone)]
pub struct Receiver {
    pub url: String,
    state: Arc<Mutex<ReceiverState>>,
    verify_token: String,
}

impl Receiver {
    pub async fn start() -> Self {
        Self::start_with_token(VERIFY_TOKEN).await
    }

    pub async fn start_with_token(verify_token: &str) -> Self {
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .unwrap();
        let addr = listener.local_addr().unwrap();
        let receiver = Self {
            url: format!("http://{addr}/webhook"),
            state: Arc::default(),
            verify_token: verify_token.to_owned(),
        };
        let app = Router::new()
            .route("/webhook", get(handshake).post(webhook))
            .with_state(receiver.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        receiver
    }

    /// The statuses of the next answers (then 200 again).
    pub fn respond_with(&self, statuses: &[u16]) {
        self.state.lock().unwrap().responses.extend(statuses);
    }

    pub fn received(&self) -> Vec<Received> {
        self.state.lock().unwrap().received.clone()
    }

    pub fn handshakes(&self) -> Vec<HashMap<String, String>> {
        self.state.lock().unwrap().handshakes.clone()
    }

    /// Waits (up to 10 s) until at least `count` POSTs arrived.
    pub async fn wait_for(&self, count: usize) -> Vec<Received> {
        for _ in 0..1000 {
            let received = self.received();
            if received.len() >= count {
                return received;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!(
            "expected {count} webhook POSTs, got {}",
            self.received().len()
        );
    }

    /// The status values (`sent`, `delivered`, …) received so far, in arrival order.
    pub fn statuses(&self) -> Vec<String> {
        self.received()
            .iter()
            .flat_map(|received| {
                let json = received.json();
                json["entry"][0]["changes"][0]["value"]["statuses"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
            })
            .map(|status| status["status"].as_str().unwrap().to_owned())
            .collect()
    }
}

async fn handshake(
    State(receiver): State<Receiver>,
    Query(query): Query<HashMap<String, String>>,
) -> (StatusCode, String) {
    receiver
        .state
        .lock()
        .unwrap()
        .handshakes
        .push(query.clone());
    let ok = query.get("hub.mode").map(String::as_str) == Some("subscribe")
        && query.get("hub.verify_token") == Some(&receiver.verify_token);
    match (ok, query.get("hub.challenge")) {
        (true, Some(challenge)) => (StatusCode::OK, challenge.clone()),
        _ => (StatusCode::FORBIDDEN, "forbidden".to_owned()),
    }
}

async fn webhook(State(receiver): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
    };
    let mut state = receiver.state.lock().unwrap();
    state.received.push(Received {
        body: body.to_vec(),
        signature: header("x-hub-signature-256"),
        user_agent: header("user-agent"),
    });
    let status = state.responses.pop_front().unwrap_or(200);
    StatusCode::from_u16(status).unwrap()
}

/// HMAC-SHA256 built by hand from SHA-256 (RFC 2104), independent of the `hmac` crate.
pub fn independent_hmac_hex(key: &[u8], message: &[u8]) -> String {
    const BLOCK: usize = 64;
    let mut key_block = [0u8; BLOCK];
    if key.len() > BLOCK {
        key_block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        key_block[..key.len()].copy_from_slice(key);
    }
    let inner_pad: Vec<u8> = key_block.iter().map(|byte| byte ^ 0x36).collect();
    let outer_pad: Vec<u8> = key_block.iter().map(|byte| byte ^ 0x5c).collect();
    let inner = Sha256::new()
        .chain_update(&inner_pad)
        .chain_update(message)
        .finalize();
    let outer = Sha256::new()
        .chain_update(&outer_pad)
        .chain_update(inner)
        .finalize();
    outer.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The standard test configuration, pointed at `receiver`.
pub fn config_for(receiver: &Receiver) -> SimConfig {
    SimConfig {
        webhook_url: Some(receiver.url.clone()),
        app_secret: APP_SECRET.to_owned(),
        access_token: TOKEN.to_owned(),
        verify_token: VERIFY_TOKEN.to_owned(),
        ..SimConfig::default()
    }
}

/// A simulator with an app receiver, and statuses off unless a test turns them on.
pub async fn start() -> (Simulator, Receiver) {
    let receiver = Receiver::start().await;
    let sim = Simulator::start(config_for(&receiver))
        .await
        .expect("simulator starts");
    (sim, receiver)
}

/// A Graph API client for the simulator.
pub struct Graph {
    pub base: String,
    pub http: reqwest::Client,
}

impl Graph {
    pub fn new(sim: &Simulator) -> Self {
        Self {
            base: sim.graph_base_url().to_owned(),
            http: reqwest::Client::new(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}/{VERSION}/{path}", self.base)
    }

    /// POST JSON with the valid token; returns (HTTP status, body).
    pub async fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        let response = self
            .http
            .post(self.url(path))
            .bearer_auth(TOKEN)
            .json(body)
            .send()
            .await
            .unwrap();
        (
            response.status().as_u16(),
            response.json().await.unwrap_or(Value::Null),
        )
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        let response = self
            .http
            .get(self.url(path))
            .bearer_auth(TOKEN)
            .send()
            .await
            .unwrap();
        (
            response.status().as_u16(),
            response.json().await.unwrap_or(Value::Null),
        )
    }

    pub async fn get_url(&self, url: &str) -> (u16, Value) {
        let response = self.http.get(url).bearer_auth(TOKEN).send().await.unwrap();
        (
            response.status().as_u16(),
            response.json().await.unwrap_or(Value::Null),
        )
    }

    pub async fn delete(&self, path: &str) -> (u16, Value) {
        let response = self
            .http
            .delete(self.url(path))
            .bearer_auth(TOKEN)
            .send()
            .await
            .unwrap();
        (
            response.status().as_u16(),
            response.json().await.unwrap_or(Value::Null),
        )
    }

    /// Sends a message from the default number.
    pub async fn send(&self, sim: &Simulator, body: Value) -> (u16, Value) {
        self.post(&format!("{}/messages", sim.phone_number_id()), &body)
            .await
    }
}

/// Asserts Meta's error body shape and returns the error code.
pub fn assert_meta_error(status: u16, body: &Value, expected_status: u16, expected_code: u64) {
    assert_eq!(
        status, expected_status,
        "HTTP status for error {expected_code}; body: {body}"
    );
    let error = &body["error"];
    assert_eq!(
        error["code"].as_u64(),
        Some(expected_code),
        "error code; body: {body}"
    );
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|message| !message.is_empty()),
        "error.message present: {body}"
    );
    assert!(
        error["type"].as_str().is_some(),
        "error.type present: {body}"
    );
    assert!(
        error["fbtrace_id"].as_str().is_some_and(|id| id.len() > 10),
        "fbtrace_id present: {body}"
    );
}

/// Asserts Meta's error body shape including `error_data` with details.
pub fn assert_whatsapp_error(status: u16, body: &Value, expected_status: u16, expected_code: u64) {
    assert_meta_error(status, body, expected_status, expected_code);
    let data = &body["error"]["error_data"];
    assert_eq!(
        data["messaging_product"], "whatsapp",
        "error_data.messaging_product: {body}"
    );
    assert!(
        data["details"]
            .as_str()
            .is_some_and(|details| !details.is_empty()),
        "error_data.details: {body}"
    );
}

pub fn text_message(to: &str, body: &str) -> Value {
    serde_json::json!({"messaging_product": "whatsapp", "to": to, "type": "text", "text": {"body": body}})
}
