//! `GET /restock/suggestions` (admin): what to order next, most urgent first, with the latest
//! AI-written restock note.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use super::advice::store::{self, Advice};
use super::rule::Suggestion;
use crate::auth::AdminUser;
use crate::error::ApiResult;
use crate::state::AppState;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Suggestions {
    pub items: Vec<Suggestion>,
    /// The AI restock note: the latest attempt's status with the last good note; null until
    /// the first run of `restock-advice`.
    pub advice: Option<Advice>,
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/restock/suggestions", get(list_suggestions))
}

#[utoipa::path(
    get, path = "/restock/suggestions", tag = "restock",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Suggestions, most urgent first, and the latest note", body = Suggestions),
        (status = 401, description = "No valid token", body = crate::error::Problem),
        (status = 403, description = "Not an admin", body = crate::error::Problem),
    )
)]
pub async fn list_suggestions(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
) -> ApiResult<Json<Suggestions>> {
    let items = super::current(&state.db).await?;
    let advice = store::shown(&state.db).await?;
    Ok(Json(Suggestions { items, advice }))
}
