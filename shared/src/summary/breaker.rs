//! A circuit breaker around the provider, per Lambda instance.
//!
//! When the provider is down, calling it for every message of every batch only burns the
//! function's time and the provider's rate limit. After `failure_threshold` consecutive
//! failures the breaker opens: messages fail fast (and are retried through the queue) until the
//! cool-down ends. Then one call is let through as a probe; its success closes the breaker, its
//! failure opens it for another cool-down.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::settings::BreakerSettings;

#[derive(Debug)]
pub struct CircuitBreaker {
    settings: BreakerSettings,
    state: Mutex<State>,
}

#[derive(Debug, Clone, Copy)]
enum State {
    Closed {
        consecutive_failures: u32,
    },
    Open {
        until: Instant,
    },
    /// The cool-down is over and one probe call is in flight (since then).
    Probing {
        since: Instant,
    },
}

/// Whether a call may go ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permit {
    Call,
    /// Fail fast; the breaker stays open for about this long.
    Refuse {
        remaining: Duration,
    },
}

impl CircuitBreaker {
    pub fn new(settings: BreakerSettings) -> Self {
        Self {
            settings,
            state: Mutex::new(State::Closed {
                consecutive_failures: 0,
            }),
        }
    }

    pub fn permit(&self) -> Permit {
        let mut state = self.lock();
        match *state {
            State::Closed { .. } => Permit::Call,
            State::Open { until } => {
                let now = Instant::now();
                if now >= until {
                    *state = State::Probing { since: now };
                    Permit::Call
                } else {
                    Permit::Refuse {
                        remaining: until - now,
                    }
                }
            }
            // Only one probe at a time; the others wait for its verdict. A probe that never
            // reported back (its invocation timed out) is replaced after another cool-down.
            State::Probing { since } => {
                let now = Instant::now();
                if now.duration_since(since) >= self.settings.cool_down {
                    *state = State::Probing { since: now };
                    Permit::Call
                } else {
                    Permit::Refuse {
                        remaining: self.settings.cool_down - now.duration_since(since),
                    }
                }
            }
        }
    }

    pub fn record_success(&self) {
        *self.lock() = State::Closed {
            consecutive_failures: 0,
        };
    }

    pub fn record_failure(&self) {
        let mut state = self.lock();
        let failures = match *state {
            State::Closed {
                consecutive_failures,
            } => consecutive_failures + 1,
            State::Open { .. } | State::Probing { .. } => self.settings.failure_threshold,
        };
        *state = if failures >= self.settings.failure_threshold {
            tracing::warn!(
                cool_down_s = self.settings.cool_down.as_secs_f64(),
                "provider circuit breaker open"
            );
            State::Open {
                until: Instant::now() + self.settings.cool_down,
            }
        } else {
            State::Closed {
                consecutive_failures: failures,
            }
        };
    }

    pub fn is_open(&self) -> bool {
        !matches!(*self.lock(), State::Closed { .. })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // The state is a plain value, valid even if a holder panicked.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn breaker(threshold: u32, cool_down: Duration) -> CircuitBreaker {
        CircuitBreaker::new(BreakerSettings {
            failure_threshold: threshold,
            cool_down,
        })
    }

    #[test]
    fn opens_after_consecutive_failures_only() {
        let breaker = breaker(3, Duration::from_secs(60));
        breaker.record_failure();
        breaker.record_failure();
        breaker.record_success();
        breaker.record_failure();
        breaker.record_failure();
        assert_eq!(breaker.permit(), Permit::Call);
        breaker.record_failure();
        assert!(matches!(breaker.permit(), Permit::Refuse { .. }));
    }

    #[test]
    fn lets_one_probe_through_after_the_cool_down() {
        let breaker = breaker(1, Duration::from_millis(50));
        breaker.record_failure();
        assert!(matches!(breaker.permit(), Permit::Refuse { .. }));
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(breaker.permit(), Permit::Call, "the probe");
        assert!(
            matches!(breaker.permit(), Permit::Refuse { .. }),
            "one probe at a time"
        );
        breaker.record_success();
        assert_eq!(breaker.permit(), Permit::Call);
    }

    #[test]
    fn a_failed_probe_reopens() {
        let breaker = breaker(2, Duration::ZERO);
        breaker.record_failure();
        breaker.record_failure();
        assert_eq!(breaker.permit(), Permit::Call);
        breaker.record_failure();
        assert!(breaker.is_open());
    }
}
