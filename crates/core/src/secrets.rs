//! Secrets (access token, app secret, verify token, tunnel token): kept in the OS
//! keychain, or for a headless box in the environment; never in SQLite, settings,
//! logs or IPC responses.

use std::collections::HashMap;
use std::sync::Mutex;

/// A secret value that never prints and refuses to be serialized.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value itself, for the one place that needs it (a header, an HMAC key).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom("a secret cannot be serialized"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecretKind {
    AccessToken,
    AppSecret,
    VerifyToken,
    TunnelToken,
}

impl SecretKind {
    pub const ALL: [SecretKind; 4] = [
        SecretKind::AccessToken,
        SecretKind::AppSecret,
        SecretKind::VerifyToken,
        SecretKind::TunnelToken,
    ];

    /// The keychain account name.
    pub fn key(self) -> &'static str {
        match self {
            SecretKind::AccessToken => "access-token",
            SecretKind::AppSecret => "app-secret",
            SecretKind::VerifyToken => "verify-token",
            SecretKind::TunnelToken => "tunnel-token",
        }
    }

    /// The environment variable a headless install reads it from.
    pub fn env_var(self) -> &'static str {
        match self {
            SecretKind::AccessToken => "CHATSPHERE_ACCESS_TOKEN",
            SecretKind::AppSecret => "CHATSPHERE_APP_SECRET",
            SecretKind::VerifyToken => "CHATSPHERE_VERIFY_TOKEN",
            SecretKind::TunnelToken => "CHATSPHERE_TUNNEL_TOKEN",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SecretsError {
    #[error("the system keychain is not available: {0}")]
    KeychainUnavailable(String),
    #[error("the system keychain refused the operation: {0}")]
    Keychain(String),
    #[error("{0} is read from the environment and cannot be changed here")]
    ReadOnly(&'static str),
}

/// Where secrets live. Calls may block (a keychain round trip): call them from a
/// blocking thread.
pub trait SecretsProvider: Send + Sync {
    fn get(&self, kind: SecretKind) -> Result<Option<Secret>, SecretsError>;
    fn set(&self, kind: SecretKind, value: &Secret) -> Result<(), SecretsError>;
    fn delete(&self, kind: SecretKind) -> Result<(), SecretsError>;
}

/// The OS keychain (Secret Service on Linux, Keychain on macOS, Credential Manager on
/// Windows), namespaced by the app identifier so a test build never touches real secrets.
pub struct KeychainSecrets {
    service: String,
}

impl KeychainSecrets {
    pub fn new(app_identifier: &str) -> KeychainSecrets {
        KeychainSecrets {
            service: app_identifier.to_string(),
        }
    }

    fn entry(&self, kind: SecretKind) -> Result<keyring::Entry, SecretsError> {
        keyring::Entry::new(&self.service, kind.key()).map_err(keychain_error)
    }
}

fn keychain_error(error: keyring::Error) -> SecretsError {
    match error {
        keyring::Error::NoStorageAccess(e) | keyring::Error::PlatformFailure(e) => {
            SecretsError::KeychainUnavailable(e.to_string())
        }
        other => SecretsError::Keychain(other.to_string()),
    }
}

impl SecretsProvider for KeychainSecrets {
    fn get(&self, kind: SecretKind) -> Result<Option<Secret>, SecretsError> {
        match self.entry(kind)?.get_password() {
            Ok(value) => Ok(Some(Secret(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keychain_error(e)),
        }
    }

    fn set(&self, kind: SecretKind, value: &Secret) -> Result<(), SecretsError> {
        self.entry(kind)?
            .set_password(value.expose())
            .map_err(keychain_error)
    }

    fn delete(&self, kind: SecretKind) -> Result<(), SecretsError> {
        match self.entry(kind)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keychain_error(e)),
        }
    }
}

/// Secrets from `CHATSPHERE_*` environment variables, for a headless always-on box.
#[derive(Default)]
pub struct EnvSecrets;

impl SecretsProvider for EnvSecrets {
    fn get(&self, kind: SecretKind) -> Result<Option<Secret>, SecretsError> {
        Ok(std::env::var(kind.env_var())
            .ok()
            .filter(|v| !v.is_empty())
            .map(Secret))
    }

    fn set(&self, kind: SecretKind, _: &Secret) -> Result<(), SecretsError> {
        Err(SecretsError::ReadOnly(kind.env_var()))
    }

    fn delete(&self, kind: SecretKind) -> Result<(), SecretsError> {
        Err(SecretsError::ReadOnly(kind.env_var()))
    }
}

/// Secrets held in memory only: for tests and for values handed over at start-up.
#[derive(Default)]
pub struct MemorySecrets {
    values: Mutex<HashMap<SecretKind, Secret>>,
}

impl MemorySecrets {
    pub fn with(pairs: impl IntoIterator<Item = (SecretKind, &'static str)>) -> MemorySecrets {
        MemorySecrets {
            values: Mutex::new(
                pairs
                    .into_iter()
                    .map(|(k, v)| (k, Secret::new(v)))
                    .collect(),
            ),
        }
    }
}

impl SecretsProvider for MemorySecrets {
    fn get(&self, kind: SecretKind) -> Result<Option<Secret>, SecretsError> {
        Ok(self
            .values
            .lock()
            .map_err(|_| SecretsError::Keychain("secret store poisoned".into()))?
            .get(&kind)
            .cloned())
    }

    fn set(&self, kind: SecretKind, value: &Secret) -> Result<(), SecretsError> {
        self.values
            .lock()
            .map_err(|_| SecretsError::Keychain("secret store poisoned".into()))?
            .insert(kind, value.clone());
        Ok(())
    }

    fn delete(&self, kind: SecretKind) -> Result<(), SecretsError> {
        self.values
            .lock()
            .map_err(|_| SecretsError::Keychain("secret store poisoned".into()))?
            .remove(&kind);
        Ok(())
    }
}
