//! POST /webhooks/{id}/deliveries/{delivery_id}/retry
use shared::functions::{HttpFunction, find};
use shared::serve::{Error, serve_http};

/// Its entry in `shared::functions`, found when the binary is built.
const FUNCTION: HttpFunction = find(env!("CARGO_BIN_NAME"));

// One event at a time per instance: one thread serves it without cross-thread wake-ups.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    serve_http(FUNCTION).await
}
