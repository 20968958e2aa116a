//! One error type for every route, rendered as RFC 9457 problem details.
//!
//! Client errors carry a message meant for the caller. Everything unexpected becomes
//! `Internal`: it is logged with its full context and answered with a bare 500, so SQL,
//! file paths and stack details never reach a response body.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Map, Value};

/// A single invalid field of a request, as listed in a problem's `errors` member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    /// Where the problem is, e.g. `items[0].quantity`.
    pub field: String,
    pub message: String,
}

/// Collects every invalid field of a request so the caller can fix them all at once.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn as_slice(&self) -> &[FieldError] {
        &self.0
    }

    /// `Ok(())` when nothing was added, otherwise the 422 that lists every field.
    pub fn into_result(self) -> Result<(), ApiError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self))
        }
    }

    /// `parsed` when neither it nor these checks failed; otherwise one 422 listing these fields
    /// and the ones `parsed` refused, so a caller learns every problem at once.
    pub fn into_result_with<T>(mut self, parsed: Result<T, ApiError>) -> Result<T, ApiError> {
        match parsed {
            Ok(value) => self.into_result().map(|()| value),
            Err(ApiError::Validation(more)) => {
                self.0.extend(more.0);
                Err(ApiError::Validation(self))
            }
            Err(other) => Err(self.into_result().err().unwrap_or(other)),
        }
    }

    /// A 422 naming one field.
    pub fn single(field: impl Into<String>, message: impl Into<String>) -> ApiError {
        let mut errors = Self::new();
        errors.add(field, message);
        ApiError::Validation(errors)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("unauthorized: {0}")]
    Unauthorized(&'static str),
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The request contradicts the current state; `extensions` become extra problem members.
    #[error("conflict: {detail}")]
    Conflict {
        detail: String,
        kind: &'static str,
        extensions: Map<String, Value>,
    },
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("validation failed: {0:?}")]
    Validation(FieldErrors),
    /// Throttled; the caller may try again after `retry_after` seconds (`Retry-After`).
    #[error("too many requests: {detail}")]
    TooManyRequests {
        detail: &'static str,
        retry_after: u64,
    },
    #[error("service unavailable: {0}")]
    Unavailable(&'static str),
    #[error("internal error: {0:#}")]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    pub fn conflict(kind: &'static str, detail: impl Into<String>) -> Self {
        Self::Conflict {
            detail: detail.into(),
            kind,
            extensions: Map::new(),
        }
    }

    /// Adds an extra member to a conflict's problem details (e.g. what is short); other
    /// errors have no place for one and are returned unchanged.
    pub fn with_member(mut self, name: &str, value: Value) -> Self {
        if let Self::Conflict { extensions, .. } = &mut self {
            extensions.insert(name.to_owned(), value);
        }
        self
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The answer to keep for an idempotent repeat: the outcomes of a request that was carried
    /// out (a conflict, an invalid reference). Server errors are not kept, so a retry can succeed.
    pub fn stored_answer(&self) -> Option<(StatusCode, serde_json::Value)> {
        match self {
            Self::Conflict { .. } | Self::Validation(_) => serde_json::to_value(self.problem())
                .ok()
                .map(|body| (self.status(), body)),
            _ => None,
        }
    }

    fn problem(&self) -> Problem {
        let status = self.status();
        let mut problem = Problem::new(status);
        match self {
            Self::BadRequest(detail) => problem.detail = Some(detail.clone()),
            Self::Unauthorized(detail) | Self::Forbidden(detail) | Self::Unavailable(detail) => {
                problem.detail = Some((*detail).to_owned())
            }
            Self::NotFound => problem.detail = Some("No such resource.".to_owned()),
            Self::MethodNotAllowed => {
                problem.detail = Some("This route does not accept that method.".to_owned())
            }
            Self::Conflict {
                detail,
                kind,
                extensions,
            } => {
                problem.problem_type = format!("/problems/{kind}");
                problem.detail = Some(detail.clone());
                problem.extensions = extensions.clone();
            }
            Self::TooManyRequests {
                detail,
                retry_after,
            } => {
                problem.problem_type = "/problems/too-many-requests".to_owned();
                problem.detail = Some(format!("{detail} Try again in {retry_after} s."));
            }
            Self::PayloadTooLarge => {
                problem.detail = Some("The request body is larger than 1 MiB.".to_owned())
            }
            Self::Validation(errors) => {
                problem.problem_type = "/problems/validation".to_owned();
                problem.detail = Some("The request has invalid fields.".to_owned());
                problem.errors = Some(errors.as_slice().to_vec());
            }
            Self::Internal(_) => {
                problem.detail = Some("Something went wrong on our side.".to_owned())
            }
        }
        problem
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        // SQLSTATE class 22 (data exception): a value from the request that Postgres cannot
        // hold, such as a NUL character or a time out of its range. The request is at fault.
        let data_exception = error
            .as_database_error()
            .and_then(|db| db.code())
            .is_some_and(|code| code.starts_with("22"));
        if data_exception {
            tracing::info!(%error, "request value refused by the database");
            return FieldErrors::single(
                "request",
                "holds a value that cannot be stored, such as a NUL character or an out-of-range time",
            );
        }
        Self::Internal(anyhow::Error::new(error).context("database query failed"))
    }
}

