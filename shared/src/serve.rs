//! The start-up every HTTP function shares: logs, state from the environment, then serve the
//! function's routes through the Lambda runtime until the instance is retired.

use crate::functions::HttpFunction;
use crate::state::AppState;
use crate::{app, telemetry};

pub type Error = lambda_http::Error;

/// Serves one HTTP function: logs, its state from the environment, then its routes through the
/// Lambda runtime until the instance is retired.
pub async fn serve_http(function: HttpFunction) -> Result<(), Error> {
    telemetry::init();
    let state = AppState::from_env(function.database, function.needs)
        .await
        .inspect_err(|error| {
            tracing::error!(%error, "start-up failed");
        })?;
    lambda_http::run(app::finish((function.routes)(), state)).await
}
