//! When a delivery is tried again: a fixed schedule of waits after each failed attempt. The
//! deployed default makes 8 attempts over almost 7 hours (1, 5, 15, 30 minutes, 1, 2, 3 hours
//! apart), then the delivery is `failed`; `WEBHOOK_RETRY_SCHEDULE_SECONDS` replaces it (the
//! local stack and tests use seconds).

use std::time::Duration;

use crate::config::{self, ConfigError};

pub const DEFAULT_SCHEDULE_SECONDS: [u64; 7] = [60, 300, 900, 1800, 3600, 7200, 10800];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliverySettings {
    /// The wait after failed attempt n (n from 1); one attempt more than waits.
    pub schedule: Vec<Duration>,
    /// A receiver has this long to answer, body included (the contract: 5 s).
    pub timeout: Duration,
    /// How long an attempt holds its delivery: past the timeout, so a second receipt of the
    /// same message never POSTs while the first is still waiting for an answer.
    pub lease: Duration,
}

impl Default for DeliverySettings {
    fn default() -> Self {
        Self {
            schedule: DEFAULT_SCHEDULE_SECONDS
                .iter()
                .map(|seconds| Duration::from_secs(*seconds))
                .collect(),
            timeout: Duration::from_secs(5),
            lease: Duration::from_secs(30),
        }
    }
}

impl DeliverySettings {
    /// `WEBHOOK_RETRY_SCHEDULE_SECONDS`: waits in seconds, separated by commas.
    pub fn from_env() -> Result<Self, ConfigError> {
        let name = "WEBHOOK_RETRY_SCHEDULE_SECONDS";
        let mut settings = Self::default();
        if let Some(raw) = config::optional(name) {
            settings.schedule =
                parse_schedule(&raw).map_err(|reason| ConfigError::Malformed { name, reason })?;
        }
        Ok(settings)
    }

    pub fn max_attempts(&self) -> usize {
        self.schedule.len() + 1
    }

    /// The wait after the `attempt`-th failed attempt of this round (1 for the first), or
    /// `None` when that was the last: the delivery is then `failed`.
    pub fn wait_after(&self, attempt: usize) -> Option<Duration> {
        attempt
            .checked_sub(1)
            .and_then(|index| self.schedule.get(index))
            .copied()
    }
}

fn parse_schedule(raw: &str) -> Result<Vec<Duration>, String> {
    raw.split(',')
        .map(|part| {
            part.trim()
                .parse::<u64>()
                .map(Duration::from_secs)
                .map_err(|_| format!("{part:?} is not a number of seconds"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_tries_at_least_8_times_over_at_least_4_hours() {
        let settings = DeliverySettings::default();
        assert!(settings.max_attempts() >= 8);
        let span: Duration = settings.schedule.iter().sum();
        assert!(span >= Duration::from_secs(4 * 3600), "{span:?}");
    }

    #[test]
    fn waits_follow_the_schedule_then_stop() {
        let settings = DeliverySettings {
            schedule: parse_schedule("1, 2,3").expect("schedule"),
            ..DeliverySettings::default()
        };
        assert_eq!(settings.max_attempts(), 4);
        assert_eq!(settings.wait_after(1), Some(Duration::from_secs(1)));
        assert_eq!(settings.wait_after(3), Some(Duration::from_secs(3)));
        assert_eq!(settings.wait_after(4), None);
        assert!(parse_schedule("1,x").is_err());
    }
}
