//! The start-up every HTTP function shares: logs, state from the environment, then serve the
//! function's routes through the Lambda runtime until the instance is retired.

use axum::Router;

use crate::state::{AppState, Needs};
use crate::{app, telemetry};

pub type Error = lambda_http::Error;

pub async fn serve_http(needs: Needs, routes: fn() -> Router<AppState>) -> Result<(), Error> {
    telemetry::init();
    let state = AppState::from_env(needs).await.inspect_err(|error| {
        tracing::error!(%error, "start-up failed");
    })?;
    lambda_http::run(app::finish(routes(), state)).await
}
