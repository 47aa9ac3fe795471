//! The desktop shell: window, plugins, managed state, commands and events. Behaviour
//! lives in `chatsphere-core`; this crate only wires it to Tauri.

mod commands;
mod events;
mod files;
mod ipc_error;
mod logging;
mod media;
mod settings;
mod webhook;

use std::path::PathBuf;
use std::sync::Arc;

use chatsphere_core::secrets::KeychainSecrets;
use chatsphere_core::{Config, Core};
use settings::SettingsFile;
use tauri::{App, Manager, Runtime};
use tauri_specta::{Builder, ErrorHandlingMode, collect_commands, collect_events};
use webhook::WebhookHandle;

pub use events::{AccountProblem, ConversationsChanged, MediaProgress, MessagesChanged};
pub use ipc_error::IpcError;

/// Overrides where the app keeps its data (tests, a portable install).
pub const DATA_DIR_ENV: &str = "CHATSPHERE_DATA_DIR";

/// Every command and event the UI can use, for the invoke handler and the bindings.
pub fn specta_builder() -> Builder<tauri::Wry> {
    Builder::<tauri::Wry>::new()
        .commands(collect_commands![
            commands::list_conversations,
            commands::list_messages,
            commands::mark_conversation_read,
            commands::app_info,
            commands::retry_media_download,
            commands::open_media,
            commands::save_media_as,
            commands::service_window,
            commands::send_text,
            commands::send_location,
            files::pick_files,
            commands::stage_media,
            commands::send_media,
            commands::send_reaction,
            commands::resend_message,
            commands::owner_typing,
            commands::import_templates,
            commands::list_templates,
            commands::send_template,
            commands::upload_template_header,
            commands::list_quick_replies,
            commands::create_quick_reply,
            commands::update_quick_reply,
            commands::delete_quick_reply,
            commands::fill_quick_reply,
            commands::get_settings,
            commands::update_settings,
        ])
        .events(collect_events![
            ConversationsChanged,
            MessagesChanged,
            AccountProblem,
            MediaProgress
        ])
        .error_handling(ErrorHandlingMode::Throw)
        // Ids and Unix times stay far below 2^53, so they are exact as JS numbers.
        .dangerously_cast_bigints_to_number()
        // One TypeScript type per Rust type: our output types are never read back.
        .disable_serde_phases()
        .constant(
            "META_MEDIA_LIMITS",
            chatsphere_core::media::MediaLimits::META,
        )
}

/// Writes the TypeScript bindings the UI imports.
pub fn export_bindings(path: &std::path::Path) -> Result<(), String> {
    let header = "// Generated from the Rust commands and events. Do not edit by hand:\n\
                  // run `UPDATE_BINDINGS=1 cargo test -p chatsphere bindings` instead.\n";
    specta_builder()
        .export(
            specta_typescript::Typescript::default().header(header),
            path,
        )
        .map_err(|e| e.to_string())
}

fn data_dir<R: Runtime>(app: &App<R>) -> Result<PathBuf, String> {
    match std::env::var_os(DATA_DIR_ENV) {
        Some(dir) if !dir.is_empty() => Ok(PathBuf::from(dir)),
        _ => app
            .path()
            .app_data_dir()
            .map_err(|e| format!("no folder for app data on this system: {e}")),
    }
}

/// Opens the inbox with the owner's stored settings (a `CHATSPHERE_*` variable still wins).
fn open_core<R: Runtime>(app: &App<R>) -> Result<(Core, SettingsFile), String> {
    let dir = data_dir(app)?;
    let settings_file = SettingsFile::in_dir(&dir);
    let settings = settings_file.load(app);
    let secrets = Arc::new(KeychainSecrets::new(&app.config().identifier));
    let config = Config::new(dir, secrets)
        .with_settings(&settings)
        .with_env_overrides();
    let core = tauri::async_runtime::block_on(Core::open(config)).map_err(|e| e.to_string())?;
    Ok((core, settings_file))
}

/// Stops the media download worker when the app exits.
#[derive(Default)]
struct MediaWorkerStop(tokio_util::sync::CancellationToken);

pub fn run() {
    let builder = specta_builder();
    let invoke_handler = builder.invoke_handler();
    tauri::Builder::default()
        .plugin(tauri_plugin_store::Builder::default().build())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .manage(chatsphere_core::chosen_files::ChosenFiles::default())
        .on_webview_event(files::record_drops)
        .register_asynchronous_uri_scheme_protocol(media::SCHEME, media::handle)
        .invoke_handler(invoke_handler)
        .setup(move |app| {
            let log_guard = logging::init(app)?;
            app.manage(log_guard);
            builder.mount_events(app);
            let (core, settings_file) = open_core(app)?;
            app.manage(settings_file);
            tracing::info!(data_dir = %core.config().data_dir.display(), "inbox opened");
            events::forward_changes(app.handle().clone(), &core);
            let webhook = WebhookHandle::default();
            tauri::async_runtime::block_on(webhook.start(&core));
            app.manage(webhook);
            let media_stop = MediaWorkerStop::default();
            tauri::async_runtime::spawn(core.media_worker().clone().run(media_stop.0.clone()));
            app.manage(media_stop);
            app.manage(core);
            Ok(())
        })
        .build(tauri::generate_context!())
        .unwrap_or_else(|error| {
            eprintln!("ChatSphere could not start: {error}");
            std::process::exit(1);
        })
        .run(|app, event| {
            if let tauri::RunEvent::Exit = event {
                app.state::<WebhookHandle>().stop();
                app.state::<MediaWorkerStop>().0.cancel();
            }
        });
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn bindings_are_up_to_date() {
        let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/bindings.ts");
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            super::export_bindings(&committed).expect("bindings are written");
            return;
        }
        let fresh = tempfile::NamedTempFile::new().unwrap();
        super::export_bindings(fresh.path()).expect("bindings are generated");
        let fresh = std::fs::read_to_string(fresh.path()).unwrap();
        let current = std::fs::read_to_string(&committed).unwrap_or_default();
        assert!(
            fresh == current,
            "ui/src/bindings.ts is stale: run `UPDATE_BINDINGS=1 cargo test -p chatsphere bindings` and commit it"
        );
    }
}
