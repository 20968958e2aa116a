//! The AWS SDK's settings for a function, from the environment Lambda gives it: `AWS_REGION`
//! and the execution role's credentials (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
//! `AWS_SESSION_TOKEN`). Locally `make dev` sets the same variables for moto.
//!
//! aws-config's default chain would also try profile files, web identity, SSO, ECS and the
//! instance metadata service, and linking it brings an STS client into every function's zip for
//! providers a Lambda function never reaches. Operator tools that run on a workstation
//! (`shopctl redrive`) keep that chain (`aws_config::defaults`).
//!
//! Every client gets [`https_client`]: rustls with ring, as the database and the other HTTP
//! clients use, not the SDK's default (aws-lc, which would be a second crypto library in the zip).

use std::sync::LazyLock;

use aws_config::SdkConfig;
use aws_config::timeout::TimeoutConfig;
use aws_sdk_sqs::config::{
    BehaviorVersion, Credentials, Region, SharedCredentialsProvider, SharedHttpClient,
};
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};

use crate::config::{self, ConfigError};

/// The region and credentials of this process's environment, with these timeouts. Missing
/// credentials fail start-up here rather than the first call.
pub fn sdk_config(timeouts: TimeoutConfig) -> Result<SdkConfig, ConfigError> {
    settings_from(config::optional, timeouts)
}

/// An SQS client with these settings, at `AWS_ENDPOINT_URL_SQS` when set (a local SQS API).
pub fn sqs_client(settings: &SdkConfig) -> aws_sdk_sqs::Client {
    let mut sqs = aws_sdk_sqs::config::Builder::from(settings);
    if let Some(endpoint) = config::optional("AWS_ENDPOINT_URL_SQS") {
        sqs = sqs.endpoint_url(endpoint);
    }
    aws_sdk_sqs::Client::from_conf(sqs.build())
}

/// The AWS SDK's HTTPS client (rustls with ring, the system's root certificates), one per
/// process: the SQS and Secrets Manager clients share its connection pool.
pub fn https_client() -> SharedHttpClient {
    static CLIENT: LazyLock<SharedHttpClient> = LazyLock::new(|| {
        aws_smithy_http_client::Builder::new()
            .tls_provider(tls::Provider::Rustls(CryptoMode::Ring))
            .build_https()
    });
    CLIENT.clone()
}

/// [`sdk_config`] over any lookup of variables (the environment; a map in tests).
fn settings_from(
    variable: impl Fn(&'static str) -> Option<String>,
    timeouts: TimeoutConfig,
) -> Result<SdkConfig, ConfigError> {
    let required = |name| variable(name).ok_or(ConfigError::Missing { name });
    let region = variable("AWS_REGION")
        .or_else(|| variable("AWS_DEFAULT_REGION"))
        .ok_or(ConfigError::Missing { name: "AWS_REGION" })?;
    let credentials = Credentials::new(
        required("AWS_ACCESS_KEY_ID")?,
        required("AWS_SECRET_ACCESS_KEY")?,
        variable("AWS_SESSION_TOKEN"),
        None,
        "environment",
    );
    Ok(SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region))
        .credentials_provider(SharedCredentialsProvider::new(credentials))
        .timeout_config(timeouts)
        .http_client(https_client())
        .build())
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use aws_sdk_sqs::config::ProvideCredentials;

    use super::*;

    fn settings(pairs: &[(&'static str, &str)]) -> Result<SdkConfig, ConfigError> {
        let map: HashMap<&str, String> = pairs.iter().map(|(k, v)| (*k, v.to_string())).collect();
        settings_from(|name| map.get(name).cloned(), TimeoutConfig::disabled())
    }

    #[tokio::test]
    async fn a_lambdas_variables_give_the_region_and_the_roles_credentials() {
        let sdk = settings(&[
            ("AWS_REGION", "eu-west-1"),
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "secret"),
            ("AWS_SESSION_TOKEN", "token"),
        ])
        .expect("settings");
        assert_eq!(sdk.region().map(|r| r.as_ref()), Some("eu-west-1"));
        let credentials = sdk
            .credentials_provider()
            .expect("provider")
            .provide_credentials()
            .await
            .expect("credentials");
        assert_eq!(credentials.access_key_id(), "AKID");
        assert_eq!(credentials.session_token(), Some("token"));
    }

    #[test]
    fn a_missing_variable_is_named() {
        let missing = |pairs: &[(&'static str, &str)]| match settings(pairs) {
            Err(ConfigError::Missing { name }) => name,
            other => panic!("expected a missing variable, got {:?}", other.map(|_| ())),
        };
        assert_eq!(
            missing(&[("AWS_ACCESS_KEY_ID", "a"), ("AWS_SECRET_ACCESS_KEY", "s")]),
            "AWS_REGION"
        );
        assert_eq!(
            missing(&[
                ("AWS_DEFAULT_REGION", "us-east-1"),
                ("AWS_SECRET_ACCESS_KEY", "s")
            ]),
            "AWS_ACCESS_KEY_ID"
        );
    }
}
