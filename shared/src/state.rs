//! What a function builds once per Lambda instance and hands to every request.

use std::sync::Arc;

use sqlx::PgPool;

use crate::auth::tokens::{Claims, TokenError, TokenIssuer, TokenVerifier};
use crate::config::ConfigError;
use crate::db;
use crate::db_role::DbRole;
use crate::error::ApiError;
use crate::orders::queue::OrderQueue;
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
    /// Load `JWT_PRIVATE_KEY` (login only).
    pub signing_key: bool,
    /// Connect to the orders queue (`ORDERS_QUEUE_URL`; order creation only).
    pub order_queue: bool,
    /// Load `WEBHOOK_SECRETS_KEY` (creating webhook endpoints only).
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

/// Where a function's optional parts come from: the environment in a Lambda, test fixtures
/// in tests. Each is asked for only when the function's [`Needs`] say so.
pub trait PartSource {
    fn signing_key(&self) -> Result<TokenIssuer, ConfigError>;
    fn order_queue(&self) -> impl Future<Output = Result<OrderQueue, ConfigError>> + Send;
    fn webhook_parts(&self) -> Result<WebhookParts, ConfigError>;
}

/// The environment of a Lambda instance (`JWT_PRIVATE_KEY`, `ORDERS_QUEUE_URL`, ...).
pub struct FromEnv;

impl PartSource for FromEnv {
    fn signing_key(&self) -> Result<TokenIssuer, ConfigError> {
        TokenIssuer::from_env()
    }

    async fn order_queue(&self) -> Result<OrderQueue, ConfigError> {
        OrderQueue::from_env().await
    }

    fn webhook_parts(&self) -> Result<WebhookParts, ConfigError> {
        WebhookParts::from_env()
    }
}

impl AppState {
    /// The state of a function connecting as `database` (no database at all when `None`).
    pub async fn from_env(database: Option<DbRole>, needs: Needs) -> Result<Self, ConfigError> {
        let pool = match database {
            Some(role) => db::role_pool_from_env(role)?,
            None => db::no_database(),
        };
        let mut state = Self::assemble(pool, TokenVerifier::from_env()?, needs, &FromEnv).await?;
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
            Some(parts.signing_key()?)
        } else {
            None
        };
        let queue = if needs.order_queue {
            Some(parts.order_queue().await?)
        } else {
            None
        };
        let webhooks = if needs.webhook_secrets {
            Some(parts.webhook_parts()?)
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
