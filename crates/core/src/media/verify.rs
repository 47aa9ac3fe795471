//! Checks a download before it is stored: size against the limit of its kind, the
//! declared type against the bytes' magic numbers, and the hash against Meta's.

use base64::Engine;
use sha2::{Digest, Sha256};

use super::MediaError;

/// Largest file accepted per kind, in bytes: the owner's setting, Meta's table by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MediaLimits {
    pub image: u64,
    pub video: u64,
    pub audio: u64,
    pub document: u64,
    pub sticker: u64,
    pub animated_sticker: u64,
}

const MB: u64 = 1024 * 1024;
const KB: u64 = 1024;

impl MediaLimits {
    /// The largest file Meta accepts per kind (its media table): a higher limit could
    /// never be sent and would only let bigger downloads onto the disk.
    pub const META: MediaLimits = MediaLimits {
        image: 5 * MB,
        video: 16 * MB,
        audio: 16 * MB,
        document: 100 * MB,
        sticker: 100 * KB,
        animated_sticker: 500 * KB,
    };

    /// The limit for a message kind; an unknown kind gets the document one.
    pub fn for_kind(&self, kind: &str, animated: bool) -> u64 {
        match kind {
            "audio" => self.audio,
            "image" => self.image,
            "sticker" if animated => self.animated_sticker,
            "sticker" => self.sticker,
            "video" => self.video,
            _ => self.document,
        }
    }

    /// The largest of the limits: no file above it is accepted as any kind.
    pub fn largest(&self) -> u64 {
        self.each().map(|(_, limit, _)| limit).max().unwrap_or(0)
    }

    /// Each limit with its kind's name and Meta's maximum for it.
    fn each(&self) -> impl Iterator<Item = (&'static str, u64, u64)> {
        let meta = MediaLimits::META;
        [
            ("images", self.image, meta.image),
            ("videos", self.video, meta.video),
            ("audio", self.audio, meta.audio),
            ("documents", self.document, meta.document),
            ("stickers", self.sticker, meta.sticker),
            (
                "animated stickers",
                self.animated_sticker,
                meta.animated_sticker,
            ),
        ]
        .into_iter()
    }

    /// Refuses a limit of zero or one above Meta's maximum for its kind, with a sentence.
    pub fn validated(self) -> Result<MediaLimits, String> {
        for (kind, limit, most) in self.each() {
            if limit == 0 {
                return Err(format!("the size limit for {kind} must be more than 0"));
            }
            if limit > most {
                return Err(format!(
                    "the size limit for {kind} can be at most {}, the most WhatsApp accepts, not {}",
                    human_size(most),
                    human_size(limit)
                ));
            }
        }
        Ok(self)
    }
}

impl Default for MediaLimits {
    fn default() -> Self {
        MediaLimits::META
    }
}

/// A size as the owner reads it: `5.0 MB`, `100 KB`.
pub fn human_size(bytes: u64) -> String {
    if bytes >= MB {
        format!("{:.1} MB", bytes as f64 / MB as f64)
    } else {
        format!("{} KB", bytes.div_ceil(KB))
    }
}

/// The lowercase hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Reads a hash as Meta sends it: base64 in webhooks, hex from the media endpoint.
pub fn decode_expected_sha256(text: &str) -> Option<[u8; 32]> {
    let text = text.trim();
    if text.len() == 64
        && let Ok(bytes) = hex::decode(text)
    {
        return bytes.try_into().ok();
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(text)
        .or_else(|_| base64::engine::general_purpose::URL_SAFE.decode(text))
        .ok()?;
    decoded.try_into().ok()
}

/// Compares `bytes` with every hash Meta gave (either encoding); none given passes.
pub fn check_sha256<'a>(
    bytes: &[u8],
    expected: impl IntoIterator<Item = &'a str>,
) -> Result<String, MediaError> {
    let actual = Sha256::digest(bytes);
    for text in expected {
        let Some(wanted) = decode_expected_sha256(text) else {
            return Err(MediaError::HashMismatch(format!(
                "Meta's hash {text:?} is neither hex nor base64"
            )));
        };
        if actual.as_slice() != wanted {
            return Err(MediaError::HashMismatch(format!(
                "the file's sha256 is {}, Meta announced {text}",
                hex::encode(actual)
            )));
        }
    }
    Ok(hex::encode(actual))
}

/// The essence of a mime type: `audio/ogg; codecs=opus` → `audio/ogg`.
pub fn essence(mime_type: &str) -> String {
    mime_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// What the first bytes say the file is, for the formats WhatsApp carries.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if starts(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.len() >= 12 && starts(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Some("image/gif")
    } else if starts(b"%PDF-") {
        Some("application/pdf")
    } else if starts(b"OggS") {
        Some("audio/ogg")
    } else if starts(b"#!AMR") {
        Some("audio/amr")
    } else if starts(b"ID3") || (bytes.len() >= 2 && bytes[0] == 0xFF && bytes[1] & 0xE0 == 0xE0) {
        // MP3 frames and ADTS AAC share the frame-sync bits.
        Some("audio/mpeg")
    } else if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        Some("video/mp4")
    } else if starts(b"PK\x03\x04") {
        Some("application/zip")
    } else if starts(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Some("application/x-ole-storage")
    } else {
        None
    }
}

