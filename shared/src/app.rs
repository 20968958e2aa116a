//! Turns route sets into a finished axum app: state, body limit, and problem+json for
//! anything no route matches.

use std::any::Any;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::response::IntoResponse;
use tower_http::catch_panic::CatchPanicLayer;

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
        // A panic is a bug, but the caller still gets a problem+json 500 and the log the detail.
        .layer(CatchPanicLayer::custom(|_panic: Box<dyn Any + Send>| {
            ApiError::Internal(anyhow::anyhow!("a request handler panicked")).into_response()
        }))
        .with_state(state)
}
