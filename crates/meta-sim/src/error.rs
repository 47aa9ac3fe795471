//! Errors: the Graph API error bodies the simulator returns (in Meta's exact shape) and
//! the library's own error type.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::ids::new_fbtrace_id;

/// Everything that can go wrong when driving the simulator from Rust.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("could not bind the simulator's listener: {0}")]
    Bind(#[source] std::io::Error),
    #[error("no webhook URL is configured: set SimConfig::webhook_url or subscribe an app")]
    NoWebhookTarget,
    #[error("a webhook POST carries at most {max} updates; {got} were given")]
    BatchTooLarge { got: usize, max: usize },
    #[error("timed out after {0:?} waiting for the app")]
    Timeout(std::time::Duration),
    #[error("no template {0} on the WABA")]
    UnknownTemplate(String),
    #[error("unknown business phone number id {0}")]
    UnknownNumber(String),
    #[error("the app is not subscribed to the WABA, so Meta would not deliver webhooks")]
    NotSubscribed,
    #[error("could not serialise a webhook body: {0}")]
    Serialize(#[from] serde_json::Error),
    #[error("HTTP request failed: {0}")]
    Http(#[from] reqwest::Error),
    #[error("invalid URL {url}: {reason}")]
    InvalidUrl { url: String, reason: String },
    #[error("media rejected: {0}")]
    Media(String),
    #[error("invalid load configuration: {0}")]
    LoadConfig(String),
}

/// A Graph API error, rendered exactly as Meta renders it:
/// `{"error":{"message","type","code","error_data":{"messaging_product","details"},"fbtrace_id"}}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GraphError {
    pub http_status: u16,
    pub code: u32,
    pub error_type: String,
    pub message: String,
    pub details: Option<String>,
    pub error_subcode: Option<u32>,
}

impl GraphError {
    /// The error Meta returns for `code`, with its usual HTTP status, title and details.
    pub fn from_code(code: u32) -> Self {
        let (http_status, title, details) = catalogue(code);
        Self {
            http_status,
            code,
            error_type: "OAuthException".to_owned(),
            message: format!("(#{code}) {title}"),
            details: details.map(str::to_owned),
            error_subcode: None,
        }
    }

    /// Replaces the `error_data.details` sentence.
    pub fn with_details(mut self, details: impl Into<String>) -> Self {
        self.details = Some(details.into());
        self
    }

    /// Replaces the top-level message.
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }

    /// Overrides the HTTP status.
    pub fn with_http_status(mut self, status: u16) -> Self {
        self.http_status = status;
        self
    }

    /// `(#100) Invalid parameter` with the given details.
    pub fn invalid_parameter(details: impl Into<String>) -> Self {
        Self::from_code(100).with_details(details)
    }

    /// `190` for a missing, malformed or unknown token.
    pub fn invalid_token() -> Self {
        Self::from_code(190).with_message("Invalid OAuth access token - Cannot parse access token")
    }

    /// `190` for a token that was valid but has expired.
    pub fn expired_token(expired_at_unix: i64) -> Self {
        let mut error = Self::from_code(190).with_message(format!(
            "Error validating access token: Session has expired at unix time {expired_at_unix}."
        ));
        error.error_subcode = Some(463);
        error
    }

    /// The error for an object id the simulator does not know.
    pub fn unknown_object(id: &str) -> Self {
        let mut error = Self::from_code(100).with_message(format!(
            "Unsupported get request. Object with ID '{id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation."
        ));
        error.error_type = "GraphMethodException".to_owned();
        error.error_subcode = Some(33);
        error.details = None;
        error
    }

    /// The JSON body Meta returns, with a fresh `fbtrace_id`.
    pub fn body(&self) -> Value {
        let mut error = json!({
            "message": self.message,
            "type": self.error_type,
            "code": self.code,
            "fbtrace_id": new_fbtrace_id(),
        });
        if let Some(details) = &self.details {
            error["error_data"] = json!({"messaging_product": "whatsapp", "details": details});
        }
        if let Some(subcode) = self.error_subcode {
            error["error_subcode"] = json!(subcode);
        }
        json!({ "error": error })
    }

    /// The error object embedded in a `failed` status webhook.
    pub fn status_error_object(&self) -> Value {
        let (_, title, _) = catalogue(self.code);
        json!({
            "code": self.code,
            "title": title,
            "message": title,
            "error_data": {"details": self.details.clone().unwrap_or_else(|| title.to_owned())},
            "href": "/documentation/business-messaging/whatsapp/support/error-codes",
        })
    }
}

impl IntoResponse for GraphError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.http_status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(self.body())).into_response()
    }
}

