//! The webhook server over HTTP: handshake, signatures, limits, slow clients.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chatsphere_core::ChangeBus;
use chatsphere_core::db::Database;
use chatsphere_core::secrets::Secret;
use chatsphere_core::webhook::signature::sign;
use chatsphere_core::webhook::{self, ServerOptions, WebhookError, WebhookState};
use http_body_util::BodyExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

use super::ingest_support::*;

fn state(db: &Database) -> WebhookState {
    WebhookState::new(
        db.clone(),
        ChangeBus::default(),
        numbers(),
        Some(Secret::new(APP_SECRET)),
        Some(Secret::new(VERIFY_TOKEN)),
    )
    .expect("state with an app secret")
}

async fn send(state: &WebhookState, request: Request<Body>) -> (StatusCode, String) {
    let response = webhook::router(state.clone())
        .oneshot(request)
        .await
        .unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

fn signed_post(body: &[u8]) -> Request<Body> {
    Request::post("/webhook")
        .header("content-type", "application/json")
        .header("x-hub-signature-256", sign(APP_SECRET.as_bytes(), body))
        .body(Body::from(body.to_vec()))
        .unwrap()
}

#[tokio::test]
async fn the_handshake_echoes_exactly_the_challenge_as_plain_text() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(&open_db(dir.path()));
    let uri = format!(
        "/webhook?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token={VERIFY_TOKEN}"
    );
    let response = webhook::router(state)
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/plain"),
        "plain text, not JSON"
    );
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(&body[..], b"1158201444", "exactly the challenge");
}

#[tokio::test]
async fn the_handshake_with_a_wrong_token_or_mode_is_refused_without_echo() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(&open_db(dir.path()));
    for uri in [
        "/webhook?hub.mode=subscribe&hub.challenge=CHALLENGE&hub.verify_token=wrong".to_owned(),
        format!(
            "/webhook?hub.mode=unsubscribe&hub.challenge=CHALLENGE&hub.verify_token={VERIFY_TOKEN}"
        ),
        "/webhook?hub.mode=subscribe&hub.challenge=CHALLENGE".to_owned(),
    ] {
        let (status, body) = send(&state, Request::get(&uri).body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{uri}");
        assert!(!body.contains("CHALLENGE"), "{uri}: challenge not echoed");
    }
}

#[tokio::test]
async fn a_signed_delivery_is_committed_before_the_200() {
    let dir = tempfile::tempdir().unwrap();
    let db = open_db(dir.path());
    let state = state(&db);
    let mut changes = {
        let bus = ChangeBus::default();
        let receiver = bus.subscribe();
        let state = WebhookState::new(
            db.clone(),
            bus,
            numbers(),
            Some(Secret::new(APP_SECRET)),
            None,
        )
        .unwrap();
        let (status, _) = send(
            &state,
            signed_post(&text_body("wamid.http1", "1", 1, "hello")),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        receiver
    };
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM messages").await,
        1,
        "stored when 200 came back"
    );
    assert!(changes.try_recv().is_ok(), "the change was published");
    assert_eq!(state.diagnostics().rejected_signature, 0);
}

#[tokio::test]
async fn missing_or_wrong_signatures_get_401_store_nothing_and_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let db = open_db(dir.path());
    let state = state(&db);
    let body = text_body("wamid.forged", "1", 1, "forged");
    let unsigned = Request::post("/webhook")
        .body(Body::from(body.clone()))
        .unwrap();
    assert_eq!(send(&state, unsigned).await.0, StatusCode::UNAUTHORIZED);
    let wrong = Request::post("/webhook")
        .header("x-hub-signature-256", sign(b"not the secret", &body))
        .body(Body::from(body.clone()))
        .unwrap();
    assert_eq!(send(&state, wrong).await.0, StatusCode::UNAUTHORIZED);
    let garbage = Request::post("/webhook")
        .header("x-hub-signature-256", "sha256=zz")
        .body(Body::from(body))
        .unwrap();
    assert_eq!(send(&state, garbage).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        state.diagnostics().rejected_signature,
        3,
        "every attempt counted"
    );
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM webhook_events").await,
        0,
        "nothing stored"
    );
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM messages").await,
        0,
        "nothing applied"
    );
}

