//! Plain HTTP calls from tests (the fake AI provider's and webhook receivers' own endpoints,
//! moto's readiness), through the same client set-up the functions use.

/// A client as the functions build theirs (`shared::http_client`).
pub fn client() -> reqwest::Client {
    shared::http_client::builder()
        .build()
        .expect("an HTTP client builds")
}

/// `GET url`.
pub async fn get(url: impl reqwest::IntoUrl) -> reqwest::Result<reqwest::Response> {
    client().get(url).send().await
}
