//! Faults the tests can inject into the Graph API side.

use serde::{Deserialize, Serialize};

/// Which endpoint a fault applies to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Endpoint {
    /// `POST /{version}/{phone-number-id}/messages` (the default).
    #[default]
    Messages,
    /// `POST /{version}/{phone-number-id}/media`.
    MediaUpload,
    /// `GET /{version}/{media-id}`.
    MediaInfo,
    /// The download of a media URL.
    MediaDownload,
    /// Any of the endpoints above.
    Any,
}

/// What goes wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// Answer with Meta's error for `code` (e.g. 130429, 131056, 190, 131026, 368).
    Error { code: u32 },
    /// Answer with a bare HTTP status and Meta's generic error (e.g. 500, 502, 503).
    HttpStatus { status: u16 },
    /// Accept the message (it is recorded and its statuses follow) but never answer:
    /// the client sees a timeout although Meta sent the message.
    TimeoutAfterAccept,
    /// Never answer and do not accept the message.
    TimeoutBeforeAccept,
    /// Media downloads serve bytes that do not match the advertised sha256.
    CorruptMediaBytes,
    /// Media downloads arrive in eight chunks with this pause (real time) before each,
    /// so a test can interrupt the app mid-download.
    SlowMediaDownload { chunk_delay_ms: u64 },
}

/// A fault with its scope and how many times it fires.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    #[serde(flatten)]
    pub kind: FaultKind,
    #[serde(default)]
    pub endpoint: Endpoint,
    /// How many requests it affects; `None` = until cleared.
    #[serde(default = "one")]
    pub remaining: Option<u32>,
}

fn one() -> Option<u32> {
    Some(1)
}

impl Fault {
    /// Meta's error `code` on the next send.
    pub fn error(code: u32) -> Self {
        Self::new(FaultKind::Error { code })
    }

    /// A bare HTTP status (5xx) on the next send.
    pub fn http_status(status: u16) -> Self {
        Self::new(FaultKind::HttpStatus { status })
    }

    /// The next send is accepted but its response never comes.
    pub fn timeout_after_accept() -> Self {
        Self::new(FaultKind::TimeoutAfterAccept)
    }

    /// The next send hangs without being accepted.
    pub fn timeout_before_accept() -> Self {
        Self::new(FaultKind::TimeoutBeforeAccept)
    }

    /// The next media download serves corrupted bytes.
    pub fn corrupt_media_bytes() -> Self {
        Self::new(FaultKind::CorruptMediaBytes).on(Endpoint::MediaDownload)
    }

    /// The next media download trickles in, pausing `chunk_delay` before each eighth.
    pub fn slow_media_download(chunk_delay: std::time::Duration) -> Self {
        let chunk_delay_ms = u64::try_from(chunk_delay.as_millis()).unwrap_or(u64::MAX);
        Self::new(FaultKind::SlowMediaDownload { chunk_delay_ms }).on(Endpoint::MediaDownload)
    }

    fn new(kind: FaultKind) -> Self {
        Self {
            kind,
            endpoint: Endpoint::Messages,
            remaining: Some(1),
        }
    }

    /// Applies the fault to another endpoint.
    pub fn on(mut self, endpoint: Endpoint) -> Self {
        self.endpoint = endpoint;
        self
    }

    /// Fires on the next `count` matching requests.
    pub fn times(mut self, count: u32) -> Self {
        self.remaining = Some(count);
        self
    }

    /// Fires until cleared.
    pub fn always(mut self) -> Self {
        self.remaining = None;
        self
    }

    pub(crate) fn matches(&self, endpoint: Endpoint) -> bool {
        self.endpoint == Endpoint::Any || self.endpoint == endpoint
    }
}

/// Takes the first fault matching `endpoint`, decrementing its count.
pub(crate) fn take_fault(faults: &mut Vec<Fault>, endpoint: Endpoint) -> Option<FaultKind> {
    let index = faults.iter().position(|fault| fault.matches(endpoint))?;
    let fault = &mut faults[index];
    let kind = fault.kind.clone();
    if let Some(remaining) = fault.remaining.as_mut() {
        *remaining = remaining.saturating_sub(1);
        if *remaining == 0 {
            faults.remove(index);
        }
    }
    Some(kind)
}
