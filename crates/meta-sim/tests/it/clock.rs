use std::time::{Duration, UNIX_EPOCH};

use chatsphere_meta_sim::{Clock, RetryPolicy};

#[test]
fn advancing_moves_simulated_time_forward_by_exactly_that_much() {
    let clock = Clock::starting_at(UNIX_EPOCH + Duration::from_secs(1_750_000_000));
    let before = clock.now_unix();
    clock.advance(Duration::from_secs(86_400));
    let after = clock.now_unix();
    assert!(
        (86_400..86_402).contains(&(after - before)),
        "advanced a day: {before} → {after}"
    );
}

#[test]
fn compression_shortens_sleeps_and_never_moves_time_backwards() {
    let clock = Clock::new();
    assert_eq!(
        clock.real_duration(Duration::from_secs(60)),
        Duration::from_secs(60),
        "real time by default"
    );
    clock.set_compression(60.0);
    assert_eq!(
        clock.real_duration(Duration::from_secs(60)),
        Duration::from_secs(1)
    );
    let fast = clock.now();
    clock.set_compression(0.5);
    assert_eq!(
        clock.compression(),
        1.0,
        "slowing below real time is clamped"
    );
    assert!(
        clock.now() >= fast,
        "changing the factor keeps time monotonic"
    );
    let shared = clock.clone();
    shared.advance(Duration::from_secs(10));
    assert!(
        clock.now() >= fast + Duration::from_secs(10),
        "clones share one time"
    );
}

#[test]
fn meta_like_retries_span_about_seven_days() {
    let span = RetryPolicy::like_meta().total_span();
    assert!(
        span >= Duration::from_secs(6 * 86_400) && span <= Duration::from_secs(7 * 86_400),
        "{span:?}"
    );
    assert_eq!(
        RetryPolicy {
            max_attempts: 3,
            first_backoff: Duration::from_secs(1),
            multiplier: 2.0
        }
        .total_span(),
        Duration::from_secs(3)
    );
}

#[test]
fn a_frozen_clock_only_moves_when_advanced() {
    let clock = Clock::new();
    clock.freeze();
    let frozen = clock.now();
    std::thread::sleep(Duration::from_millis(5));
    assert_eq!(clock.now(), frozen, "frozen time stands still");
    clock.advance(Duration::from_secs(3));
    assert_eq!(clock.now(), frozen + Duration::from_secs(3));
    clock.resume();
    assert!(
        clock.now() >= frozen + Duration::from_secs(3),
        "resumes from where it stood"
    );
}
