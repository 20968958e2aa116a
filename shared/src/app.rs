//! Turns route sets into a finished axum app: state, body limit, and problem+json for
//! anything no route matches.

use axum::Router;
use axum::extract::DefaultBodyLimit;

use crate::error::ApiError;
use crate::json::MAX_BODY_BYTES;
use crate::state::AppState;
use crate::{auth, health, inventory, openapi, orders};

/// Every route of the API, as one app. Each Lambda serves only its own slice (see
/// `functions/`); tests and tools use the whole.
pub fn all_routes() -> Router<AppState> {
    Router::new()
        .merge(health::routes())
        .merge(openapi::routes())
        .merge(auth::register::routes())
        .merge(auth::login::routes())
        .merge(auth::me::routes())
        .merge(inventory::list::routes())
        .merge(inventory::get::routes())
        .merge(inventory::create::routes())
        .merge(inventory::update::routes())
        .merge(inventory::archive::routes())
        .merge(inventory::adjust::routes())
        .merge(inventory::movements::routes())
        .merge(orders::create::routes())
        .merge(orders::list::routes())
        .merge(orders::get::routes())
        .merge(orders::cancel::routes())
        .merge(orders::fulfil::routes())
}

pub fn finish(routes: Router<AppState>, state: AppState) -> Router {
    routes
        .fallback(|| async { ApiError::NotFound })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}
