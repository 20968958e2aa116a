//! GET /webhooks
use shared::function::{Error, serve_http};
use shared::functions::{HttpFunction, find};

/// Its entry in `shared::functions`, found when the binary is built.
const FUNCTION: HttpFunction = find(env!("CARGO_BIN_NAME"));

#[tokio::main]
async fn main() -> Result<(), Error> {
    serve_http(FUNCTION).await
}
