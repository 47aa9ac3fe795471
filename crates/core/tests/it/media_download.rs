//! Media sent by customers is downloaded from the simulator, verified and stored.

use std::time::Duration;

use chatsphere_core::Change;
use chatsphere_core::media::MediaLimits;
use chatsphere_core::media::verify::sha256_hex;
use chatsphere_meta_sim::{Endpoint, Fault};

use super::media_support::*;

#[tokio::test]
async fn every_media_type_is_downloaded_verified_and_stored() {
    let rig = rig().await;
    let customer = rig.sim.customer(CUSTOMER);
    let image = png(800, 400);
    let photo = jpeg(64, 64);
    let sticker = webp(512, 512);
    let video = mp4();
    let sent = [
        (
            "image",
            customer
                .send_image(image.clone(), "image/png", Some("menu"))
                .await,
            image,
            true,
        ),
        (
            "jpeg",
            customer.send_image(photo.clone(), "image/jpeg", None).await,
            photo,
            true,
        ),
        (
            "sticker",
            customer.send_sticker(sticker.clone(), false).await,
            sticker,
            true,
        ),
        (
            "document",
            customer
                .send_document(PDF.to_vec(), "application/pdf", "invoice.pdf", None)
                .await,
            PDF.to_vec(),
            false,
        ),
        (
            "voice",
            customer.send_voice_note(OGG.to_vec()).await,
            OGG.to_vec(),
            false,
        ),
        (
            "audio",
            customer.send_audio(OGG.to_vec(), "audio/ogg").await,
            OGG.to_vec(),
            false,
        ),
        (
            "video",
            customer.send_video(video.clone(), None).await,
            video,
            false,
        ),
    ];
    let mut wamids = Vec::new();
    for (label, delivery, _, _) in &sent {
        let delivery = delivery
            .as_ref()
            .unwrap_or_else(|e| panic!("{label} is sent: {e}"));
        assert!(delivery.accepted(), "the app accepts the {label} webhook");
        wamids.push(delivery.wamid().to_string());
        assert_eq!(
            media_row(&rig.core, delivery.wamid()).await.state,
            "pending",
            "ingest only records the {label}; the worker downloads it"
        );
    }

    let summary = rig.core.download_due_media().await.expect("the round runs");
    assert_eq!(
        summary.downloaded,
        sent.len(),
        "every file is downloaded: {summary:?}"
    );

    for ((label, _, bytes, wants_thumbnail), wamid) in sent.iter().zip(&wamids) {
        let row = media_row(&rig.core, wamid).await;
        assert_eq!(row.state, "downloaded", "{label}: {row:?}");
        let sha256 = row.sha256.clone().expect("a stored hash");
        assert_eq!(
            sha256,
            sha256_hex(bytes),
            "{label} is stored under its own hash"
        );
        assert_eq!(
            row.size_bytes,
            Some(bytes.len() as i64),
            "{label} size is recorded"
        );
        let stored = std::fs::read(
            rig.dir
                .path()
                .join("media")
                .join(&sha256[..2])
                .join(&sha256),
        )
        .expect("the original is on disk");
        assert_eq!(&stored, bytes, "{label} is stored byte for byte");
        assert_eq!(
            row.thumbnail_sha256.is_some(),
            *wants_thumbnail,
            "{label}: thumbnails for images and stickers only"
        );
    }
    let image_row = media_row(&rig.core, &wamids[0]).await;
    let thumb_sha = image_row
        .thumbnail_sha256
        .expect("the image has a thumbnail");
    let thumb = std::fs::read(
        rig.dir
            .path()
            .join("media")
            .join(&thumb_sha[..2])
            .join(&thumb_sha),
    )
    .expect("the thumbnail is on disk");
    let decoded = image::load_from_memory(&thumb).expect("the thumbnail is an image");
    assert_eq!(
        (decoded.width(), decoded.height()),
        (320, 160),
        "the 800×400 image is previewed within 320 px"
    );
}

#[tokio::test]
async fn a_finished_download_tells_the_ui_which_message_changed() {
    let rig = rig().await;
    let delivery = rig.customer_sends_png(png(10, 10)).await;
    let message_id = message_id_of(&rig.core, delivery.wamid()).await;
    let mut changes = rig.core.changes().subscribe();
    rig.core.download_due_media().await.unwrap();
    let published = drain(&mut changes);
    assert!(
        published.iter().any(|change| matches!(
            change,
            Change::MessagesChanged { message_ids, .. } if message_ids == &vec![message_id]
        )),
        "the bubble of message {message_id} is told to update: {published:?}"
    );
}

