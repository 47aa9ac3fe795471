//! Meta's request signature (`X-Hub-Signature-256: sha256=<hex>`): HMAC-SHA256 of the
//! exact bytes received, compared in constant time.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

type HmacSha256 = Hmac<Sha256>;

pub const SIGNATURE_HEADER: &str = "x-hub-signature-256";

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the request has no X-Hub-Signature-256 header")]
    Missing,
    #[error("the X-Hub-Signature-256 header is not `sha256=` followed by 64 hex digits")]
    Malformed,
    #[error("the signature does not match the body")]
    Mismatch,
}

/// Checks `header` (the raw header value) against the HMAC of `body` under `app_secret`.
pub fn verify(app_secret: &[u8], header: Option<&[u8]>, body: &[u8]) -> Result<(), SignatureError> {
    let header = header.ok_or(SignatureError::Missing)?;
    let hex_digest = header
        .strip_prefix(b"sha256=")
        .ok_or(SignatureError::Malformed)?;
    let mut claimed = [0u8; 32];
    hex::decode_to_slice(hex_digest, &mut claimed).map_err(|_| SignatureError::Malformed)?;
    let mut mac = HmacSha256::new_from_slice(app_secret).map_err(|_| SignatureError::Mismatch)?;
    mac.update(body);
    // verify_slice compares in constant time.
    mac.verify_slice(&claimed)
        .map_err(|_| SignatureError::Mismatch)
}

/// The header value Meta would send for `body`; used by tests, the benchmark and tools.
pub fn sign(app_secret: &[u8], body: &[u8]) -> String {
    let mut mac = HmacSha256::new_from_slice(app_secret).expect("HMAC accepts keys of any length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// Constant-time equality for the verify token (length is not secret).
pub fn tokens_match(expected: &[u8], given: &[u8]) -> bool {
    expected.len() == given.len() && bool::from(expected.ct_eq(given))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_made_by_sign_verifies_and_any_change_breaks_it() {
        let body = "{\"text\":\"caf\\u00e9\"}".as_bytes();
        let header = sign(b"secret", body);
        assert_eq!(verify(b"secret", Some(header.as_bytes()), body), Ok(()));
        assert_eq!(
            verify(b"other", Some(header.as_bytes()), body),
            Err(SignatureError::Mismatch),
            "another secret must not verify"
        );
        assert_eq!(
            verify(
                b"secret",
                Some(header.as_bytes()),
                "{\"text\":\"café\"}".as_bytes()
            ),
            Err(SignatureError::Mismatch),
            "the unescaped form is different bytes"
        );
    }

    #[test]
    fn uppercase_hex_and_missing_prefix_are_handled() {
        let body = b"{}";
        let header = sign(b"k", body)
            .to_uppercase()
            .replace("SHA256=", "sha256=");
        assert_eq!(verify(b"k", Some(header.as_bytes()), body), Ok(()));
        assert_eq!(
            verify(b"k", Some(b"abc"), body),
            Err(SignatureError::Malformed)
        );
        assert_eq!(verify(b"k", None, body), Err(SignatureError::Missing));
    }

    #[test]
    fn tokens_match_only_when_identical() {
        assert!(tokens_match(b"token", b"token"));
        assert!(!tokens_match(b"token", b"tokem"));
        assert!(!tokens_match(b"token", b"token2"));
    }
}
