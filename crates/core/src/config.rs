//! How a `Core` is set up: where data lives, where Meta is, where secrets come from.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::db::Durability;
use crate::media::MediaLimits;
use crate::secrets::SecretsProvider;
use crate::settings::Settings;

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
    /// The WhatsApp Business Account whose templates the inbox imports.
    pub waba_id: Option<String>,
    pub sending: SendingSettings,
}

/// How the inbox talks to Meta when it sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendingSettings {
    pub connect_timeout: Duration,
    /// The whole request, answer included. Past it, a send is "not confirmed".
    pub request_timeout: Duration,
    /// First retry delay after a retryable failure; it doubles (4× for 131056).
    pub retry_base: Duration,
    pub retry_max: Duration,
    /// Tell the customer their messages were read when the owner opens the conversation.
    pub mark_read_on_open: bool,
    /// Show "typing…" to the customer while the owner types.
    pub typing_indicator: bool,
    /// Whether the composer asks for link previews unless the owner says otherwise.
    pub link_previews: bool,
}

impl Default for SendingSettings {
    fn default() -> Self {
        SendingSettings {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            retry_base: Duration::from_secs(2),
            retry_max: Duration::from_secs(5 * 60),
            mark_read_on_open: true,
            typing_indicator: true,
            link_previews: true,
        }
    }
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
            .field("waba_id", &self.waba_id)
            .field("sending", &self.sending)
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
            waba_id: None,
            sending: SendingSettings::default(),
        }
    }

    /// The owner's settings in place of the defaults they cover. Apply before
    /// [`Config::with_env_overrides`], so a variable still wins.
    pub fn with_settings(mut self, settings: &Settings) -> Config {
        self.sending.mark_read_on_open = settings.sending.mark_read_on_open;
        self.sending.typing_indicator = settings.sending.typing_indicator;
        self.sending.link_previews = settings.sending.link_previews;
        self.graph_version = settings.graph.version.clone();
        self.media_limits = settings.media;
        self
    }

    /// Where Meta is, which version, which WABA and numbers (`CHATSPHERE_PHONE_NUMBER_ID`,
    /// comma-separated), and where the webhook server listens (`CHATSPHERE_WEBHOOK_LISTEN`, an
    /// address such as `127.0.0.1:43123`), from `CHATSPHERE_*` variables when set (a headless
    /// box, the end-to-end tests against the simulator). A listen address that does not parse
    /// is logged and the default kept.
    pub fn with_env_overrides(self) -> Config {
        self.with_overrides_from(|name| std::env::var(name).ok())
    }

    /// [`Config::with_env_overrides`] reading the variables through `lookup`.
    fn with_overrides_from(mut self, lookup: impl Fn(&str) -> Option<String>) -> Config {
        let var = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        if let Some(listen) = var("CHATSPHERE_WEBHOOK_LISTEN") {
            match listen.trim().parse::<SocketAddr>() {
                Ok(addr) => self.webhook_listen = addr,
                Err(error) => tracing::warn!(
                    value = %listen,
                    %error,
                    default = %self.webhook_listen,
                    "CHATSPHERE_WEBHOOK_LISTEN is not an address such as 127.0.0.1:43123; keeping the default"
                ),
            }
        }
        if let Some(url) = var("CHATSPHERE_GRAPH_BASE_URL") {
            self.graph_base_url = url;
        }
        if let Some(version) = var("CHATSPHERE_GRAPH_VERSION") {
            self.graph_version = version;
        }
        if let Some(waba_id) = var("CHATSPHERE_WABA_ID") {
            self.waba_id = Some(waba_id);
        }
        if let Some(ids) = var("CHATSPHERE_PHONE_NUMBER_ID") {
            self.phone_number_ids = ids
                .split(',')
                .map(|id| id.trim().to_string())
                .filter(|id| !id.is_empty())
                .collect();
        }
        self
    }

    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join(DATABASE_FILE)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::secrets::MemorySecrets;

    fn config_with(vars: &[(&str, &str)]) -> Config {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::new("/tmp/unused", Arc::new(MemorySecrets::default()))
            .with_overrides_from(|name| vars.get(name).cloned())
    }

    #[test]
    fn webhook_listen_address_comes_from_the_environment() {
        let config = config_with(&[("CHATSPHERE_WEBHOOK_LISTEN", "127.0.0.1:43123")]);
        assert_eq!(config.webhook_listen, "127.0.0.1:43123".parse().unwrap());
    }

    #[test]
    fn an_unparsable_webhook_listen_address_keeps_the_default() {
        for value in ["localhost", "127.0.0.1", "127.0.0.1:99999", "   "] {
            let config = config_with(&[("CHATSPHERE_WEBHOOK_LISTEN", value)]);
            assert_eq!(
                config.webhook_listen,
                SocketAddr::from(([127, 0, 0, 1], 0)),
                "{value:?}"
            );
        }
    }

    #[test]
    fn settings_map_into_the_config_and_a_variable_still_wins() {
        let mut settings = Settings::default();
        settings.sending.mark_read_on_open = false;
        settings.sending.typing_indicator = false;
        settings.sending.link_previews = false;
        settings.graph.version = "v24.0".into();
        let config =
            Config::new("/tmp/unused", Arc::new(MemorySecrets::default())).with_settings(&settings);
        assert!(!config.sending.mark_read_on_open);
        assert!(!config.sending.typing_indicator);
        assert!(!config.sending.link_previews);
        assert_eq!(config.graph_version, "v24.0");
        let config = config.with_overrides_from(|name| {
            (name == "CHATSPHERE_GRAPH_VERSION").then(|| "v25.0".into())
        });
        assert_eq!(config.graph_version, "v25.0");
    }

    #[test]
    fn graph_and_waba_overrides_apply_together_with_the_listen_address() {
        let config = config_with(&[
            ("CHATSPHERE_GRAPH_BASE_URL", "http://127.0.0.1:40001"),
            ("CHATSPHERE_WEBHOOK_LISTEN", "127.0.0.1:40002"),
            ("CHATSPHERE_WABA_ID", "102290129340398"),
            ("CHATSPHERE_PHONE_NUMBER_ID", "106540352242922, "),
        ]);
        assert_eq!(config.graph_base_url, "http://127.0.0.1:40001");
        assert_eq!(config.webhook_listen.port(), 40002);
        assert_eq!(config.waba_id.as_deref(), Some("102290129340398"));
        assert_eq!(config.phone_number_ids, vec!["106540352242922".to_string()]);
    }
}