/// The sniffed types a declared type may have on disk. `None`: we know no magic number
/// for it and accept the bytes (plain text is checked separately).
fn acceptable_sniffs(declared: &str) -> Option<&'static [&'static str]> {
    Some(match declared {
        "image/jpeg" => &["image/jpeg"],
        "image/png" => &["image/png"],
        "image/webp" => &["image/webp"],
        "image/gif" => &["image/gif"],
        "application/pdf" => &["application/pdf"],
        "audio/ogg" | "audio/opus" => &["audio/ogg"],
        "audio/amr" => &["audio/amr"],
        "audio/mpeg" | "audio/aac" => &["audio/mpeg"],
        // MP4 audio and 3GPP share the ISO base media container.
        "audio/mp4" | "video/mp4" | "video/3gpp" | "video/3gp" => &["video/mp4"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        | "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        | "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        | "application/zip" => &["application/zip"],
        "application/msword" | "application/vnd.ms-excel" | "application/vnd.ms-powerpoint" => {
            &["application/x-ole-storage"]
        }
        _ => return None,
    })
}

/// Refuses bytes whose content contradicts the declared mime type.
pub fn check_mime(declared: &str, bytes: &[u8]) -> Result<(), MediaError> {
    let declared = essence(declared);
    let sniffed = sniff(bytes);
    if declared == "text/plain" {
        return match sniffed {
            None if !bytes.contains(&0) => Ok(()),
            _ => Err(MediaError::WrongType {
                declared,
                found: sniffed.unwrap_or("binary data").to_string(),
            }),
        };
    }
    match acceptable_sniffs(&declared) {
        Some(allowed) if !sniffed.is_some_and(|found| allowed.contains(&found)) => {
            Err(MediaError::WrongType {
                declared,
                found: sniffed.unwrap_or("unrecognised bytes").to_string(),
            })
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG_MAGIC: &[u8] = b"\x89PNG\r\n\x1a\n0000";

    #[test]
    fn a_hash_is_accepted_in_hex_and_in_base64() {
        let bytes = b"hello media";
        let hex_hash = sha256_hex(bytes);
        let b64 = base64::engine::general_purpose::STANDARD.encode(hex::decode(&hex_hash).unwrap());
        let checked = check_sha256(bytes, [hex_hash.as_str(), b64.as_str()]);
        assert_eq!(
            checked.ok().as_deref(),
            Some(hex_hash.as_str()),
            "both encodings match"
        );
    }

    #[test]
    fn a_different_hash_is_a_mismatch() {
        let other = sha256_hex(b"other bytes");
        assert!(
            matches!(
                check_sha256(b"hello", [other.as_str()]),
                Err(MediaError::HashMismatch(_))
            ),
            "a mismatch is refused"
        );
    }

    #[test]
    fn a_png_declared_as_jpeg_is_refused_and_as_png_accepted() {
        assert!(check_mime("image/png", PNG_MAGIC).is_ok(), "png is png");
        assert!(
            matches!(
                check_mime("image/jpeg", PNG_MAGIC),
                Err(MediaError::WrongType { .. })
            ),
            "png bytes are not a jpeg"
        );
    }

    #[test]
    fn mime_parameters_are_ignored_when_checking_the_type() {
        assert!(
            check_mime("audio/ogg; codecs=opus", b"OggS\0\x02rest").is_ok(),
            "voice note"
        );
    }

    #[test]
    fn plain_text_must_not_be_binary() {
        assert!(
            check_mime("text/plain", b"a list of prices\n").is_ok(),
            "text passes"
        );
        assert!(
            check_mime("text/plain", b"%PDF-1.7 ...").is_err(),
            "a pdf is not text"
        );
    }

    #[test]
    fn a_limit_must_be_positive_and_at_most_metas() {
        assert_eq!(MediaLimits::META.validated(), Ok(MediaLimits::META));
        let lowered = MediaLimits {
            video: 2 * MB,
            ..MediaLimits::META
        };
        assert_eq!(lowered.validated(), Ok(lowered), "a lower limit is fine");
        let zero = MediaLimits {
            audio: 0,
            ..MediaLimits::META
        };
        let error = zero.validated().unwrap_err();
        assert!(
            error.contains("audio") && error.contains("more than 0"),
            "{error}"
        );
        let above = MediaLimits {
            sticker: 100 * KB + 1,
            ..MediaLimits::META
        };
        let error = above.validated().unwrap_err();
        assert!(
            error.contains("stickers") && error.contains("at most 100 KB"),
            "{error}"
        );
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(human_size(5 * MB), "5.0 MB");
        assert_eq!(human_size(100 * KB), "100 KB");
        assert_eq!(human_size(3 * MB / 2), "1.5 MB");
        assert_eq!(human_size(700), "1 KB");
    }

    #[test]
    fn limits_follow_metas_table() {
        let limits = MediaLimits::default();
        assert_eq!(limits, MediaLimits::META, "the defaults are Meta's table");
        assert_eq!(limits.for_kind("image", false), 5 * MB, "images 5 MB");
        assert_eq!(limits.for_kind("video", false), 16 * MB, "videos 16 MB");
        assert_eq!(limits.for_kind("audio", false), 16 * MB, "audio 16 MB");
        assert_eq!(limits.largest(), 100 * MB, "documents are the largest");
        assert_eq!(
            limits.for_kind("sticker", false),
            100 * 1024,
            "static stickers 100 KB"
        );
        assert_eq!(
            limits.for_kind("sticker", true),
            500 * 1024,
            "animated stickers 500 KB"
        );
        assert_eq!(
            limits.for_kind("document", false),
            100 * MB,
            "documents 100 MB"
        );
    }
}
