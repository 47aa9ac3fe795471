//! `chatsphere-devseed --data-dir DIR`: fills DIR's database with a demo inbox for
//! development and end-to-end tests. Not part of the shipped app.

use std::path::PathBuf;
use std::process::ExitCode;

use chatsphere_core::config::DATABASE_FILE;
use chatsphere_core::db::{self, Database};

fn data_dir_from_args() -> Result<PathBuf, String> {
    let mut args = std::env::args().skip(1);
    match (args.next().as_deref(), args.next(), args.next()) {
        (Some("--data-dir"), Some(dir), None) => Ok(PathBuf::from(dir)),
        _ => Err("usage: chatsphere-devseed --data-dir DIR".into()),
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let dir = match data_dir_from_args() {
        Ok(dir) => dir,
        Err(usage) => {
            eprintln!("{usage}");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("could not create {}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    let result = async {
        let db = Database::open(&dir.join(DATABASE_FILE))?;
        chatsphere_core::seed::seed(&db, db::now_secs()).await
    }
    .await;
    match result {
        Ok(count) => {
            println!(
                "seeded {count} messages into {}",
                dir.join(DATABASE_FILE).display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("seeding failed: {e}");
            ExitCode::FAILURE
        }
    }
}
