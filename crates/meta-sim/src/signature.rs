//! Webhook signing: `X-Hub-Signature-256: sha256=<lowercase hex HMAC-SHA256(app secret, raw body)>`.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The name of the header Meta puts the signature in.
pub const SIGNATURE_HEADER: &str = "X-Hub-Signature-256";

/// Lowercase hex HMAC-SHA256 of `body` keyed with `app_secret`.
pub fn hmac_sha256_hex(app_secret: &str, body: &[u8]) -> String {
    // HMAC accepts keys of any length, so this constructor cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(app_secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// The full header value Meta sends: `sha256=<hex>`.
pub fn signature_header_value(app_secret: &str, body: &[u8]) -> String {
    format!("sha256={}", hmac_sha256_hex(app_secret, body))
}

/// Checks a header value against the body in constant time. Used by the test receivers
/// and by anyone who wants to check that a body was signed by the simulator.
pub fn verify_signature(app_secret: &str, body: &[u8], header_value: &str) -> bool {
    let Some(hex_part) = header_value.strip_prefix("sha256=") else {
        return false;
    };
    let Ok(claimed) = hex::decode(hex_part) else {
        return false;
    };
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(app_secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    mac.update(body);
    mac.verify_slice(&claimed).is_ok()
}
