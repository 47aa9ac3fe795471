//! The webhook server Meta calls (through the tunnel): the verification handshake, signed
//! event delivery and a health probe. Nothing else is served on the network.
//!
//! A delivery is answered 200 only after its raw body and everything derived from it
//! are committed. Bodies with a missing or wrong signature are rejected with 401 and
//! only counted, never stored: they come from anyone who finds the public URL, and
//! storing them would let a stranger fill the owner's disk.

pub mod server;
pub mod signature;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use tracing::instrument;

pub use server::{ServerOptions, WebhookServer, bind, serve, serve_with};

use crate::change::ChangeBus;
use crate::db::{self, Database, DbError};
use crate::ingest::{self, BusinessNumbers, ParseError, ParsedBatch};
use crate::secrets::Secret;

/// Meta sends at most 3 MB; a little headroom for the envelope.
pub const MAX_BODY_BYTES: usize = 3 * 1024 * 1024 + 64 * 1024;
/// How long a client may take to send its body once headers are in.
pub const BODY_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Bodies at least this large are parsed on a blocking thread.
const PARSE_OFF_RUNTIME_BYTES: usize = 64 * 1024;

pub const WEBHOOK_PATH: &str = "/webhook";
pub const HEALTH_PATH: &str = "/healthz";

#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error("the app secret is not set: the webhook cannot verify Meta's signatures")]
    MissingAppSecret,
    #[error("could not listen on {addr}: {source}")]
    Bind {
        addr: std::net::SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("could not read secrets: {0}")]
    Secrets(String),
    #[error("the server task failed: {0}")]
    Task(String),
}

/// Counters visible in diagnostics (never on the network).
#[derive(Debug, Default)]
pub struct WebhookCounters {
    pub accepted: AtomicU64,
    pub rejected_signature: AtomicU64,
    pub invalid_json: AtomicU64,
    pub too_large: AtomicU64,
    pub slow_body: AtomicU64,
    pub apply_failed: AtomicU64,
    pub storage_errors: AtomicU64,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WebhookDiagnostics {
    pub accepted: u64,
    pub rejected_signature: u64,
    pub invalid_json: u64,
    pub too_large: u64,
    pub slow_body: u64,
    pub apply_failed: u64,
    pub storage_errors: u64,
}

impl WebhookCounters {
    pub fn snapshot(&self) -> WebhookDiagnostics {
        let read = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        WebhookDiagnostics {
            accepted: read(&self.accepted),
            rejected_signature: read(&self.rejected_signature),
            invalid_json: read(&self.invalid_json),
            too_large: read(&self.too_large),
            slow_body: read(&self.slow_body),
            apply_failed: read(&self.apply_failed),
            storage_errors: read(&self.storage_errors),
        }
    }
}

fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

/// Everything the handlers need. Cheap to clone.
#[derive(Clone)]
pub struct WebhookState {
    inner: Arc<StateInner>,
    body_read_timeout: Duration,
}

struct StateInner {
    db: Database,
    changes: ChangeBus,
    numbers: BusinessNumbers,
    app_secret: Secret,
    verify_token: Option<Secret>,
    counters: WebhookCounters,
}

impl WebhookState {
    /// Refuses to build without an app secret: an unverifiable webhook must not run.
    pub fn new(
        db: Database,
        changes: ChangeBus,
        numbers: BusinessNumbers,
        app_secret: Option<Secret>,
        verify_token: Option<Secret>,
    ) -> Result<WebhookState, WebhookError> {
        let app_secret = app_secret
            .filter(|secret| !secret.expose().is_empty())
            .ok_or(WebhookError::MissingAppSecret)?;
        Ok(WebhookState {
            inner: Arc::new(StateInner {
                db,
                changes,
                numbers,
                app_secret,
                verify_token: verify_token.filter(|token| !token.expose().is_empty()),
                counters: WebhookCounters::default(),
            }),
            body_read_timeout: BODY_READ_TIMEOUT,
        })
    }

    /// Replaces [`BODY_READ_TIMEOUT`] (tests use a short one).
    pub fn with_body_read_timeout(mut self, timeout: Duration) -> WebhookState {
        self.body_read_timeout = timeout;
        self
    }

