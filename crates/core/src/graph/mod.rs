//! The Graph API client: where Meta is, which version, how long to wait, and the
//! token from the secrets provider. Every call returns typed bodies or a [`GraphError`].

mod error;
mod media;
pub mod types;

use std::sync::{Arc, RwLock};
use std::time::Duration;

use reqwest::StatusCode;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tracing::instrument;

pub use error::{GraphError, MetaError};
pub use media::MediaMetadata;
use types::{
    MarkReadRequest, SendMessageRequest, SendMessageResponse, SuccessResponse, TemplatePage,
    TypingIndicator, UploadMediaResponse,
};

use crate::secrets::{Secret, SecretKind, SecretsProvider};

/// Sent with every request: Meta's media host refuses requests without one.
pub const USER_AGENT: &str = concat!("ChatSphereDesktop/", env!("CARGO_PKG_VERSION"));

/// Templates asked for per page (Meta's maximum is higher; pages stay small and quick).
const TEMPLATES_PER_PAGE: u32 = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphSettings {
    pub base_url: String,
    pub version: String,
    pub connect_timeout: Duration,
    /// The whole request, answer included.
    pub request_timeout: Duration,
}

#[derive(Clone)]
pub struct GraphClient {
    http: reqwest::Client,
    base_url: String,
    /// Shared by every clone, so a changed setting reaches the workers too.
    version: Arc<RwLock<String>>,
    secrets: Arc<dyn SecretsProvider>,
}

impl std::fmt::Debug for GraphClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GraphClient")
            .field("base_url", &self.base_url)
            .field("version", &self.version())
            .finish_non_exhaustive()
    }
}

impl GraphClient {
    pub fn new(
        settings: &GraphSettings,
        secrets: Arc<dyn SecretsProvider>,
    ) -> Result<GraphClient, GraphError> {
        let http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(settings.connect_timeout)
            .timeout(settings.request_timeout)
            .build()
            .map_err(|e| GraphError::Setup(e.to_string()))?;
        Ok(GraphClient {
            http,
            base_url: settings.base_url.trim_end_matches('/').to_string(),
            version: Arc::new(RwLock::new(settings.version.clone())),
            secrets,
        })
    }

