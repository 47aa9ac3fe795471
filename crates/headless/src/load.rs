//! A load generator that plays Meta: builds webhook bodies, signs them like Meta and
//! POSTs them over keep-alive HTTP/1.1 connections. The crash test and the benchmark
//! drive the server through [`WebhookTarget`] only, so another generator (the Meta
//! simulator's load mode) can take its place.

use std::net::SocketAddr;

use bytes::Bytes;
use chatsphere_core::webhook::signature::sign;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("could not connect: {0}")]
    Connect(#[from] std::io::Error),
    #[error("http: {0}")]
    Http(#[from] hyper::Error),
    #[error("could not build the request: {0}")]
    Request(#[from] hyper::http::Error),
}

/// Where webhooks go and the secret they are signed with.
#[derive(Debug, Clone)]
pub struct WebhookTarget {
    pub addr: SocketAddr,
    pub app_secret: String,
}

/// A signed body ready to send any number of times.
#[derive(Debug, Clone)]
pub struct SignedBody {
    pub body: Bytes,
    pub signature: String,
    /// The wamids of the messages in it.
    pub wamids: Vec<String>,
}

impl WebhookTarget {
    pub fn sign(&self, body: Vec<u8>, wamids: Vec<String>) -> SignedBody {
        SignedBody {
            signature: sign(self.app_secret.as_bytes(), &body),
            body: Bytes::from(body),
            wamids,
        }
    }

    pub async fn connect(&self) -> Result<WebhookConnection, LoadError> {
        let stream = tokio::net::TcpStream::connect(self.addr).await?;
        stream.set_nodelay(true)?;
        let (sender, connection) = http1::handshake(TokioIo::new(stream)).await?;
        tokio::spawn(async move {
            // Ends when the server goes away; the next send reports it.
            let _ = connection.await;
        });
        Ok(WebhookConnection { sender })
    }
}

/// One keep-alive connection; requests on it are sequential.
pub struct WebhookConnection {
    sender: SendRequest<Full<Bytes>>,
}

impl WebhookConnection {
    /// POSTs a signed body and returns the status once the whole answer is read.
    pub async fn post(&mut self, signed: &SignedBody) -> Result<u16, LoadError> {
        let request = hyper::Request::post("/webhook")
            .header("host", "localhost")
            .header("content-type", "application/json")
            .header("x-hub-signature-256", &signed.signature)
            .body(Full::new(signed.body.clone()))?;
        self.sender.ready().await?;
        let response = self.sender.send_request(request).await?;
        let status = response.status().as_u16();
        response.into_body().collect().await?;
        Ok(status)
    }
}

/// Builds text-message webhook bodies with unique wamids.
#[derive(Debug, Clone)]
pub struct TextWorkload {
    pub phone_number_id: String,
    /// Distinguishes runs and workers so wamids never collide.
    pub prefix: String,
    next: u64,
}

impl TextWorkload {
    pub fn new(phone_number_id: &str, prefix: &str) -> TextWorkload {
        TextWorkload {
            phone_number_id: phone_number_id.to_owned(),
            prefix: prefix.to_owned(),
            next: 0,
        }
    }

    /// One body carrying `count` messages from a handful of customers.
    pub fn next_body(&mut self, count: usize) -> (Vec<u8>, Vec<String>) {
        let mut wamids = Vec::with_capacity(count);
        let mut messages: Vec<Value> = Vec::with_capacity(count);
        for _ in 0..count {
            let n = self.next;
            self.next += 1;
            let wamid = format!("wamid.{}.{n}", self.prefix);
            let from = format!("1555000{:04}", n % 50);
            messages.push(json!({
                "from": from,
                "id": wamid,
                "timestamp": (1_750_000_000 + n).to_string(),
                "type": "text",
                "text": {"body": format!("message {n} — ça va? 👍")}
            }));
            wamids.push(wamid);
        }
        let body = json!({
            "object": "whatsapp_business_account",
            "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": {
                "messaging_product": "whatsapp",
                "metadata": {"display_phone_number": "15550783881", "phone_number_id": self.phone_number_id},
                "contacts": [{"profile": {"name": "Load"}, "wa_id": "15550000000"}],
                "messages": messages
            }}]}]
        });
        (body.to_string().into_bytes(), wamids)
    }
}
