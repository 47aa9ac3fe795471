//! Measures how fast the load mode pushes signed webhooks over loopback, against a minimal
//! receiver that checks each signature and answers 200.
//!
//! `cargo run --release -p chatsphere-meta-sim --example loopback_throughput -- [TOTAL] [BATCH] [CONCURRENCY]`

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use chatsphere_meta_sim::{LoadConfig, run_load, verify_signature};

const SECRET: &str = "loopback-secret";

async fn receive(headers: HeaderMap, body: Bytes) -> StatusCode {
    let signature = headers
        .get("x-hub-signature-256")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    if verify_signature(SECRET, &body, signature) {
        StatusCode::OK
    } else {
        StatusCode::UNAUTHORIZED
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1).map(|arg| arg.parse::<u64>());
    let total = args.next().transpose()?.unwrap_or(100_000);
    let batch = args.next().transpose()?.unwrap_or(1);
    let concurrency = args.next().transpose()?.unwrap_or(128);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let target = format!("http://{}/webhook", listener.local_addr()?);
    tokio::spawn(async move {
        axum::serve(listener, Router::new().route("/webhook", post(receive))).await
    });
    let report = run_load(LoadConfig {
        target,
        app_secret: SECRET.to_owned(),
        total_messages: total,
        batch: usize::try_from(batch)?,
        concurrency: usize::try_from(concurrency)?,
        ..LoadConfig::default()
    })
    .await?;
    println!(
        "{} requests accepted, {} failed in {:.2} s: {:.0} req/s, {:.0} msg/s; p50 {:?} p99 {:?} max {:?}",
        report.requests_accepted,
        report.requests_failed,
        report.elapsed.as_secs_f64(),
        report.requests_per_second(),
        report.messages_per_second(),
        report.latency.p50,
        report.latency.p99,
        report.latency.max
    );
    Ok(())
}
