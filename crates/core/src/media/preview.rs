//! Previews of files the owner picked to send, before they are sent: their thumbnails
//! are kept in the media store, and only those picked in this run of the app may be
//! served (`chatsphere-media://localhost/preview/<sha256>`).

use std::collections::HashSet;
use std::sync::Mutex;

use super::store::is_store_name;

/// The preview thumbnails the webview may load in this run of the app.
#[derive(Debug, Default)]
pub struct PreviewGrants {
    granted: Mutex<HashSet<String>>,
}

impl PreviewGrants {
    /// Lets the webview load the preview named `sha256` from now on.
    pub fn grant(&self, sha256: &str) {
        if is_store_name(sha256) {
            self.lock().insert(sha256.to_string());
        }
    }

    pub fn is_granted(&self, sha256: &str) -> bool {
        self.lock().contains(sha256)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        self.granted
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_store_names_are_granted() {
        let grants = PreviewGrants::default();
        let name = "ab".repeat(32);
        grants.grant(&name);
        grants.grant("../etc/passwd");
        assert!(grants.is_granted(&name));
        assert!(
            !grants.is_granted("../etc/passwd"),
            "a path is never granted"
        );
        assert!(!grants.is_granted(&"cd".repeat(32)), "nor another hash");
    }
}
