//! Runs the core's webhook server for as long as the app runs, and remembers its port.

use std::sync::Mutex;

use chatsphere_core::Core;
use chatsphere_core::webhook::WebhookError;
use tokio_util::sync::CancellationToken;

/// The webhook server's state as the UI sees it.
#[derive(Default)]
pub struct WebhookHandle {
    port: Mutex<Option<u16>>,
    stop: CancellationToken,
}

impl WebhookHandle {
    pub fn port(&self) -> Option<u16> {
        self.port.lock().ok().and_then(|port| *port)
    }

    /// Stops accepting deliveries; requests in flight finish first.
    pub fn stop(&self) {
        self.stop.cancel();
    }

    /// Starts the server. Without an app secret (WhatsApp not connected yet) it stays
    /// off: an unverifiable webhook must not listen at all.
    pub async fn start(&self, core: &Core) {
        match core.start_webhook_server(self.stop.child_token()).await {
            Ok((server, _state)) => {
                if let Ok(mut port) = self.port.lock() {
                    *port = Some(server.port());
                }
            }
            Err(WebhookError::MissingAppSecret) => {
                tracing::info!("the webhook server stays off until WhatsApp is connected");
            }
            // A keychain that is locked or has no default collection yet: the secret
            // cannot be known, so the server stays off as if WhatsApp were not connected.
            Err(WebhookError::Secrets(reason)) => {
                tracing::warn!(%reason, "the webhook server stays off: the keychain could not be read");
            }
            Err(error) => tracing::error!(%error, "the webhook server could not start"),
        }
    }
}
