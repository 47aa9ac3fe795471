//! A local simulator of the Meta WhatsApp Cloud API: the Graph API the app calls
//! (messages, media, templates, account wiring) and the webhooks Meta sends to the app
//! (signed like Meta's, with retries, duplicates and reordering), plus a control API,
//! scripted customers and a load mode.
//!
//! ```no_run
//! # async fn demo() -> Result<(), chatsphere_meta_sim::SimError> {
//! use chatsphere_meta_sim::{SimConfig, Simulator};
//! let sim = Simulator::start(SimConfig {
//!     webhook_url: Some("http://127.0.0.1:4000/webhook".into()),
//!     ..SimConfig::default()
//! })
//! .await?;
//! let delivery = sim.customer("15551234567").name("Ana").send_text("olá").await?;
//! assert!(delivery.accepted());
//! # Ok(()) }
//! ```

mod clock;
mod config;
mod control;
mod corpus;
mod customer;
mod error;
mod faults;
mod graph;
mod ids;
mod inject;
mod load;
mod meta_json;
pub mod payload;
mod scripted;
mod server;
mod signature;
mod state;
mod statuses;
mod templates;
mod webhook;

pub use clock::Clock;
pub use config::{
    BusinessNumber, PairRateLimit, RetryPolicy, SimConfig, StatusOutcome, StatusPlan,
};
pub use corpus::{ANSWERS, NAMES, TEXTS, TINY_PNG};
pub use customer::{Customer, InboundDelivery};
pub use error::{GraphError, SimError, catalogue};
pub use faults::{Endpoint, Fault, FaultKind};
pub use ids::{Direction, business_scoped_user_id_for, new_business_scoped_user_id, new_wamid};
pub use inject::{DeliveryOrder, MAX_UPDATES_PER_POST};
pub use load::{Latencies, LoadConfig, LoadReport, percentile, run_load};
pub use meta_json::{escape_non_ascii, to_meta_json, to_meta_json_bytes};
pub use scripted::{ScriptConfig, ScriptedCustomers, script_contacts};
pub use server::Simulator;
pub use signature::{SIGNATURE_HEADER, hmac_sha256_hex, signature_header_value, verify_signature};
pub use state::{DeliveryRecord, MediaObject, ReadReceipt, SentMessage};
pub use templates::{
    ParameterFormat, Template, seeded_templates, template_variables, validate_template_send,
};
pub use webhook::{Attempt, DeliveryReport, Signing, WEBHOOK_USER_AGENT};

/// The Graph API version the app uses by default.
pub const DEFAULT_GRAPH_VERSION: &str = "v26.0";

/// Meta's media limits, exposed so the app's tests can share them: the media kind and
/// maximum size for a MIME type (`None` when Meta rejects the type).
pub fn media_limit(mime_type: &str, animated_sticker: bool) -> Option<(payload::MediaKind, usize)> {
    graph::mime_limit(mime_type, animated_sticker)
}
