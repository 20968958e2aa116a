//! The summary function's configuration, read once at start-up.

use std::time::Duration;

use crate::config::{self, ConfigError};

pub const DEFAULT_BASE_URL: &str = "https://openrouter.ai/api/v1";
/// Small, cheap and good at short factual prose; override with `OPENROUTER_MODEL`.
pub const DEFAULT_MODEL: &str = "openai/gpt-4o-mini";
/// Longest summary stored, in characters; longer answers are cut at a character boundary.
pub const MAX_SUMMARY_CHARS: usize = 2000;

#[derive(Debug, Clone)]
pub struct ProviderSettings {
    /// `None` when `OPENROUTER_API_KEY` is unset: summaries are `disabled` and nothing is called.
    pub api_key: Option<String>,
    pub base_url: String,
    pub model: String,
    pub connect_timeout: Duration,
    /// The whole call, from connect to the last byte of the answer.
    pub request_timeout: Duration,
}

#[derive(Debug, Clone)]
pub struct RetrySettings {
    /// Wait before the second receive; doubles with each further receive.
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// The queue's `maxReceiveCount`: on this receive a failure is final.
    pub max_receive_count: u32,
}

#[derive(Debug, Clone)]
pub struct BreakerSettings {
    /// Consecutive provider failures that open the breaker.
    pub failure_threshold: u32,
    pub cool_down: Duration,
}

#[derive(Debug, Clone)]
pub struct SummarySettings {
    pub provider: ProviderSettings,
    pub retry: RetrySettings,
    pub breaker: BreakerSettings,
}

impl SummarySettings {
    /// `OPENROUTER_API_KEY`, `OPENROUTER_BASE_URL`, `OPENROUTER_MODEL`,
    /// `SUMMARY_CONNECT_TIMEOUT_SECONDS` (3), `SUMMARY_REQUEST_TIMEOUT_SECONDS` (25),
    /// `SUMMARY_RETRY_BASE_SECONDS` (30), `SUMMARY_RETRY_MAX_SECONDS` (900),
    /// `ORDERS_MAX_RECEIVE_COUNT` (5), `SUMMARY_BREAKER_THRESHOLD` (5),
    /// `SUMMARY_BREAKER_COOL_DOWN_SECONDS` (30).
    pub fn from_env() -> Result<Self, ConfigError> {
        Ok(Self {
            provider: ProviderSettings {
                api_key: config::optional("OPENROUTER_API_KEY"),
                base_url: config::optional("OPENROUTER_BASE_URL")
                    .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned()),
                model: config::optional("OPENROUTER_MODEL")
                    .unwrap_or_else(|| DEFAULT_MODEL.to_owned()),
                connect_timeout: seconds("SUMMARY_CONNECT_TIMEOUT_SECONDS", 3.0)?,
                request_timeout: seconds("SUMMARY_REQUEST_TIMEOUT_SECONDS", 25.0)?,
            },
            retry: RetrySettings {
                base_delay: seconds("SUMMARY_RETRY_BASE_SECONDS", 30.0)?,
                max_delay: seconds("SUMMARY_RETRY_MAX_SECONDS", 900.0)?,
                max_receive_count: config::parsed_or("ORDERS_MAX_RECEIVE_COUNT", 5)?,
            },
            breaker: BreakerSettings {
                failure_threshold: config::parsed_or("SUMMARY_BREAKER_THRESHOLD", 5)?,
                cool_down: seconds("SUMMARY_BREAKER_COOL_DOWN_SECONDS", 30.0)?,
            },
        })
    }

    /// Settings for a provider at `base_url` with `api_key`, and the defaults for the rest.
    pub fn for_provider(base_url: impl Into<String>, api_key: Option<String>) -> Self {
        Self {
            provider: ProviderSettings {
                api_key,
                base_url: base_url.into(),
                model: DEFAULT_MODEL.to_owned(),
                connect_timeout: Duration::from_secs(3),
                request_timeout: Duration::from_secs(25),
            },
            retry: RetrySettings {
                base_delay: Duration::from_secs(30),
                max_delay: Duration::from_secs(900),
                max_receive_count: 5,
            },
            breaker: BreakerSettings {
                failure_threshold: 5,
                cool_down: Duration::from_secs(30),
            },
        }
    }
}

/// A non-negative number of seconds, fractions allowed (tests and local runs use short ones).
fn seconds(name: &'static str, default: f64) -> Result<Duration, ConfigError> {
    let value: f64 = config::parsed_or(name, default)?;
    Duration::try_from_secs_f64(value).map_err(|error| ConfigError::Malformed {
        name,
        reason: error.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_seconds_are_rejected() {
        assert!(Duration::try_from_secs_f64(-1.0).is_err());
        let defaulted = seconds("SHOP_TEST_SURELY_UNSET", 1.5).expect("default");
        assert_eq!(defaulted, Duration::from_millis(1500));
    }
}
