//! Webhook ingest: Meta's webhook bodies parsed into domain events and applied to the
//! inbox, idempotently and in the same transaction that stores the raw body.

pub mod apply;
pub mod event;
pub mod ids;
pub mod payload;
pub mod stored;

use tracing::instrument;

pub use apply::{ApplyReport, BusinessNumbers, apply_stored, store_and_apply};
pub use event::{ParseError, ParsedBatch, parse_body};
pub use ids::{IdError, PhoneNumberId, UserId, WaId, Wamid};

use crate::change::ChangeBus;
use crate::db::webhook_events::{self, ApplyState, WebhookEventId};
use crate::db::{self, Database, DbError};

/// Failed events re-applied per write transaction.
const REAPPLY_CHUNK: usize = 64;

/// Outcome of re-applying stored events that had failed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ReapplySummary {
    pub attempted: usize,
    pub applied: usize,
    pub ignored: usize,
    pub still_failed: usize,
}

/// Parses a body for storage: a shape problem becomes the event's error text.
pub fn parse_for_storage(body: &[u8]) -> Result<ParsedBatch, String> {
    parse_body(body).map_err(|error| error.to_string())
}

/// Parses `bytes` and lays out every message in it exactly as ingest does before it
/// touches the database; returns how many messages and statuses were readable. The
/// fuzz target and its corpus replay test call this: it must never panic.
pub fn check_parser_on(bytes: &[u8]) -> usize {
    let Ok(batch) = parse_body(bytes) else {
        return 0;
    };
    let mut readable = 0;
    for change in &batch.changes {
        for message in change.messages.iter().flatten() {
            let laid_out = stored::stored_message(message);
            assert!(!laid_out.kind.is_empty(), "every message has a kind");
            let _ = laid_out.details_json();
            readable += 1;
        }
        readable += change.statuses.iter().flatten().count();
    }
    readable
}

/// Re-applies every stored event marked `failed` (after an upgrade fixed what made it
/// fail) and publishes what changed. Safe to run any number of times.
#[instrument(skip_all)]
pub async fn reapply_failed_events(
    db: &Database,
    numbers: &BusinessNumbers,
    changes: &ChangeBus,
) -> Result<ReapplySummary, DbError> {
    let mut summary = ReapplySummary::default();
    let mut after = WebhookEventId(0);
    loop {
        let events = db
            .read(move |conn| webhook_events::failed_after(conn, after, REAPPLY_CHUNK))
            .await?;
        let Some(last) = events.last() else {
            return Ok(summary);
        };
        after = last.id;
        let numbers = numbers.clone();
        let reports = db
            .write(move |conn| {
                let now_ms = db::now_millis();
                events
                    .iter()
                    .map(|event| {
                        let parsed = parse_for_storage(&event.body);
                        apply_stored(conn, event.id, &parsed, &numbers, now_ms)
                    })
                    .collect::<Result<Vec<_>, DbError>>()
            })
            .await?;
        for report in reports {
            summary.attempted += 1;
            match report.state {
                Some(ApplyState::Applied) => summary.applied += 1,
                Some(ApplyState::Ignored) => summary.ignored += 1,
                _ => summary.still_failed += 1,
            }
            report.publish(changes);
        }
    }
}

impl crate::Core {
    /// The business numbers ingest routes events to: the configured ones and those
    /// registered in the database.
    pub fn business_numbers(&self) -> BusinessNumbers {
        BusinessNumbers::parse(self.phone_number_ids().iter().map(String::as_str))
    }

    /// Re-applies stored webhook events that failed to apply; see
    /// [`reapply_failed_events`].
    pub async fn reapply_failed_events(&self) -> Result<ReapplySummary, DbError> {
        reapply_failed_events(self.database(), &self.business_numbers(), self.changes()).await
    }
}
