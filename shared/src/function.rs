//! The start-up every HTTP function shares: logs, state from the environment, then serve the
//! function's routes through the Lambda runtime until the instance is retired.

use axum::Router;

use crate::functions::http_function;
use crate::state::{AppState, Needs};
use crate::{app, telemetry};

pub type Error = lambda_http::Error;

async fn serve_http(needs: Needs, routes: fn() -> Router<AppState>) -> Result<(), Error> {
    telemetry::init();
    let state = AppState::from_env(needs).await.inspect_err(|error| {
        tracing::error!(%error, "start-up failed");
    })?;
    lambda_http::run(app::finish(routes(), state)).await
}

/// Serves the HTTP function called `name`; each main passes its own package name.
pub async fn serve_http_function(name: &str) -> Result<(), Error> {
    let function =
        http_function(name).ok_or_else(|| format!("no HTTP function is called {name}"))?;
    serve_http(function.needs, function.routes).await
}
