//! The summary function's configuration, read once at start-up.

use std::time::Duration;

use crate::config::{self, ConfigError};
use crate::secrets::{Secret, SecretStore};

pub const DEFAULT_BASE_URL: &str = "https://openrouter.ai/api/v1";
/// Small, cheap and good at short factual prose; override with `OPENROUTER_MODEL`.
pub const DEFAULT_MODEL: &str = "openai/gpt-4o-mini";
/// Sent as `HTTP-Referer`, OpenRouter's attribution of the calling app; `OPENROUTER_APP_URL`.
pub const DEFAULT_APP_URL: &str = "https://github.com/shop/shop";
/// Longest summary stored, in characters; longer answers are cut at a character boundary.
pub const MAX_SUMMARY_CHARS: usize = 2000;

#[derive(Debug, Clone)]
pub struct ProviderSettings {
    /// `None` when `OPENROUTER_API_KEY_SECRET_ARN` is unset: summaries are `disabled` and nothing
    /// is called.
    pub api_key: Option<String>,
    pub base_url: String,
    /// `OPENROUTER_MODEL`, comma-separated: the first is asked, the others are OpenRouter's
    /// fallbacks when it is down or refuses. Never empty.
    pub models: Vec<String>,
    pub app_url: String,
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
    /// `AI_DAILY_BUDGET_USD`: once the UTC day's reported cost reaches it, new summaries are
    /// `skipped`. `None`: no budget.
    pub daily_budget_usd: Option<f64>,
}

/// `a, b ,,c` -> `[a, b, c]`; the default model when nothing is left.
pub fn model_list(raw: Option<&str>) -> Vec<String> {
    let models: Vec<String> = raw
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|model| !model.is_empty())
        .map(str::to_owned)
        .collect();
    if models.is_empty() {
        vec![DEFAULT_MODEL.to_owned()]
    } else {
        models
    }
}

impl SummarySettings {
    /// `OPENROUTER_BASE_URL`, `OPENROUTER_MODEL`, `OPENROUTER_APP_URL`,
    /// `AI_DAILY_BUDGET_USD`,
    /// `SUMMARY_CONNECT_TIMEOUT_SECONDS` (3), `SUMMARY_REQUEST_TIMEOUT_SECONDS` (25),
    /// `SUMMARY_RETRY_BASE_SECONDS` (30), `SUMMARY_RETRY_MAX_SECONDS` (900),
    /// `ORDERS_MAX_RECEIVE_COUNT` (5), `SUMMARY_BREAKER_THRESHOLD` (5),
    /// `SUMMARY_BREAKER_COOL_DOWN_SECONDS` (30). The API key is a secret, never an environment
    /// value: the caller reads it ([`ProviderSettings::with_key_from`]).
    pub fn from_env() -> Result<Self, ConfigError> {
        Ok(Self {
            provider: ProviderSettings::from_env()?,
            retry: RetrySettings {
                base_delay: seconds("SUMMARY_RETRY_BASE_SECONDS", 30.0)?,
                max_delay: seconds("SUMMARY_RETRY_MAX_SECONDS", 900.0)?,
                max_receive_count: config::parsed_or("ORDERS_MAX_RECEIVE_COUNT", 5)?,
            },
            breaker: BreakerSettings {
                failure_threshold: config::parsed_or("SUMMARY_BREAKER_THRESHOLD", 5)?,
                cool_down: seconds("SUMMARY_BREAKER_COOL_DOWN_SECONDS", 30.0)?,
            },
            daily_budget_usd: daily_budget_from_env()?,
        })
    }

    /// Settings for a provider at `base_url` with `api_key`, and the defaults for the rest.
    pub fn for_provider(base_url: impl Into<String>, api_key: Option<String>) -> Self {
        Self {
            provider: ProviderSettings {
                api_key,
                base_url: base_url.into(),
                models: vec![DEFAULT_MODEL.to_owned()],
                app_url: DEFAULT_APP_URL.to_owned(),
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
            daily_budget_usd: None,
        }
    }
}

impl ProviderSettings {
    /// `OPENROUTER_BASE_URL`, `OPENROUTER_MODEL`, `OPENROUTER_APP_URL`,
    /// `SUMMARY_CONNECT_TIMEOUT_SECONDS` (3), `SUMMARY_REQUEST_TIMEOUT_SECONDS` (25). The API key
    /// is a secret, never an environment value: each AI function reads it from the secret named
    /// by `OPENROUTER_API_KEY_SECRET_ARN` and sets `api_key` (see [`ProviderSettings::with_key_from`]).
    pub fn from_env() -> Result<Self, ConfigError> {
        Ok(Self {
            api_key: None,
            base_url: config::optional("OPENROUTER_BASE_URL")
                .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned()),
            models: model_list(config::optional("OPENROUTER_MODEL").as_deref()),
            app_url: config::optional("OPENROUTER_APP_URL")
                .unwrap_or_else(|| DEFAULT_APP_URL.to_owned()),
            connect_timeout: seconds("SUMMARY_CONNECT_TIMEOUT_SECONDS", 3.0)?,
            request_timeout: seconds("SUMMARY_REQUEST_TIMEOUT_SECONDS", 25.0)?,
        })
    }
}

impl ProviderSettings {
    /// These settings with the provider key from `secrets` (none when
    /// `OPENROUTER_API_KEY_SECRET_ARN` is unset: the AI feature is then `disabled`).
    pub async fn with_key_from(mut self, secrets: &SecretStore) -> Result<Self, ConfigError> {
        self.api_key = secrets.read_optional(Secret::ProviderApiKey).await?;
        Ok(self)
    }
}

/// `AI_DAILY_BUDGET_USD`: a finite, non-negative number of dollars, or unset (no budget). One
/// budget for every AI feature: the order summaries and the restock note count toward it.
pub fn daily_budget_from_env() -> Result<Option<f64>, ConfigError> {
    let Some(raw) = config::optional("AI_DAILY_BUDGET_USD") else {
        return Ok(None);
    };
    match raw.trim().parse::<f64>() {
        Ok(value) if value.is_finite() && value >= 0.0 => Ok(Some(value)),
        _ => Err(ConfigError::Malformed {
            name: "AI_DAILY_BUDGET_USD",
            reason: "must be a non-negative number of US dollars".into(),
        }),
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
    fn a_comma_list_names_the_models_in_order() {
        assert_eq!(model_list(Some(" a/one, b/two ,,")), ["a/one", "b/two"]);
        assert_eq!(model_list(Some(" , ")), [DEFAULT_MODEL]);
        assert_eq!(model_list(None), [DEFAULT_MODEL]);
    }

    #[test]
    fn negative_seconds_are_rejected() {
        assert!(Duration::try_from_secs_f64(-1.0).is_err());
        let defaulted = seconds("SHOP_TEST_SURELY_UNSET", 1.5).expect("default");
        assert_eq!(defaulted, Duration::from_millis(1500));
    }
}
