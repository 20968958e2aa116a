//! Turns route sets into a finished axum app: state, body limit, and problem+json for
//! anything no route matches.

use std::any::Any;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::response::IntoResponse;
use tower_http::catch_panic::CatchPanicLayer;

use crate::error::ApiError;
use crate::functions::HTTP_FUNCTIONS;
use crate::json::MAX_BODY_BYTES;
use crate::state::AppState;

/// Every route of the API, as one app. Each Lambda serves only its own slice (see
/// [`crate::functions`]); tests and tools use the whole.
pub fn all_routes() -> Router<AppState> {
    HTTP_FUNCTIONS.iter().fold(Router::new(), |app, function| {
        app.merge((function.routes)())
    })
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
