//! The files the owner chose in this run, through the system's file dialog or by dropping
//! them on the window. Only these may be read to be staged, sent or uploaded: a path the
//! webview makes up on its own (a compromised page) must never reach Meta.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::CoreError;

#[derive(Debug, Default)]
pub struct ChosenFiles {
    /// Canonical paths, so `..`, `.` and symbolic links cannot dress up another file.
    canonical: Mutex<HashSet<PathBuf>>,
    /// The paths as chosen, for a chosen file that has since gone: reading it fails on
    /// its own and the owner is told that, not that it was never chosen.
    as_chosen: Mutex<HashSet<PathBuf>>,
}

impl ChosenFiles {
    /// Remembers paths the owner chose (a file dialog's answer, a drop on the window).
    pub fn record<P: AsRef<Path>>(&self, paths: impl IntoIterator<Item = P>) {
        let mut canonical = lock(&self.canonical);
        let mut as_chosen = lock(&self.as_chosen);
        for path in paths {
            let path = path.as_ref();
            match path.canonicalize() {
                Ok(real) => {
                    canonical.insert(real);
                }
                Err(error) => {
                    tracing::debug!(path = %path.display(), %error, "a chosen path does not resolve")
                }
            }
            as_chosen.insert(path.to_path_buf());
        }
    }

    /// Whether the owner chose `path` in this run: its canonical form was chosen, or, when
    /// it no longer resolves, the very same path was.
    pub fn contains(&self, path: &str) -> bool {
        let path = Path::new(path);
        match path.canonicalize() {
            Ok(real) => lock(&self.canonical).contains(&real),
            Err(_) => lock(&self.as_chosen).contains(path),
        }
    }

    /// Refuses a path the owner did not choose, with what to do instead.
    pub fn check(&self, path: &str) -> Result<(), CoreError> {
        if self.contains(path) {
            return Ok(());
        }
        let name = Path::new(path)
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.to_string());
        tracing::warn!(path, "a file the owner did not choose was refused");
        Err(CoreError::InvalidInput(format!(
            "{name} was not chosen in this window: choose the file again with Attach or drop it on the window"
        )))
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(dir: &Path, name: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, b"bytes").unwrap();
        path
    }

    fn text(path: &Path) -> String {
        path.to_string_lossy().into_owned()
    }

    #[test]
    fn only_chosen_files_pass() {
        let dir = tempfile::tempdir().unwrap();
        let chosen = file(dir.path(), "menu.pdf");
        let other = file(dir.path(), "secrets.txt");
        let files = ChosenFiles::default();
        assert!(files.check(&text(&chosen)).is_err(), "nothing chosen yet");
        files.record([&chosen]);
        assert!(files.check(&text(&chosen)).is_ok(), "the chosen file");
        let refused = files.check(&text(&other)).unwrap_err();
        assert!(
            matches!(&refused, CoreError::InvalidInput(m)
                if m.starts_with("secrets.txt was not chosen") && m.contains("Attach")),
            "{refused:?}"
        );
        assert!(
            files.check("/etc/passwd").is_err(),
            "any other readable file"
        );
    }

    #[test]
    fn another_spelling_of_a_chosen_file_is_the_same_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let chosen = file(dir.path(), "photo.png");
        let files = ChosenFiles::default();
        files.record([&chosen]);
        let dotted = dir
            .path()
            .join("sub")
            .join("..")
            .join(".")
            .join("photo.png");
        assert!(files.contains(&text(&dotted)), "the same file");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_judged_by_the_file_it_points_to() {
        let dir = tempfile::tempdir().unwrap();
        let chosen = file(dir.path(), "photo.png");
        let secret = file(dir.path(), "id_rsa");
        let to_secret = dir.path().join("innocent.png");
        std::os::unix::fs::symlink(&secret, &to_secret).unwrap();
        let to_chosen = dir.path().join("also-photo.png");
        std::os::unix::fs::symlink(&chosen, &to_chosen).unwrap();
        let files = ChosenFiles::default();
        files.record([&chosen]);
        assert!(!files.contains(&text(&to_secret)), "a link to another file");
        assert!(
            files.contains(&text(&to_chosen)),
            "a link to the chosen file"
        );

        let linked = ChosenFiles::default();
        linked.record([&to_secret]);
        assert!(
            linked.contains(&text(&secret)),
            "choosing a link chooses its target"
        );
    }

    #[test]
    fn a_chosen_file_that_is_gone_still_counts_as_chosen_but_a_made_up_path_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let chosen = file(dir.path(), "gone.pdf");
        let files = ChosenFiles::default();
        files.record([&chosen]);
        std::fs::remove_file(&chosen).unwrap();
        assert!(
            files.contains(&text(&chosen)),
            "reading it will say it is gone"
        );
        assert!(
            !files.contains(&text(&dir.path().join("never.pdf"))),
            "never chosen"
        );
    }
}
