//! What can go wrong talking to the Graph API, and Meta's own error body.

use serde::Deserialize;

use crate::secrets::SecretsError;

/// Meta's error object (`{"error":{...}}`), with the HTTP status it came with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetaError {
    pub http_status: u16,
    pub code: i64,
    /// Meta's `message`, e.g. "(#131047) Re-engagement message".
    pub title: String,
    /// `error_data.details`: the sentence Meta recommends building logic on.
    pub details: Option<String>,
    pub error_type: Option<String>,
    pub fbtrace_id: Option<String>,
}

impl std::fmt::Display for MetaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (code {}", self.title, self.code)?;
        if let Some(details) = &self.details {
            write!(f, ": {details}")?;
        }
        if let Some(trace) = &self.fbtrace_id {
            write!(f, "; fbtrace_id {trace}")?;
        }
        f.write_str(")")
    }
}

#[derive(Deserialize)]
struct ErrorEnvelope {
    error: ErrorBody,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    message: String,
    #[serde(rename = "type")]
    error_type: Option<String>,
    code: i64,
    error_data: Option<ErrorData>,
    error_user_title: Option<String>,
    fbtrace_id: Option<String>,
}

#[derive(Deserialize)]
struct ErrorData {
    details: Option<String>,
}

impl MetaError {
    /// Parses Meta's error body; `None` when the body is not one (a proxy's HTML page).
    pub fn parse(http_status: u16, body: &[u8]) -> Option<MetaError> {
        let envelope: ErrorEnvelope = serde_json::from_slice(body).ok()?;
        let error = envelope.error;
        let title = if error.message.is_empty() {
            error.error_user_title.unwrap_or_default()
        } else {
            error.message
        };
        Some(MetaError {
            http_status,
            code: error.code,
            title,
            details: error.error_data.and_then(|data| data.details),
            error_type: error.error_type,
            fbtrace_id: error.fbtrace_id,
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum GraphError {
    #[error("no WhatsApp access token is set")]
    NoAccessToken,
    #[error("the access token could not be read: {0}")]
    Secrets(#[from] SecretsError),
    #[error("the HTTP client could not be set up: {0}")]
    Setup(String),
    /// The request never reached Meta (no connection): sending again is safe.
    #[error("could not reach WhatsApp: {0}")]
    NotSent(String),
    /// The request left but no usable answer came back: Meta may have acted on it.
    #[error("no answer from WhatsApp after the request was sent: {0}")]
    NoAnswer(String),
    #[error("WhatsApp refused the request: {0}")]
    Meta(MetaError),
    /// An error status without Meta's error body (a proxy or load balancer answered).
    #[error("WhatsApp answered HTTP {status}")]
    HttpStatus { status: u16 },
    /// A success status whose body is not what Meta documents.
    #[error("WhatsApp's answer could not be read: {0}")]
    BadResponse(String),
}

impl GraphError {
    pub fn meta_code(&self) -> Option<i64> {
        match self {
            GraphError::Meta(error) => Some(error.code),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_error_body_is_parsed_into_code_title_details_and_trace() {
        let body =
            br#"{"error":{"message":"(#131047) Re-engagement message","type":"OAuthException",
            "code":131047,"error_data":{"messaging_product":"whatsapp",
            "details":"Message failed to send because more than 24 hours have passed"},
            "fbtrace_id":"Az8or2yhqkZfEZ-_4Qn_Bam"}}"#;
        let error = MetaError::parse(400, body).expect("Meta's shape parses");
        assert_eq!(error.code, 131047);
        assert_eq!(error.title, "(#131047) Re-engagement message");
        assert_eq!(
            error.details.as_deref(),
            Some("Message failed to send because more than 24 hours have passed")
        );
        assert_eq!(error.fbtrace_id.as_deref(), Some("Az8or2yhqkZfEZ-_4Qn_Bam"));
        assert_eq!(error.error_type.as_deref(), Some("OAuthException"));
        assert_eq!(error.http_status, 400);
    }

    #[test]
    fn a_body_that_is_not_metas_error_is_not_taken_for_one() {
        assert_eq!(MetaError::parse(502, b"<html>Bad gateway</html>"), None);
        assert_eq!(MetaError::parse(500, br#"{"ok":false}"#), None);
    }
}
