//! How long a failed message stays invisible before its next receive.
//!
//! The wait doubles with each receive (base, 2×base, 4×base, ...) up to a ceiling, so a short
//! provider hiccup is retried soon and a long outage is not hammered. A provider's `Retry-After`
//! wins when it asks for longer.

use std::time::Duration;

use super::settings::RetrySettings;

/// SQS refuses visibility timeouts above 12 hours.
const SQS_MAX_VISIBILITY: Duration = Duration::from_secs(12 * 3600);

/// The wait after a failure on receive number `receive_count` (1 for the first delivery).
pub fn delay(settings: &RetrySettings, receive_count: u32, asked: Option<Duration>) -> Duration {
    let exponent = receive_count.saturating_sub(1).min(20);
    let backoff = settings
        .base_delay
        .saturating_mul(1u32 << exponent)
        .min(settings.max_delay);
    asked
        .map_or(backoff, |asked| asked.max(backoff))
        .min(SQS_MAX_VISIBILITY)
}

/// A failure on this receive is final: the queue will move the message to the dead-letter queue.
pub fn is_last_receive(settings: &RetrySettings, receive_count: u32) -> bool {
    receive_count >= settings.max_receive_count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> RetrySettings {
        RetrySettings {
            base_delay: Duration::from_secs(10),
            max_delay: Duration::from_secs(60),
            max_receive_count: 5,
        }
    }

    #[test]
    fn doubles_up_to_the_ceiling() {
        let waits: Vec<u64> = (1..=5)
            .map(|n| delay(&settings(), n, None).as_secs())
            .collect();
        assert_eq!(waits, [10, 20, 40, 60, 60]);
    }

    #[test]
    fn retry_after_wins_when_longer() {
        assert_eq!(
            delay(&settings(), 1, Some(Duration::from_secs(45))),
            Duration::from_secs(45)
        );
        assert_eq!(
            delay(&settings(), 3, Some(Duration::from_secs(1))),
            Duration::from_secs(40)
        );
        assert_eq!(
            delay(&settings(), 1, Some(Duration::from_secs(1 << 20))),
            SQS_MAX_VISIBILITY
        );
    }

    #[test]
    fn the_fifth_receive_is_the_last() {
        assert!(!is_last_receive(&settings(), 4));
        assert!(is_last_receive(&settings(), 5));
    }
}
