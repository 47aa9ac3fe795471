//! Serving the webhook router on a bound listener, with header read timeouts and a
//! graceful shutdown driven by a cancellation token.

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::{WebhookError, WebhookState, router};
use crate::secrets::SecretKind;

/// A client must finish sending its request headers within this time.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// How long in-flight requests may take to finish after shutdown starts.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// A running webhook server.
pub struct WebhookServer {
    local_addr: SocketAddr,
    task: JoinHandle<()>,
}

impl WebhookServer {
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    pub fn port(&self) -> u16 {
        self.local_addr.port()
    }

    /// Waits until the server has stopped (after its token is cancelled).
    pub async fn stopped(self) -> Result<(), WebhookError> {
        self.task
            .await
            .map_err(|error| WebhookError::Task(error.to_string()))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerOptions {
    pub header_read_timeout: Duration,
}

impl Default for ServerOptions {
    fn default() -> Self {
        ServerOptions {
            header_read_timeout: HEADER_READ_TIMEOUT,
        }
    }
}

/// Binds `addr` (port 0 picks a free one).
pub async fn bind(addr: SocketAddr) -> Result<TcpListener, WebhookError> {
    TcpListener::bind(addr)
        .await
        .map_err(|source| WebhookError::Bind { addr, source })
}

/// Serves `app` on `listener` until `cancel` fires, then lets in-flight requests
/// finish (up to [`SHUTDOWN_GRACE`]).
pub fn serve(
    listener: TcpListener,
    app: Router,
    cancel: CancellationToken,
) -> Result<WebhookServer, WebhookError> {
    serve_with(listener, app, cancel, ServerOptions::default())
}

/// [`serve`] with explicit options.
pub fn serve_with(
    listener: TcpListener,
    app: Router,
    cancel: CancellationToken,
    options: ServerOptions,
) -> Result<WebhookServer, WebhookError> {
    let local_addr = listener.local_addr().map_err(|source| WebhookError::Bind {
        addr: SocketAddr::from(([0, 0, 0, 0], 0)),
        source,
    })?;
    let task = tokio::spawn(accept_loop(listener, app, cancel, options));
    Ok(WebhookServer { local_addr, task })
}

async fn accept_loop(
    listener: TcpListener,
    app: Router,
    cancel: CancellationToken,
    options: ServerOptions,
) {
    let graceful = GracefulShutdown::new();
    loop {
        let accepted = tokio::select! {
            () = cancel.cancelled() => break,
            accepted = listener.accept() => accepted,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(error) => {
                // Usually out of file descriptors; back off instead of spinning.
                tracing::warn!(%error, "accepting a connection failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let connection = http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(options.header_read_timeout)
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, "webhook connection ended with an error");
            }
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(SHUTDOWN_GRACE) => {
            tracing::warn!("webhook connections still open after the shutdown grace period");
        }
    }
}

impl crate::Core {
    /// Builds the webhook state from this core's database, change bus, business numbers
    /// and secrets. Fails without an app secret.
    pub async fn webhook_state(&self) -> Result<WebhookState, WebhookError> {
        let secrets = self.config().secrets.clone();
        let (app_secret, verify_token) = tokio::task::spawn_blocking(move || {
            let app_secret = secrets.get(SecretKind::AppSecret)?;
            let verify_token = secrets.get(SecretKind::VerifyToken)?;
            Ok::<_, crate::secrets::SecretsError>((app_secret, verify_token))
        })
        .await
        .map_err(|error| WebhookError::Task(error.to_string()))?
        .map_err(|error| WebhookError::Secrets(error.to_string()))?;
        WebhookState::new(
            self.database().clone(),
            self.changes().clone(),
            self.business_numbers(),
            app_secret,
            verify_token,
        )
    }

    /// Starts the webhook server on the configured address; it stops when `cancel`
    /// fires. The returned server reports the bound port.
    pub async fn start_webhook_server(
        &self,
        cancel: CancellationToken,
    ) -> Result<(WebhookServer, WebhookState), WebhookError> {
        let state = self.webhook_state().await?;
        let listener = bind(self.config().webhook_listen).await?;
        let server = serve(listener, router(state.clone()), cancel)?;
        tracing::info!(addr = %server.local_addr(), "webhook server listening");
        Ok((server, state))
    }
}
