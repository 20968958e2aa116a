//! PATCH /products/{id}
use shared::function::{Error, serve_http};
use shared::state::Needs;

#[tokio::main]
async fn main() -> Result<(), Error> {
    serve_http(Needs::default(), shared::inventory::update::routes).await
}
