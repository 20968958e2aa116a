//! The bearer-token extractors every protected route starts with.
//!
//! A token is checked twice: its signature and claims, then the account's current state (one
//! indexed lookup), so logout, a role change, disabling or deletion take effect at once rather
//! than when the token expires.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use uuid::Uuid;

use super::Role;
use super::session::{self, SessionState};
use super::tokens::Claims;
use crate::error::ApiError;
use crate::state::AppState;

/// The caller, as proven by a valid access token and its account's current state.
#[derive(Debug, Clone, Copy)]
pub struct AuthUser {
    pub id: Uuid,
    /// The account's role now, not the one written into the token.
    pub role: Role,
}

impl AuthUser {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let (claims, account) = signed_in_account(parts, state).await?;
        require_current_session(&claims, &account)?;
        Ok(Self {
            id: claims.sub,
            role: account.role,
        })
    }
}

/// A caller with the `admin` role; anyone else authenticated gets 403.
#[derive(Debug, Clone, Copy)]
pub struct AdminUser(pub AuthUser);

impl FromRequestParts<AppState> for AdminUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let (claims, account) = signed_in_account(parts, state).await?;
        // The role is judged before the session version: a demoted admin's old token is told
        // it is not allowed (403) here, and ended (401) everywhere else.
        if account.role != Role::Admin {
            return Err(ApiError::Forbidden("This action needs the admin role."));
        }
        require_current_session(&claims, &account)?;
        Ok(Self(AuthUser {
            id: claims.sub,
            role: account.role,
        }))
    }
}

/// A verified token and the current state of an account that exists and is not disabled.
async fn signed_in_account(
    parts: &Parts,
    state: &AppState,
) -> Result<(Claims, SessionState), ApiError> {
    let token = bearer_token(parts)?;
    let claims = state.tokens.verify(token).map_err(|error| {
        tracing::info!(reason = %error, "rejected an access token");
        ApiError::Unauthorized("The access token is invalid or expired.")
    })?;
    let account = session::current(&state.db, claims.sub)
        .await?
        .ok_or_else(|| {
            tracing::info!(account = %claims.sub, "rejected a token of an account that does not exist");
            ApiError::Unauthorized("The account no longer exists.")
        })?;
    if account.disabled {
        return Err(ApiError::Unauthorized("The account is disabled."));
    }
    Ok((claims, account))
}

fn require_current_session(claims: &Claims, account: &SessionState) -> Result<(), ApiError> {
    if claims.sv == account.version {
        Ok(())
    } else {
        Err(ApiError::Unauthorized(
            "The session has ended; sign in again.",
        ))
    }
}

fn bearer_token(parts: &Parts) -> Result<&str, ApiError> {
    let value = parts
        .headers
        .get(header::AUTHORIZATION)
        .ok_or(ApiError::Unauthorized("An access token is required."))?
        .to_str()
        .map_err(|_| ApiError::Unauthorized("The Authorization header is malformed."))?;
    let (scheme, token) = value.split_once(' ').ok_or(ApiError::Unauthorized(
        "The Authorization header is malformed.",
    ))?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(ApiError::Unauthorized(
            "The Authorization header must be `Bearer <token>`.",
        ));
    }
    Ok(token.trim())
}
