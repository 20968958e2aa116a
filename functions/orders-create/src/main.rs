//! POST /orders: the one HTTP function that sends to the orders queue.
use shared::function::{Error, serve_http};
use shared::state::Needs;

#[tokio::main]
async fn main() -> Result<(), Error> {
    serve_http(
        Needs {
            order_queue: true,
            ..Needs::default()
        },
        shared::orders::create::routes,
    )
    .await
}
