//! Sending files: checked before anything is queued, uploaded to the simulator with
//! their type, then sent by the uploaded id through the outbox; the local copy stays.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chatsphere_core::Core;
use chatsphere_core::config::SendingSettings;
use chatsphere_core::error::CoreError;
use chatsphere_core::model::{MediaState, Message};
use chatsphere_core::send::{MediaKind, MediaToSend, QueuedMessage};
use chatsphere_meta_sim::{Endpoint, Fault, TINY_PNG};

use crate::send_support::{
    Bench, bench, bench_with, count, key, message, open_core, quick_settings, simulator,
    wait_for_state,
};

fn mp4() -> Vec<u8> {
    let mut bytes = vec![0, 0, 0, 0x18];
    bytes.extend_from_slice(b"ftypisom\0\0\x02\0isomiso2");
    bytes.extend_from_slice(&[0u8; 64]);
    bytes
}

fn ogg_opus() -> Vec<u8> {
    let mut bytes = b"OggS\0\x02".to_vec();
    bytes.extend_from_slice(&[0u8; 22]);
    bytes.extend_from_slice(b"OpusHead");
    bytes
}

fn static_webp() -> Vec<u8> {
    let mut bytes = b"RIFF\x24\0\0\0WEBPVP8 ".to_vec();
    bytes.extend_from_slice(&[0u8; 40]);
    bytes
}

fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".to_vec()
}

fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("the test file is written");
    path
}

fn media(b: &Bench, path: &Path, kind: Option<MediaKind>, caption: Option<&str>) -> MediaToSend {
    MediaToSend {
        conversation_id: b.conversation_id,
        idempotency_key: key("media"),
        path: path.to_string_lossy().into_owned(),
        kind,
        caption: caption.map(str::to_string),
        reply_to_wamid: None,
        voice: false,
    }
}

async fn stored(core: &Core, queued: QueuedMessage) -> Message {
    message(core, queued.conversation_id, queued.message_id).await
}

fn refusal(result: Result<QueuedMessage, CoreError>) -> String {
    match result {
        Err(CoreError::InvalidInput(reason)) => reason,
        other => panic!("expected an invalidInput refusal, got {other:?}"),
    }
}

/// One file of the "every kind" test and what Meta must receive for it.
struct Case {
    name: &'static str,
    bytes: Vec<u8>,
    kind: &'static str,
    mime_type: &'static str,
    caption: Option<&'static str>,
    voice: bool,
}

impl Case {
    fn new(
        name: &'static str,
        bytes: Vec<u8>,
        kind: &'static str,
        mime_type: &'static str,
        caption: Option<&'static str>,
    ) -> Case {
        Case {
            name,
            bytes,
            kind,
            mime_type,
            caption,
            voice: false,
        }
    }
}

#[tokio::test]
async fn every_media_kind_is_uploaded_with_its_type_then_sent_by_that_id() {
    let b = bench().await;
    let files = tempfile::tempdir().unwrap();
    let cases = [
        Case::new(
            "photo.png",
            TINY_PNG.to_vec(),
            "image",
            "image/png",
            Some("New stock"),
        ),
        Case::new(
            "clip.mp4",
            mp4(),
            "video",
            "video/mp4",
            Some("How to use it"),
        ),
        Case {
            voice: true,
            ..Case::new("note.ogg", ogg_opus(), "audio", "audio/ogg", None)
        },
        Case::new(
            "Invoice 42.pdf",
            pdf(),
            "document",
            "application/pdf",
            Some("Your invoice"),
        ),
        Case::new("smile.webp", static_webp(), "sticker", "image/webp", None),
    ];
    for (index, case) in cases.into_iter().enumerate() {
        let Case {
            name,
            bytes,
            kind,
            mime_type,
            caption,
            voice,
        } = case;
        let path = write_file(files.path(), name, &bytes);
        let mut request = media(&b, &path, None, caption);
        request.voice = voice;
        let queued = b
            .core
            .send_media(request)
            .await
            .expect("the file is queued");
        let pending = stored(&b.core, queued).await;
        let local = pending.media.expect("the message shows its file at once");
        assert_eq!(
            local.state,
            MediaState::Local,
            "{name}: the local copy is shown"
        );
        assert_eq!(pending.kind, kind, "{name}: the message kind");

        wait_for_state(&b.core, queued.message_id, "sent").await;
        let sent = b.sim.sent_messages();
        assert_eq!(sent.len(), index + 1, "{name}: one send per file");
        let send = &sent[index];
        assert_eq!(send.message_type, kind, "{name}: sent as {kind}");
        let media_id = send.request[kind]["id"]
            .as_str()
            .expect("the send names the media by id");
        let uploaded = b
            .sim
            .media(media_id)
            .expect("the id is the uploaded file's");
        assert_eq!(
            uploaded.mime_type, mime_type,
            "{name}: uploaded with its type"
        );
        assert_eq!(
            uploaded.bytes.as_ref(),
            bytes.as_slice(),
            "{name}: the bytes as on disk"
        );
        assert_eq!(
            send.request[kind]["caption"].as_str(),
            caption,
            "{name}: the caption rides along"
        );
        let expected_filename = (kind == "document").then_some(name);
        assert_eq!(
            send.request[kind]["filename"].as_str(),
            expected_filename,
            "{name}: only documents keep their file name"
        );
        assert_eq!(
            send.request[kind]["voice"].as_bool(),
            voice.then_some(true),
            "{name}: voice notes say so"
        );
        let after = stored(&b.core, queued).await;
        assert_eq!(after.wamid.as_deref(), Some(send.wamid.as_str()));
        let kept = after.media.expect("the local copy stays for history");
        assert_eq!(kept.state, MediaState::Local);
        assert_eq!(kept.mime_type.as_deref(), Some(mime_type));
        let sha256 = kept.sha256.expect("the copy is named by its hash");
        let copy = b.dir.path().join("media").join(&sha256[..2]).join(&sha256);
        assert_eq!(
            std::fs::read(&copy).expect("the copy is in the media store"),
            bytes,
            "{name}: the copy is the file"
        );
    }
}

