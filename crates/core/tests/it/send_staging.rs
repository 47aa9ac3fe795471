//! A picked file looked at before it is sent: its kind, type and size, why WhatsApp would
//! refuse it, and a preview the webview loads through the media scheme's preview path,
//! which serves only the previews of files picked in this run.

use std::path::{Path, PathBuf};

use chatsphere_core::Core;
use chatsphere_core::config::Config;
use chatsphere_core::media::MediaStore;
use chatsphere_core::send::{MediaKind, StagedFile};

use crate::media_support::{PDF, png, webp};
use crate::send_support::{config, count, quick_settings};

/// Nothing listens here: staging never talks to Meta.
const NO_META: &str = "http://127.0.0.1:9";

async fn core_with(dir: &Path, configure: impl FnOnce(&mut Config)) -> Core {
    let mut config = config(dir, NO_META, quick_settings());
    configure(&mut config);
    Core::open(config).await.expect("the core opens")
}

fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("the test file is written");
    path
}

async fn stage(core: &Core, path: &Path) -> StagedFile {
    core.stage_media(path.to_string_lossy().into_owned())
        .await
        .expect("staging answers")
}

#[tokio::test]
async fn a_picked_photo_is_previewed_through_the_preview_path_and_nothing_is_queued() {
    let data = tempfile::tempdir().unwrap();
    let picked = tempfile::tempdir().unwrap();
    let core = core_with(data.path(), |_| {}).await;
    let bytes = png(800, 400);
    let path = write_file(picked.path(), "cake.png", &bytes);

    let staged = stage(&core, &path).await;

    assert_eq!(staged.problem, None, "{staged:?}");
    assert_eq!(staged.kind, Some(MediaKind::Image));
    assert_eq!(staged.mime_type.as_deref(), Some("image/png"));
    assert_eq!(staged.file_name, "cake.png");
    assert_eq!(staged.size_bytes, Some(bytes.len() as i64));
    let preview = staged.preview_sha256.expect("a photo has a preview");
    let response = core.serve_media(&format!("/preview/{preview}"), None).await;
    assert_eq!(response.status, 200, "the picked photo's preview is served");
    assert_eq!(response.header("Content-Type"), Some("image/png"));
    let thumbnail = image::load_from_memory(&response.body).expect("a PNG");
    assert_eq!(
        (thumbnail.width(), thumbnail.height()),
        (320, 160),
        "scaled to the thumbnail size"
    );
    assert_eq!(
        core.serve_media(&format!("/thumb/{preview}"), None)
            .await
            .status,
        404,
        "a preview is not a message's thumbnail"
    );
    assert_eq!(
        count(&core, "SELECT COUNT(*) FROM messages").await
            + count(&core, "SELECT COUNT(*) FROM outbox").await,
        0,
        "looking at a file sends nothing"
    );
}

#[tokio::test]
async fn a_sticker_is_previewed_and_a_document_gets_a_typed_card_without_one() {
    let data = tempfile::tempdir().unwrap();
    let picked = tempfile::tempdir().unwrap();
    let core = core_with(data.path(), |_| {}).await;

    let sticker = stage(
        &core,
        &write_file(picked.path(), "smile.webp", &webp(96, 96)),
    )
    .await;
    assert_eq!(sticker.kind, Some(MediaKind::Sticker), "{sticker:?}");
    let preview = sticker.preview_sha256.expect("a sticker has a preview");
    assert_eq!(
        core.serve_media(&format!("/preview/{preview}"), None)
            .await
            .status,
        200
    );

    let document = stage(&core, &write_file(picked.path(), "menu.pdf", PDF)).await;
    assert_eq!(document.kind, Some(MediaKind::Document), "{document:?}");
    assert_eq!(document.mime_type.as_deref(), Some("application/pdf"));
    assert_eq!(document.preview_sha256, None, "a document has no thumbnail");
    assert_eq!(document.problem, None);
}

#[tokio::test]
async fn a_file_whatsapp_would_refuse_says_why_in_a_sentence_and_gets_no_preview() {
    let data = tempfile::tempdir().unwrap();
    let picked = tempfile::tempdir().unwrap();
    let core = core_with(data.path(), |config| config.media_limits.image = 2048).await;

    let big = stage(&core, &write_file(picked.path(), "big.png", &png(300, 300))).await;
    let gif = stage(
        &core,
        &write_file(picked.path(), "anim.gif", b"GIF89a-not-sendable"),
    )
    .await;
    let missing = stage(&core, &picked.path().join("gone.jpg")).await;
    let folder = stage(&core, picked.path()).await;

    let problem = |file: &StagedFile| file.problem.clone().unwrap_or_default();
    assert!(
        problem(&big).starts_with("The file is") && problem(&big).contains("more than the 2 KB"),
        "{big:?}"
    );
    assert_eq!(
        big.size_bytes,
        Some(
            std::fs::metadata(picked.path().join("big.png"))
                .unwrap()
                .len() as i64
        ),
        "its size is still shown"
    );
    assert!(
        problem(&gif).contains("WhatsApp cannot send this type of file"),
        "{gif:?}"
    );
    assert!(
        problem(&missing).contains("could not be read"),
        "{missing:?}"
    );
    assert!(problem(&folder).contains("is not a file"), "{folder:?}");
    for file in [&big, &gif, &missing, &folder] {
        assert_eq!(file.preview_sha256, None, "no preview for a refused file");
        assert!(problem(file).ends_with('.'), "a sentence: {file:?}");
    }
}

#[tokio::test]
async fn the_preview_path_serves_only_previews_picked_in_this_run() {
    let data = tempfile::tempdir().unwrap();
    let picked = tempfile::tempdir().unwrap();
    let core = core_with(data.path(), |_| {}).await;
    let staged = stage(&core, &write_file(picked.path(), "cake.png", &png(40, 40))).await;
    let preview = staged.preview_sha256.expect("a preview");
    // A file in the store that nobody picked.
    let other = MediaStore::new(data.path())
        .put(&png(10, 10))
        .expect("stored");

    assert_eq!(
        core.serve_media(&format!("/preview/{other}"), None)
            .await
            .status,
        404,
        "a stored file that was not picked is not served"
    );
    for path in [
        "/preview/../chatsphere.sqlite3".to_string(),
        format!("/preview/{}", picked.path().join("cake.png").display()),
        "/preview/%2e%2e%2fchatsphere.sqlite3".to_string(),
    ] {
        let response = core.serve_media(&path, None).await;
        assert_eq!(response.status, 400, "{path} is refused");
        assert!(!response.body.starts_with(b"SQLite format"), "{path}");
    }
    drop(core);

    let next_run = core_with(data.path(), |_| {}).await;
    assert_eq!(
        next_run
            .serve_media(&format!("/preview/{preview}"), None)
            .await
            .status,
        404,
        "a preview from an earlier run is not served"
    );
}
