//! POST /auth/login: the one function that holds the private signing key.
use shared::function::{Error, serve_http};
use shared::state::Needs;

#[tokio::main]
async fn main() -> Result<(), Error> {
    serve_http(
        Needs {
            signing_key: true,
            ..Needs::default()
        },
        shared::auth::login::routes,
    )
    .await
}
