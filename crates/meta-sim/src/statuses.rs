//! The status lifecycle of accepted messages: sent → delivered → read (and its variants),
//! delivered as webhooks in the background.

use std::sync::Arc;
use std::time::Duration;

use crate::config::{StatusOutcome, StatusPlan};
use crate::error::GraphError;
use crate::payload::{ChangeValue, Pricing, StatusKind, StatusUpdate, WebhookPayload};
use crate::state::{SentMessage, Shared};

/// One scheduled status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PlannedStatus {
    /// When it is delivered, after acceptance.
    pub after: Duration,
    /// When it happened, after acceptance (its timestamp); differs when reordered.
    pub happened_after: Duration,
    pub kind: StatusKind,
    /// Failed statuses carry Meta's error for this code.
    pub error_code: Option<u32>,
}

/// What kind of message a plan is for; reactions and voice notes differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SentKind {
    Regular,
    Reaction,
    VoiceNote,
}

/// The statuses a message gets under `plan`, in delivery order.
pub(crate) fn planned_statuses(plan: &StatusPlan, kind: SentKind) -> Vec<PlannedStatus> {
    let at = |after, kind| PlannedStatus {
        after,
        happened_after: after,
        kind,
        error_code: None,
    };
    let mut planned = vec![at(plan.sent_after, StatusKind::Sent)];
    // Reactions only ever get `sent`.
    if kind != SentKind::Reaction {
        match plan.outcome {
            StatusOutcome::Sent => {}
            StatusOutcome::Failed { code } => planned.push(PlannedStatus {
                after: plan.delivered_after,
                happened_after: plan.delivered_after,
                kind: StatusKind::Failed,
                error_code: Some(code),
            }),
            StatusOutcome::Delivered | StatusOutcome::Read => {
                let reads = plan.outcome == StatusOutcome::Read;
                if !(reads && plan.skip_delivered) {
                    planned.push(at(plan.delivered_after, StatusKind::Delivered));
                }
                if reads {
                    planned.push(at(plan.read_after, StatusKind::Read));
                    if kind == SentKind::VoiceNote && plan.played_for_voice_notes {
                        planned.push(at(plan.read_after, StatusKind::Played));
                    }
                }
            }
        }
    }
    if plan.out_of_order {
        let last = planned
            .iter()
            .map(|status| status.after)
            .max()
            .unwrap_or_default();
        planned.reverse();
        for status in &mut planned {
            status.after = last;
        }
    }
    planned
}

/// Builds the status update webhook object for one planned status.
pub(crate) fn status_update(
    shared: &Shared,
    sent: &SentMessage,
    planned: PlannedStatus,
) -> StatusUpdate {
    let timestamp = sent.accepted_at + i64::try_from(planned.happened_after.as_secs()).unwrap_or(0);
    let mut update = StatusUpdate::new(sent.wamid.clone(), planned.kind, timestamp);
    let contact = shared.lock().known_contacts.get(&sent.to).cloned();
    if sent.to.chars().all(|ch| ch.is_ascii_digit()) {
        update.recipient_id = Some(sent.to.clone());
        update.recipient_user_id = contact.and_then(|contact| contact.user_id);
    } else {
        update.recipient_user_id = Some(sent.to.clone());
        update.recipient_id = contact.and_then(|contact| contact.wa_id);
    }
    update.biz_opaque_callback_data = sent.request["biz_opaque_callback_data"]
        .as_str()
        .map(str::to_owned);
    if graph_version_number(&sent.graph_version) < 24.0 && planned.kind != StatusKind::Failed {
        update.conversation_id = Some(format!("{:032x}", wamid_hash(&sent.wamid)));
    }
    // Pricing rides on `sent` and on the first of delivered/read.
    if matches!(planned.kind, StatusKind::Sent | StatusKind::Delivered) {
        let category = if sent.message_type == "template" {
            template_category(shared, &sent.request)
        } else {
            "service".to_owned()
        };
        update.pricing = Some(Pricing {
            billable: true,
            pricing_type: "regular".to_owned(),
            category,
        });
    }
    if let Some(code) = planned.error_code {
        update
            .errors
            .push(GraphError::from_code(code).status_error_object());
    }
    update
}

fn wamid_hash(wamid: &str) -> u128 {
    wamid.bytes().fold(0xcbf2_9ce4_8422_2325u128, |hash, byte| {
        (hash ^ u128::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn template_category(shared: &Shared, request: &serde_json::Value) -> String {
    let name = request["template"]["name"].as_str().unwrap_or_default();
    let state = shared.lock();
    state
        .templates
        .iter()
        .find(|template| template.name == name)
        .map(|template| template.category.to_ascii_lowercase())
        .unwrap_or_else(|| "utility".to_owned())
}

/// Starts delivering the statuses of `sent` in the background (the `sent` status first and
/// inline when the plan says it must beat the send response).
pub(crate) async fn start_lifecycle(shared: &Arc<Shared>, sent: SentMessage, kind: SentKind) {
    let plan = shared.lock().status_plan.clone();
    let mut planned = planned_statuses(&plan, kind);
    if plan.sent_before_response
        && let Some(index) = planned
            .iter()
            .position(|status| status.kind == StatusKind::Sent)
    {
        let first = planned.remove(index);
        deliver_status(shared, &sent, first, plan.duplicates).await;
    }
    let shared = Arc::clone(shared);
    shared.work_started();
    tokio::spawn(async move {
        let mut elapsed = Duration::ZERO;
        for status in planned {
            let wait = status.after.saturating_sub(elapsed);
            elapsed = elapsed.max(status.after);
            tokio::select! {
                () = shared.clock.sleep(wait) => {}
                () = shared.shutdown.cancelled() => break,
            }
            deliver_status(&shared, &sent, status, plan.duplicates).await;
        }
        shared.work_finished();
    });
}

async fn deliver_status(
    shared: &Shared,
    sent: &SentMessage,
    planned: PlannedStatus,
    duplicates: u32,
) {
    let Some(number) = shared.number(&sent.phone_number_id).cloned() else {
        return;
    };
    let update = status_update(shared, sent, planned);
    let mut change = ChangeValue::new(number.metadata()).with_status(update);
    // Since v24, statuses other than `failed` name the customer in `contacts[]`.
    let contact = shared.lock().known_contacts.get(&sent.to).cloned();
    if let Some(contact) = contact.filter(|_| {
        planned.kind != StatusKind::Failed && graph_version_number(&sent.graph_version) >= 24.0
    }) {
        change.contacts.push(contact);
    }
    let payload = WebhookPayload::new().with_change(&shared.config.waba_id, change);
    let Ok(body) = payload.to_bytes() else { return };
    for _ in 0..=duplicates {
        let summary = format!("status {} {}", planned.kind.as_str(), sent.wamid);
        if let Err(error) =
            crate::webhook::deliver(shared, &sent.phone_number_id, body.clone(), summary).await
        {
            tracing::warn!(%error, "status webhook not delivered");
            return;
        }
    }
}

/// `v26.0` → 26.0; unparsable versions count as the newest.
fn graph_version_number(version: &str) -> f64 {
    version.trim_start_matches('v').parse().unwrap_or(f64::MAX)
}
