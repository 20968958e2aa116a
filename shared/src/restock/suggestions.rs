//! `GET /restock/suggestions` (admin): what to order next, most urgent first, with the latest
//! AI-written restock note.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::rule::Suggestion;
use crate::auth::AdminUser;
use crate::error::ApiResult;
use crate::state::AppState;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Suggestions {
    pub items: Vec<Suggestion>,
    /// The latest restock note; null until one was attempted.
    pub advice: Option<Advice>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Advice {
    /// `ready` or `failed`.
    #[schema(example = "ready")]
    pub status: String,
    pub text: Option<String>,
    pub generated_at: DateTime<Utc>,
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
    Ok(Json(Suggestions {
        items,
        advice: None,
    }))
}