    pub fn version(&self) -> String {
        match self.version.read() {
            Ok(version) => version.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Speaks another Graph API version from the next request on (every clone too).
    pub fn set_version(&self, version: &str) {
        match self.version.write() {
            Ok(mut current) => *current = version.to_string(),
            Err(poisoned) => *poisoned.into_inner() = version.to_string(),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}/{}/{}", self.base_url, self.version(), path)
    }

    async fn token(&self) -> Result<Secret, GraphError> {
        let secrets = self.secrets.clone();
        tokio::task::spawn_blocking(move || secrets.get(SecretKind::AccessToken))
            .await
            .map_err(|e| GraphError::Setup(format!("reading the token failed: {e}")))??
            .ok_or(GraphError::NoAccessToken)
    }

    /// Sends one message. `Ok` means Meta accepted it (not that it was delivered).
    #[instrument(skip(self, request), fields(kind = request.content.kind()))]
    pub async fn send_message(
        &self,
        phone_number_id: &str,
        request: &SendMessageRequest,
    ) -> Result<SendMessageResponse, GraphError> {
        let url = self.url(&format!("{phone_number_id}/messages"));
        let response: SendMessageResponse = self.post(&url, request).await?;
        if response.messages.is_empty() {
            return Err(GraphError::BadResponse(
                "the answer names no message id".into(),
            ));
        }
        Ok(response)
    }

    /// Uploads a file for sending; returns Meta's media id (valid 30 days).
    #[instrument(skip(self, bytes), fields(size = bytes.len()))]
    pub async fn upload_media(
        &self,
        phone_number_id: &str,
        bytes: Vec<u8>,
        mime_type: &str,
        file_name: &str,
    ) -> Result<String, GraphError> {
        let url = self.url(&format!("{phone_number_id}/media"));
        let file = reqwest::multipart::Part::bytes(bytes)
            .file_name(file_name.to_string())
            .mime_str(mime_type)
            .map_err(|e| GraphError::Setup(format!("the file type {mime_type}: {e}")))?;
        let form = reqwest::multipart::Form::new()
            .text("messaging_product", "whatsapp")
            .text("type", mime_type.to_string())
            .part("file", file);
        let token = self.token().await?;
        let request = self
            .http
            .post(&url)
            .bearer_auth(token.expose())
            .multipart(form);
        let answer: UploadMediaResponse = self.exchange(request).await?;
        if answer.id.is_empty() {
            return Err(GraphError::BadResponse(
                "the answer names no media id".into(),
            ));
        }
        Ok(answer.id)
    }

    /// Marks an inbound message (and every earlier one) as read; with `typing`, also
    /// shows the typing indicator for up to 25 seconds.
    #[instrument(skip(self))]
    pub async fn mark_read(
        &self,
        phone_number_id: &str,
        wamid: &str,
        typing: bool,
    ) -> Result<(), GraphError> {
        let url = self.url(&format!("{phone_number_id}/messages"));
        let request = MarkReadRequest {
            messaging_product: "whatsapp".into(),
            status: "read".into(),
            message_id: wamid.to_string(),
            typing_indicator: typing.then(|| TypingIndicator {
                kind: "text".into(),
            }),
        };
        let answer: SuccessResponse = self.post(&url, &request).await?;
        if !answer.success {
            return Err(GraphError::BadResponse("success was false".into()));
        }
        Ok(())
    }

    /// One page of the WABA's templates, after the cursor `after`.
    #[instrument(skip(self))]
    pub async fn message_templates(
        &self,
        waba_id: &str,
        after: Option<&str>,
    ) -> Result<TemplatePage, GraphError> {
        let url = self.url(&format!("{waba_id}/message_templates"));
        let mut query: Vec<(&str, String)> = vec![
            (
                "fields",
                "id,name,language,status,category,parameter_format,components".into(),
            ),
            ("limit", TEMPLATES_PER_PAGE.to_string()),
        ];
        if let Some(after) = after {
            query.push(("after", after.to_string()));
        }
        let token = self.token().await?;
        let request = self
            .http
            .get(&url)
            .bearer_auth(token.expose())
            .query(&query);
        // A read is safe to repeat: an unanswered one is simply "not sent".
        match self.exchange(request).await {
            Err(GraphError::NoAnswer(reason)) => Err(GraphError::NotSent(reason)),
            other => other,
        }
    }

    async fn post<B: Serialize, R: DeserializeOwned>(
        &self,
        url: &str,
        body: &B,
    ) -> Result<R, GraphError> {
        let token = self.token().await?;
        let request = self.http.post(url).bearer_auth(token.expose()).json(body);
        self.exchange(request).await
    }

    async fn exchange<R: DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<R, GraphError> {
        let response = request.send().await.map_err(transport_error)?;
        let status = response.status();
        let body = response.bytes().await.map_err(|e| {
            if status.is_success() {
                GraphError::NoAnswer(format!("the answer was cut off: {e}"))
            } else {
                GraphError::HttpStatus {
                    status: status.as_u16(),
                }
            }
        })?;
        if !status.is_success() {
            return Err(match MetaError::parse(status.as_u16(), &body) {
                Some(error) => GraphError::Meta(error),
                None => GraphError::HttpStatus {
                    status: status.as_u16(),
                },
            });
        }
        serde_json::from_slice(&body).map_err(|e| GraphError::BadResponse(e.to_string()))
    }
}

/// A failure before any answer: only a failed connection proves Meta never saw it.
fn transport_error(error: reqwest::Error) -> GraphError {
    if error.is_connect() {
        GraphError::NotSent(error.to_string())
    } else if error.is_builder() {
        GraphError::Setup(error.to_string())
    } else {
        GraphError::NoAnswer(error.to_string())
    }
}

/// Whether a status is one Meta uses for "try again later".
pub fn is_server_error(status: u16) -> bool {
    StatusCode::from_u16(status).is_ok_and(|s| s.is_server_error())
}
