//! The owner's settings on disk: one JSON file written through tauri-plugin-store, next
//! to the inbox's data. What it holds is read by `chatsphere_core::Settings`, which falls
//! back to defaults for anything unreadable.

use std::path::{Path, PathBuf};

use chatsphere_core::{CoreError, Settings};
use tauri::{Manager, Runtime};
use tauri_plugin_store::StoreExt;

const SETTINGS_FILE: &str = "settings.json";
const SETTINGS_KEY: &str = "settings";

/// Where the settings file is, kept in managed state.
pub struct SettingsFile(PathBuf);

impl SettingsFile {
    pub fn in_dir(data_dir: &Path) -> SettingsFile {
        SettingsFile(data_dir.join(SETTINGS_FILE))
    }

    /// The stored settings; defaults when there are none or the file cannot be read.
    pub fn load<R: Runtime>(&self, app: &impl Manager<R>) -> Settings {
        match app.store(&self.0) {
            Ok(store) => Settings::from_stored(&store.get(SETTINGS_KEY).unwrap_or_default()),
            Err(error) => {
                tracing::warn!(%error, path = %self.0.display(), "the settings file could not be read; using the defaults");
                Settings::default()
            }
        }
    }

    pub fn save<R: Runtime>(
        &self,
        app: &impl Manager<R>,
        settings: &Settings,
    ) -> Result<(), CoreError> {
        let unsaved = |error: &dyn std::fmt::Display| {
            CoreError::Internal(format!("the settings could not be saved: {error}"))
        };
        let store = app.store(&self.0).map_err(|e| unsaved(&e))?;
        let value = serde_json::to_value(settings).map_err(|e| unsaved(&e))?;
        store.set(SETTINGS_KEY, value);
        store.save().map_err(|e| unsaved(&e))
    }
}
