//! The one error type that crosses IPC: a closed code the UI can branch on and a
//! sentence it can show.

use chatsphere_core::{CoreError, ErrorCode};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[error("{message}")]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
}

impl From<CoreError> for IpcError {
    fn from(error: CoreError) -> Self {
        let code = error.code();
        if code == ErrorCode::Internal {
            tracing::error!(%error, "a command failed");
        }
        IpcError {
            code,
            message: error.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_crosses_ipc_as_code_and_message() {
        let error = IpcError::from(CoreError::NotFound("conversation 7".into()));
        assert_eq!(
            serde_json::to_value(&error).unwrap(),
            serde_json::json!({ "code": "notFound", "message": "conversation 7 was not found" }),
            "the UI relies on exactly this wire shape"
        );
    }
}
