//! Reading configuration from the environment. A missing or malformed variable stops start-up
//! with an error that names it, instead of failing later inside a request.

use std::str::FromStr;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("environment variable {name} is required but not set")]
    Missing { name: &'static str },
    #[error("environment variable {name} is malformed: {reason}")]
    Malformed { name: &'static str, reason: String },
    /// The secret named by this variable could not be read or used; `reason` never holds its value.
    #[error("the secret named by {name} could not be read: {reason}")]
    Secret { name: &'static str, reason: String },
}

/// The value of `name`, treating an empty value as unset.
pub fn optional(name: &'static str) -> Option<String> {
    std::env::var(name)
        .ok()
        .filter(|value| !value.trim().is_empty())
}

pub fn required(name: &'static str) -> Result<String, ConfigError> {
    optional(name).ok_or(ConfigError::Missing { name })
}

/// Parses `name` when set, or returns `default`.
pub fn parsed_or<T>(name: &'static str, default: T) -> Result<T, ConfigError>
where
    T: FromStr,
    T::Err: std::fmt::Display,
{
    match optional(name) {
        None => Ok(default),
        Some(raw) => raw
            .trim()
            .parse()
            .map_err(|error: T::Err| ConfigError::Malformed {
                name,
                reason: error.to_string(),
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_variables_are_named() {
        let error = required("SHOP_TEST_SURELY_UNSET").expect_err("unset");
        assert!(error.to_string().contains("SHOP_TEST_SURELY_UNSET"));
    }

    #[test]
    fn defaults_apply_when_unset() {
        let value: u32 = parsed_or("SHOP_TEST_SURELY_UNSET", 7).expect("default");
        assert_eq!(value, 7);
    }
}
