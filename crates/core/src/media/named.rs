//! Named copies for opening a stored file with the system's default app: stored files
//! are named by hash, without an extension, and the default app is chosen by the name.

use std::path::{Path, PathBuf};

use super::MediaError;
use super::store::MEDIA_DIR;
use super::verify::essence;

const NAMED_DIR: &str = "named";

/// The usual extension of a mime type WhatsApp carries.
fn extension_for(mime_type: &str) -> &'static str {
    match essence(mime_type).as_str() {
        "application/pdf" => "pdf",
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/webp" => "webp",
        "image/gif" => "gif",
        "audio/ogg" | "audio/opus" => "ogg",
        "audio/mpeg" => "mp3",
        "audio/aac" => "aac",
        "audio/amr" => "amr",
        "audio/mp4" => "m4a",
        "video/mp4" => "mp4",
        "video/3gpp" | "video/3gp" => "3gp",
        "text/plain" => "txt",
        "application/msword" => "doc",
        "application/vnd.ms-excel" => "xls",
        "application/vnd.ms-powerpoint" => "ppt",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => "docx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => "xlsx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation" => "pptx",
        _ => "bin",
    }
}

/// A file name safe on every system, from the customer's name for the file (which may
/// hold anything, `../` included) or from the type.
pub fn safe_file_name(given: Option<&str>, mime_type: Option<&str>) -> String {
    let last_part = given
        .unwrap_or_default()
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default();
    let cleaned: String = last_part
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim().trim_matches('.').to_string();
    if cleaned.is_empty() {
        format!("file.{}", extension_for(mime_type.unwrap_or_default()))
    } else {
        cleaned.chars().take(120).collect()
    }
}

/// Places a copy of the stored file `source` (hash `sha256`) under its readable name
/// inside the data folder and returns its path; an existing copy is reused.
pub fn named_copy(
    data_dir: &Path,
    source: &Path,
    sha256: &str,
    file_name: &str,
) -> Result<PathBuf, MediaError> {
    let dir = data_dir.join(MEDIA_DIR).join(NAMED_DIR).join(sha256);
    let target = dir.join(file_name);
    if target.exists() {
        return Ok(target);
    }
    std::fs::create_dir_all(&dir)
        .map_err(|e| MediaError::Storage(format!("could not create {}: {e}", dir.display())))?;
    std::fs::copy(source, &target)
        .map_err(|e| MediaError::Storage(format!("could not copy to {}: {e}", target.display())))?;
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_customers_file_name_cannot_leave_its_folder() {
        assert_eq!(
            safe_file_name(Some("../../.bashrc"), None),
            "bashrc",
            "only the last part, no leading dots"
        );
        assert_eq!(
            safe_file_name(Some("C:\\Windows\\evil.pdf"), None),
            "evil.pdf"
        );
        assert_eq!(
            safe_file_name(Some("a:b?.pdf"), None),
            "a_b_.pdf",
            "reserved characters replaced"
        );
    }

    #[test]
    fn a_missing_name_is_made_from_the_type() {
        assert_eq!(safe_file_name(None, Some("application/pdf")), "file.pdf");
        assert_eq!(
            safe_file_name(Some(".."), Some("audio/ogg; codecs=opus")),
            "file.ogg"
        );
    }
}
