//! `GET /health`: up once the database answers.

use std::time::Duration;

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

const DATABASE_TIMEOUT: Duration = Duration::from_secs(3);

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    pub status: &'static str,
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/health", get(health))
}

#[utoipa::path(
    get, path = "/health", tag = "health",
    responses(
        (status = 200, description = "The database answers", body = Health),
        (status = 503, description = "The database does not answer", body = crate::error::Problem),
    )
)]
pub async fn health(State(state): State<AppState>) -> ApiResult<Json<Health>> {
    let ping = sqlx::query_scalar::<_, i32>("SELECT 1").fetch_one(&state.db);
    match tokio::time::timeout(DATABASE_TIMEOUT, ping).await {
        Ok(Ok(_)) => Ok(Json(Health { status: "ok" })),
        Ok(Err(error)) => {
            tracing::warn!(%error, "health check: database error");
            Err(ApiError::Unavailable("The database is not reachable."))
        }
        Err(_) => {
            tracing::warn!("health check: database timed out");
            Err(ApiError::Unavailable("The database is not reachable."))
        }
    }
}
