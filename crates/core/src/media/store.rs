//! The content-addressed file store under `<data_dir>/media/`: a file's name is the hex
//! sha256 of its bytes, so the same bytes are stored once. Thumbnails live in the same
//! store under their own hash.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::MediaError;
use super::verify::sha256_hex;

pub const MEDIA_DIR: &str = "media";
const TEMP_DIR: &str = "tmp";

#[derive(Debug, Clone)]
pub struct MediaStore {
    root: PathBuf,
}

/// Whether `text` is a hex sha256 as the store names files: 64 lowercase hex digits.
/// Everything else (`../`, absolute paths, separators) is refused before any file is
/// touched.
pub fn is_store_name(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn io_error(action: &str, path: &Path, error: std::io::Error) -> MediaError {
    MediaError::Storage(format!("{action} {}: {error}", path.display()))
}

impl MediaStore {
    pub fn new(data_dir: &Path) -> MediaStore {
        MediaStore {
            root: data_dir.join(MEDIA_DIR),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where the file with this hash lives; `None` for anything that is not a hash.
    pub fn path_of(&self, sha256: &str) -> Option<PathBuf> {
        is_store_name(sha256).then(|| self.root.join(&sha256[..2]).join(sha256))
    }

    /// Removes temporary files left by an interrupted write.
    pub fn clean_temporary_files(&self) -> Result<(), MediaError> {
        let temp = self.root.join(TEMP_DIR);
        match std::fs::remove_dir_all(&temp) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io_error("could not clean", &temp, e)),
        }
    }

    /// Stores `bytes` (once) and returns their hex sha256. The file appears under its
    /// final name only when complete: it is written aside and renamed.
    pub fn put(&self, bytes: &[u8]) -> Result<String, MediaError> {
        let sha256 = sha256_hex(bytes);
        let path = self.path_of(&sha256).expect("a sha256 is a store name");
        if path.exists() {
            return Ok(sha256);
        }
        let dir = path.parent().expect("a store path has a folder");
        std::fs::create_dir_all(dir).map_err(|e| io_error("could not create", dir, e))?;
        let temp_dir = self.root.join(TEMP_DIR);
        std::fs::create_dir_all(&temp_dir)
            .map_err(|e| io_error("could not create", &temp_dir, e))?;
        let mut temp = tempfile::NamedTempFile::new_in(&temp_dir)
            .map_err(|e| io_error("could not create a file in", &temp_dir, e))?;
        temp.write_all(bytes)
            .and_then(|()| temp.as_file().sync_all())
            .map_err(|e| io_error("could not write", temp.path(), e))?;
        temp.persist(&path)
            .map_err(|e| io_error("could not store", &path, e.error))?;
        Ok(sha256)
    }

    /// The size of a stored file.
    pub fn size_of(&self, sha256: &str) -> Result<u64, MediaError> {
        let path = self
            .path_of(sha256)
            .ok_or_else(|| MediaError::BadRequest(format!("{sha256:?} is not a media name")))?;
        match std::fs::metadata(&path) {
            Ok(metadata) => Ok(metadata.len()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err(MediaError::NotFound(sha256.to_string()))
            }
            Err(e) => Err(io_error("could not read", &path, e)),
        }
    }

    /// Reads `(start, len)` of a stored file (all of it for `None`), and the file's size.
    pub fn read_range(
        &self,
        sha256: &str,
        range: Option<(u64, u64)>,
    ) -> Result<(Vec<u8>, u64), MediaError> {
        let path = self
            .path_of(sha256)
            .ok_or_else(|| MediaError::BadRequest(format!("{sha256:?} is not a media name")))?;
        let mut file = std::fs::File::open(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => MediaError::NotFound(sha256.to_string()),
            _ => io_error("could not open", &path, e),
        })?;
        let total = file
            .metadata()
            .map_err(|e| io_error("could not read", &path, e))?
            .len();
        let (start, len) = range.unwrap_or((0, total));
        let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
        file.seek(SeekFrom::Start(start))
            .and_then(|_| file.take(len).read_to_end(&mut bytes))
            .map_err(|e| io_error("could not read", &path, e))?;
        Ok((bytes, total))
    }
}

/// A still preview of an image or sticker (the first frame of an animated one), at most
/// `max_side` pixels on its longer side, as PNG (keeps stickers' transparency).
/// `None` when the image cannot be decoded: the original is still kept.
pub fn thumbnail_png(bytes: &[u8], max_side: u32) -> Option<Vec<u8>> {
    let image = image::load_from_memory(bytes).ok()?;
    let preview = if image.width() > max_side || image.height() > max_side {
        image.thumbnail(max_side, max_side)
    } else {
        image
    };
    let mut out = std::io::Cursor::new(Vec::new());
    preview.write_to(&mut out, image::ImageFormat::Png).ok()?;
    Some(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_bytes_are_stored_once_under_their_hash() {
        let dir = tempfile::tempdir().unwrap();
        let store = MediaStore::new(dir.path());
        let first = store.put(b"same bytes").unwrap();
        let second = store.put(b"same bytes").unwrap();
        assert_eq!(first, second, "one name for one content");
        let files = std::fs::read_dir(store.root().join(&first[..2]))
            .unwrap()
            .count();
        assert_eq!(files, 1, "one file on disk");
    }

    #[test]
    fn only_hashes_name_files() {
        let store = MediaStore::new(Path::new("/data"));
        assert!(store.path_of("../../etc/passwd").is_none(), "no traversal");
        assert!(store.path_of("/etc/passwd").is_none(), "no absolute path");
        assert!(
            store.path_of(&"A".repeat(64)).is_none(),
            "uppercase is not a store name"
        );
        assert!(store.path_of(&"a".repeat(64)).is_some(), "a hash is");
    }

    #[test]
    fn a_large_image_gets_a_bounded_thumbnail() {
        let image = image::RgbImage::from_pixel(1200, 600, image::Rgb([200, 10, 10]));
        let mut png = std::io::Cursor::new(Vec::new());
        image.write_to(&mut png, image::ImageFormat::Png).unwrap();
        let thumb = thumbnail_png(&png.into_inner(), 320).expect("a thumbnail");
        let decoded = image::load_from_memory(&thumb).unwrap();
        assert_eq!(
            (decoded.width(), decoded.height()),
            (320, 160),
            "bounded, same ratio"
        );
    }
}
