//! Identifiers shaped like Meta's: wamids, media ids, fbtrace ids.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use rand::Rng;

/// Which side sent the message; Meta's wamids encode the direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// From the customer to the business.
    Inbound,
    /// From the business to the customer.
    Outbound,
}

/// A fresh `wamid.` id laid out like Meta's: base64 of a small binary record holding the
/// customer's number and a random uppercase-hex message key.
pub fn new_wamid(customer: &str, direction: Direction) -> String {
    let digits: String = customer
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    let (direction_byte, key_len) = match direction {
        Direction::Inbound => (0x12u8, 20usize),
        Direction::Outbound => (0x11u8, 18usize),
    };
    let key = random_upper_hex(key_len);
    let mut record = Vec::with_capacity(digits.len() + key_len + 10);
    record.extend_from_slice(&[0x1c, 0x18, u8::try_from(digits.len()).unwrap_or(u8::MAX)]);
    record.extend_from_slice(digits.as_bytes());
    record.extend_from_slice(&[0x15, 0x02, 0x00, direction_byte, 0x18]);
    record.push(u8::try_from(key_len).unwrap_or(u8::MAX));
    record.extend_from_slice(key.as_bytes());
    record.push(0x00);
    format!("wamid.{}", STANDARD.encode(record))
}

fn random_upper_hex(len: usize) -> String {
    let mut rng = rand::rng();
    (0..len)
        .map(|_| {
            let nibble: u8 = rng.random_range(0..16);
            char::from_digit(u32::from(nibble), 16)
                .unwrap_or('0')
                .to_ascii_uppercase()
        })
        .collect()
}

/// A numeric id like Meta's media and template ids (15 to 16 digits).
pub fn new_numeric_id() -> String {
    let mut rng = rand::rng();
    let value: u64 = rng.random_range(100_000_000_000_000..10_000_000_000_000_000);
    value.to_string()
}

/// A random `fbtrace_id`, as found in every Graph API error.
pub fn new_fbtrace_id() -> String {
    let bytes: [u8; 17] = rand::rng().random();
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A business-scoped user id in Meta's format: country code, a dot, digits.
pub fn new_business_scoped_user_id(country: &str) -> String {
    let mut rng = rand::rng();
    let digits: String = (0..20)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect();
    format!("{country}.{digits}")
}

/// The business-scoped user id of a phone number: stable, because Meta's is stable per user
/// (and only regenerated when the user changes number).
pub fn business_scoped_user_id_for(wa_id: &str) -> String {
    let fnv = |seed: u64| {
        wa_id.bytes().fold(seed, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        })
    };
    let high = fnv(0xcbf2_9ce4_8422_2325) % 10_000_000_000;
    let low = fnv(0x8422_2325_cbf2_9ce4) % 10_000_000_000;
    format!("US.{high:010}{low:010}")
}