    pub fn diagnostics(&self) -> WebhookDiagnostics {
        self.inner.counters.snapshot()
    }
}

/// The public routes. Pure: test it with `tower::ServiceExt::oneshot`.
pub fn router(state: WebhookState) -> Router {
    Router::new()
        .route(WEBHOOK_PATH, get(verify_subscription).post(receive_event))
        .route(HEALTH_PATH, get(|| async { "ok" }))
        .with_state(state)
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}

/// The subscription handshake: echo `hub.challenge` only for the right verify token.
async fn verify_subscription(
    State(state): State<WebhookState>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let mode_ok = query.get("hub.mode").map(String::as_str) == Some("subscribe");
    let token_ok = match (&state.inner.verify_token, query.get("hub.verify_token")) {
        (Some(expected), Some(given)) => {
            signature::tokens_match(expected.expose().as_bytes(), given.as_bytes())
        }
        _ => false,
    };
    match query.get("hub.challenge") {
        Some(challenge) if mode_ok && token_ok => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/plain")],
            challenge.clone(),
        )
            .into_response(),
        _ => {
            tracing::warn!("webhook verification refused");
            plain(StatusCode::FORBIDDEN, "verification refused")
        }
    }
}

async fn read_body(
    state: &WebhookState,
    headers: &HeaderMap,
    body: Body,
) -> Result<Bytes, Response> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > MAX_BODY_BYTES as u64) {
        bump(&state.inner.counters.too_large);
        return Err(plain(StatusCode::PAYLOAD_TOO_LARGE, "body too large"));
    }
    let collected = tokio::time::timeout(
        state.body_read_timeout,
        Limited::new(body, MAX_BODY_BYTES).collect(),
    )
    .await;
    match collected {
        Err(_) => {
            bump(&state.inner.counters.slow_body);
            Err(plain(
                StatusCode::REQUEST_TIMEOUT,
                "body not received in time",
            ))
        }
        Ok(Err(error)) if error.downcast_ref::<LengthLimitError>().is_some() => {
            bump(&state.inner.counters.too_large);
            Err(plain(StatusCode::PAYLOAD_TOO_LARGE, "body too large"))
        }
        Ok(Err(_)) => Err(plain(StatusCode::BAD_REQUEST, "body could not be read")),
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
    }
}

async fn parse(bytes: Bytes) -> Result<ParsedBatch, ParseError> {
    if bytes.len() < PARSE_OFF_RUNTIME_BYTES {
        return ingest::parse_body(&bytes);
    }
    match tokio::task::spawn_blocking(move || ingest::parse_body(&bytes)).await {
        Ok(parsed) => parsed,
        Err(join) => std::panic::resume_unwind(join.into_panic()),
    }
}

/// One delivery: verify, store verbatim, apply, commit, then 200.
#[instrument(skip_all, fields(bytes))]
async fn receive_event(
    State(state): State<WebhookState>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let counters = &state.inner.counters;
    let signature_header = headers
        .get(signature::SIGNATURE_HEADER)
        .map(|value| value.as_bytes().to_vec());
    if signature_header.is_none() {
        bump(&counters.rejected_signature);
        return plain(StatusCode::UNAUTHORIZED, "missing signature");
    }
    let bytes = match read_body(&state, &headers, body).await {
        Ok(bytes) => bytes,
        Err(response) => return response,
    };
    tracing::Span::current().record("bytes", bytes.len());
    if let Err(error) = signature::verify(
        state.inner.app_secret.expose().as_bytes(),
        signature_header.as_deref(),
        &bytes,
    ) {
        bump(&counters.rejected_signature);
        tracing::warn!(%error, "webhook delivery rejected");
        return plain(StatusCode::UNAUTHORIZED, "invalid signature");
    }
    let parsed = match parse(bytes.clone()).await {
        Ok(batch) => Ok(batch),
        Err(ParseError::InvalidJson(error)) => {
            bump(&counters.invalid_json);
            tracing::warn!(%error, "signed webhook body is not JSON");
            return plain(StatusCode::BAD_REQUEST, "body is not JSON");
        }
        Err(error @ ParseError::UnexpectedShape(_)) => Err(error.to_string()),
    };
    let numbers = state.inner.numbers.clone();
    let received_at_ms = db::now_millis();
    let stored = state
        .inner
        .db
        .write_repeatable(move |conn, isolation| {
            ingest::store_and_apply(conn, &bytes, &parsed, &numbers, received_at_ms, isolation)
        })
        .await;
    match stored {
        Ok(report) => {
            bump(&counters.accepted);
            if report.state == Some(db::webhook_events::ApplyState::Failed) {
                bump(&counters.apply_failed);
            }
            report.publish(&state.inner.changes);
            plain(StatusCode::OK, "EVENT_RECEIVED")
        }
        Err(error) => storage_failure(counters, error),
    }
}

/// Not stored means not acknowledged: Meta retries the same bytes later.
fn storage_failure(counters: &WebhookCounters, error: DbError) -> Response {
    bump(&counters.storage_errors);
    tracing::error!(%error, "webhook body could not be stored");
    plain(StatusCode::SERVICE_UNAVAILABLE, "not stored, retry later")
}
