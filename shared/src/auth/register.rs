//! `POST /auth/register`: anyone may open a customer account.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;

use super::throttle::{self, Limits, SourceAddress};
use super::users::{self, UserView};
use super::{Role, password};
use crate::db;
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::json::ApiJson;
use crate::state::AppState;

pub const MIN_PASSWORD_BYTES: usize = 8;
pub const MAX_PASSWORD_BYTES: usize = 256;
pub const MAX_EMAIL_CHARS: usize = 254;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct Credentials {
    #[schema(example = "ada@example.com")]
    pub email: String,
    #[schema(example = "correct horse battery")]
    pub password: String,
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/auth/register", post(register))
}

#[utoipa::path(
    post, path = "/auth/register", tag = "auth",
    request_body = Credentials,
    responses(
        (status = 201, description = "Account created", body = UserView),
        (status = 400, description = "Malformed JSON or not JSON", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Email already registered", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 1 MiB", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid email or password", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many registrations from this address; `Retry-After` says how many seconds to wait",
            body = crate::error::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds until the window ends"))),
    )
)]
pub async fn register(
    State(state): State<AppState>,
    SourceAddress(source): SourceAddress,
    ApiJson(body): ApiJson<Credentials>,
) -> ApiResult<(StatusCode, Json<UserView>)> {
    let email = body.email.trim().to_owned();
    validate(&email, &body.password)?;
    let bound = Limits::current().register_per_source;
    if let Some(wait) = throttle::take(&state.db, bound, &source).await? {
        tracing::warn!(event = "registration_throttled", source_ip = %source, "registration throttled");
        return Err(throttle::too_many(wait));
    }
    let hash = password::hash(body.password).await?;
    match users::insert(&state.db, &email, &hash, Role::Customer).await {
        Ok(user) => Ok((StatusCode::CREATED, Json(user))),
        Err(error) if db::violates(&error, users::EMAIL_UNIQUE_INDEX) => Err(ApiError::conflict(
            "email-taken",
            "An account with this email already exists.",
        )),
        Err(error) => Err(error.into()),
    }
}

pub fn validate(email: &str, password: &str) -> Result<(), ApiError> {
    let mut errors = FieldErrors::new();
    if !looks_like_email(email) {
        errors.add("email", "must be an email address such as name@example.com");
    }
    if password.len() < MIN_PASSWORD_BYTES {
        errors.add(
            "password",
            format!("must be at least {MIN_PASSWORD_BYTES} bytes"),
        );
    } else if password.len() > MAX_PASSWORD_BYTES {
        errors.add(
            "password",
            format!("must be at most {MAX_PASSWORD_BYTES} bytes"),
        );
    }
    errors.into_result()
}

/// Deliberately modest: one `@`, something on both sides, a dot in the domain, no spaces.
/// Whether the mailbox exists is not something a regex can tell.
fn looks_like_email(email: &str) -> bool {
    if email.chars().count() > MAX_EMAIL_CHARS
        || email.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return false;
    }
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for good in ["a@b.co", "Ada.Lovelace+shop@example.com"] {
            assert!(looks_like_email(good), "{good}");
        }
        for bad in [
            "",
            "ada",
            "@example.com",
            "ada@",
            "ada@example",
            "a b@c.de",
            "a@@b.c",
            "a@b..c",
            "a@.b.c",
        ] {
            assert!(!looks_like_email(bad), "{bad}");
        }
    }

    #[test]
    fn password_bounds_are_bytes() {
        assert!(validate("a@b.co", "1234567").is_err());
        assert!(validate("a@b.co", "12345678").is_ok());
        assert!(validate("a@b.co", &"x".repeat(256)).is_ok());
        assert!(validate("a@b.co", &"x".repeat(257)).is_err());
        // 4 two-byte characters are 8 bytes.
        assert!(validate("a@b.co", "éééé").is_ok());
    }

    #[test]
    fn every_bad_field_is_reported() {
        match validate("nope", "short") {
            Err(ApiError::Validation(errors)) => assert_eq!(errors.as_slice().len(), 2),
            other => panic!("expected two field errors, got {other:?}"),
        }
    }
}
