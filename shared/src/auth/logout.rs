//! `POST /auth/logout`: ends every token issued to the caller so far.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;

use super::{AuthUser, session};
use crate::error::ApiResult;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/auth/logout", post(logout))
}

#[utoipa::path(
    post, path = "/auth/logout", tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Signed out: every token issued to the caller so far stops working"),
        (status = 401, description = "Missing, malformed, tampered, expired or already ended token", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn logout(State(state): State<AppState>, user: AuthUser) -> ApiResult<StatusCode> {
    session::end_all(&state.db, user.id).await?;
    Ok(StatusCode::NO_CONTENT)
}
