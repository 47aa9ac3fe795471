//! A core wired to the Meta simulator over real HTTP: the simulator posts webhooks to the
//! core's webhook server, and the core downloads media from the simulator.

use std::sync::Arc;

use chatsphere_core::config::Config;
use chatsphere_core::secrets::{MemorySecrets, SecretKind};
use chatsphere_core::{Change, Core};
use chatsphere_meta_sim::{InboundDelivery, SimConfig, Simulator};
use rusqlite::OptionalExtension;
use tokio_util::sync::CancellationToken;

pub const SIM_TOKEN: &str = "media-test-token";
pub const SIM_APP_SECRET: &str = "media-test-app-secret";

pub struct MediaRig {
    pub sim: Simulator,
    pub core: Core,
    pub dir: tempfile::TempDir,
    cancel: CancellationToken,
}

impl Drop for MediaRig {
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}

/// What the `media` row of a message says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaRow {
    pub state: String,
    pub sha256: Option<String>,
    pub thumbnail_sha256: Option<String>,
    pub mime_type: Option<String>,
    pub size_bytes: Option<i64>,
    pub meta_url: Option<String>,
    pub last_error: Option<String>,
    pub attempts: i64,
}

/// The customer most media tests hear from.
pub const CUSTOMER: &str = "5511987654321";

impl MediaRig {
    /// The usual customer sends `png` as a photo without a caption.
    pub async fn customer_sends_png(&self, png: Vec<u8>) -> InboundDelivery {
        self.sim
            .customer(CUSTOMER)
            .send_image(png, "image/png", None)
            .await
            .expect("the simulator delivers the photo")
    }
}

pub async fn rig() -> MediaRig {
    rig_with(SIM_TOKEN, |_| {}).await
}

/// A rig whose core holds `token` as its access token and whose config `configure` edits.
pub async fn rig_with(token: &'static str, configure: impl FnOnce(&mut Config)) -> MediaRig {
    let sim = Simulator::start(SimConfig {
        app_secret: SIM_APP_SECRET.into(),
        access_token: SIM_TOKEN.into(),
        ..SimConfig::default()
    })
    .await
    .expect("the simulator starts");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let core = open_core(dir.path(), &sim, token, configure).await;
    let cancel = CancellationToken::new();
    let (server, _) = core
        .start_webhook_server(cancel.clone())
        .await
        .expect("the webhook server starts");
    sim.set_webhook_url(Some(format!("http://{}/webhook", server.local_addr())));
    MediaRig {
        sim,
        core,
        dir,
        cancel,
    }
}

pub async fn open_core(
    data_dir: &std::path::Path,
    sim: &Simulator,
    token: &'static str,
    configure: impl FnOnce(&mut Config),
) -> Core {
    let secrets = Arc::new(MemorySecrets::with([
        (SecretKind::AccessToken, token),
        (SecretKind::AppSecret, SIM_APP_SECRET),
    ]));
    let mut config = Config::new(data_dir, secrets);
    config.graph_base_url = sim.graph_base_url().to_string();
    config.phone_number_ids = vec![sim.phone_number_id()];
    configure(&mut config);
    Core::open(config).await.expect("the core opens")
}

pub async fn media_row(core: &Core, wamid: &str) -> MediaRow {
    let key = wamid.to_string();
    core.database()
        .read(move |conn| {
            Ok(conn
                .query_row(
                    "SELECT md.state, md.sha256, md.thumbnail_sha256, md.mime_type, md.size_bytes,
                            md.meta_url, md.last_error, md.attempts
                       FROM media md JOIN messages m ON m.id = md.message_id
                      WHERE m.wamid = ?1",
                    [&key],
                    |row| {
                        Ok(MediaRow {
                            state: row.get(0)?,
                            sha256: row.get(1)?,
                            thumbnail_sha256: row.get(2)?,
                            mime_type: row.get(3)?,
                            size_bytes: row.get(4)?,
                            meta_url: row.get(5)?,
                            last_error: row.get(6)?,
                            attempts: row.get(7)?,
                        })
                    },
                )
                .optional()?)
        })
        .await
        .expect("the database reads")
        .unwrap_or_else(|| panic!("message {wamid} has a media row"))
}

