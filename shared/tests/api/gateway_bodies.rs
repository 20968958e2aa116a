//! What the deployed path does with a body that is not UTF-8: API Gateway hands it to the
//! function base64-encoded, lambda_http decodes it into bytes, and the handler must answer 400
//! (the local `cargo lambda watch` answers such a body with its own 500 before any function
//! runs; see the README's troubleshooting).

use axum::http::StatusCode;
use base64::Engine;
use http_body_util::BodyExt;
use lambda_http::request::LambdaRequest;
use serde_json::{Value, json};
use sqlx::PgPool;
use testkit::TestApp;
use tower::ServiceExt;

/// An HTTP API (payload 2.0) event as API Gateway delivers it.
fn gateway_event(path: &str, body: &[u8]) -> Value {
    json!({
        "version": "2.0",
        "routeKey": format!("POST {path}"),
        "rawPath": path,
        "rawQueryString": "",
        "headers": {"content-type": "application/json", "host": "api.example.com"},
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "api",
            "domainName": "api.example.com",
            "domainPrefix": "api",
            "http": {"method": "POST", "path": path, "protocol": "HTTP/1.1",
                     "sourceIp": "198.51.100.7", "userAgent": "test"},
            "requestId": "id",
            "routeKey": format!("POST {path}"),
            "stage": "$default",
            "time": "01/Dec/2026:10:00:00 +0000",
            "timeEpoch": 1_796_119_200_000_i64
        },
        "body": base64::engine::general_purpose::STANDARD.encode(body),
        "isBase64Encoded": true
    })
}

#[sqlx::test(migrations = "../migrations")]
async fn a_base64_body_that_is_not_utf8_is_400(db: PgPool) {
    let app = TestApp::new(db);
    let router = shared::app::finish(shared::app::all_routes(), app.state.clone());
    for path in ["/auth/login", "/auth/register"] {
        let event: LambdaRequest =
            serde_json::from_value(gateway_event(path, b"{\"email\":\"\xff\xfe\"}"))
                .expect("an API Gateway event");
        // The conversion lambda_http::run applies before calling the function's router.
        let request: lambda_http::Request = event.into();
        let response = router.clone().oneshot(request).await.expect("infallible");
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        let problem: Value = serde_json::from_slice(&body).expect("problem json");
        assert_eq!(problem["status"], 400);
    }
}
