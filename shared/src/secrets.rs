//! Secrets, read once at start-up from Secrets Manager by the ARN in the function's environment
//! (`*_SECRET_ARN`). No secret value is ever an environment variable: anyone allowed
//! `lambda:GetFunctionConfiguration` sees a function's environment, while a secret's value can
//! only be read by the one function role its IAM policy names.
//!
//! A function asks for a secret only when its needs say so (`state::Needs`, the summary and
//! migration start-ups), so a function that may not read a secret never even tries. Locally the
//! same code reads moto's Secrets Manager (`AWS_ENDPOINT_URL_SECRETS_MANAGER`; `make dev` and the
//! end-to-end run put the local keys there and pass their ARNs).

use std::collections::BTreeMap;
use std::time::Duration;

use aws_config::timeout::TimeoutConfig;
use serde::Deserialize;

use crate::config::{self, ConfigError};

/// A start-up read that takes longer than this fails start-up instead of eating the timeout.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// A secret some function needs, named in the environment by its ARN variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Secret {
    /// The Ed25519 public key (PEM or base64 of it): every HTTP function.
    JwtPublicKey,
    /// The Ed25519 private key: `auth-login` only.
    JwtPrivateKey,
    /// The AI provider's API key: `order-summary` only; unset turns summaries off.
    ProviderApiKey,
    /// The admin account's password (JSON `{"password"}`): `db-migrate` only.
    AdminPassword,
    /// The key sealing webhook endpoints' signing secrets (base64 of 32 bytes): `webhooks-create`
    /// and the webhook delivery only.
    WebhookSecretsKey,
    /// The function's own database credentials (JSON `{"username", "password"}`); `db-migrate`'s
    /// are the owner's. Unset locally, where Postgres trusts loopback users.
    DatabaseCredentials,
}

impl Secret {
    pub const ALL: [Secret; 6] = [
        Secret::JwtPublicKey,
        Secret::JwtPrivateKey,
        Secret::ProviderApiKey,
        Secret::AdminPassword,
        Secret::WebhookSecretsKey,
        Secret::DatabaseCredentials,
    ];

    /// The environment variable holding the secret's ARN (or name).
    pub const fn arn_variable(self) -> &'static str {
        match self {
            Secret::JwtPublicKey => "JWT_PUBLIC_KEY_SECRET_ARN",
            Secret::JwtPrivateKey => "JWT_PRIVATE_KEY_SECRET_ARN",
            Secret::ProviderApiKey => "OPENROUTER_API_KEY_SECRET_ARN",
            Secret::AdminPassword => "ADMIN_PASSWORD_SECRET_ARN",
            Secret::WebhookSecretsKey => "WEBHOOK_SECRETS_KEY_SECRET_ARN",
            Secret::DatabaseCredentials => "DATABASE_SECRET_ARN",
        }
    }
}