/// RFC 9457 problem details.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldError>>,
    #[serde(flatten)]
    #[schema(ignore)]
    pub extensions: Map<String, Value>,
}

impl Problem {
    pub fn new(status: StatusCode) -> Self {
        Self {
            problem_type: "about:blank".to_owned(),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: None,
            errors: None,
            extensions: Map::new(),
        }
    }
}

pub const PROBLEM_JSON: &str = "application/problem+json";

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let retry_after = match &self {
            Self::TooManyRequests { retry_after, .. } => Some(*retry_after),
            _ => None,
        };
        if status.is_server_error() {
            // The full chain goes to the log (with the request id from the invocation span),
            // never to the caller.
            tracing::error!(error = ?self, "request failed");
        }
        let mut response = (status, axum::Json(self.problem())).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(seconds) = retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_hide_their_cause() {
        let error = ApiError::Internal(anyhow::anyhow!("relation \"auth.users\" does not exist"));
        let body = serde_json::to_string(&error.problem()).expect("serialises");
        assert!(!body.contains("auth.users"), "{body}");
        assert!(body.contains("\"status\":500"));
    }

    #[test]
    fn validation_lists_every_field() {
        let mut errors = FieldErrors::new();
        errors.add("email", "is not an email address");
        errors.add("password", "must be at least 8 bytes");
        let problem = ApiError::Validation(errors).problem();
        assert_eq!(problem.status, 422);
        assert_eq!(problem.errors.as_ref().map(Vec::len), Some(2));
    }

    #[test]
    fn checks_and_a_refused_parse_answer_one_422_with_both_fields() {
        let mut errors = FieldErrors::new();
        errors.add("status", "unknown");
        let parsed: Result<u8, ApiError> = Err(FieldErrors::single("limit", "too big"));
        let Err(ApiError::Validation(all)) = errors.into_result_with(parsed) else {
            panic!("a 422");
        };
        let fields: Vec<&str> = all.as_slice().iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["status", "limit"]);
        assert_eq!(
            FieldErrors::new()
                .into_result_with(Ok::<u8, ApiError>(7))
                .ok(),
            Some(7)
        );
    }

    #[test]
    fn conflict_extensions_are_top_level_members() {
        let error = ApiError::conflict("insufficient-stock", "short")
            .with_member("short", serde_json::json!([1]));
        let body = serde_json::to_value(error.problem()).expect("serialises");
        assert_eq!(body["short"], serde_json::json!([1]));
        assert_eq!(body["type"], "/problems/insufficient-stock");
    }
}
