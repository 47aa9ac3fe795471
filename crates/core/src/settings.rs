//! The owner's settings that are not secret: one typed [`Settings`] value, grouped in
//! sections so later ones (media limits, notifications, the tunnel) slot in as new
//! sections. The shell persists it as JSON; reading it back never fails: a stored value
//! that is unknown, of the wrong type or invalid falls back to its default with a warning
//! (missing values are filled from the defaults there, not by serde, so IPC sees every field).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::config::DEFAULT_GRAPH_VERSION;
use crate::core::Core;
use crate::error::CoreError;
use crate::media::MediaLimits;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Settings {
    pub sending: SendingPreferences,
    pub graph: GraphPreferences,
    /// The largest file accepted per kind, received or sent, in bytes.
    pub media: MediaLimits,
}

/// How the inbox behaves towards the customer while the owner reads and writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SendingPreferences {
    /// Send the customer a read receipt when the owner opens the conversation.
    pub mark_read_on_open: bool,
    /// Show the customer "typing…" while the owner types.
    pub typing_indicator: bool,
    /// Whether a text with a link asks WhatsApp for a preview unless the owner says otherwise.
    pub link_previews: bool,
}

impl Default for SendingPreferences {
    fn default() -> Self {
        SendingPreferences {
            mark_read_on_open: true,
            typing_indicator: true,
            link_previews: true,
        }
    }
}

/// Which Graph API the inbox speaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GraphPreferences {
    /// Such as `v26.0`.
    pub version: String,
}

impl Default for GraphPreferences {
    fn default() -> Self {
        GraphPreferences {
            version: DEFAULT_GRAPH_VERSION.to_string(),
        }
    }
}

/// Whether `version` looks like a Graph API version: `v<major>.<minor>`.
pub fn is_graph_version(version: &str) -> bool {
    let Some(rest) = version.strip_prefix('v') else {
        return false;
    };
    let Some((major, minor)) = rest.split_once('.') else {
        return false;
    };
    let digits = |part: &str| {
        !part.is_empty() && part.len() <= 4 && part.bytes().all(|b| b.is_ascii_digit())
    };
    digits(major) && digits(minor)
}

impl Settings {
    /// The settings with surrounding spaces removed, or a sentence saying what is wrong.
    pub fn validated(mut self) -> Result<Settings, CoreError> {
        self.graph.version = self.graph.version.trim().to_string();
        if !is_graph_version(&self.graph.version) {
            return Err(CoreError::InvalidInput(format!(
                "the Graph API version must look like v26.0, not “{}”",
                self.graph.version
            )));
        }
        self.media = self.media.validated().map_err(CoreError::InvalidInput)?;
        Ok(self)
    }

    /// Reads stored settings value by value: each one that is unknown, unreadable or
    /// invalid is replaced by its default and logged; the rest are kept.
    pub fn from_stored(stored: &Value) -> Settings {
        let (settings, problems) = Settings::from_stored_with_problems(stored);
        for problem in problems {
            tracing::warn!(%problem, "a stored setting was ignored; its default is used");
        }
        settings
    }

    /// [`Settings::from_stored`], returning what was ignored instead of logging it.
    pub fn from_stored_with_problems(stored: &Value) -> (Settings, Vec<String>) {
        let mut accepted = serde_json::to_value(Settings::default()).unwrap_or(Value::Null);
        let mut problems = Vec::new();
        match stored {
            Value::Object(stored) => overlay(&mut accepted, stored, "", &mut problems),
            Value::Null => {}
            other => problems.push(format!("the settings are not an object: {other}")),
        }
        let settings = serde_json::from_value(accepted).unwrap_or_else(|error| {
            problems.push(format!("the settings could not be read: {error}"));
            Settings::default()
        });
        (settings, problems)
    }
}

impl Core {
    /// The settings the running inbox uses.
    pub fn settings(&self) -> Settings {
        Settings {
            sending: self.preferences(),
            graph: GraphPreferences {
                version: self.graph().version(),
            },
            media: self.media_limits(),
        }
    }

    /// Checks `settings` and applies them at once, without a restart: the next read
    /// receipt, typing indicator, Graph API request, download and file to send follow
    /// them. Returns them as applied.
    pub fn apply_settings(&self, settings: Settings) -> Result<Settings, CoreError> {
        let settings = settings.validated()?;
        self.set_preferences(settings.sending.clone());
        self.graph().set_version(&settings.graph.version);
        self.media_worker().set_limits(settings.media);
        tracing::info!(?settings, "settings applied");
        Ok(settings)
    }
}

/// Copies each value of `stored` into `accepted` where the result still reads as valid
/// [`Settings`]; everything else is reported in `problems`.
fn overlay(
    accepted: &mut Value,
    stored: &Map<String, Value>,
    prefix: &str,
    problems: &mut Vec<String>,
) {
    for (key, value) in stored {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        let Some(current) = pointer_mut(accepted, &path) else {
            problems.push(format!("unknown setting {path}"));
            continue;
        };
        if let (Value::Object(_), Value::Object(inner)) = (&*current, value) {
            overlay(accepted, inner, &path, problems);
            continue;
        }
        let previous = std::mem::replace(current, value.clone());
        let readable = serde_json::from_value::<Settings>(accepted.clone())
            .map_err(|e| e.to_string())
            .and_then(|s| s.validated().map(|_| ()).map_err(|e| e.to_string()));
        if let Err(error) = readable {
            problems.push(format!("{path} = {value}: {error}"));
            if let Some(current) = pointer_mut(accepted, &path) {
                *current = previous;
            }
        }
    }
}