#[tokio::test]
async fn an_expired_url_is_refreshed_through_the_media_id() {
    let rig = rig().await;
    let bytes = png(32, 32);
    let delivery = rig.customer_sends_png(bytes.clone()).await;
    let webhook_url = media_row(&rig.core, delivery.wamid()).await.meta_url;
    rig.sim.advance_time(Duration::from_secs(6 * 60));

    rig.core.download_due_media().await.unwrap();

    let row = media_row(&rig.core, delivery.wamid()).await;
    assert_eq!(row.state, "downloaded", "the fresh url works: {row:?}");
    assert_eq!(
        row.sha256.as_deref(),
        Some(sha256_hex(&bytes).as_str()),
        "the right bytes"
    );
    assert_ne!(row.meta_url, webhook_url, "the url was refreshed from Meta");
}

#[tokio::test]
async fn media_meta_no_longer_has_is_marked_expired() {
    let rig = rig().await;
    let delivery = rig.customer_sends_png(png(8, 8)).await;
    rig.sim.advance_time(Duration::from_secs(8 * 24 * 3600));

    let summary = rig.core.download_due_media().await.unwrap();

    let row = media_row(&rig.core, delivery.wamid()).await;
    assert_eq!(summary.expired, 1, "counted as expired: {summary:?}");
    assert_eq!(
        row.state, "expired",
        "past 7 days the media is gone: {row:?}"
    );
    assert!(stored_files(rig.dir.path()).is_empty(), "nothing stored");
}

#[tokio::test]
async fn corrupted_bytes_fail_the_hash_check_and_are_not_stored_until_a_retry_succeeds() {
    let rig = rig().await;
    let bytes = png(16, 16);
    let delivery = rig.customer_sends_png(bytes.clone()).await;
    rig.sim.set_fault(Fault::corrupt_media_bytes());

    rig.core.download_due_media().await.unwrap();

    let row = media_row(&rig.core, delivery.wamid()).await;
    assert_eq!(row.state, "failed", "a mismatch is an error state: {row:?}");
    let error = row.last_error.unwrap_or_default();
    assert!(
        error.contains("hash") || error.contains("type"),
        "the reason is kept: {error}"
    );
    assert!(
        stored_files(rig.dir.path()).is_empty(),
        "corrupted bytes are never stored"
    );

    let message_id = message_id_of(&rig.core, delivery.wamid()).await;
    rig.core
        .retry_media_download(message_id)
        .await
        .expect("a failed download can be retried");
    assert_eq!(
        media_row(&rig.core, delivery.wamid()).await.state,
        "pending",
        "queued again"
    );
    rig.core.download_due_media().await.unwrap();
    let row = media_row(&rig.core, delivery.wamid()).await;
    assert_eq!(
        row.state, "downloaded",
        "the retry gets the real bytes: {row:?}"
    );
    assert_eq!(
        row.sha256.as_deref(),
        Some(sha256_hex(&bytes).as_str()),
        "verified bytes"
    );
}

#[tokio::test]
async fn retrying_a_download_that_did_not_fail_is_refused() {
    let rig = rig().await;
    let delivery = rig.customer_sends_png(png(4, 4)).await;
    rig.core.download_due_media().await.unwrap();
    let message_id = message_id_of(&rig.core, delivery.wamid()).await;
    assert!(
        rig.core.retry_media_download(message_id).await.is_err(),
        "a downloaded file is not fetched again"
    );
}

/// A customer sends a photo over a 1000-byte picture limit: it is refused, nothing stored.
async fn a_photo_over_1000_bytes_is_refused(rig: &MediaRig) {
    let big = png(300, 300);
    assert!(big.len() > 1000, "the test image is over the limit");
    let delivery = rig.customer_sends_png(big).await;

    rig.core.download_due_media().await.unwrap();

    let row = media_row(&rig.core, delivery.wamid()).await;
    assert_eq!(row.state, "failed", "oversize is refused: {row:?}");
    assert!(
        row.last_error.unwrap_or_default().contains("1000 bytes"),
        "the limit is named"
    );
    assert!(stored_files(rig.dir.path()).is_empty(), "nothing stored");
}

