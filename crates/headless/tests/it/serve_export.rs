//! `serve` and `export` end to end through the real binary.

use chatsphere_headless::load::WebhookTarget;
use serde_json::json;

use super::support::*;

fn sample(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/meta-samples")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[tokio::test]
async fn serve_stores_signed_deliveries_and_export_lists_them_oldest_first() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(dir.path());
    let target = WebhookTarget {
        addr: server.addr,
        app_secret: APP_SECRET.to_owned(),
    };
    let mut connection = target.connect().await.expect("connects");
    for name in [
        "audio_voice_note.json",
        "text_forwarded.json",
        "reaction_removed_empty_emoji.json",
    ] {
        let signed = target.sign(sample(name), vec![]);
        assert_eq!(
            connection.post(&signed).await.unwrap(),
            200,
            "{name} accepted"
        );
    }
    let forged = WebhookTarget {
        addr: server.addr,
        app_secret: "wrong".to_owned(),
    };
    let signed = forged.sign(sample("text.json"), vec![]);
    assert_eq!(
        connection.post(&signed).await.unwrap(),
        401,
        "a forged body is refused"
    );
    assert!(server.terminate(), "SIGTERM shuts down cleanly");

    let lines = export(dir.path());
    assert_eq!(
        lines.len(),
        1,
        "the two pywa samples share one wamid: stored once"
    );
    let line = &lines[0];
    assert_eq!(line["phone_number_id"], "1122334455667");
    assert_eq!(line["wa_id"], "972987654321");
    assert_eq!(line["direction"], "in");
    assert_eq!(line["type"], "audio");
    assert_eq!(line["timestamp"], 1_697_043_473);
    assert_eq!(line["text"], serde_json::Value::Null);
    assert_eq!(line["reactions"], json!([]), "the reaction was removed");
    assert_eq!(line["media"]["mime_type"], "audio/ogg; codecs=opus");
    assert_eq!(line["media"]["state"], "pending");
    assert!(
        line["media"]["sha256"].is_string(),
        "announced hash exported"
    );
    for field in ["user_id", "contact_name", "id", "status", "reply_to"] {
        assert!(line.get(field).is_some(), "{field} is always present");
    }
}

#[test]
fn serve_refuses_to_start_without_an_app_secret() {
    let dir = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(binary())
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path())
        .env_remove("CHATSPHERE_APP_SECRET")
        .env("CHATSPHERE_PHONE_NUMBER_ID", NUMBER)
        .output()
        .expect("runs");
    assert!(!output.status.success(), "no secret, no server");
    assert!(output.stdout.is_empty(), "never claims to be listening");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("app secret"),
        "says why"
    );
}

#[test]
fn export_of_a_missing_inbox_fails_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(binary())
        .args(["export", "--format", "jsonl", "--data-dir"])
        .arg(dir.path().join("nothing-here"))
        .output()
        .expect("runs");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("no inbox"));
}