fn pointer_mut<'a>(value: &'a mut Value, path: &str) -> Option<&'a mut Value> {
    value.pointer_mut(&format!("/{}", path.replace('.', "/")))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn defaults_read_on_open_show_typing_preview_links_and_speak_v26() {
        let settings = Settings::default();
        assert!(settings.sending.mark_read_on_open);
        assert!(settings.sending.typing_indicator);
        assert!(settings.sending.link_previews);
        assert_eq!(settings.graph.version, "v26.0");
        assert_eq!(settings.media, MediaLimits::META, "Meta's media table");
        assert_eq!(
            Settings::from_stored(&Value::Null),
            settings,
            "nothing stored yet"
        );
    }

    #[test]
    fn stored_settings_round_trip() {
        let mut settings = Settings::default();
        settings.sending.mark_read_on_open = false;
        settings.graph.version = "v25.1".into();
        let stored = serde_json::to_value(&settings).unwrap();
        assert_eq!(stored["sending"]["markReadOnOpen"], json!(false));
        let (read, problems) = Settings::from_stored_with_problems(&stored);
        assert_eq!(read, settings);
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn a_bad_stored_value_falls_back_to_its_default_and_keeps_the_others() {
        let stored = json!({
            "sending": {"markReadOnOpen": "no", "typingIndicator": false, "shout": true},
            "graph": {"version": "26"},
            "tunnel": {"enabled": true}
        });
        let (read, problems) = Settings::from_stored_with_problems(&stored);
        assert!(
            read.sending.mark_read_on_open,
            "a string is not a boolean: default kept"
        );
        assert!(!read.sending.typing_indicator, "the valid value is kept");
        assert_eq!(read.graph.version, "v26.0", "an invalid version falls back");
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(
            problems.iter().any(|p| p.contains("sending.shout")),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.contains("tunnel")),
            "{problems:?}"
        );
    }

    #[test]
    fn a_value_an_older_version_did_not_store_gets_its_default() {
        let stored = json!({"sending": {"markReadOnOpen": false}});
        let (read, problems) = Settings::from_stored_with_problems(&stored);
        assert!(!read.sending.mark_read_on_open);
        assert!(read.sending.link_previews, "missing: the default");
        assert_eq!(read.graph, GraphPreferences::default());
        assert!(problems.is_empty(), "nothing was wrong: {problems:?}");
    }

    #[test]
    fn stored_garbage_gives_the_defaults() {
        for stored in [json!("settings"), json!([1, 2]), json!({"sending": 3})] {
            let (read, problems) = Settings::from_stored_with_problems(&stored);
            assert_eq!(read, Settings::default(), "{stored}");
            assert!(!problems.is_empty(), "{stored} is reported");
        }
    }

    #[test]
    fn a_stored_media_limit_above_metas_or_zero_falls_back_alone() {
        let stored = json!({"media": {
            "image": 1_048_576,
            "video": 999_999_999,
            "audio": 0,
            "sticker": "big"
        }});
        let (read, problems) = Settings::from_stored_with_problems(&stored);
        assert_eq!(read.media.image, 1_048_576, "a lowered limit is kept");
        assert_eq!(
            read.media.video,
            MediaLimits::META.video,
            "above Meta's: default"
        );
        assert_eq!(read.media.audio, MediaLimits::META.audio, "zero: default");
        assert_eq!(
            read.media.sticker,
            MediaLimits::META.sticker,
            "not a number"
        );
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(
            problems.iter().any(|p| p.contains("media.video")),
            "{problems:?}"
        );
    }

    #[test]
    fn media_limits_are_validated_with_the_rest() {
        let mut settings = Settings::default();
        settings.media.document = MediaLimits::META.document + 1;
        let error = settings.validated().unwrap_err();
        assert!(
            matches!(&error, CoreError::InvalidInput(m) if m.contains("documents") && m.contains("100.0 MB")),
            "{error:?}"
        );
        let mut settings = Settings::default();
        settings.media.animated_sticker = 0;
        assert!(settings.validated().is_err(), "zero is refused");
    }

    #[test]
    fn graph_version_must_look_like_v_major_minor() {
        for good in ["v26.0", "v3.10", " v19.0 "] {
            let mut settings = Settings::default();
            settings.graph.version = good.into();
            assert_eq!(settings.validated().unwrap().graph.version, good.trim());
        }
        for bad in ["26.0", "v26", "v26.", "V26.0", "v26.0.1", "vx.0", "", "v.1"] {
            let mut settings = Settings::default();
            settings.graph.version = bad.into();
            let error = settings.validated().unwrap_err();
            assert!(
                matches!(&error, CoreError::InvalidInput(m) if m.contains("v26.0")),
                "{bad:?} → {error:?}"
            );
        }
    }
}
