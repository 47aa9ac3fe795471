//! A customer deletes a message whose file the inbox downloads: the download is called
//! off, never retried, and a file already stored is no longer shown for that message.

use std::time::Duration;

use chatsphere_core::media::verify::sha256_hex;
use chatsphere_meta_sim::Fault;

use super::media_support::*;

const CUSTOMER: &str = "5511912345678";

#[tokio::test]
async fn a_pending_download_of_a_deleted_message_is_called_off_not_retried() {
    let rig = rig().await;
    let customer = rig.sim.customer(CUSTOMER);
    let delivery = customer
        .send_image(png(40, 40), "image/png", Some("old photo"))
        .await
        .unwrap();
    customer.revoke(delivery.wamid()).await.unwrap();

    let summary = rig.core.download_due_media().await.unwrap();

    assert_eq!(
        summary,
        Default::default(),
        "nothing is attempted for a deleted message"
    );
    let row = media_row(&rig.core, delivery.wamid()).await;
    assert_eq!(row.state, "expired", "called off for good: {row:?}");
    assert_eq!(row.attempts, 0, "never tried: {row:?}");
    assert!(
        row.last_error
            .as_deref()
            .unwrap_or_default()
            .contains("deleted"),
        "the row says why: {row:?}"
    );
    assert!(stored_files(rig.dir.path()).is_empty(), "nothing is stored");
    let message_id = message_id_of(&rig.core, delivery.wamid()).await;
    assert!(
        rig.core.retry_media_download(message_id).await.is_err(),
        "a deleted message's download cannot be put back in the queue"
    );
}

#[tokio::test]
async fn a_download_under_way_when_the_message_is_deleted_leaves_the_row_called_off() {
    let rig = rig().await;
    let customer = rig.sim.customer(CUSTOMER);
    let delivery = customer
        .send_image(png(64, 64), "image/png", None)
        .await
        .unwrap();
    rig.sim
        .set_fault(Fault::slow_media_download(Duration::from_millis(300)));
    let core = rig.core.clone();
    let round = tokio::spawn(async move { core.download_due_media().await });
    while media_row(&rig.core, delivery.wamid()).await.state != "downloading" {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    customer.revoke(delivery.wamid()).await.unwrap();
    round.await.unwrap().unwrap();

    let row = media_row(&rig.core, delivery.wamid()).await;
    assert_eq!(
        row.state, "expired",
        "the finished download does not bring the row back: {row:?}"
    );
    assert_eq!(row.sha256, None, "no file is recorded for it: {row:?}");
    assert_eq!(
        rig.core.download_due_media().await.unwrap(),
        Default::default(),
        "and nothing is left to download"
    );
}

#[tokio::test]
async fn a_stored_file_of_a_deleted_message_is_no_longer_served_or_opened() {
    let rig = rig().await;
    let customer = rig.sim.customer(CUSTOMER);
    let bytes = png(500, 200);
    let delivery = customer
        .send_image(bytes.clone(), "image/png", None)
        .await
        .unwrap();
    rig.core.download_due_media().await.unwrap();
    let before = media_row(&rig.core, delivery.wamid()).await;
    assert_eq!(before.state, "downloaded", "{before:?}");
    let thumbnail = before.thumbnail_sha256.clone().expect("a thumbnail");
    let message_id = message_id_of(&rig.core, delivery.wamid()).await;

    customer.revoke(delivery.wamid()).await.unwrap();

    let original = rig
        .core
        .serve_media(&format!("/{}", sha256_hex(&bytes)), None)
        .await;
    assert_eq!(original.status, 404, "the deleted photo is not served");
    let preview = rig
        .core
        .serve_media(&format!("/thumb/{thumbnail}"), None)
        .await;
    assert_eq!(preview.status, 404, "nor its thumbnail");
    assert!(
        rig.core.media_file(message_id).await.is_err(),
        "nor can it be opened or saved"
    );
    assert_eq!(
        media_row(&rig.core, delivery.wamid()).await.state,
        "downloaded",
        "the download itself stays recorded"
    );
}
