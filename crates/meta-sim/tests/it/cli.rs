//! The `chatsphere-sim` binary: help text, `serve` and `load`.

use std::time::Duration;

use chatsphere_meta_sim::verify_signature;

use crate::support::{APP_SECRET, Receiver};

#[test]
fn cli_help_documents_every_subcommand_and_the_control_api() {
    let binary = env!("CARGO_BIN_EXE_chatsphere-sim");
    let output = std::process::Command::new(binary)
        .args(["serve", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    for needle in [
        "--webhook-url",
        "--app-secret",
        "--access-token",
        "--listen",
        "/_sim/inbound",
        "/_sim/faults",
        "/_sim/time/advance",
        "/_sim/status-plan",
    ] {
        assert!(help.contains(needle), "serve --help mentions {needle}");
    }
    let output = std::process::Command::new(binary)
        .args(["load", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    for needle in ["--target", "--app-secret", "--rate", "--total", "--batch"] {
        assert!(help.contains(needle), "load --help mentions {needle}");
    }
}

#[tokio::test]
async fn the_load_subcommand_reports_json_with_accepted_ids() {
    let receiver = Receiver::start().await;
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_chatsphere-sim"))
        .args([
            "load",
            "--target",
            &receiver.url,
            "--app-secret",
            APP_SECRET,
            "--total",
            "12",
            "--batch",
            "5",
            "--json",
        ])
        .output()
        .await
        .unwrap();
    assert!(
        output.status.success(),
        "exit status: {:?} {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["messages_accepted"], 12);
    assert_eq!(report["requests_accepted"], 3, "5 + 5 + 2");
    assert_eq!(report["accepted_ids"].as_array().unwrap().len(), 12);
    assert_eq!(receiver.received().len(), 3);
}

#[tokio::test]
async fn the_serve_subcommand_announces_its_port_and_delivers_injected_messages() {
    use tokio::io::AsyncBufReadExt;
    let receiver = Receiver::start().await;
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_chatsphere-sim"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--webhook-url",
            &receiver.url,
            "--app-secret",
            APP_SECRET,
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = tokio::io::BufReader::new(stdout).lines();
    let line = tokio::time::timeout(Duration::from_secs(20), lines.next_line())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let address = line
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line: {line}"));
    let response = reqwest::Client::new()
        .post(format!("http://{address}/_sim/inbound"))
        .json(&serde_json::json!({"from": "5511900000000", "message": {"type": "text", "body": "via the binary"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let received = receiver.wait_for(1).await;
    assert!(verify_signature(
        APP_SECRET,
        &received[0].body,
        received[0].signature.as_deref().unwrap()
    ));
    let pid = child.id().unwrap().to_string();
    let signalled = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(signalled.success(), "SIGTERM sent to our own child");
    let status = tokio::time::timeout(Duration::from_secs(20), child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(status.success(), "SIGTERM stops it cleanly: {status:?}");
}