pub async fn message_id_of(core: &Core, wamid: &str) -> i64 {
    let wamid = wamid.to_string();
    core.database()
        .read(move |conn| {
            Ok(conn.query_row(
                "SELECT id FROM messages WHERE wamid = ?1",
                [&wamid],
                |row| row.get(0),
            )?)
        })
        .await
        .expect("the message is stored")
}

/// Every file in the media store (originals and thumbnails), temporary files excluded.
pub fn stored_files(data_dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let root = data_dir.join("media");
    let Ok(dirs) = std::fs::read_dir(&root) else {
        return Vec::new();
    };
    let mut files = Vec::new();
    for dir in dirs.flatten() {
        if dir.file_name() == "tmp" || !dir.path().is_dir() {
            continue;
        }
        for file in std::fs::read_dir(dir.path())
            .expect("a store folder")
            .flatten()
        {
            files.push(file.path());
        }
    }
    files.sort();
    files
}

/// The changes published so far on a subscription.
pub fn drain(changes: &mut tokio::sync::broadcast::Receiver<Change>) -> Vec<Change> {
    let mut seen = Vec::new();
    while let Ok(change) = changes.try_recv() {
        seen.push(change);
    }
    seen
}

pub fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbaImage::from_pixel(width, height, image::Rgba([20, 120, 200, 255]));
    let mut out = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut out, image::ImageFormat::Png)
        .expect("png encodes");
    out.into_inner()
}

pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_pixel(width, height, image::Rgb([200, 90, 30]));
    let mut out = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .expect("jpeg encodes");
    out.into_inner()
}

pub fn webp(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbaImage::from_pixel(width, height, image::Rgba([0, 200, 0, 128]));
    let mut out = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut out, image::ImageFormat::WebP)
        .expect("webp encodes");
    out.into_inner()
}

pub const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
pub const OGG: &[u8] = b"OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00voice-note-payload";

/// The start of an MP4 file: an `ftyp` box, then some payload.
pub fn mp4() -> Vec<u8> {
    let mut bytes = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom".to_vec();
    bytes.extend(std::iter::repeat_n(7u8, 4096));
    bytes
}

/// An animated WebP (as animated stickers are) whose frames are filled with `colors` in
/// order, built from lossless frames the `image` crate encodes.
pub fn animated_webp(width: u32, height: u32, colors: &[[u8; 4]]) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, name: &[u8; 4], payload: &[u8]) {
        out.extend_from_slice(name);
        out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        out.extend_from_slice(payload);
        if payload.len() % 2 == 1 {
            out.push(0);
        }
    }
    fn u24(out: &mut Vec<u8>, value: u32) {
        out.extend_from_slice(&value.to_le_bytes()[..3]);
    }
    let mut body = b"WEBP".to_vec();
    let mut vp8x = vec![0x02, 0, 0, 0]; // the animation flag
    u24(&mut vp8x, width - 1);
    u24(&mut vp8x, height - 1);
    chunk(&mut body, b"VP8X", &vp8x);
    chunk(&mut body, b"ANIM", &[0, 0, 0, 0, 0, 0]);
    for color in colors {
        let still = {
            let image = image::RgbaImage::from_pixel(width, height, image::Rgba(*color));
            let mut out = std::io::Cursor::new(Vec::new());
            image
                .write_to(&mut out, image::ImageFormat::WebP)
                .expect("a frame encodes");
            out.into_inner()
        };
        // A still WebP is RIFF, size, WEBP, then its one image chunk: keep that chunk.
        let frame_chunk = &still[12..];
        let mut anmf = Vec::new();
        u24(&mut anmf, 0);
        u24(&mut anmf, 0);
        u24(&mut anmf, width - 1);
        u24(&mut anmf, height - 1);
        u24(&mut anmf, 100);
        anmf.push(0);
        anmf.extend_from_slice(frame_chunk);
        chunk(&mut body, b"ANMF", &anmf);
    }
    let mut file = b"RIFF".to_vec();
    file.extend_from_slice(&(body.len() as u32).to_le_bytes());
    file.extend_from_slice(&body);
    file
}
