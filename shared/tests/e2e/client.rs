//! A small HTTP client for the running stack.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

pub struct Stack {
    base: String,
    http: reqwest::Client,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Stack {
    pub fn from_env() -> Self {
        let base = std::env::var("E2E_API_URL")
            .expect("E2E_API_URL names the running stack (see localstack/e2e.sh)");
        Self {
            base: base.trim_end_matches('/').to_owned(),
            http: shared::http_client::builder()
                .timeout(std::time::Duration::from_secs(120))
                .build()
                .expect("client"),
        }
    }

    /// One request. A GET that `cargo lambda watch` itself answers with its own 500 (not the
    /// function's problem+json) is sent again, up to three times a second apart: its Runtime API
    /// answers a function's upload of the response before reading it, and now and then loses a
    /// large one (~1 in 200 `GET /openapi.json`, 136 KB; localstack/fuzz_hooks.py replays the same
    /// answer). Other methods are never repeated, and any other 500 stands.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut reply = self
            .call_once(method.clone(), path, token, body.clone())
            .await;
        for _ in 0..3 {
            if method != Method::GET || !is_emulator_500(&reply) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            reply = self
                .call_once(method.clone(), path, token, body.clone())
                .await;
        }
        reply
    }

    async fn call_once(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("the stack answers");
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Reply {
            status,
            headers,
            body,
        }
    }

    /// Registers a fresh customer and signs in; returns the access token.
    pub async fn new_customer(&self) -> String {
        let email = format!("{}@example.com", uuid::Uuid::new_v4());
        let password = "correct horse battery";
        let created = self
            .call(
                Method::POST,
                "/auth/register",
                None,
                Some(json!({"email": email, "password": password})),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        self.login(&email, password).await
    }

    pub async fn login(&self, email: &str, password: &str) -> String {
        let login = self
            .call(
                Method::POST,
                "/auth/login",
                None,
                Some(json!({"email": email, "password": password})),
            )
            .await;
        assert_eq!(login.status, StatusCode::OK, "{}", login.body);
        login.body["access_token"]
            .as_str()
            .expect("token")
            .to_owned()
    }

    /// The admin that the stack bootstraps from ADMIN_EMAIL / ADMIN_PASSWORD.
    pub async fn admin(&self) -> String {
        let email = std::env::var("ADMIN_EMAIL").unwrap_or_else(|_| "admin@shop.local".into());
        let password =
            std::env::var("ADMIN_PASSWORD").unwrap_or_else(|_| "admin-password-123".into());
        self.login(&email, &password).await
    }
}

/// cargo lambda's own answer when it fails an invocation (the functions answer errors as
/// application/problem+json with their own types).
fn is_emulator_500(reply: &Reply) -> bool {
    reply.status == StatusCode::INTERNAL_SERVER_ERROR
        && reply.body["type"] == "https://httpstatuses.com/500"
        && reply
            .headers
            .get("content-type")
            .is_none_or(|value| value.as_bytes() != b"application/problem+json")
}
