//! Scripted customers: N simulated people who write, send pictures and places, react,
//! and answer the owner's replies at a configurable pace. Used by the sandbox mode,
//! demos and load tests of the whole app.

use std::sync::Arc;
use std::time::Duration;

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

use crate::corpus::{ANSWERS, NAMES, PLACES, REACTIONS, TEXTS, TINY_PNG};
use crate::ids::{Direction, business_scoped_user_id_for, new_wamid};
use crate::inject::{deliver_messages, store_inbound_media};
use crate::payload::{
    BatchLayout, Contact, InboundKind, InboundMessage, MediaKind, MessageContext,
};
use crate::state::Shared;

/// How scripted customers behave.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScriptConfig {
    /// How many distinct customers.
    pub customers: u32,
    /// Simulated time between two spontaneous actions (across all customers).
    #[serde(with = "crate::config::millis")]
    pub pace: Duration,
    /// Simulated time before a customer answers a message the business sent them.
    #[serde(with = "crate::config::millis")]
    pub answer_after: Duration,
    /// Stop after this many spontaneous actions (`None`: until stopped).
    pub max_actions: Option<u64>,
    /// Seed for reproducible runs.
    pub seed: u64,
    /// First phone number; customer `i` gets `first_number + i`.
    pub first_number: u64,
}

impl Default for ScriptConfig {
    fn default() -> Self {
        Self {
            customers: 5,
            pace: Duration::from_secs(3),
            answer_after: Duration::from_secs(2),
            max_actions: None,
            seed: 7,
            first_number: 5_511_990_000_000,
        }
    }
}

/// Handle to running scripted customers.
#[derive(Debug)]
pub struct ScriptedCustomers {
    stop: CancellationToken,
}

impl ScriptedCustomers {
    pub(crate) fn spawn(shared: Arc<Shared>, config: ScriptConfig) -> Self {
        let stop = shared.shutdown.child_token();
        let token = stop.clone();
        tokio::spawn(async move { run(shared, config, token).await });
        Self { stop }
    }

    pub fn stop(&self) {
        self.stop.cancel();
    }

    /// Starts customers on a simulator, replacing any running ones.
    pub(crate) fn start(shared: &Arc<Shared>, config: ScriptConfig) {
        let customers = Self::spawn(Arc::clone(shared), config);
        if let Some(previous) = shared.lock().scripted.replace(customers) {
            previous.stop();
        }
    }

    /// Stops the customers running on a simulator, if any.
    pub(crate) fn stop_running(shared: &Shared) {
        if let Some(running) = shared.lock().scripted.take() {
            running.stop();
        }
    }
}

/// The customers of a script, deterministic for a given config.
pub fn script_contacts(config: &ScriptConfig) -> Vec<Contact> {
    (0..config.customers)
        .map(|index| {
            let name = NAMES[index as usize % NAMES.len()];
            let number = (config.first_number + u64::from(index)).to_string();
            let mut contact = Contact::with_phone(number.clone(), name);
            contact.user_id = Some(business_scoped_user_id_for(&number));
            contact
        })
        .collect()
}

