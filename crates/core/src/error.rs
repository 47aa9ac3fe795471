//! The closed set of error codes the UI can branch on, and the core's top-level error.

use crate::db::DbError;

/// What kind of failure a caller sees. Only add a code when a consumer (the UI)
/// actually branches on it; everything else is `Internal` with a readable message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum ErrorCode {
    NotFound,
    InvalidInput,
    /// A free-form message outside the 24-hour window: the UI offers templates.
    OutsideServiceWindow,
    Unavailable,
    Internal,
}

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("{0} was not found")]
    NotFound(String),
    #[error("{0}")]
    InvalidInput(String),
    #[error("{0}")]
    OutsideServiceWindow(String),
    #[error("storage is unavailable: {0}")]
    Storage(#[from] DbError),
    #[error("{0}")]
    Internal(String),
}

impl CoreError {
    pub fn code(&self) -> ErrorCode {
        match self {
            CoreError::NotFound(_) => ErrorCode::NotFound,
            CoreError::InvalidInput(_) => ErrorCode::InvalidInput,
            CoreError::OutsideServiceWindow(_) => ErrorCode::OutsideServiceWindow,
            CoreError::Storage(DbError::Closed) => ErrorCode::Unavailable,
            CoreError::Storage(_) | CoreError::Internal(_) => ErrorCode::Internal,
        }
    }
}
