//! Logs go to stderr and to a daily-rolling file in the app's log folder.

use tauri::{App, Manager, Runtime};
use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, fmt};

/// Keeps the background log writer alive; dropping it flushes and stops file logging.
pub struct LogGuard(#[allow(dead_code)] WorkerGuard);

pub fn init<R: Runtime>(app: &App<R>) -> Result<LogGuard, Box<dyn std::error::Error>> {
    let dir = app.path().app_log_dir()?;
    std::fs::create_dir_all(&dir)?;
    let (file, guard) =
        tracing_appender::non_blocking(tracing_appender::rolling::daily(dir, "chatsphere.log"));
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // A second initialisation (tests building several apps) keeps the first subscriber.
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(fmt::layer().with_writer(std::io::stderr))
        .with(fmt::layer().with_ansi(false).with_writer(file))
        .try_init();
    Ok(LogGuard(guard))
}
