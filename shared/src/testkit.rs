//! Drives the API in-process: the real router and handlers against a real Postgres, with no
//! HTTP server in between. Used by the handler tests and the benchmarks.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::Value;
use sqlx::PgPool;
use tower::ServiceExt;
use uuid::Uuid;

use crate::auth::tokens::{TokenAudience, TokenIssuer, TokenVerifier, generate_key_pair};
use crate::auth::{Role, bootstrap, users};
use crate::config::ConfigError;
use crate::db;
use crate::db_role::DbRole;
use crate::functions::{HTTP_FUNCTIONS, HttpFunction};
use crate::orders::queue::OrderQueue;
use crate::state::{AppState, PartSource, Tokens};
use crate::webhooks::WebhookParts;
use crate::webhooks::secrets::SecretsKey;
use crate::webhooks::target::TargetPolicy;
use crate::{app, auth};

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
        let state = crate::auth::session::current(&self.state.db, account)
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

pub struct TestRequest {
    router: Router,
    builder: axum::http::request::Builder,
    body: Body,
}

impl TestRequest {
    pub fn json(mut self, value: &Value) -> Self {
        self.builder = self
            .builder
            .header(header::CONTENT_TYPE, "application/json");
        self.body = Body::from(value.to_string());
        self
    }

    pub fn raw_body(mut self, content_type: &str, body: impl Into<Body>) -> Self {
        self.builder = self.builder.header(header::CONTENT_TYPE, content_type);
        self.body = body.into();
        self
    }

    pub fn bearer(self, token: &str) -> Self {
        self.header(header::AUTHORIZATION.as_str(), &format!("Bearer {token}"))
    }

    /// Arrives from `ip`, as API Gateway's request context would say.
    pub fn source_ip(mut self, ip: &str) -> Self {
        use lambda_http::aws_lambda_events::apigw::ApiGatewayV2httpRequestContext;
        use lambda_http::request::RequestContext;
        let mut context = ApiGatewayV2httpRequestContext::default();
        context.http.source_ip = Some(ip.to_owned());
        self.builder = self
            .builder
            .extension(RequestContext::ApiGatewayV2(context));
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.builder = self.builder.header(name, value);
        self
    }

    pub async fn send(self) -> TestResponse {
        let request = self.builder.body(self.body).expect("request");
        let response = self.router.oneshot(request).await.expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()))
        };
        TestResponse {
            status,
            headers,
            body,
        }
    }
}

#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl TestResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// Asserts the status, printing the body when it differs.
    #[track_caller]
    pub fn expect(self, status: StatusCode) -> Self {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {}",
            self.body
        );
        self
    }

    /// The `id` member of the body, e.g. of a created resource.
    pub fn id(&self) -> String {
        self.body["id"]
            .as_str()
            .unwrap_or_else(|| panic!("the body has an id: {}", self.body))
            .to_owned()
    }

    /// The `field`s of a validation problem's `errors`.
    pub fn error_fields(&self) -> Vec<&str> {
        self.body["errors"]
            .as_array()
            .map(|errors| errors.iter().filter_map(|e| e["field"].as_str()).collect())
            .unwrap_or_default()
    }

    /// Asserts a problem+json answer with this status.
    #[track_caller]
    pub fn expect_problem(self, status: StatusCode) -> Self {
        let response = self.expect(status);
        assert_eq!(
            response.header("content-type"),
            Some(crate::error::PROBLEM_JSON),
            "problems are application/problem+json"
        );
        assert_eq!(response.body["status"], status.as_u16());
        response
    }
}

/// An SQS client for a local SQS API (moto) at `endpoint`, with throwaway credentials.
pub fn local_sqs_client(endpoint: &str) -> aws_sdk_sqs::Client {
    use aws_sdk_sqs::config::{BehaviorVersion, Credentials, Region};
    let config = aws_sdk_sqs::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("test", "test", None, None, "testkit"))
        .endpoint_url(endpoint)
        .build();
    aws_sdk_sqs::Client::from_conf(config)
}

