//! What a function builds once per Lambda instance and hands to every request.

use std::sync::Arc;

use sqlx::PgPool;

use crate::auth::tokens::{Claims, TokenError, TokenIssuer, TokenVerifier};
use crate::config::ConfigError;
use crate::db;
use crate::db_role::DbRole;
use crate::error::ApiError;
use crate::orders::queue::OrderQueue;
use crate::secrets::{Secret, SecretStore};
use crate::webhooks::WebhookParts;

#[derive(Clone)]
pub struct AppState {
    pub db: PgPool,
    pub tokens: Arc<Tokens>,
    /// The orders queue, held only by the function that creates orders.
    pub queue: Option<OrderQueue>,
    /// The key sealing webhook secrets and the rule for receivers' addresses, held only by
    /// the function that creates endpoints.
    pub webhooks: Option<WebhookParts>,
    /// `AI_DAILY_BUDGET_USD`, for the staff reports to show beside the day's AI spend (the AI
    /// functions read it themselves); `None`: no budget.
    pub ai_daily_budget_usd: Option<f64>,
}

/// The token keys a function holds: always the public key, the private key only where needed.
pub struct Tokens {
    verifier: TokenVerifier,
    issuer: Option<TokenIssuer>,
}

impl Tokens {
    pub fn new(verifier: TokenVerifier, issuer: Option<TokenIssuer>) -> Self {
        Self { verifier, issuer }
    }

    pub fn verify(&self, token: &str) -> Result<Claims, TokenError> {
        self.verifier.verify(token)
    }

    /// The signing key; only `auth-login` loads it.
    pub fn issuer(&self) -> Result<&TokenIssuer, ApiError> {
        self.issuer.as_ref().ok_or_else(|| {
            ApiError::Internal(anyhow::anyhow!(
                "this function was started without the JWT private key"
            ))
        })
    }
}

/// What a function needs beyond the database and the public key.
#[derive(Debug, Clone, Copy)]
pub struct Needs {
    /// Read the JWT private key from Secrets Manager (login only).
    pub signing_key: bool,
    /// Connect to the orders queue (`ORDERS_QUEUE_URL`; order creation only).
    pub order_queue: bool,
    /// Read the webhook secrets key from Secrets Manager (creating webhook endpoints only).
    pub webhook_secrets: bool,
}

impl Needs {
    /// The database and the public key only: what most functions run on.
    pub const NOTHING: Needs = Needs {
        signing_key: false,
        order_queue: false,
        webhook_secrets: false,
    };
}

/// Where a function's optional parts come from: Secrets Manager and the environment in a
/// Lambda, test fixtures in tests. Each is asked for only when the function's [`Needs`] say so.
pub trait PartSource {
    fn signing_key(&self) -> impl Future<Output = Result<TokenIssuer, ConfigError>> + Send;
    fn order_queue(&self) -> impl Future<Output = Result<OrderQueue, ConfigError>> + Send;
    fn webhook_parts(&self) -> impl Future<Output = Result<WebhookParts, ConfigError>> + Send;
}

/// A Lambda instance's parts: the private key from the secret named by
/// `JWT_PRIVATE_KEY_SECRET_ARN`, the queue from `ORDERS_QUEUE_URL`, the webhook key from the
/// secret named by `WEBHOOK_SECRETS_KEY_SECRET_ARN`.
pub struct FromSecrets<'a>(pub &'a SecretStore);

impl PartSource for FromSecrets<'_> {
    async fn signing_key(&self) -> Result<TokenIssuer, ConfigError> {
        TokenIssuer::from_key_text(&self.0.read(Secret::JwtPrivateKey).await?)
    }

    async fn order_queue(&self) -> Result<OrderQueue, ConfigError> {
        OrderQueue::from_env().await
    }

    async fn webhook_parts(&self) -> Result<WebhookParts, ConfigError> {
        WebhookParts::from_secrets(self.0).await
    }
}

impl AppState {
    /// The state of a function connecting as `database` (no database at all when `None`),
    /// its secrets read from Secrets Manager.
    pub async fn from_env(database: Option<DbRole>, needs: Needs) -> Result<Self, ConfigError> {
        let secrets = SecretStore::from_env();
        Self::from_secrets(database, needs, &secrets).await
    }

    /// [`AppState::from_env`] with the secrets read through `secrets`.
    pub async fn from_secrets(
        database: Option<DbRole>,
        needs: Needs,
        secrets: &SecretStore,
    ) -> Result<Self, ConfigError> {
        let pool = match database {
            Some(role) => {
                let pool = db::role_pool(role, secrets).await?;
                // Connected while the public key and the other parts are read.
                db::connect_in_background(&pool);
                pool
            }
            None => db::no_database(),
        };
        let verifier = TokenVerifier::from_key_text(&secrets.read(Secret::JwtPublicKey).await?)?;
        let mut state = Self::assemble(pool, verifier, needs, &FromSecrets(secrets)).await?;
        state.ai_daily_budget_usd = crate::summary::settings::daily_budget_from_env()?;
        Ok(state)
    }

    /// The state of a function with these needs: nothing it does not need is loaded, so a
    /// function without the signing key or the queue cannot use them by mistake.
    pub async fn assemble(
        db: PgPool,
        verifier: TokenVerifier,
        needs: Needs,
        parts: &impl PartSource,
    ) -> Result<Self, ConfigError> {
        let issuer = if needs.signing_key {
            Some(parts.signing_key().await?)
        } else {
            None
        };
        let queue = if needs.order_queue {
            Some(parts.order_queue().await?)
        } else {
            None
        };
        let webhooks = if needs.webhook_secrets {
            Some(parts.webhook_parts().await?)
        } else {
            None
        };
        Ok(Self {
            db,
            tokens: Arc::new(Tokens::new(verifier, issuer)),
            queue,
            webhooks,
            ai_daily_budget_usd: None,
        })
    }
}
