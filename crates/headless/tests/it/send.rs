//! `send` end to end: the real binary sends through the outbox to the simulator.

use chatsphere_core::db::business_numbers::{self, NewBusinessNumber};
use chatsphere_core::db::contacts::{self, ContactIdentity};
use chatsphere_core::db::conversations;
use chatsphere_core::db::messages::{self, NewMessage};
use chatsphere_core::db::{Database, now_secs};
use chatsphere_core::model::{Direction, Forwarded};
use chatsphere_meta_sim::{SimConfig, Simulator};

use super::support::binary;

const TOKEN: &str = "headless-send-token";
const CUSTOMER: &str = "5511987654321";

async fn simulator() -> Simulator {
    Simulator::start(SimConfig {
        access_token: TOKEN.into(),
        enforce_window: false,
        ..SimConfig::default()
    })
    .await
    .expect("the simulator starts")
}

/// The customer wrote a minute ago, so the 24-hour window is open.
async fn customer_wrote(data_dir: &std::path::Path, phone_number_id: &str) {
    let db = Database::open(&data_dir.join(chatsphere_core::config::DATABASE_FILE)).unwrap();
    let phone_number_id = phone_number_id.to_string();
    db.write(move |conn| {
        let now = now_secs();
        let number = business_numbers::upsert(
            conn,
            &NewBusinessNumber {
                phone_number_id,
                waba_id: None,
                display_phone_number: None,
                verified_name: None,
            },
            now,
        )?;
        let contact = contacts::upsert(
            conn,
            &ContactIdentity {
                wa_id: Some(CUSTOMER.into()),
                ..ContactIdentity::default()
            },
            now,
        )?;
        let conversation = conversations::get_or_create(conn, number, contact, now)?;
        messages::insert(
            conn,
            &NewMessage {
                conversation_id: conversation,
                wamid: Some("wamid.headless-inbound".into()),
                direction: Direction::In,
                kind: "text".into(),
                body: Some("oi".into()),
                caption: None,
                details_json: None,
                reply_to_wamid: None,
                forwarded: Forwarded::No,
                referral_json: None,
                wa_timestamp: now - 60,
                status: None,
                raw_event_id: None,
            },
            now,
        )?;
        Ok(())
    })
    .await
    .unwrap();
}

async fn run_send(data_dir: &std::path::Path, sim: &Simulator, to: &str) -> std::process::Output {
    tokio::process::Command::new(binary())
        .args(["send", "--data-dir"])
        .arg(data_dir)
        .args(["--to", to, "--text", "Your order is ready", "--wait", "10"])
        .args(["--from", &sim.phone_number_id()])
        .args(["--graph-url", sim.graph_base_url()])
        .env("CHATSPHERE_ACCESS_TOKEN", TOKEN)
        .env_remove("CHATSPHERE_PHONE_NUMBER_ID")
        .output()
        .await
        .expect("the binary runs")
}

#[tokio::test]
async fn send_delivers_a_text_through_the_outbox_and_prints_the_wamid() {
    let sim = simulator().await;
    let dir = tempfile::tempdir().unwrap();
    customer_wrote(dir.path(), &sim.phone_number_id()).await;
    let output = run_send(dir.path(), &sim, CUSTOMER).await;
    assert!(
        output.status.success(),
        "exit {:?}: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    let sent = sim.sent_messages();
    assert_eq!(sent.len(), 1, "one request reached Meta");
    assert_eq!(sent[0].request["text"]["body"], "Your order is ready");
    assert_eq!(sent[0].to, CUSTOMER);
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        sent[0].wamid,
        "the wamid is printed"
    );
}

#[tokio::test]
async fn send_to_a_customer_who_never_wrote_is_refused_with_the_reason() {
    let sim = simulator().await;
    let dir = tempfile::tempdir().unwrap();
    let output = run_send(dir.path(), &sim, "5511900000000").await;
    assert_eq!(output.status.code(), Some(1), "refused");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("24 hours"),
        "the reason is printed: {stderr}"
    );
    assert!(sim.sent_messages().is_empty(), "nothing reached Meta");
}