/// HTTP status, title and default details of each error code the simulator can produce.
pub fn catalogue(code: u32) -> (u16, &'static str, Option<&'static str>) {
    match code {
        0 => (401, "AuthException", None),
        3 => (500, "API method", None),
        4 => (400, "Application request limit reached", None),
        10 => (403, "Permission denied", None),
        100 => (400, "Invalid parameter", Some("Invalid parameter")),
        190 => (401, "Invalid OAuth access token", None),
        368 => (
            403,
            "Temporarily blocked for policies violations",
            Some("The account is temporarily blocked for policy violations."),
        ),
        2200 => (400, "Callback verification failed", None),
        2500 => (400, "Unknown path components", None),
        80007 => (
            400,
            "Rate limit issues",
            Some("The WhatsApp Business Account has reached its rate limit."),
        ),
        130429 => (
            400,
            "Rate limit hit",
            Some("Cloud API message throughput has been reached."),
        ),
        130472 => (
            400,
            "User's number is part of an experiment",
            Some(
                "Failed to send message because this user's phone number is part of an experiment.",
            ),
        ),
        131000 => (
            500,
            "Something went wrong",
            Some("Message failed to send due to an unknown error."),
        ),
        131005 => (
            403,
            "Access denied",
            Some("Permission is either not granted or has been removed."),
        ),
        131008 => (
            400,
            "Required parameter is missing",
            Some("The request is missing a required parameter."),
        ),
        131009 => (
            400,
            "Parameter value is not valid",
            Some("One or more parameter values are invalid."),
        ),
        131016 => (
            500,
            "Service unavailable",
            Some("A service is temporarily unavailable."),
        ),
        131021 => (
            400,
            "Recipient cannot be sender",
            Some("Sender and recipient phone number is the same."),
        ),
        131026 => (
            400,
            "Message undeliverable",
            Some(
                "Unable to deliver message. The recipient may not be on WhatsApp or may be using an old version.",
            ),
        ),
        131030 => (
            400,
            "Recipient phone number not in allowed list",
            Some("Add the recipient phone number to the recipient list and try again."),
        ),
        131031 => (
            403,
            "Account has been locked",
            Some("The business account was locked."),
        ),
        131047 => (
            400,
            "Re-engagement message",
            Some(
                "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
            ),
        ),
        131048 => (
            400,
            "Spam rate limit hit",
            Some(
                "Message failed to send because there are restrictions on how many messages can be sent from this phone number.",
            ),
        ),
        131049 => (
            400,
            "This message was not delivered to maintain healthy ecosystem engagement.",
            Some(
                "In order to maintain a healthy ecosystem engagement, the message failed to be delivered.",
            ),
        ),
        131050 => (
            400,
            "User has stopped marketing messages",
            Some(
                "Unable to deliver the marketing message because the user chose to stop receiving them.",
            ),
        ),
        131051 => (
            400,
            "Unsupported message type",
            Some("Message type is not currently supported."),
        ),
        131052 => (
            400,
            "Media download error",
            Some("Unable to download the media sent by the user."),
        ),
        131053 => (
            400,
            "Media upload error",
            Some("Unable to upload the media used in the message."),
        ),
        131056 => (
            400,
            "(Business Account, Consumer Account) pair rate limit hit",
            Some(
                "Too many messages sent from the sender phone number to the same recipient phone number in a short period of time.",
            ),
        ),
        131057 => (
            400,
            "Account in maintenance mode",
            Some("The business account is in maintenance mode."),
        ),
        131062 => (
            400,
            "Business-scoped user id recipient not supported",
            Some("This message type cannot be sent to a business-scoped user id."),
        ),
        132000 => (
            400,
            "Number of parameters does not match the expected number of params",
            Some(
                "The number of variable parameter values included in the request did not match the number of variable parameters defined in the template.",
            ),
        ),
        132001 => (
            404,
            "Template name does not exist in the translation",
            Some(
                "The template does not exist in the specified language or the template has not been approved.",
            ),
        ),
        132005 => (
            400,
            "Translated text too long",
            Some("Translated text is too long."),
        ),
        132007 => (
            400,
            "Template format character policy violated",
            Some("Template content violates a WhatsApp policy."),
        ),
        132012 => (
            400,
            "Parameter format does not match format in the created template",
            Some("Variable parameter values formatted incorrectly."),
        ),
        132015 => (
            400,
            "Template is paused",
            Some(
                "Template is paused due to low quality so it cannot be sent in a template message.",
            ),
        ),
        132016 => (
            400,
            "Template is disabled",
            Some(
                "Template has been paused too many times due to low quality and is now permanently disabled.",
            ),
        ),
        132018 => (
            400,
            "There was an issue with the parameters in your template.",
            Some("One or more template parameters are invalid."),
        ),
        133010 => (
            400,
            "Phone number not registered",
            Some("The phone number is not registered on the WhatsApp Business Platform."),
        ),
        _ => (
            500,
            "Something went wrong",
            Some("An unknown error occurred."),
        ),
    }
}