#[tokio::test]
async fn a_file_over_the_limit_of_its_type_is_refused() {
    let rig = rig_with(SIM_TOKEN, |config| {
        config.media_limits = MediaLimits {
            image: 1000,
            ..MediaLimits::default()
        };
    })
    .await;
    a_photo_over_1000_bytes_is_refused(&rig).await;
}

#[tokio::test]
async fn a_limit_lowered_in_settings_refuses_the_next_download() {
    let rig = rig().await;
    let mut settings = rig.core.settings();
    settings.media.image = 1000;
    rig.core.apply_settings(settings).expect("applied");
    a_photo_over_1000_bytes_is_refused(&rig).await;
}

#[tokio::test]
async fn bytes_that_contradict_the_declared_type_are_refused() {
    let rig = rig().await;
    let delivery = rig
        .sim
        .customer(CUSTOMER)
        .send_image(png(12, 12), "image/jpeg", None)
        .await
        .unwrap();

    rig.core.download_due_media().await.unwrap();

    let row = media_row(&rig.core, delivery.wamid()).await;
    assert_eq!(
        row.state, "failed",
        "a png announced as jpeg is refused: {row:?}"
    );
    assert!(
        row.last_error.unwrap_or_default().contains("image/jpeg"),
        "the declared type is named"
    );
    assert!(stored_files(rig.dir.path()).is_empty(), "nothing stored");
}

#[tokio::test]
async fn a_refused_token_is_an_account_problem_and_the_download_waits() {
    let rig = rig_with("a-revoked-token", |_| {}).await;
    let delivery = rig.customer_sends_png(png(8, 8)).await;
    let mut changes = rig.core.changes().subscribe();

    let summary = rig.core.download_due_media().await.unwrap();

    assert_eq!(
        summary.account_problems, 1,
        "counted as an account problem: {summary:?}"
    );
    let row = media_row(&rig.core, delivery.wamid()).await;
    assert_eq!(
        row.state, "pending",
        "kept for when the token is fixed: {row:?}"
    );
    assert!(
        row.last_error.unwrap_or_default().contains("access token"),
        "the reason is visible on the bubble"
    );
    assert!(
        rig.core.media_account_problem().is_some(),
        "the account problem is known"
    );
    assert!(
        drain(&mut changes)
            .iter()
            .any(|change| matches!(change, Change::AccountProblem { .. })),
        "the UI is told about the account problem"
    );
}

#[tokio::test]
async fn a_token_error_from_the_media_endpoint_is_an_account_problem() {
    let rig = rig().await;
    let delivery = rig.customer_sends_png(png(8, 8)).await;
    // The webhook's URL has expired, so the worker must ask the media endpoint.
    rig.sim.advance_time(Duration::from_secs(6 * 60));
    rig.sim.set_fault(Fault::error(190).on(Endpoint::MediaInfo));

    let summary = rig.core.download_due_media().await.unwrap();

    assert_eq!(
        summary.account_problems, 1,
        "190 is an account problem: {summary:?}"
    );
    assert_eq!(
        media_row(&rig.core, delivery.wamid()).await.state,
        "pending",
        "not lost"
    );
}

#[tokio::test]
async fn the_same_bytes_sent_twice_are_stored_once() {
    let rig = rig().await;
    let bytes = png(400, 400);
    let first = rig.customer_sends_png(bytes.clone()).await;
    let second = rig
        .sim
        .customer("5511900000002")
        .send_image(bytes.clone(), "image/png", None)
        .await
        .unwrap();

    rig.core.download_due_media().await.unwrap();

    let (a, b) = (
        media_row(&rig.core, first.wamid()).await,
        media_row(&rig.core, second.wamid()).await,
    );
    assert_eq!(
        (a.state.as_str(), b.state.as_str()),
        ("downloaded", "downloaded"),
        "both stored"
    );
    assert_eq!(a.sha256, b.sha256, "one content, one name");
    assert_eq!(
        stored_files(rig.dir.path()).len(),
        2,
        "one original and one thumbnail on disk for two messages"
    );
}

