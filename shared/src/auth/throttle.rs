//! Guessing and mass registration are throttled in Postgres (no extra service): fixed windows
//! counted by `auth.take_attempt`, which serialises concurrent attempts on the window's row.
//!
//! Sign-in reserves an attempt before the password is checked and gives it back when the
//! password was right, so parallel wrong guesses cannot all pass the check before any is
//! counted.

use std::sync::OnceLock;

use axum::http::Extensions;
use lambda_http::request::RequestContext;
use sqlx::PgExecutor;

use crate::config::{self, ConfigError};
use crate::error::ApiError;

/// What is counted, and how much of it a window allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bound {
    pub scope: &'static str,
    pub attempts: i32,
    pub window_seconds: i32,
}

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub login_per_email: Bound,
    pub login_per_source: Bound,
    pub register_per_source: Bound,
}

impl Limits {
    pub const DEFAULT: Limits = Limits {
        login_per_email: Bound {
            scope: "login-email",
            attempts: 10,
            window_seconds: 15 * 60,
        },
        login_per_source: Bound {
            scope: "login-source",
            attempts: 100,
            window_seconds: 15 * 60,
        },
        register_per_source: Bound {
            scope: "register-source",
            attempts: 20,
            window_seconds: 60 * 60,
        },
    };

    /// `LOGIN_MAX_FAILURES_PER_EMAIL`, `LOGIN_MAX_FAILURES_PER_SOURCE` (per 15 minutes) and
    /// `REGISTER_MAX_PER_SOURCE` (per hour); the windows are `LOGIN_THROTTLE_WINDOW_SECONDS`
    /// and `REGISTER_THROTTLE_WINDOW_SECONDS`.
    pub fn from_env() -> Result<Self, ConfigError> {
        let d = Self::DEFAULT;
        let login_window = config::parsed_or(
            "LOGIN_THROTTLE_WINDOW_SECONDS",
            d.login_per_email.window_seconds,
        )?;
        let register_window = config::parsed_or(
            "REGISTER_THROTTLE_WINDOW_SECONDS",
            d.register_per_source.window_seconds,
        )?;
        Ok(Self {
            login_per_email: Bound {
                attempts: positive("LOGIN_MAX_FAILURES_PER_EMAIL", d.login_per_email.attempts)?,
                window_seconds: login_window,
                ..d.login_per_email
            },
            login_per_source: Bound {
                attempts: positive("LOGIN_MAX_FAILURES_PER_SOURCE", d.login_per_source.attempts)?,
                window_seconds: login_window,
                ..d.login_per_source
            },
            register_per_source: Bound {
                attempts: positive("REGISTER_MAX_PER_SOURCE", d.register_per_source.attempts)?,
                window_seconds: register_window,
                ..d.register_per_source
            },
        })
    }

    /// The limits of this instance, read from the environment once. A malformed value is
    /// logged and the defaults apply: a typo must not open sign-in to unlimited guessing.
    pub fn current() -> Limits {
        static LIMITS: OnceLock<Limits> = OnceLock::new();
        *LIMITS.get_or_init(|| {
            Self::from_env().unwrap_or_else(|error| {
                tracing::error!(%error, "throttle configuration refused; using the defaults");
                Self::DEFAULT
            })
        })
    }
}

fn positive(name: &'static str, default: i32) -> Result<i32, ConfigError> {
    let value: i32 = config::parsed_or(name, default)?;
    if value < 1 {
        return Err(ConfigError::Malformed {
            name,
            reason: "must be at least 1".to_owned(),
        });
    }
    Ok(value)
}

/// Counts one attempt against `bound` for `key`, or refuses it with the seconds to wait.
pub async fn take(
    db: impl PgExecutor<'_>,
    bound: Bound,
    key: &str,
) -> Result<Option<u64>, sqlx::Error> {
    let wait: i32 = sqlx::query_scalar("SELECT auth.take_attempt($1, $2, $3, $4)")
        .bind(bound.scope)
        .bind(key)
        .bind(bound.attempts)
        .bind(bound.window_seconds)
        .fetch_one(db)
        .await?;
    Ok((wait > 0).then(|| u64::try_from(wait).unwrap_or(1)))
}

/// Gives back an attempt that turned out not to be a failure.
pub async fn give_back(
    db: impl PgExecutor<'_>,
    bound: Bound,
    key: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT auth.give_back_attempt($1, $2)")
        .bind(bound.scope)
        .bind(key)
        .execute(db)
        .await?;
    Ok(())
}

pub fn too_many(retry_after: u64) -> ApiError {
    ApiError::TooManyRequests {
        detail: "Too many attempts.",
        retry_after,
    }
}

/// The caller's address as API Gateway saw it (its request context, which the caller cannot
/// forge, unlike `X-Forwarded-For`). Without a context (in-process tests) every caller shares
/// one bucket.
pub fn source_address(extensions: &Extensions) -> String {
    let address = match extensions.get::<RequestContext>() {
        Some(RequestContext::ApiGatewayV2(context)) => context.http.source_ip.clone(),
        Some(RequestContext::ApiGatewayV1(context)) => context.identity.source_ip.clone(),
        _ => None,
    };
    address.unwrap_or_else(|| "unknown".to_owned())
}

/// Deletes windows that ended more than a day ago; run by the scheduled sweep.
pub async fn forget_old_windows(db: impl PgExecutor<'_>) -> Result<u64, sqlx::Error> {
    let deleted = sqlx::query(
        "DELETE FROM auth.attempt_windows WHERE window_start < now() - interval '1 day'",
    )
    .execute(db)
    .await?;
    Ok(deleted.rows_affected())
}

/// The caller's source address, for handlers that throttle by it.
pub struct SourceAddress(pub String);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for SourceAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self(source_address(&parts.extensions)))
    }
}
