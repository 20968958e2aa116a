//! POST /products
use shared::function::{Error, serve_http};
use shared::state::Needs;

#[tokio::main]
async fn main() -> Result<(), Error> {
    serve_http(Needs::default(), shared::inventory::create::routes).await
}
