//! Drives the API in-process: the real router and handlers against a real Postgres, with no
//! HTTP server in between. Used by the handler tests and the benchmarks.

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
use crate::state::{AppState, Tokens};
use crate::{app, auth};

pub struct TestApp {
    pub state: AppState,
    /// The signing key behind `state`, for tests that forge unusual tokens.
    pub private_key_pem: String,
    router: Router,
}

pub fn test_audience() -> TokenAudience {
    TokenAudience {
        issuer: "shop-auth".into(),
        audience: "shop-api".into(),
    }
}

impl TestApp {
    /// The whole API over `db`, with a fresh key pair.
    pub fn new(db: PgPool) -> Self {
        let (private, public) = generate_key_pair().expect("key pair");
        let issuer = TokenIssuer::from_pem(private.as_bytes(), test_audience(), auth::tokens::MAX_TTL)
            .expect("issuer");
        let verifier = TokenVerifier::from_pem(public.as_bytes(), test_audience()).expect("verifier");
        let state = AppState {
            db,
            tokens: Arc::new(Tokens::new(verifier, Some(issuer))),
        };
        Self::with_state(state, private)
    }

    pub fn with_state(state: AppState, private_key_pem: String) -> Self {
        let router = app::finish(app::all_routes(), state.clone());
        Self {
            state,
            private_key_pem,
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

    async fn account(&self, role: Role) -> (Uuid, String) {
        let email = format!("{}@example.com", Uuid::now_v7());
        let user = match role {
            // Hashing is skipped: these accounts are only used through tokens.
            Role::Customer => users::insert(&self.state.db, &email, "!", role)
                .await
                .expect("insert customer"),
            Role::Admin => {
                bootstrap::ensure_admin(&self.state.db, &email, "admin-password")
                    .await
                    .expect("ensure admin");
                users::find_by_email(&self.state.db, &email)
                    .await
                    .expect("find admin")
                    .expect("admin exists")
                    .user
            }
        };
        let token = self
            .state
            .tokens
            .issuer()
            .expect("issuer")
            .issue(user.id, user.role)
            .expect("token");
        (user.id, token)
    }
}

pub struct TestRequest {
    router: Router,
    builder: axum::http::request::Builder,
    body: Body,
}

impl TestRequest {
    pub fn json(mut self, value: &Value) -> Self {
        self.builder = self.builder.header(header::CONTENT_TYPE, "application/json");
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
            serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()))
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
        assert_eq!(self.status, status, "unexpected status; body: {}", self.body);
        self
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
