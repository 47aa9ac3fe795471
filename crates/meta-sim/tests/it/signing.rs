use chatsphere_meta_sim::{
    escape_non_ascii, signature_header_value, to_meta_json, verify_signature,
};
use serde_json::json;

use crate::support::{APP_SECRET, independent_hmac_hex, start};

const SAMPLES: &str = "/work/shared/meta-samples";

fn sample_files() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(SAMPLES)
        .expect("the shared samples folder exists")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
}

#[tokio::test]
async fn every_sample_payload_arrives_byte_for_byte_with_an_independently_verifiable_signature() {
    let (sim, receiver) = start().await;
    let files = sample_files();
    assert!(
        files.len() >= 48,
        "expected the 48 shared samples, found {}",
        files.len()
    );
    for (index, path) in files.iter().enumerate() {
        let bytes = std::fs::read(path).unwrap();
        let report = sim.deliver_raw(bytes.clone()).await.unwrap();
        assert!(
            report.delivered,
            "{} not delivered: {report:?}",
            path.display()
        );
        let received = &receiver.wait_for(index + 1).await[index];
        assert_eq!(
            received.body,
            bytes,
            "{} body changed in transit",
            path.display()
        );
        let expected = format!(
            "sha256={}",
            independent_hmac_hex(APP_SECRET.as_bytes(), &bytes)
        );
        assert_eq!(
            received.signature.as_deref(),
            Some(expected.as_str()),
            "signature of {}",
            path.display()
        );
    }
}

#[test]
fn signature_matches_an_independent_hmac_for_long_keys_and_non_ascii_bodies() {
    let long_key = "k".repeat(100);
    let body = "{\"text\":\"مرحبا 😀 äöå\"}".as_bytes();
    for key in [APP_SECRET, long_key.as_str(), ""] {
        let header = signature_header_value(key, body);
        assert_eq!(
            header,
            format!("sha256={}", independent_hmac_hex(key.as_bytes(), body)),
            "key of {} bytes",
            key.len()
        );
        assert!(
            verify_signature(key, body, &header),
            "own signature verifies"
        );
    }
}

#[test]
fn verify_signature_rejects_tampered_bodies_wrong_secrets_and_malformed_headers() {
    let body = br#"{"object":"whatsapp_business_account"}"#;
    let header = signature_header_value(APP_SECRET, body);
    assert!(
        !verify_signature(
            APP_SECRET,
            br#"{"object":"whatsapp_business_accounT"}"#,
            &header
        ),
        "tampered body"
    );
    assert!(
        !verify_signature("other-secret", body, &header),
        "wrong secret"
    );
    assert!(
        !verify_signature(APP_SECRET, body, header.trim_start_matches("sha256=")),
        "missing prefix"
    );
    assert!(!verify_signature(APP_SECRET, body, "sha256=zz"), "not hex");
    assert!(
        header
            .chars()
            .skip(7)
            .all(|ch| ch.is_ascii_digit() || ('a'..='f').contains(&ch)),
        "lowercase hex: {header}"
    );
}

#[test]
fn meta_json_escapes_non_ascii_as_lowercase_utf16_units() {
    assert_eq!(
        escape_non_ascii("\"äöå\""),
        "\"\\u00e4\\u00f6\\u00e5\"",
        "Meta's documented example"
    );
    assert_eq!(
        escape_non_ascii("😀"),
        "\\ud83d\\ude00",
        "astral characters become surrogate pairs"
    );
    let value = json!({"body": "Olá مرحبا नमस्ते 你好 Привет 👍🏽", "plain": "abc"});
    let escaped = to_meta_json(&value).unwrap();
    assert!(escaped.is_ascii(), "escaped JSON is pure ASCII: {escaped}");
    assert!(
        escaped.contains("\\u0645\\u0631"),
        "Arabic escaped in lowercase hex: {escaped}"
    );
    assert!(
        !escaped
            .chars()
            .any(|ch| ch.is_ascii_uppercase() && escaped.contains(&format!("\\u{ch}"))),
        "no uppercase escapes"
    );
    let parsed: serde_json::Value = serde_json::from_str(&escaped).unwrap();
    assert_eq!(parsed, value, "escaping does not change the meaning");
}

#[tokio::test]
async fn non_ascii_customer_text_arrives_escaped_and_its_signature_covers_the_escaped_bytes() {
    let (sim, receiver) = start().await;
    let text = "مرحبا! Olá, ¿qué tal? 你好 🎉";
    sim.customer("201001234567")
        .name("فاطمة")
        .send_text(text)
        .await
        .unwrap();
    let received = &receiver.wait_for(1).await[0];
    assert!(
        received.body.is_ascii(),
        "body is escaped to ASCII like Meta's"
    );
    let expected = format!(
        "sha256={}",
        independent_hmac_hex(APP_SECRET.as_bytes(), &received.body)
    );
    assert_eq!(
        received.signature.as_deref(),
        Some(expected.as_str()),
        "signature over the escaped bytes"
    );
    let json = received.json();
    let value = &json["entry"][0]["changes"][0]["value"];
    assert_eq!(
        value["messages"][0]["text"]["body"], text,
        "text decodes back to the original"
    );
    assert_eq!(value["contacts"][0]["profile"]["name"], "فاطمة");
    let reserialized = serde_json::to_vec(&json).unwrap();
    assert_ne!(
        received.signature.as_deref(),
        Some(signature_header_value(APP_SECRET, &reserialized).as_str()),
        "re-serialised JSON would not verify: the app must hash the raw bytes"
    );
}

#[tokio::test]
async fn one_off_posts_can_be_signed_wrongly_or_not_at_all() {
    use chatsphere_meta_sim::Signing;
    let (sim, receiver) = start().await;
    let body = br#"{"object":"whatsapp_business_account","entry":[]}"#.to_vec();
    for signing in [
        Signing::Correct,
        Signing::Missing,
        Signing::WrongSecret("not-the-secret".into()),
        Signing::Header("sha256=00".into()),
    ] {
        let attempt = sim.post_once(body.clone(), signing).await.unwrap();
        assert_eq!(
            attempt.status,
            Some(200),
            "the test receiver accepts everything"
        );
    }
    let received = receiver.wait_for(4).await;
    let correct = format!(
        "sha256={}",
        independent_hmac_hex(APP_SECRET.as_bytes(), &body)
    );
    let wrong = format!("sha256={}", independent_hmac_hex(b"not-the-secret", &body));
    let headers: Vec<Option<&str>> = received
        .iter()
        .map(|post| post.signature.as_deref())
        .collect();
    assert_eq!(
        headers,
        [
            Some(correct.as_str()),
            None,
            Some(wrong.as_str()),
            Some("sha256=00")
        ]
    );
}
