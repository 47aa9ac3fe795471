//! The 24-hour customer-service window: free-form messages only while it is open.

use serde::Serialize;

/// How long a customer's message (or request_welcome) keeps the window open.
pub const SERVICE_WINDOW_SECS: i64 = 24 * 60 * 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc-types", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ServiceWindow {
    /// Free-form messages are allowed; outside it only templates.
    pub open: bool,
    /// When it closes (or closed); `None` if the customer never wrote.
    pub closes_at: Option<i64>,
    /// Seconds until it closes, 0 once closed.
    pub seconds_left: i64,
}

impl ServiceWindow {
    pub fn at(last_inbound_at: Option<i64>, now: i64) -> ServiceWindow {
        let closes_at = last_inbound_at.map(|at| at + SERVICE_WINDOW_SECS);
        let seconds_left = closes_at.map_or(0, |closes| (closes - now).max(0));
        ServiceWindow {
            open: seconds_left > 0,
            closes_at,
            seconds_left,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_is_open_for_24_hours_after_the_last_inbound_message() {
        let window = ServiceWindow::at(Some(1_000), 1_000 + 3_600);
        assert!(window.open);
        assert_eq!(window.seconds_left, SERVICE_WINDOW_SECS - 3_600);
        assert_eq!(window.closes_at, Some(1_000 + SERVICE_WINDOW_SECS));
    }

    #[test]
    fn the_window_is_closed_at_24_hours_and_when_the_customer_never_wrote() {
        let closed = ServiceWindow::at(Some(1_000), 1_000 + SERVICE_WINDOW_SECS);
        assert!(!closed.open, "exactly 24 hours later it is closed");
        assert_eq!(closed.seconds_left, 0);
        let never = ServiceWindow::at(None, 1_000);
        assert!(!never.open);
        assert_eq!(never.closes_at, None);
    }
}
