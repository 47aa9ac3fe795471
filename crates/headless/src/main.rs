//! `chatsphere-headless`: the inbox core without a window.
//!
//! - `serve` runs the webhook server until SIGTERM or Ctrl-C.
//! - `export` writes every message as JSON Lines to stdout.
//! - `send` queues a text through the outbox and waits for Meta's answer.

mod send_command;

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result};
use chatsphere_core::db::export::export_jsonl;
use chatsphere_core::db::{Database, Durability};
use chatsphere_core::secrets::EnvSecrets;
use chatsphere_core::{Config, Core};
use clap::{Parser, Subcommand, ValueEnum};
use tokio_util::sync::CancellationToken;

/// Business phone number ids, comma-separated.
const PHONE_NUMBER_ENV: &str = "CHATSPHERE_PHONE_NUMBER_ID";

#[derive(Parser)]
#[command(
    name = "chatsphere-headless",
    version,
    about = "ChatSphere without a window"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Receive Meta's webhooks into the inbox at DATA_DIR. Secrets come from
    /// CHATSPHERE_APP_SECRET, CHATSPHERE_VERIFY_TOKEN and CHATSPHERE_ACCESS_TOKEN;
    /// business numbers from CHATSPHERE_PHONE_NUMBER_ID (comma-separated).
    Serve {
        #[arg(long)]
        data_dir: PathBuf,
        #[arg(long, default_value = "127.0.0.1:8787")]
        listen: SocketAddr,
        /// Base URL of the Graph API (point it at the simulator in tests).
        #[arg(long)]
        graph_url: Option<String>,
        /// `full` syncs every commit to disk (the default); `normal` may lose the
        /// last commits on power loss, never on a crash of the process.
        #[arg(long, value_enum, default_value_t = DurabilityArg::Full)]
        durability: DurabilityArg,
    },
    /// Send TEXT to the customer WA_ID through the inbox's outbox at DATA_DIR. The
    /// access token comes from CHATSPHERE_ACCESS_TOKEN. Outside the 24-hour window it is
    /// refused. Prints the wamid once Meta accepts it. Exit codes: 0 sent, 1 refused or
    /// failed, 2 not confirmed (Meta may have it; it is not sent again), 3 still queued
    /// after --wait seconds (the next run of the inbox keeps retrying it).
    Send {
        #[arg(long)]
        data_dir: PathBuf,
        /// The customer's phone number with country code.
        #[arg(long)]
        to: String,
        #[arg(long)]
        text: String,
        /// The business phone number id to send from (needed with several numbers).
        #[arg(long)]
        from: Option<String>,
        /// Base URL of the Graph API (point it at the simulator in tests).
        #[arg(long)]
        graph_url: Option<String>,
        /// Seconds to wait for Meta's answer, retries included.
        #[arg(long, default_value_t = 30)]
        wait: u64,
    },
    /// Write every message of the inbox at DATA_DIR to stdout, one JSON object a line.
    Export {
        #[arg(long)]
        data_dir: PathBuf,
        #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
        format: ExportFormat,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    Jsonl,
}

#[derive(Clone, Copy, ValueEnum)]
enum DurabilityArg {
    Full,
    Normal,
}

fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("CHATSPHERE_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("could not start the async runtime")?;
    runtime.block_on(async {
        match cli.command {
            Command::Serve {
                data_dir,
                listen,
                graph_url,
                durability,
            } => serve(data_dir, listen, graph_url, durability).await,
            Command::Export { data_dir, format } => export(data_dir, format).await,
            Command::Send {
                data_dir,
                to,
                text,
                from,
                graph_url,
                wait,
            } => {
                let args = send_command::SendArgs {
                    data_dir,
                    to,
                    text,
                    from,
                    graph_url,
                    wait: std::time::Duration::from_secs(wait),
                };
                report_send(send_command::send(args, phone_numbers_from_env()).await?)
            }
        }
    })
}

fn report_send(outcome: send_command::Outcome) -> Result<()> {
    use send_command::Outcome;
    let (code, line) = match outcome {
        Outcome::Sent { wamid } => {
            println!("{wamid}");
            return Ok(());
        }
        Outcome::Failed { reason } => (1, reason),
        Outcome::NotConfirmed { reason } => (2, reason),
        Outcome::StillQueued { reason } => (
            3,
            format!(
                "still queued: {}",
                reason.unwrap_or_else(|| "waiting for its turn".into())
            ),
        ),
    };
    eprintln!("{line}");
    std::process::exit(code);
}

fn phone_numbers_from_env() -> Vec<String> {
    std::env::var(PHONE_NUMBER_ENV)
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
        .collect()
}

async fn serve(
    data_dir: PathBuf,
    listen: SocketAddr,
    graph_url: Option<String>,
    durability: DurabilityArg,
) -> Result<()> {
    let mut config = Config::new(data_dir, Arc::new(EnvSecrets));
    config.webhook_listen = listen;
    config.phone_number_ids = phone_numbers_from_env();
    config.durability = match durability {
        DurabilityArg::Full => Durability::Full,
        DurabilityArg::Normal => Durability::Normal,
    };
    if let Some(url) = graph_url {
        config.graph_base_url = url;
    }
    if config.phone_number_ids.is_empty() {
        tracing::warn!("{PHONE_NUMBER_ENV} is empty: every event will be kept but ignored");
    }
    let core = Core::open(config)
        .await
        .context("could not open the inbox")?;
    let cancel = CancellationToken::new();
    let (server, _state) = core
        .start_webhook_server(cancel.clone())
        .await
        .context("could not start the webhook server")?;
    // Media is fetched while Meta's URLs are fresh, whether or not a window is open.
    let media_worker = core.start_media_worker(cancel.clone());
    {
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "listening on {}", server.local_addr())?;
        stdout.flush()?;
    }
    shutdown_signal().await?;
    cancel.cancel();
    server.stopped().await?;
    media_worker
        .await
        .context("the media worker stopped abnormally")?;
    Ok(())
}

async fn shutdown_signal() -> Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut terminate = signal(SignalKind::terminate())?;
        tokio::select! {
            _ = terminate.recv() => {}
            result = tokio::signal::ctrl_c() => result?,
        }
    }
    #[cfg(not(unix))]
    tokio::signal::ctrl_c().await?;
    Ok(())
}

async fn export(data_dir: PathBuf, format: ExportFormat) -> Result<()> {
    let ExportFormat::Jsonl = format;
    let path = data_dir.join(chatsphere_core::config::DATABASE_FILE);
    anyhow::ensure!(path.exists(), "no inbox at {}", path.display());
    let db = tokio::task::spawn_blocking(move || Database::open(&path)).await??;
    let out = std::io::BufWriter::new(std::io::stdout());
    let written = export_jsonl(&db, out).await?;
    tracing::info!(written, "export finished");
    Ok(())
}
