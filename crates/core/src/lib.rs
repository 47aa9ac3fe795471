//! ChatSphere's behaviour, with no GUI dependency: the SQLite store, the inbox model,
//! webhook ingest, the Graph API client and the workers. The desktop shell and the
//! headless binary are thin layers over [`Core`].

pub mod change;
pub mod chosen_files;
pub mod config;
mod core;
pub mod db;
pub mod error;
pub mod graph;
pub mod ingest;
pub mod media;
pub mod model;
pub mod quick_replies;
pub mod secrets;
#[cfg(feature = "dev-seed")]
pub mod seed;
pub mod send;
pub mod settings;
pub mod templates;
pub mod webhook;

pub use crate::core::{Core, MAX_PAGE_SIZE};
pub use change::{Change, ChangeBus};
pub use config::Config;
pub use error::{CoreError, ErrorCode};
pub use settings::Settings;
