//! GET /orders/{id}/events
use shared::functions::{HttpFunction, find};
use shared::serve::{Error, serve_http};

/// Its entry in `shared::functions`, found when the binary is built.
const FUNCTION: HttpFunction = find(env!("CARGO_BIN_NAME"));

#[tokio::main]
async fn main() -> Result<(), Error> {
    serve_http(FUNCTION).await
}