#[tokio::test]
async fn a_limit_lowered_in_settings_refuses_the_next_send_at_once() {
    let b = bench().await;
    let files = tempfile::tempdir().unwrap();
    let mut png = TINY_PNG.to_vec();
    png.resize(4096, 0);
    let photo = write_file(files.path(), "photo.png", &png);
    let mut settings = b.core.settings();
    settings.media.image = 2048;
    b.core.apply_settings(settings).expect("applied");

    let reason = refusal(b.core.send_media(media(&b, &photo, None, None)).await);
    assert!(
        reason.contains("more than the 2 KB your media settings allow"),
        "the owner's limit is named: {reason}"
    );
    assert_eq!(
        count(&b.core, "SELECT COUNT(*) FROM outbox").await,
        0,
        "nothing is queued"
    );
    let staged = b
        .core
        .stage_media(photo.to_string_lossy().into_owned())
        .await
        .expect("staged");
    assert!(
        staged.problem.is_some_and(|p| p.contains("2 KB")),
        "staging says so too"
    );
}

#[tokio::test]
async fn an_oversize_or_mistyped_file_is_refused_before_anything_is_queued() {
    let b = bench().await;
    let files = tempfile::tempdir().unwrap();
    let mut huge_png = TINY_PNG.to_vec();
    huge_png.resize(6 * 1024 * 1024, 0);
    let huge = write_file(files.path(), "huge.png", &huge_png);
    let reason = refusal(b.core.send_media(media(&b, &huge, None, None)).await);
    assert!(
        reason.contains("more than the 5.0 MB"),
        "the limit is named: {reason}"
    );

    let pdf = write_file(files.path(), "menu.pdf", &pdf());
    let reason = refusal(
        b.core
            .send_media(media(&b, &pdf, Some(MediaKind::Image), None))
            .await,
    );
    assert!(
        reason.contains("JPEG or PNG"),
        "the accepted types are named: {reason}"
    );

    let gif = write_file(files.path(), "funny.gif", b"GIF89a\x01\0\x01\0\0\0\0;");
    let reason = refusal(b.core.send_media(media(&b, &gif, None, None)).await);
    assert!(reason.contains("cannot send this type"), "{reason}");

    let mut voice_mp3 = media(
        &b,
        &write_file(files.path(), "a.mp3", b"ID3\x04\0\0\0\0\0\0"),
        None,
        None,
    );
    voice_mp3.voice = true;
    let reason = refusal(b.core.send_media(voice_mp3).await);
    assert!(reason.contains("voice note"), "{reason}");

    assert_eq!(
        count(&b.core, "SELECT COUNT(*) FROM outbox").await,
        0,
        "nothing queued"
    );
    assert_eq!(
        count(&b.core, "SELECT COUNT(*) FROM media").await,
        0,
        "nothing stored"
    );
    assert!(b.sim.sent_messages().is_empty(), "nothing reached Meta");
}