/// A database role's credentials, as the stack generates them for RDS Proxy.
#[derive(Deserialize)]
pub struct DatabaseCredentials {
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for DatabaseCredentials {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("DatabaseCredentials")
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

/// Reads the secrets whose ARNs it was given. The Secrets Manager client is built on the first
/// read, so a function that needs no secret never makes one.
pub struct SecretStore {
    arns: BTreeMap<Secret, String>,
    client: tokio::sync::OnceCell<aws_sdk_secretsmanager::Client>,
}

impl SecretStore {
    /// The ARNs in this process's environment, and the standard AWS settings (region,
    /// credentials, `AWS_ENDPOINT_URL_SECRETS_MANAGER` for a local Secrets Manager API).
    pub fn from_env() -> Self {
        let arns = Secret::ALL
            .into_iter()
            .filter_map(|secret| config::optional(secret.arn_variable()).map(|arn| (secret, arn)))
            .collect();
        Self {
            arns,
            client: tokio::sync::OnceCell::new(),
        }
    }

    /// A store that knows exactly these ARNs, with the client from the environment.
    pub fn with_arns(arns: BTreeMap<Secret, String>) -> Self {
        Self {
            arns,
            client: tokio::sync::OnceCell::new(),
        }
    }

    /// A store over `client` that knows exactly these ARNs (tests, tools).
    pub fn new(client: aws_sdk_secretsmanager::Client, arns: BTreeMap<Secret, String>) -> Self {
        Self {
            arns,
            client: tokio::sync::OnceCell::new_with(Some(client)),
        }
    }

    /// Whether the environment names this secret at all.
    pub fn has(&self, secret: Secret) -> bool {
        self.arns.contains_key(&secret)
    }

    /// The secret's text; its ARN variable must be set.
    pub async fn read(&self, secret: Secret) -> Result<String, ConfigError> {
        self.read_optional(secret)
            .await?
            .ok_or(ConfigError::Missing {
                name: secret.arn_variable(),
            })
    }

    /// The secret's text, or `None` when its ARN variable is unset.
    pub async fn read_optional(&self, secret: Secret) -> Result<Option<String>, ConfigError> {
        match self.arns.get(&secret) {
            Some(arn) => self.read_arn(arn, secret.arn_variable()).await.map(Some),
            None => Ok(None),
        }
    }

    /// The text of the secret `arn`; `name` says where the ARN came from, for the error.
    pub async fn read_arn(&self, arn: &str, name: &'static str) -> Result<String, ConfigError> {
        let unreadable = |reason: String| ConfigError::Secret { name, reason };
        let client = self.client.get_or_try_init(client_from_env).await?;
        let answer = client
            .get_secret_value()
            .secret_id(arn)
            .send()
            .await
            .map_err(|error| {
                unreadable(aws_sdk_secretsmanager::error::DisplayErrorContext(error).to_string())
            })?;
        answer
            .secret_string
            .ok_or_else(|| unreadable("the secret has no text value".into()))
    }

    /// One string field of a JSON secret (the stack's generated secrets are JSON objects).
    pub async fn read_field(&self, secret: Secret, field: &str) -> Result<String, ConfigError> {
        let text = self.read(secret).await?;
        let object: BTreeMap<String, serde_json::Value> =
            serde_json::from_str(&text).map_err(|_| ConfigError::Secret {
                name: secret.arn_variable(),
                reason: "the secret is not a JSON object".into(),
            })?;
        match object.get(field) {
            Some(serde_json::Value::String(value)) => Ok(value.clone()),
            _ => Err(ConfigError::Secret {
                name: secret.arn_variable(),
                reason: format!("the secret has no string field {field:?}"),
            }),
        }
    }

    /// The function's database credentials, when its environment names them.
    pub async fn database_credentials(&self) -> Result<Option<DatabaseCredentials>, ConfigError> {
        let secret = Secret::DatabaseCredentials;
        if !self.has(secret) {
            return Ok(None);
        }
        let text = self.read(secret).await?;
        // The parse error is not passed on: it could quote the password.
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|_| ConfigError::Secret {
                name: secret.arn_variable(),
                reason: "expected a JSON object with string fields username and password".into(),
            })
    }
}

async fn client_from_env() -> Result<aws_sdk_secretsmanager::Client, ConfigError> {
    let shared = crate::aws_env::sdk_config(
        TimeoutConfig::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .operation_timeout(READ_TIMEOUT)
            .build(),
    )?;
    let mut builder = aws_sdk_secretsmanager::config::Builder::from(&shared);
    if let Some(endpoint) = config::optional("AWS_ENDPOINT_URL_SECRETS_MANAGER") {
        builder = builder.endpoint_url(endpoint);
    }
    Ok(aws_sdk_secretsmanager::Client::from_conf(builder.build()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_secret_has_its_own_arn_variable() {
        let names: std::collections::BTreeSet<_> =
            Secret::ALL.iter().map(|s| s.arn_variable()).collect();
        assert_eq!(names.len(), Secret::ALL.len());
        assert!(names.iter().all(|name| name.ends_with("_SECRET_ARN")));
    }

    #[test]
    fn credentials_never_print_their_password() {
        let credentials = DatabaseCredentials {
            username: "shop_auth".into(),
            password: "hunter2-very-secret".into(),
        };
        let shown = format!("{credentials:?}");
        assert!(shown.contains("shop_auth"));
        assert!(!shown.contains("hunter2"));
    }
}
