//! Identifiers from Meta payloads, parsed once at the boundary so the rest of the
//! ingest code never handles an empty or absurdly long id.

use std::fmt;

/// Longest identifier accepted from a payload. Real wamids are ~60 characters and BSUIDs
/// at most ~132; anything far longer is a malformed payload, not an id.
const MAX_ID_LEN: usize = 512;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("{kind} is empty")]
    Empty { kind: &'static str },
    #[error("{kind} is longer than {MAX_ID_LEN} characters")]
    TooLong { kind: &'static str },
}

fn checked(kind: &'static str, raw: &str) -> Result<String, IdError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(IdError::Empty { kind });
    }
    if trimmed.len() > MAX_ID_LEN {
        return Err(IdError::TooLong { kind });
    }
    Ok(trimmed.to_owned())
}

macro_rules! id_newtype {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            pub fn parse(raw: &str) -> Result<Self, IdError> {
                checked($kind, raw).map(Self)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_newtype!(
    /// A WhatsApp message id (`wamid.…`). Meta's dashboard test sample uses other shapes,
    /// so only emptiness and length are checked.
    Wamid,
    "message id"
);
id_newtype!(
    /// A customer's WhatsApp id (usually the phone number in international form).
    WaId,
    "WhatsApp id"
);
id_newtype!(
    /// A business-scoped user id (BSUID, e.g. `US.13491208655302741918`).
    UserId,
    "business-scoped user id"
);
id_newtype!(
    /// The Graph id of one of the owner's business phone numbers.
    PhoneNumberId,
    "phone number id"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_trimmed_and_must_not_be_empty() {
        assert_eq!(Wamid::parse(" wamid.X ").unwrap().as_str(), "wamid.X");
        assert_eq!(
            Wamid::parse("   "),
            Err(IdError::Empty { kind: "message id" })
        );
        assert!(
            PhoneNumberId::parse(&"9".repeat(MAX_ID_LEN + 1)).is_err(),
            "overlong ids are rejected"
        );
    }
}
