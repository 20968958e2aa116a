//! `POST /auth/login`: trade an email and password for an access token.

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use serde::Serialize;

use super::password;
use super::register::Credentials;
use super::users;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::state::AppState;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AccessToken {
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Seconds until the token expires (at most 3600).
    pub expires_in: u64,
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/auth/login", post(login))
}

#[utoipa::path(
    post, path = "/auth/login", tag = "auth",
    request_body = Credentials,
    responses(
        (status = 200, description = "Signed in", body = AccessToken),
        (status = 401, description = "Unknown email or wrong password (indistinguishable)", body = crate::error::Problem),
    )
)]
pub async fn login(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<Credentials>,
) -> ApiResult<Json<AccessToken>> {
    let issuer = state.tokens.issuer()?;
    let found = users::find_by_email(&state.db, body.email.trim()).await?;
    let (account, stored_hash) = match found {
        Some(found) => {
            let hash = found.password_hash.clone();
            (Some(found), Some(hash))
        }
        None => (None, None),
    };
    let verified = password::verify(body.password, stored_hash).await?;
    let account = match account {
        Some(account) if verified && !account.disabled => account,
        // One answer for every case, so the endpoint does not reveal which emails exist.
        _ => return Err(ApiError::Unauthorized("The email or password is wrong.")),
    };
    let access_token = issuer.issue(account.user.id, account.user.role, account.session_version)?;
    Ok(Json(AccessToken {
        access_token,
        token_type: "Bearer",
        expires_in: issuer.ttl().as_secs(),
    }))
}
