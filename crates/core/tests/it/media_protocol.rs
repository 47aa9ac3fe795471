//! The media URI scheme: stored files by hash, with their type and ranges, and nothing
//! else.

use chatsphere_core::media::verify::sha256_hex;

use super::media_support::*;

#[tokio::test]
async fn traversal_and_absolute_paths_are_refused() {
    let rig = rig().await;
    rig.customer_sends_png(png(8, 8)).await;
    rig.core.download_due_media().await.unwrap();
    let database_name = rig.core.config().database_path();
    for path in [
        "/../chatsphere.sqlite3".to_string(),
        "/thumb/../../chatsphere.sqlite3".to_string(),
        "/..%2Fchatsphere.sqlite3".to_string(),
        database_name.display().to_string(),
        "/etc/passwd".to_string(),
        "//etc/passwd".to_string(),
        "C:\\Windows\\win.ini".to_string(),
        String::new(),
    ] {
        let response = rig.core.serve_media(&path, None).await;
        assert_eq!(response.status, 400, "{path:?} is refused, not served");
        assert!(
            !response.body.starts_with(b"SQLite format"),
            "{path:?} never reveals the database"
        );
    }
}

#[tokio::test]
async fn a_hash_not_known_as_downloaded_media_is_not_found() {
    let rig = rig().await;
    let response = rig
        .core
        .serve_media(&format!("/{}", sha256_hex(b"nothing")), None)
        .await;
    assert_eq!(response.status, 404, "only known media is served");
}

#[tokio::test]
async fn an_image_and_its_thumbnail_are_served_with_their_types() {
    let rig = rig().await;
    let bytes = png(600, 300);
    let delivery = rig.customer_sends_png(bytes.clone()).await;
    rig.core.download_due_media().await.unwrap();
    let row = media_row(&rig.core, delivery.wamid()).await;

    let original = rig
        .core
        .serve_media(&format!("/{}", row.sha256.unwrap()), None)
        .await;
    assert_eq!(original.status, 200, "the original is served");
    assert_eq!(
        original.header("content-type"),
        Some("image/png"),
        "with its type"
    );
    assert_eq!(original.body, bytes, "byte for byte");

    let thumb_sha = row.thumbnail_sha256.expect("a thumbnail");
    let thumb = rig
        .core
        .serve_media(&format!("/thumb/{thumb_sha}"), None)
        .await;
    assert_eq!(thumb.status, 200, "the thumbnail is served");
    assert_eq!(
        thumb.header("content-type"),
        Some("image/png"),
        "thumbnails are png"
    );
    assert_eq!(
        rig.core
            .serve_media(&format!("/{thumb_sha}"), None)
            .await
            .status,
        404,
        "a thumbnail is only served under /thumb/"
    );
}

#[tokio::test]
async fn a_small_image_is_its_own_thumbnail() {
    let rig = rig().await;
    let delivery = rig.customer_sends_png(png(40, 40)).await;
    rig.core.download_due_media().await.unwrap();
    let row = media_row(&rig.core, delivery.wamid()).await;
    let thumb_sha = row.thumbnail_sha256.expect("a thumbnail");
    assert_eq!(
        rig.core
            .serve_media(&format!("/thumb/{thumb_sha}"), None)
            .await
            .status,
        200,
        "the preview is served even when it has the original's bytes"
    );
}

#[tokio::test]
async fn audio_is_served_in_ranges_for_seeking() {
    let rig = rig().await;
    let delivery = rig
        .sim
        .customer(CUSTOMER)
        .send_voice_note(OGG.to_vec())
        .await
        .unwrap();
    rig.core.download_due_media().await.unwrap();
    let sha256 = media_row(&rig.core, delivery.wamid()).await.sha256.unwrap();

    let part = rig
        .core
        .serve_media(&format!("/{sha256}"), Some("bytes=4-9"))
        .await;
    assert_eq!(part.status, 206, "a range gets partial content");
    assert_eq!(part.body, &OGG[4..10], "exactly the bytes asked for");
    assert_eq!(
        part.header("content-range"),
        Some(format!("bytes 4-9/{}", OGG.len()).as_str()),
        "the range is stated"
    );
    assert_eq!(
        part.header("content-type"),
        Some("audio/ogg; codecs=opus"),
        "the voice note type"
    );

    let beyond = rig
        .core
        .serve_media(
            &format!("/{sha256}"),
            Some(&format!("bytes={}-", OGG.len())),
        )
        .await;
    assert_eq!(beyond.status, 416, "a range past the end is unsatisfiable");
}

#[tokio::test]
async fn a_document_can_be_opened_by_its_name_and_saved_elsewhere() {
    let rig = rig().await;
    let delivery = rig
        .sim
        .customer(CUSTOMER)
        .send_document(PDF.to_vec(), "application/pdf", "invoice.pdf", None)
        .await
        .unwrap();
    rig.core.download_due_media().await.unwrap();
    let message_id = message_id_of(&rig.core, delivery.wamid()).await;

    let (_, file_name) = rig
        .core
        .media_file(message_id)
        .await
        .expect("the file is known");
    assert_eq!(file_name, "invoice.pdf", "Meta's file name is kept");
    let for_opening = rig
        .core
        .media_file_for_opening(message_id)
        .await
        .expect("a named copy");
    assert_eq!(
        for_opening.file_name().and_then(|n| n.to_str()),
        Some("invoice.pdf"),
        "the default app is chosen by the name"
    );
    assert!(
        for_opening.starts_with(rig.dir.path()),
        "the copy stays in the data folder"
    );
    assert_eq!(
        std::fs::read(&for_opening).unwrap(),
        PDF,
        "the named copy is identical"
    );
    let destination = rig.dir.path().join("copy.pdf");
    rig.core
        .save_media_as(message_id, destination.clone())
        .await
        .expect("saved");
    assert_eq!(
        std::fs::read(destination).unwrap(),
        PDF,
        "the copy is identical"
    );
}