#[tokio::test]
async fn metas_131053_on_upload_fails_the_message_with_its_sentence() {
    let b = bench().await;
    b.sim
        .set_fault(Fault::error(131053).on(Endpoint::MediaUpload).always());
    let files = tempfile::tempdir().unwrap();
    let path = write_file(files.path(), "photo.png", TINY_PNG);
    let queued = b
        .core
        .send_media(media(&b, &path, None, None))
        .await
        .unwrap();

    let entry = wait_for_state(&b.core, queued.message_id, "failed").await;
    assert_eq!(entry.attempts, 1, "a refused upload is not retried");
    assert_eq!(entry.last_error_code, Some(131053));
    let failed = stored(&b.core, queued).await;
    let title = failed.error.and_then(|e| e.title).unwrap_or_default();
    assert!(
        title.contains("could not use the attached file"),
        "the owner reads why: {title}"
    );
    assert!(
        b.sim.sent_messages().is_empty(),
        "no send without an upload"
    );
}

#[tokio::test]
async fn a_retryable_upload_failure_is_retried_and_the_message_sent_once() {
    let b = bench().await;
    b.sim
        .set_fault(Fault::http_status(503).on(Endpoint::MediaUpload).times(2));
    let files = tempfile::tempdir().unwrap();
    let path = write_file(files.path(), "photo.png", TINY_PNG);
    let queued = b
        .core
        .send_media(media(&b, &path, None, None))
        .await
        .unwrap();

    let entry = wait_for_state(&b.core, queued.message_id, "sent").await;
    assert_eq!(
        entry.attempts, 4,
        "two failed uploads, one upload, one send"
    );
    assert_eq!(b.sim.sent_messages().len(), 1, "sent exactly once");
}

#[tokio::test]
async fn a_restart_between_upload_and_send_reuses_the_uploaded_id() {
    let slow_retries = SendingSettings {
        retry_base: Duration::from_secs(3600),
        retry_max: Duration::from_secs(3600),
        ..quick_settings()
    };
    let b = bench_with(simulator().await, slow_retries).await;
    b.sim
        .set_fault(Fault::http_status(503).on(Endpoint::Messages).times(1));
    let files = tempfile::tempdir().unwrap();
    let path = write_file(files.path(), "photo.png", TINY_PNG);
    let queued = b
        .core
        .send_media(media(&b, &path, None, None))
        .await
        .unwrap();

    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let uploaded_id = loop {
        let id: Option<String> = b
            .core
            .database()
            .read(move |conn| {
                Ok(conn
                    .query_row(
                        "SELECT uploaded_media_id FROM outbox
                      WHERE message_id = ?1 AND state = 'queued' AND attempts = 2",
                        [queued.message_id],
                        |row| row.get(0),
                    )
                    .ok()
                    .flatten())
            })
            .await
            .unwrap();
        if let Some(id) = id {
            break id;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the upload succeeded and the send waits for its retry"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let dir = b.dir.path().to_path_buf();
    drop(b.core);

    let reopened = open_core(&dir, b.sim.graph_base_url(), quick_settings()).await;
    reopened
        .database()
        .write(|conn| {
            conn.execute("UPDATE outbox SET next_attempt_at_ms = 0", [])?;
            Ok(())
        })
        .await
        .unwrap();
    reopened.database().read(|_| Ok(())).await.unwrap();
    wait_for_state(&reopened, queued.message_id, "sent").await;
    let sent = b.sim.sent_messages();
    assert_eq!(sent.len(), 1, "sent once");
    assert_eq!(
        sent[0].request["image"]["id"].as_str(),
        Some(uploaded_id.as_str()),
        "the send used the id uploaded before the restart"
    );
}

#[tokio::test]
async fn the_same_file_sent_twice_is_kept_once_and_a_repeated_key_queues_nothing() {
    let b = bench().await;
    let files = tempfile::tempdir().unwrap();
    let path = write_file(files.path(), "photo.png", TINY_PNG);
    let first = media(&b, &path, None, Some("one"));
    let first_again = first.clone();
    let one = b.core.send_media(first).await.unwrap();
    let repeated = b.core.send_media(first_again).await.unwrap();
    assert_eq!(repeated, one, "the same key is the same message");
    let two = b
        .core
        .send_media(media(&b, &path, None, Some("two")))
        .await
        .unwrap();
    assert_ne!(two.message_id, one.message_id);

    wait_for_state(&b.core, two.message_id, "sent").await;
    assert_eq!(count(&b.core, "SELECT COUNT(*) FROM media").await, 2);
    assert_eq!(
        count(&b.core, "SELECT COUNT(DISTINCT sha256) FROM media").await,
        1,
        "both messages name one copy"
    );
    let sha256 = stored(&b.core, one).await.media.unwrap().sha256.unwrap();
    let shard = b.dir.path().join("media").join(&sha256[..2]);
    let copies = std::fs::read_dir(&shard)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy() == sha256)
        .count();
    assert_eq!(copies, 1, "the file is stored once");
    assert_eq!(b.sim.sent_messages().len(), 2, "two messages, not three");
}
