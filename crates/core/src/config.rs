//! How a `Core` is set up: where data lives, where Meta is, where secrets come from.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use crate::db::Durability;
use crate::media::MediaLimits;
use crate::secrets::SecretsProvider;

/// Meta's Graph API.
pub const DEFAULT_GRAPH_BASE_URL: &str = "https://graph.facebook.com";
/// The Graph API version current when this release was made; a setting, not a constant.
pub const DEFAULT_GRAPH_VERSION: &str = "v26.0";
/// Longest side of a media thumbnail, in pixels.
pub const DEFAULT_THUMBNAIL_MAX_SIDE: u32 = 320;
/// Name of the database file inside the data directory.
pub const DATABASE_FILE: &str = "chatsphere.sqlite3";

#[derive(Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    /// Where the webhook server listens; port 0 picks a free port.
    pub webhook_listen: SocketAddr,
    pub graph_base_url: String,
    pub graph_version: String,
    /// The business phone number ids this inbox answers for.
    pub phone_number_ids: Vec<String>,
    pub durability: Durability,
    /// Largest media file accepted per type.
    pub media_limits: MediaLimits,
    /// Longest side of media thumbnails, in pixels.
    pub thumbnail_max_side: u32,
    pub secrets: Arc<dyn SecretsProvider>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("data_dir", &self.data_dir)
            .field("webhook_listen", &self.webhook_listen)
            .field("graph_base_url", &self.graph_base_url)
            .field("graph_version", &self.graph_version)
            .field("phone_number_ids", &self.phone_number_ids)
            .field("durability", &self.durability)
            .field("media_limits", &self.media_limits)
            .field("thumbnail_max_side", &self.thumbnail_max_side)
            .finish_non_exhaustive()
    }
}

impl Config {
    /// A configuration with the defaults, storing data in `data_dir`.
    pub fn new(data_dir: impl Into<PathBuf>, secrets: Arc<dyn SecretsProvider>) -> Config {
        Config {
            data_dir: data_dir.into(),
            webhook_listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            graph_base_url: DEFAULT_GRAPH_BASE_URL.to_string(),
            graph_version: DEFAULT_GRAPH_VERSION.to_string(),
            phone_number_ids: Vec::new(),
            durability: Durability::default(),
            media_limits: MediaLimits::default(),
            thumbnail_max_side: DEFAULT_THUMBNAIL_MAX_SIDE,
            secrets,
        }
    }

    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join(DATABASE_FILE)
    }
}
