//! `POST /auth/login`: trade an email and password for an access token.

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use serde::Serialize;

use super::register::{Credentials, MAX_EMAIL_CHARS};
use super::throttle::{self, Limits, SourceAddress};
use super::{password, users};
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
        (status = 400, description = "Malformed JSON or not JSON", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 401, description = "Unknown email or wrong password (indistinguishable)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 1 MiB", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "`email` or `password` missing or not a string", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed sign-ins for this email or from this address; `Retry-After` says how many seconds to wait",
            body = crate::error::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds until the window ends"))),
    )
)]
pub async fn login(
    State(state): State<AppState>,
    SourceAddress(source): SourceAddress,
    ApiJson(body): ApiJson<Credentials>,
) -> ApiResult<Json<AccessToken>> {
    let issuer = state.tokens.issuer()?;
    let email = body.email.trim().to_lowercase();
    if email.contains('\0') || email.chars().count() > MAX_EMAIL_CHARS {
        // No account can have this address; nothing to look up or count.
        return Err(wrong_credentials());
    }
    let limits = Limits::current();
    if let Some(wait) = throttle::take(&state.db, limits.login_per_email, &email).await? {
        log_failure(&email, &source, "throttled_email");
        return Err(throttle::too_many(wait));
    }
    if let Some(wait) = throttle::take(&state.db, limits.login_per_source, &source).await? {
        throttle::give_back(&state.db, limits.login_per_email, &email).await?;
        log_failure(&email, &source, "throttled_source");
        return Err(throttle::too_many(wait));
    }
    let found = users::find_by_email(&state.db, &email).await?;
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
        _ => {
            log_failure(&email, &source, "wrong_credentials");
            return Err(wrong_credentials());
        }
    };
    // Not a failure: the reserved attempts are given back.
    throttle::give_back(&state.db, limits.login_per_email, &email).await?;
    throttle::give_back(&state.db, limits.login_per_source, &source).await?;
    let access_token = issuer.issue(account.user.id, account.user.role, account.session_version)?;
    Ok(Json(AccessToken {
        access_token,
        token_type: "Bearer",
        expires_in: issuer.ttl().as_secs(),
    }))
}

fn wrong_credentials() -> ApiError {
    ApiError::Unauthorized("The email or password is wrong.")
}

/// One JSON line per failed sign-in, counted by the template's metric filter. Never the password.
fn log_failure(email: &str, source: &str, reason: &'static str) {
    tracing::warn!(
        event = "sign_in_failed",
        reason,
        email,
        source_ip = source,
        "sign-in failed"
    );
}
