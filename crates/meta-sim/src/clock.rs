//! Simulated time: the simulator's notion of "now" can be advanced (to cross the 24-hour
//! window or a media URL's expiry without waiting) and compressed (so that delays measured
//! in simulated seconds, like status webhooks or retry backoff, pass faster in real time).

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// A shared, cloneable clock. Every clone observes the same simulated time.
#[derive(Clone, Debug)]
pub struct Clock {
    state: Arc<Mutex<ClockState>>,
}

#[derive(Debug)]
struct ClockState {
    /// Simulated time at the moment `anchor` was taken.
    simulated_at_anchor: SystemTime,
    anchor: Instant,
    /// Simulated seconds per real second (1.0 = real time).
    compression: f64,
    /// While frozen, "now" stays put (only `advance` moves it).
    frozen: bool,
}

impl ClockState {
    fn now(&self) -> SystemTime {
        if self.frozen {
            return self.simulated_at_anchor;
        }
        let real_elapsed = self.anchor.elapsed();
        self.simulated_at_anchor + real_elapsed.mul_f64(self.compression)
    }
}

impl Default for Clock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock {
    /// A clock that starts at the real current time and runs at real speed.
    pub fn new() -> Self {
        Self::starting_at(SystemTime::now())
    }

    /// A clock that starts at the given simulated time and runs at real speed.
    pub fn starting_at(start: SystemTime) -> Self {
        Self {
            state: Arc::new(Mutex::new(ClockState {
                simulated_at_anchor: start,
                anchor: Instant::now(),
                compression: 1.0,
                frozen: false,
            })),
        }
    }

    fn with_state<T>(&self, f: impl FnOnce(&mut ClockState) -> T) -> T {
        let mut guard = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut guard)
    }

    /// The current simulated time.
    pub fn now(&self) -> SystemTime {
        self.with_state(|state| state.now())
    }

    /// The current simulated time in Unix seconds, the unit of every Meta timestamp.
    pub fn now_unix(&self) -> i64 {
        let since_epoch = self.now().duration_since(UNIX_EPOCH).unwrap_or_default();
        i64::try_from(since_epoch.as_secs()).unwrap_or(i64::MAX)
    }

    /// Jumps simulated time forward, e.g. past a 24-hour window or a URL expiry.
    pub fn advance(&self, by: Duration) {
        self.with_state(|state| state.simulated_at_anchor += by);
    }

    /// Sets how many simulated seconds pass per real second. Values below 1 are clamped
    /// to 1: the simulator never slows time down, it only speeds it up.
    pub fn set_compression(&self, factor: f64) {
        let factor = if factor.is_finite() && factor > 1.0 {
            factor
        } else {
            1.0
        };
        self.with_state(|state| {
            // Re-anchor so the change applies from now on and never moves time backwards.
            state.simulated_at_anchor = state.now();
            state.anchor = Instant::now();
            state.compression = factor;
        });
    }

    /// Stops simulated time (for exact window and expiry edges); `advance` still moves it.
    /// Delays such as status webhooks and retries keep running in real time.
    pub fn freeze(&self) {
        self.with_state(|state| {
            state.simulated_at_anchor = state.now();
            state.frozen = true;
        });
    }

    /// Lets simulated time run again from where it stands.
    pub fn resume(&self) {
        self.with_state(|state| {
            state.anchor = Instant::now();
            state.frozen = false;
        });
    }

    /// The current compression factor.
    pub fn compression(&self) -> f64 {
        self.with_state(|state| state.compression)
    }

    /// The real duration that corresponds to a simulated duration.
    pub fn real_duration(&self, simulated: Duration) -> Duration {
        simulated.div_f64(self.compression())
    }

    /// Sleeps for a simulated duration (shorter in real time when compressed).
    pub async fn sleep(&self, simulated: Duration) {
        let real = self.real_duration(simulated);
        if !real.is_zero() {
            tokio::time::sleep(real).await;
        }
    }
}
