//! Serialisation of webhook bodies the way Meta writes them: compact JSON in which every
//! non-ASCII character is escaped as `\uXXXX` with lowercase hex digits (UTF-16 code
//! units, so characters outside the Basic Multilingual Plane become surrogate pairs).
//! An app that re-serialises the parsed body instead of checking the signature over the
//! received bytes fails on exactly these bodies, so the simulator must produce them.

use serde::Serialize;

/// Serialises a value as compact JSON with non-ASCII characters escaped like Meta's.
pub fn to_meta_json<T: Serialize + ?Sized>(value: &T) -> Result<String, serde_json::Error> {
    let plain = serde_json::to_string(value)?;
    if plain.is_ascii() {
        return Ok(plain);
    }
    Ok(escape_non_ascii(&plain))
}

/// Same as [`to_meta_json`], as bytes ready to be signed and sent.
pub fn to_meta_json_bytes<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, serde_json::Error> {
    to_meta_json(value).map(String::into_bytes)
}

/// Escapes every non-ASCII character of already-serialised JSON as `\uXXXX`.
///
/// This is only correct on serialised JSON, where non-ASCII characters can only appear
/// inside string literals, and there an escape is equivalent to the raw character.
pub fn escape_non_ascii(json: &str) -> String {
    if json.is_ascii() {
        return json.to_owned();
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(json.len() + json.len() / 2);
    let mut units = [0u16; 2];
    for ch in json.chars() {
        if ch.is_ascii() {
            out.push(ch);
            continue;
        }
        for unit in ch.encode_utf16(&mut units) {
            out.push_str("\\u");
            for shift in [12, 8, 4, 0] {
                out.push(char::from(HEX[usize::from((*unit >> shift) & 0xf)]));
            }
        }
    }
    out
}
