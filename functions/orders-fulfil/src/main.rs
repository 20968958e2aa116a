//! POST /orders/{id}/fulfil
//! What it loads and serves is its entry in `shared::functions`.

#[tokio::main]
async fn main() -> Result<(), shared::function::Error> {
    shared::function::serve_http_function(env!("CARGO_PKG_NAME")).await
}