#[tokio::test]
async fn a_download_interrupted_by_a_restart_is_resumed() {
    let rig = rig().await;
    let bytes = png(64, 64);
    let delivery = rig.customer_sends_png(bytes.clone()).await;
    rig.sim
        .set_fault(Fault::slow_media_download(Duration::from_secs(2)));

    let core = rig.core.clone();
    let round = tokio::spawn(async move { core.download_due_media().await });
    while media_row(&rig.core, delivery.wamid()).await.state != "downloading" {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // The app stops mid-download.
    round.abort();
    let _ = round.await;
    assert!(
        stored_files(rig.dir.path()).is_empty(),
        "no partial file is stored"
    );

    let reopened = open_core(rig.dir.path(), &rig.sim, SIM_TOKEN, |_| {}).await;
    let summary = reopened.download_due_media().await.unwrap();

    assert_eq!(
        summary.downloaded, 1,
        "the interrupted download is resumed: {summary:?}"
    );
    let row = media_row(&reopened, delivery.wamid()).await;
    assert_eq!(row.state, "downloaded", "{row:?}");
    assert_eq!(
        row.sha256.as_deref(),
        Some(sha256_hex(&bytes).as_str()),
        "complete bytes"
    );
}

#[tokio::test]
async fn the_background_worker_downloads_new_media_without_being_asked() {
    let rig = rig().await;
    let cancel = tokio_util::sync::CancellationToken::new();
    let worker = rig.core.start_media_worker(cancel.clone());
    let mut changes = rig.core.changes().subscribe();
    let delivery = rig.customer_sends_png(png(8, 8)).await;
    let message_id = message_id_of(&rig.core, delivery.wamid()).await;

    let downloaded = async {
        loop {
            match changes.recv().await.expect("the bus stays open") {
                Change::MessagesChanged { message_ids, .. }
                    if message_ids == vec![message_id]
                        && media_row(&rig.core, delivery.wamid()).await.state == "downloaded" =>
                {
                    break;
                }
                _ => {}
            }
        }
    };
    // A guard against hanging forever, not a speed requirement.
    tokio::time::timeout(Duration::from_secs(60), downloaded)
        .await
        .expect("the worker downloads the image on its own");
    cancel.cancel();
    worker.await.expect("the worker stops cleanly");
}

#[tokio::test]
async fn an_animated_sticker_is_previewed_by_its_first_frame() {
    let rig = rig().await;
    let red = [220, 0, 0, 255];
    let blue = [0, 0, 220, 255];
    let sticker = animated_webp(64, 64, &[red, blue]);
    assert_ne!(red, blue, "two distinguishable frames");
    let delivery = rig
        .sim
        .customer(CUSTOMER)
        .send_sticker(sticker, true)
        .await
        .unwrap();

    rig.core.download_due_media().await.unwrap();

    let row = media_row(&rig.core, delivery.wamid()).await;
    assert_eq!(row.state, "downloaded", "{row:?}");
    let thumb_sha = row
        .thumbnail_sha256
        .expect("animated stickers get a preview");
    let thumb = std::fs::read(
        rig.dir
            .path()
            .join("media")
            .join(&thumb_sha[..2])
            .join(&thumb_sha),
    )
    .expect("the preview is on disk");
    let preview = image::load_from_memory(&thumb).unwrap().to_rgba8();
    // Lossless frames still round colours by a unit; red versus blue is what matters.
    let [r, _, b, _] = preview.get_pixel(10, 10).0;
    assert!(
        r > 200 && b < 20,
        "the first (red) frame, not the later blue one: got {:?}",
        preview.get_pixel(10, 10).0
    );
}

#[tokio::test]
async fn a_download_reports_its_progress_up_to_the_whole_file() {
    let rig = rig().await;
    let bytes = png(500, 500);
    let delivery = rig.customer_sends_png(bytes.clone()).await;
    let message_id = message_id_of(&rig.core, delivery.wamid()).await;
    let mut changes = rig.core.changes().subscribe();

    rig.core.download_due_media().await.unwrap();

    let progress: Vec<(u64, Option<u64>)> = drain(&mut changes)
        .into_iter()
        .filter_map(|change| match change {
            Change::MediaProgress {
                message_id: id,
                received_bytes,
                total_bytes,
                ..
            } if id == message_id => Some((received_bytes, total_bytes)),
            _ => None,
        })
        .collect();
    let size = bytes.len() as u64;
    assert_eq!(
        progress.last(),
        Some(&(size, Some(size))),
        "the last report is the whole file: {progress:?}"
    );
    assert!(
        progress.len() <= 11,
        "at most one report per tenth of the file: {progress:?}"
    );
}
