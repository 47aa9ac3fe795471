//! Media received from customers: downloaded as soon as the message arrives (Meta's URLs
//! live 5 minutes, its media ids 7 days), verified, kept forever in a content-addressed
//! store, and served to the webview through the app's own URI scheme.

pub mod download;
pub mod named;
pub mod preview;
pub mod protocol;
pub mod service;
pub mod store;
pub mod verify;
mod worker;

pub use preview::PreviewGrants;
pub use protocol::{MediaResponse, parse_range};
pub use store::{MediaStore, thumbnail_png};
pub use verify::MediaLimits;
pub use worker::{DownloadSummary, MediaWorker};

use crate::db::DbError;

#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// Meta refused the access token (HTTP 401 or error 190): an account problem.
    #[error("Meta refused the access token: {0}")]
    AccessToken(String),
    #[error("no access token is set: media cannot be downloaded")]
    NoAccessToken,
    /// Meta no longer has the media (its id is past 7 days or unknown).
    #[error("Meta no longer has this media: {0}")]
    Expired(String),
    /// Worth trying again later (network, 5xx, rate limit).
    #[error("{0}")]
    Transient(String),
    #[error("Meta refused the request: {0}")]
    Rejected(String),
    #[error("the file is {size} bytes, more than the {limit} bytes allowed for its type")]
    TooLarge { size: u64, limit: u64 },
    #[error("the file was announced as {declared} but its content is {found}")]
    WrongType { declared: String, found: String },
    #[error("the file does not match Meta's hash: {0}")]
    HashMismatch(String),
    #[error("could not store media: {0}")]
    Storage(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("media {0} was not found")]
    NotFound(String),
    #[error("the requested range is outside the file")]
    RangeNotSatisfiable { size: u64 },
    #[error("storage is unavailable: {0}")]
    Db(#[from] DbError),
}

impl MediaError {
    /// Another attempt could succeed without anyone changing anything.
    fn is_transient(&self) -> bool {
        matches!(self, MediaError::Transient(_) | MediaError::Storage(_))
    }

    fn is_account_problem(&self) -> bool {
        matches!(self, MediaError::AccessToken(_) | MediaError::NoAccessToken)
    }
}