#[tokio::test]
async fn the_signature_covers_the_raw_escaped_bytes_of_non_english_text() {
    let dir = tempfile::tempdir().unwrap();
    let db = open_db(dir.path());
    let state = state(&db);
    let escaped = String::from_utf8(text_body("wamid.ar", "1", 1, "X"))
        .unwrap()
        .replace("\"X\"", r#""\u0645\u0631\u062d\u0628\u0627 \ud83d\udc4d""#);
    let (status, _) = send(&state, signed_post(escaped.as_bytes())).await;
    assert_eq!(status, StatusCode::OK, "signed over the bytes as sent");
    let message = all_messages(&db).await.remove(0);
    assert_eq!(message.body.as_deref(), Some("مرحبا 👍"));
}

#[tokio::test]
async fn signed_invalid_json_gets_400_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = open_db(dir.path());
    let state = state(&db);
    let (status, _) = send(&state, signed_post(b"{\"entry\": [")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(state.diagnostics().invalid_json, 1);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM webhook_events").await, 0);
}

#[tokio::test]
async fn bodies_over_the_limit_get_413_whether_declared_or_streamed() {
    let dir = tempfile::tempdir().unwrap();
    let db = open_db(dir.path());
    let state = state(&db);
    let huge = vec![b' '; webhook::MAX_BODY_BYTES + 1];
    let mut declared = signed_post(&huge);
    declared
        .headers_mut()
        .insert(header::CONTENT_LENGTH, huge.len().into());
    assert_eq!(
        send(&state, declared).await.0,
        StatusCode::PAYLOAD_TOO_LARGE,
        "declared length"
    );
    let undeclared = signed_post(&huge);
    assert!(undeclared.headers().get(header::CONTENT_LENGTH).is_none());
    assert_eq!(
        send(&state, undeclared).await.0,
        StatusCode::PAYLOAD_TOO_LARGE,
        "counted while reading"
    );
    let just_under = format!("{{\"entry\": []}}{}", " ".repeat(3 * 1024 * 1024 - 20));
    assert_eq!(
        send(&state, signed_post(just_under.as_bytes())).await.0,
        StatusCode::OK,
        "3 MB is accepted"
    );
    assert_eq!(state.diagnostics().too_large, 2);
}

#[tokio::test]
async fn only_the_webhook_and_health_routes_exist() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(&open_db(dir.path()));
    assert_eq!(
        send(
            &state,
            Request::get("/healthz").body(Body::empty()).unwrap()
        )
        .await
        .0,
        StatusCode::OK
    );
    for path in ["/", "/media/1", "/admin", "/diagnostics"] {
        let (status, _) = send(&state, Request::get(path).body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path} is not served");
    }
}

#[tokio::test]
async fn the_server_refuses_to_start_without_an_app_secret() {
    let dir = tempfile::tempdir().unwrap();
    let db = open_db(dir.path());
    for secret in [None, Some(Secret::new(""))] {
        let refused = WebhookState::new(db.clone(), ChangeBus::default(), numbers(), secret, None);
        assert!(
            matches!(refused, Err(WebhookError::MissingAppSecret)),
            "no secret, no server"
        );
    }
}

async fn start(state: WebhookState, cancel: CancellationToken) -> webhook::WebhookServer {
    let listener = webhook::bind("127.0.0.1:0".parse().unwrap()).await.unwrap();
    webhook::serve_with(
        listener,
        webhook::router(state),
        cancel,
        ServerOptions {
            header_read_timeout: Duration::from_millis(300),
        },
    )
    .unwrap()
}

#[tokio::test]
async fn a_client_that_stalls_in_its_headers_is_disconnected() {
    let dir = tempfile::tempdir().unwrap();
    let cancel = CancellationToken::new();
    let server = start(state(&open_db(dir.path())), cancel.clone()).await;
    let mut stream = tokio::net::TcpStream::connect(server.local_addr())
        .await
        .unwrap();
    stream
        .write_all(b"POST /webhook HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let mut rest = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut rest)).await;
    assert!(read.is_ok(), "the server closed the stalled connection");
    cancel.cancel();
    server.stopped().await.unwrap();
}

#[tokio::test]
async fn a_client_that_stalls_in_its_body_gets_408_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let db = open_db(dir.path());
    let cancel = CancellationToken::new();
    let state = state(&db).with_body_read_timeout(Duration::from_millis(300));
    let server = start(state.clone(), cancel.clone()).await;
    let mut stream = tokio::net::TcpStream::connect(server.local_addr())
        .await
        .unwrap();
    stream
        .write_all(b"POST /webhook HTTP/1.1\r\nHost: x\r\nx-hub-signature-256: sha256=00\r\ncontent-length: 100\r\n\r\n{\"entry\"")
        .await
        .unwrap();
    let mut response = vec![0u8; 64];
    let n = tokio::time::timeout(Duration::from_secs(30), stream.read(&mut response))
        .await
        .expect("answered")
        .unwrap();
    assert!(
        String::from_utf8_lossy(&response[..n]).starts_with("HTTP/1.1 408"),
        "408 for a slow body"
    );
    assert_eq!(state.diagnostics().slow_body, 1);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM webhook_events").await, 0);
    cancel.cancel();
    server.stopped().await.unwrap();
}

#[tokio::test]
async fn the_real_server_answers_a_signed_post_and_stops_on_cancel() {
    let dir = tempfile::tempdir().unwrap();
    let db = open_db(dir.path());
    let cancel = CancellationToken::new();
    let server = start(state(&db), cancel.clone()).await;
    assert_ne!(server.port(), 0, "the bound port is reported");
    let body = text_body("wamid.tcp", "1", 1, "over tcp");
    let request = format!(
        "POST /webhook HTTP/1.1\r\nHost: x\r\nconnection: close\r\ncontent-type: application/json\r\nx-hub-signature-256: {}\r\ncontent-length: {}\r\n\r\n",
        sign(APP_SECRET.as_bytes(), &body),
        body.len()
    );
    let mut stream = tokio::net::TcpStream::connect(server.local_addr())
        .await
        .unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    stream.write_all(&body).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    assert!(
        String::from_utf8_lossy(&response).starts_with("HTTP/1.1 200"),
        "200 over TCP"
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM messages").await, 1);
    cancel.cancel();
    server.stopped().await.unwrap();
}
