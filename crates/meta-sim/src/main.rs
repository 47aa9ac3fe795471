//! `chatsphere-sim`: the Meta WhatsApp Cloud API simulator as a standalone program.

use std::net::SocketAddr;
use std::time::Duration;

use chatsphere_meta_sim::{
    BusinessNumber, LoadConfig, ScriptConfig, SimConfig, Simulator, StatusPlan, run_load,
};
use clap::{Args, Parser, Subcommand};

const CONTROL_API_HELP: &str = "\
CONTROL API (served by `serve` next to the Graph API, under /_sim):
  GET    /_sim/health                 ids of the simulated account and the Graph base URL
  POST   /_sim/inbound                inject a customer message, e.g.
         {\"from\":\"5511987654321\",\"name\":\"Ana\",\"message\":{\"type\":\"text\",\"body\":\"olá\"}}
         {\"from\":\"…\",\"media\":{\"kind\":\"image\",\"mime_type\":\"image/png\",\"data_base64\":\"…\"}}
         optional: user_id, username, phone_number_id, reply_to, forwarded, copies
  POST   /_sim/webhook/raw            sign and deliver the request body unchanged
  GET    /_sim/sent                   messages the app sent via /{version}/{phone-id}/messages
  GET    /_sim/read-receipts          mark-as-read and typing-indicator requests
  GET    /_sim/deliveries             webhook POSTs made (url, attempts, final status)
  POST   /_sim/faults                 add a fault, e.g. {\"kind\":\"error\",\"code\":130429}
         kinds: error{code}, http_status{status}, timeout_after_accept,
         timeout_before_accept, corrupt_media_bytes, slow_media_download{chunk_delay_ms};
         optional endpoint (messages,
         media_upload, media_info, media_download, any) and remaining (null = always)
  GET    /_sim/faults   DELETE /_sim/faults
  GET    /_sim/time                   simulated now and compression
  POST   /_sim/time/advance           {\"seconds\":90000}
  POST   /_sim/time/compress          {\"factor\":60}
  POST   /_sim/time/freeze            stop simulated time (advance still moves it)
  POST   /_sim/time/resume
  GET|PUT /_sim/status-plan           status webhooks after each send (delays in ms,
         outcome, skip_delivered, played_for_voice_notes, duplicates, out_of_order,
         sent_before_response)
  POST   /_sim/customers/start        scripted customers {\"customers\":5,\"pace\":3000}
  POST   /_sim/customers/stop";

/// A local Meta WhatsApp Cloud API: Graph API, signed webhooks, control API, load mode.
#[derive(Debug, Parser)]
#[command(name = "chatsphere-sim", version, after_long_help = CONTROL_API_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the simulated Graph API and control API, and send webhooks to the app.
    #[command(after_long_help = CONTROL_API_HELP)]
    Serve(ServeArgs),
    /// Push signed webhooks at an app and report throughput and latency percentiles.
    Load(LoadArgs),
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "SIM_LISTEN", default_value = "127.0.0.1:8090")]
    listen: SocketAddr,
    /// The app's webhook URL (app-level callback).
    #[arg(long, env = "SIM_WEBHOOK_URL")]
    webhook_url: Option<String>,
    /// The app secret that signs webhooks.
    #[arg(long, env = "SIM_APP_SECRET", default_value = "sim-app-secret")]
    app_secret: String,
    /// The access token the app must present.
    #[arg(long, env = "SIM_ACCESS_TOKEN", default_value = "sim-access-token")]
    access_token: String,
    /// Verify token of the app-level callback.
    #[arg(long, env = "SIM_VERIFY_TOKEN", default_value = "chatsphere-verify")]
    verify_token: String,
    /// The business phone number id.
    #[arg(long, env = "SIM_PHONE_NUMBER_ID", default_value = "106540352242922")]
    phone_number_id: String,
    /// The business display number.
    #[arg(
        long,
        env = "SIM_DISPLAY_PHONE_NUMBER",
        default_value = "+1 555-078-3881"
    )]
    display_phone_number: String,
    /// The WhatsApp Business Account id.
    #[arg(long, env = "SIM_WABA_ID", default_value = "102290129340398")]
    waba_id: String,
    /// The app id (for /{app-id}/subscriptions and the app token `{app-id}|{app-secret}`).
    #[arg(long, env = "SIM_APP_ID", default_value = "1453278915648190")]
    app_id: String,
    /// Media URL lifetime in seconds.
    #[arg(long, default_value_t = 300)]
    media_url_ttl_secs: u64,
    /// Simulated seconds per real second.
    #[arg(long, default_value_t = 1.0)]
    time_compression: f64,
    /// Messages per second per number before error 130429.
    #[arg(long, default_value_t = 80)]
    throughput: u32,
    /// Do not enforce the 24-hour customer-service window (131047).
    #[arg(long)]
    no_window: bool,
    /// Start this many scripted customers (0: none).
    #[arg(long, default_value_t = 0)]
    customers: u32,
    /// Milliseconds (simulated) between scripted customers' spontaneous messages.
    #[arg(long, default_value_t = 3000)]
    customer_pace_ms: u64,
}

#[derive(Debug, Args)]
struct LoadArgs {
    /// The app's webhook URL.
    #[arg(long)]
    target: String,
    /// The app secret to sign with.
    #[arg(long, env = "SIM_APP_SECRET")]
    app_secret: String,
    /// Messages per second (omit to push as fast as the app accepts).
    #[arg(long)]
    rate: Option<f64>,
    /// Messages in total.
    #[arg(long, default_value_t = 10_000)]
    total: u64,
    /// Messages per POST (1 to 1000).
    #[arg(long, default_value_t = 1)]
    batch: usize,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// The business phone number id in the payloads.
    #[arg(long, default_value = "106540352242922")]
    phone_number_id: String,
    /// The business display number in the payloads' metadata.
    #[arg(long, default_value = "+1 555-078-3881")]
    display_phone_number: String,
    /// The WABA id in the payloads' entries.
    #[arg(long, default_value = "102290129340398")]
    waba_id: String,
    /// Distinct customers the messages come from.
    #[arg(long, default_value_t = 1000)]
    customers: u64,
    /// Print the report as JSON (with accepted wamids) instead of text.
    #[arg(long)]
    json: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match Cli::parse().command {
        Command::Serve(args) => serve(args).await,
        Command::Load(args) => load(args).await,
    }
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let config = SimConfig {
        listen: args.listen,
        webhook_url: args.webhook_url,
        verify_token: args.verify_token,
        app_id: args.app_id,
        app_secret: args.app_secret,
        access_token: args.access_token,
        waba_id: args.waba_id,
        numbers: vec![BusinessNumber {
            phone_number_id: args.phone_number_id,
            display_phone_number: args.display_phone_number,
            ..BusinessNumber::default()
        }],
        media_url_ttl: Duration::from_secs(args.media_url_ttl_secs),
        status_plan: StatusPlan::default(),
        throughput_per_second: args.throughput,
        enforce_window: !args.no_window,
        time_compression: args.time_compression,
        ..SimConfig::default()
    };
    let sim = Simulator::start(config).await?;
    println!(
        "listening on {}",
        sim.graph_base_url().trim_start_matches("http://")
    );
    if args.customers > 0 {
        sim.start_scripted_customers(ScriptConfig {
            customers: args.customers,
            pace: Duration::from_millis(args.customer_pace_ms),
            ..ScriptConfig::default()
        });
    }
    wait_for_stop_signal().await?;
    sim.shutdown().await;
    Ok(())
}

/// Ctrl-C, or SIGTERM where it exists (service managers and test harnesses send it).
async fn wait_for_stop_signal() -> std::io::Result<()> {
    #[cfg(unix)]
    {
        let mut terminate =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        tokio::select! {
            result = tokio::signal::ctrl_c() => result,
            _ = terminate.recv() => Ok(()),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await
    }
}

async fn load(args: LoadArgs) -> anyhow::Result<()> {
    let config = LoadConfig {
        target: args.target,
        app_secret: args.app_secret,
        rate: args.rate,
        total_messages: args.total,
        batch: args.batch,
        concurrency: args.concurrency,
        number: BusinessNumber {
            phone_number_id: args.phone_number_id,
            display_phone_number: args.display_phone_number,
            ..BusinessNumber::default()
        },
        waba_id: args.waba_id,
        customers: args.customers,
        record_accepted_ids: args.json,
        ..LoadConfig::default()
    };
    let report = run_load(config).await?;
    if args.json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        println!(
            "requests: {} accepted, {} failed\nmessages: {} accepted, {} failed\nelapsed: {:.3} s ({:.0} msg/s, {:.0} req/s)\nlatency: p50 {:?} p90 {:?} p99 {:?} max {:?}",
            report.requests_accepted,
            report.requests_failed,
            report.messages_accepted,
            report.messages_failed,
            report.elapsed.as_secs_f64(),
            report.messages_per_second(),
            report.requests_per_second(),
            report.latency.p50,
            report.latency.p90,
            report.latency.p99,
            report.latency.max,
        );
    }
    if report.requests_failed > 0 {
        anyhow::bail!("{} requests failed", report.requests_failed);
    }
    Ok(())
}
