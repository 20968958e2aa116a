//! The API in-process: the real router and handlers against a real Postgres, each function
//! built the way its Lambda starts (with test keys instead of the environment).

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use sqlx::PgPool;
use uuid::Uuid;

use crate::requests::TestRequest;
use shared::auth::tokens::{TokenAudience, TokenIssuer, TokenVerifier, generate_key_pair};
use shared::auth::{Role, bootstrap, users};
use shared::config::ConfigError;
use shared::db;
use shared::db_role::DbRole;
use shared::functions::{HTTP_FUNCTIONS, HttpFunction};
use shared::orders::queue::OrderQueue;
use shared::state::{AppState, PartSource, Tokens};
use shared::webhooks::WebhookParts;
use shared::webhooks::secrets::SecretsKey;
use shared::webhooks::target::TargetPolicy;
use shared::{app, auth};

pub struct TestApp {
    pub state: AppState,
    /// The signing key behind `state`, for tests that forge unusual tokens.
    pub private_key_pem: String,
    /// The verifying key behind `state`, for tests that try to abuse it as a secret.
    pub public_key_pem: String,
    /// One pool per database role over the test database, shared by every function of that role.
    roles: RolePools,
    router: Router,
}

pub fn test_audience() -> TokenAudience {
    TokenAudience {
        issuer: "shop-auth".into(),
        audience: "shop-api".into(),
    }
}

fn test_issuer(private_key_pem: &str) -> anyhow::Result<TokenIssuer> {
    TokenIssuer::from_pem(
        private_key_pem.as_bytes(),
        test_audience(),
        auth::tokens::MAX_TTL,
    )
}

/// The webhook key of every test app (a fixed one: tests may open what the API sealed), with
/// receivers' addresses checked by `policy`.
pub fn test_webhook_parts(policy: TargetPolicy) -> WebhookParts {
    WebhookParts {
        key: Arc::new(SecretsKey::from_bytes(&TEST_WEBHOOK_KEY).expect("a 32-byte key")),
        policy,
    }
}

pub const TEST_WEBHOOK_KEY: [u8; 32] = [0x5e; 32];

fn test_verifier(public_key_pem: &str) -> TokenVerifier {
    TokenVerifier::from_pem(public_key_pem.as_bytes(), test_audience()).expect("verifier")
}

impl TestApp {
    /// The whole API over `db`, with a fresh key pair. Each function's routes connect as that
    /// function's database role, as its Lambda would, so a missing grant fails here; `state.db`
    /// stays the owner's pool, for fixtures and for looking behind the API.
    pub fn new(db: PgPool) -> Self {
        Self::with_ai_budget(db, None)
    }

    /// [`TestApp::new`] with `AI_DAILY_BUDGET_USD` configured as `budget_usd`.
    pub fn with_ai_budget(db: PgPool, budget_usd: Option<f64>) -> Self {
        let (private, public) = generate_key_pair().expect("key pair");
        let issuer = test_issuer(&private).expect("issuer");
        let state = AppState {
            db,
            tokens: Arc::new(Tokens::new(test_verifier(&public), Some(issuer))),
            queue: None,
            webhooks: Some(test_webhook_parts(TargetPolicy::LOCAL)),
            ai_daily_budget_usd: budget_usd,
        };
        Self::with_state(state, private, public)
    }

    /// The whole API with `state`, each function's routes on its own role's pool over `state.db`.
    pub fn with_state(state: AppState, private_key_pem: String, public_key_pem: String) -> Self {
        let roles = RolePools::over(&state.db);
        let routes = HTTP_FUNCTIONS.iter().fold(Router::new(), |app, function| {
            let own = AppState {
                db: roles.of(function),
                ..state.clone()
            };
            app.merge((function.routes)().with_state::<AppState>(own))
        });
        let router = app::finish(routes, state.clone());
        Self {
            state,
            private_key_pem,
            public_key_pem,
            roles,
            router,
        }
    }

    /// One function's slice of the API, with the state its Lambda would start with: the same
    /// keys as this app, but the signing key and `queue` only where the function's needs ask.
    pub async fn function(&self, function: &HttpFunction, queue: Option<OrderQueue>) -> Self {
        let verifier = test_verifier(&self.public_key_pem);
        let parts = Fixtures {
            private_key_pem: &self.private_key_pem,
            queue,
        };
        let state = AppState::assemble(self.roles.of(function), verifier, function.needs, &parts)
            .await
            .expect("the function starts");
        let router = app::finish((function.routes)(), state.clone());
        Self {
            state,
            private_key_pem: self.private_key_pem.clone(),
            public_key_pem: self.public_key_pem.clone(),
            roles: self.roles.clone(),
            router,
        }
    }

