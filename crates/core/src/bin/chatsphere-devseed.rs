//! `chatsphere-devseed --data-dir DIR [--keychain-service ID --secret NAME=VALUE ...]`:
//! fills DIR's database with a demo inbox for development and end-to-end tests, and
//! optionally stores secrets in the system keychain under the given app identifier
//! (`app-secret`, `verify-token`, `access-token`, `tunnel-token`). Not part of the
//! shipped app.

use std::path::PathBuf;
use std::process::ExitCode;

use chatsphere_core::config::DATABASE_FILE;
use chatsphere_core::db::{self, Database};
use chatsphere_core::secrets::{KeychainSecrets, Secret, SecretKind, SecretsProvider};

const USAGE: &str =
    "usage: chatsphere-devseed --data-dir DIR [--keychain-service ID --secret NAME=VALUE ...]";

struct Args {
    data_dir: PathBuf,
    keychain_service: Option<String>,
    secrets: Vec<(SecretKind, String)>,
}

fn secret_kind(name: &str) -> Option<SecretKind> {
    SecretKind::ALL.into_iter().find(|kind| kind.key() == name)
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let (mut data_dir, mut keychain_service, mut secrets) = (None, None, Vec::new());
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(USAGE)?;
        match flag.as_str() {
            "--data-dir" => data_dir = Some(PathBuf::from(value)),
            "--keychain-service" => keychain_service = Some(value),
            "--secret" => {
                let (name, secret) = value.split_once('=').ok_or(USAGE)?;
                let kind = secret_kind(name).ok_or_else(|| format!("unknown secret {name:?}"))?;
                secrets.push((kind, secret.to_string()));
            }
            _ => return Err(USAGE.into()),
        }
    }
    if !secrets.is_empty() && keychain_service.is_none() {
        return Err("--secret needs --keychain-service".into());
    }
    Ok(Args {
        data_dir: data_dir.ok_or(USAGE)?,
        keychain_service,
        secrets,
    })
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(usage) => {
            eprintln!("{usage}");
            return ExitCode::from(2);
        }
    };
    if let Some(service) = &args.keychain_service {
        let keychain = KeychainSecrets::new(service);
        for (kind, value) in &args.secrets {
            if let Err(e) = keychain.set(*kind, &Secret::new(value.clone())) {
                eprintln!("could not store {} in the keychain: {e}", kind.key());
                return ExitCode::FAILURE;
            }
        }
    }
    let dir = args.data_dir;
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