async fn run(shared: Arc<Shared>, config: ScriptConfig, stop: CancellationToken) {
    let contacts = script_contacts(&config);
    if contacts.is_empty() {
        return;
    }
    let mut rng = StdRng::seed_from_u64(config.seed);
    let mut answered = shared.lock().sent.len();
    let mut actions = 0u64;
    let phone_number_id = shared.default_number().phone_number_id;
    let business_number = shared.default_number().webhook_number();
    let tick = config
        .pace
        .min(config.answer_after)
        .max(Duration::from_millis(10));
    let mut since_action = Duration::ZERO;
    loop {
        tokio::select! {
            () = shared.clock.sleep(tick) => {}
            () = stop.cancelled() => return,
        }
        since_action += tick;
        // Answer what the business sent to one of our customers since the last look.
        let new_sent: Vec<_> = {
            let state = shared.lock();
            let fresh = state.sent.get(answered..).unwrap_or_default().to_vec();
            answered = state.sent.len();
            fresh
        };
        let mut outgoing = Vec::new();
        for sent in new_sent
            .iter()
            .filter(|sent| sent.message_type != "reaction")
        {
            let Some(contact) = contacts
                .iter()
                .find(|contact| contact.wa_id.as_deref() == Some(sent.to.as_str()))
            else {
                continue;
            };
            let kind = if rng.random_bool(0.3) {
                InboundKind::Reaction {
                    message_id: sent.wamid.clone(),
                    emoji: REACTIONS.choose(&mut rng).map(|emoji| (*emoji).to_owned()),
                }
            } else {
                InboundKind::Text {
                    body: ANSWERS.choose(&mut rng).copied().unwrap_or("👍").to_owned(),
                }
            };
            let mut message = new_message(&shared, contact, kind);
            if rng.random_bool(0.5) && !matches!(message.kind, InboundKind::Reaction { .. }) {
                message = message.with_context(MessageContext::Reply {
                    business_number: business_number.clone(),
                    message_id: sent.wamid.clone(),
                });
            }
            outgoing.push(message);
        }
        let spontaneous_due =
            since_action >= config.pace && config.max_actions.is_none_or(|max| actions < max);
        if spontaneous_due {
            since_action = Duration::ZERO;
            actions += 1;
            let contact = &contacts[rng.random_range(0..contacts.len())];
            let kind = spontaneous_kind(&shared, &phone_number_id, &mut rng);
            outgoing.push(new_message(&shared, contact, kind));
        }
        for message in outgoing {
            if let Err(error) = deliver_messages(
                &shared,
                &phone_number_id,
                vec![message],
                BatchLayout::OneChange,
                1,
            )
            .await
            {
                tracing::warn!(%error, "scripted customer message not delivered");
            }
        }
    }
}

fn new_message(shared: &Shared, contact: &Contact, kind: InboundKind) -> InboundMessage {
    let id = new_wamid(contact.address(), Direction::Inbound);
    InboundMessage::new(contact.clone(), id, shared.clock.now_unix(), kind)
}

fn spontaneous_kind(shared: &Shared, phone_number_id: &str, rng: &mut StdRng) -> InboundKind {
    match rng.random_range(0..10) {
        0 => {
            let mut media = store_inbound_media(
                shared,
                phone_number_id,
                MediaKind::Image,
                bytes::Bytes::from_static(TINY_PNG),
                "image/png",
                None,
            );
            media.caption = TEXTS.choose(rng).map(|text| (*text).to_owned());
            InboundKind::Media(media)
        }
        1 => {
            let (latitude, longitude, name, address) =
                PLACES.choose(rng).copied().unwrap_or((0.0, 0.0, "", ""));
            InboundKind::Location {
                latitude,
                longitude,
                name: Some(name.to_owned()),
                address: Some(address.to_owned()),
                url: None,
            }
        }
        2 => {
            // An Ogg page header followed by filler: enough for type sniffing and download.
            let mut bytes = b"OggS\0\x02".to_vec();
            bytes.extend((0..2048).map(|_| rng.random::<u8>()));
            let mut media = store_inbound_media(
                shared,
                phone_number_id,
                MediaKind::Audio,
                bytes.into(),
                "audio/ogg; codecs=opus",
                None,
            );
            media.voice = Some(true);
            InboundKind::Media(media)
        }
        3 => {
            let text = TEXTS.choose(rng).copied().unwrap_or("Pedido");
            let media = store_inbound_media(
                shared,
                phone_number_id,
                MediaKind::Document,
                bytes::Bytes::from(format!("{text}\n").into_bytes()),
                "text/plain",
                Some("pedido.txt".to_owned()),
            );
            InboundKind::Media(media)
        }
        _ => InboundKind::Text {
            body: TEXTS.choose(rng).copied().unwrap_or("Olá").to_owned(),
        },
    }
}