    pub fn request(&self, method: Method, path: &str) -> TestRequest {
        TestRequest {
            router: self.router.clone(),
            builder: Request::builder().method(method).uri(path),
            body: Body::empty(),
        }
    }

    pub fn get(&self, path: &str) -> TestRequest {
        self.request(Method::GET, path)
    }

    pub fn post(&self, path: &str) -> TestRequest {
        self.request(Method::POST, path)
    }

    /// A signed-in customer with a fresh account; returns its id and token.
    pub async fn customer(&self) -> (Uuid, String) {
        self.account(Role::Customer).await
    }

    /// A signed-in admin with a fresh account; returns its id and token.
    pub async fn admin(&self) -> (Uuid, String) {
        self.account(Role::Admin).await
    }

    /// A product created through `POST /products` by `admin`, named after its sku; returns its id.
    pub async fn product(&self, admin: &str, sku: &str, price_cents: i64, stock: i64) -> Uuid {
        let created = self
            .post("/products")
            .bearer(admin)
            .json(&serde_json::json!({
                "sku": sku,
                "name": format!("Product {sku}"),
                "price_cents": price_cents,
                "stock": stock,
            }))
            .send()
            .await
            .expect(StatusCode::CREATED);
        Uuid::parse_str(&created.id()).expect("a product id")
    }

    /// An order of `quantity` units of `product` placed by `customer` through `POST /orders`;
    /// returns its id.
    pub async fn order(&self, customer: &str, product: Uuid, quantity: i64) -> Uuid {
        let placed = self
            .post("/orders")
            .bearer(customer)
            .json(&serde_json::json!({"items": [{"product_id": product, "quantity": quantity}]}))
            .send()
            .await
            .expect(StatusCode::CREATED);
        Uuid::parse_str(&placed.id()).expect("an order id")
    }

    async fn account(&self, role: Role) -> (Uuid, String) {
        let email = format!("{}@example.com", Uuid::now_v7());
        match role {
            // Hashing is skipped: these accounts are only used through tokens.
            Role::Customer => users::insert(&self.state.db, &email, "!", role)
                .await
                .map(|_| ())
                .expect("insert customer"),
            Role::Admin => bootstrap::ensure_admin(&self.state.db, &email, "admin-password")
                .await
                .map(|_| ())
                .expect("ensure admin"),
        };
        let id = users::find_by_email(&self.state.db, &email)
            .await
            .expect("find account")
            .expect("account exists")
            .user
            .id;
        (id, self.token_for(id).await)
    }

    /// A fresh token for an existing account, as login would issue it now.
    pub async fn token_for(&self, account: Uuid) -> String {
        let state = shared::auth::session::current(&self.state.db, account)
            .await
            .expect("session state")
            .expect("the account exists");
        self.state
            .tokens
            .issuer()
            .expect("issuer")
            .issue(account, state.role, state.version)
            .expect("token")
    }
}

/// The pools functions run on in tests: their roles' over the test database, one per role so a
/// test opens no more connections than the roles it exercises.
#[derive(Clone)]
struct RolePools(Arc<BTreeMap<DbRole, PgPool>>);

impl RolePools {
    fn over(owner: &PgPool) -> Self {
        Self(Arc::new(
            DbRole::ALL
                .iter()
                .map(|role| (*role, role.pool_like(owner)))
                .collect(),
        ))
    }

    /// The pool `function` runs on: its role's, or one reaching no database.
    fn of(&self, function: &HttpFunction) -> PgPool {
        function
            .database
            .and_then(|role| self.0.get(&role).cloned())
            .unwrap_or_else(db::no_database)
    }
}

/// A function's optional parts from test fixtures instead of the environment.
struct Fixtures<'a> {
    private_key_pem: &'a str,
    queue: Option<OrderQueue>,
}

impl PartSource for Fixtures<'_> {
    async fn signing_key(&self) -> Result<TokenIssuer, ConfigError> {
        test_issuer(self.private_key_pem).map_err(|error| ConfigError::Malformed {
            name: "JWT_PRIVATE_KEY_SECRET_ARN",
            reason: format!("{error:#}"),
        })
    }

    async fn order_queue(&self) -> Result<OrderQueue, ConfigError> {
        self.queue.clone().ok_or(ConfigError::Missing {
            name: "ORDERS_QUEUE_URL",
        })
    }

    async fn webhook_parts(&self) -> Result<WebhookParts, ConfigError> {
        Ok(test_webhook_parts(TargetPolicy::LOCAL))
    }
}
