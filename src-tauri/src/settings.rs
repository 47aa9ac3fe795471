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

#[cfg(test)]
mod tests {
    use tauri::test::{MockRuntime, mock_builder, mock_context, noop_assets};

    use super::*;

    fn app() -> tauri::App<MockRuntime> {
        mock_builder()
            .plugin(tauri_plugin_store::Builder::default().build())
            .build(mock_context(noop_assets()))
            .expect("the mock app builds")
    }

    #[test]
    fn saved_settings_are_read_back_by_the_next_start() {
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::in_dir(dir.path());
        let mut settings = Settings::default();
        settings.sending.mark_read_on_open = false;
        settings.graph.version = "v25.0".into();
        file.save(&app(), &settings).expect("saved");
        let written = std::fs::read_to_string(dir.path().join(SETTINGS_FILE)).unwrap();
        assert!(
            written.contains("\"markReadOnOpen\": false")
                || written.contains("\"markReadOnOpen\":false"),
            "{written}"
        );
        assert_eq!(
            file.load(&app()),
            settings,
            "a new app reads what was saved"
        );
    }

    #[test]
    fn a_missing_or_damaged_file_gives_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::in_dir(dir.path());
        assert_eq!(file.load(&app()), Settings::default(), "nothing saved yet");
        std::fs::write(dir.path().join(SETTINGS_FILE), "{ not json").unwrap();
        assert_eq!(file.load(&app()), Settings::default(), "unreadable file");
        std::fs::write(
            dir.path().join(SETTINGS_FILE),
            r#"{"settings": {"sending": {"markReadOnOpen": 7, "typingIndicator": false}}}"#,
        )
        .unwrap();
        let read = file.load(&app());
        assert!(read.sending.mark_read_on_open, "a bad value: its default");
        assert!(!read.sending.typing_indicator, "a good value is kept");
    }
}