/// moto's SQS API on a free loopback port, for tests that need a real queue; stopped (by its
/// pid) when dropped. The binary comes from `make tools`.
pub struct MotoServer {
    child: std::process::Child,
    endpoint: String,
}

/// A queue with a dead-letter queue behind it, as `localstack/create_queues.py` makes them.
pub struct TestQueues {
    pub queue: crate::orders::queue::OrderQueue,
    pub dlq_url: String,
}

impl MotoServer {
    pub const BINARY: &'static str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../.local/venv/bin/moto_server"
    );

    pub async fn start() -> Self {
        assert!(
            std::path::Path::new(Self::BINARY).exists(),
            "{} is missing: run `make tools` first",
            Self::BINARY
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free loopback port")
            .port();
        let child = std::process::Command::new(Self::BINARY)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("moto_server starts");
        let server = Self {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
        };
        let ready = format!("{}/moto-api/", server.endpoint);
        for _ in 0..200 {
            if reqwest::get(&ready)
                .await
                .is_ok_and(|response| response.status().is_success())
            {
                return server;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("moto_server did not answer at {ready} within 20 s");
    }

    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    pub fn sqs_client(&self) -> aws_sdk_sqs::Client {
        local_sqs_client(&self.endpoint)
    }

    /// moto's Secrets Manager API (it serves every API on the one port).
    pub fn secrets_client(&self) -> aws_sdk_secretsmanager::Client {
        use aws_sdk_secretsmanager::config::{BehaviorVersion, Credentials, Region};
        let config = aws_sdk_secretsmanager::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("test", "test", None, None, "testkit"))
            .endpoint_url(&self.endpoint)
            .build();
        aws_sdk_secretsmanager::Client::from_conf(config)
    }

    /// Creates the secret `name` with `value`; returns its ARN.
    pub async fn secret(&self, name: &str, value: &str) -> String {
        self.secrets_client()
            .create_secret()
            .name(name)
            .secret_string(value)
            .send()
            .await
            .expect("moto creates the secret")
            .arn
            .expect("an ARN")
    }

    /// `name` and `name-dlq`: a message moves to the DLQ on the receive after
    /// `max_receive_count`. `visibility_timeout` 0 makes a failed message visible again at once
    /// unless the consumer sets its own back-off, which tests can then observe.
    pub async fn queues(
        &self,
        name: &str,
        visibility_timeout: u32,
        max_receive_count: u32,
    ) -> TestQueues {
        use aws_sdk_sqs::types::QueueAttributeName;
        let client = self.sqs_client();
        let dlq_url = client
            .create_queue()
            .queue_name(format!("{name}-dlq"))
            .send()
            .await
            .expect("create the dead-letter queue")
            .queue_url
            .expect("dead-letter queue url");
        let dlq_arn = client
            .get_queue_attributes()
            .queue_url(&dlq_url)
            .attribute_names(QueueAttributeName::QueueArn)
            .send()
            .await
            .expect("dead-letter queue attributes")
            .attributes
            .and_then(|mut attributes| attributes.remove(&QueueAttributeName::QueueArn))
            .expect("dead-letter queue arn");
        let policy = serde_json::json!({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": max_receive_count.to_string()});
        let url = client
            .create_queue()
            .queue_name(name)
            .attributes(
                QueueAttributeName::VisibilityTimeout,
                visibility_timeout.to_string(),
            )
            .attributes(QueueAttributeName::RedrivePolicy, policy.to_string())
            .send()
            .await
            .expect("create the queue")
            .queue_url
            .expect("queue url");
        TestQueues {
            queue: crate::orders::queue::OrderQueue::new(client, url),
            dlq_url,
        }
    }
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Asserts the inventory invariant: every product's stock equals the sum of its movements.
pub async fn assert_ledger_matches_stock(db: &PgPool) {
    let drift: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM inventory.products p
         WHERE p.stock <> COALESCE(
             (SELECT sum(delta) FROM inventory.stock_movements m WHERE m.product_id = p.id), 0)",
    )
    .fetch_one(db)
    .await
    .expect("drift query");
    assert_eq!(
        drift, 0,
        "stock equals the sum of its movements for every product"
    );
}
