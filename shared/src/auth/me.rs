//! `GET /auth/me`: the account behind the presented token.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};

use super::AuthUser;
use super::users::{self, UserView};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/auth/me", get(me))
}

#[utoipa::path(
    get, path = "/auth/me", tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's account", body = UserView),
        (status = 401, description = "Missing, malformed, tampered or expired token", body = crate::error::Problem),
    )
)]
pub async fn me(State(state): State<AppState>, user: AuthUser) -> ApiResult<Json<UserView>> {
    users::find_by_id(&state.db, user.id)
        .await?
        .map(Json)
        // A valid token for an account that no longer exists proves nothing.
        .ok_or(ApiError::Unauthorized("The account no longer exists."))
}
