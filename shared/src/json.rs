//! A JSON body extractor whose rejections are problem details: 400 for a body that is not
//! JSON (or not declared as JSON), 413 past the size limit, and 422 naming the field when the
//! JSON is well-formed but has the wrong shape.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;

use crate::error::{ApiError, FieldErrors};

/// Request bodies above this are refused with 413 (API contract: 1 MiB).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !declares_json(&request) {
            return Err(ApiError::BadRequest(
                "Expected a JSON body with `Content-Type: application/json`.".to_owned(),
            ));
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(body_rejection)?;
        parse(&bytes).map(ApiJson)
    }
}

fn declares_json(request: &Request) -> bool {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(|mime| {
            let mime = mime.trim().to_ascii_lowercase();
            mime == "application/json"
                || (mime.starts_with("application/") && mime.ends_with("+json"))
        })
        .unwrap_or(false)
}

fn body_rejection(rejection: BytesRejection) -> ApiError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge
    } else {
        ApiError::BadRequest("The request body could not be read.".to_owned())
    }
}

/// Parses a body, telling syntax errors (400) from shape errors (422 with the field's path).
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let inner = error.inner();
        if inner.is_data() {
            let path = error.path().to_string();
            let field = if path == "." { String::new() } else { path };
            FieldErrors::single(field, data_error_message(inner))
        } else {
            syntax_error(inner)
        }
    })?;
    // Anything after the value (a second document, stray characters) is malformed JSON.
    deserializer.end().map_err(|error| syntax_error(&error))?;
    Ok(value)
}

fn syntax_error(error: &serde_json::Error) -> ApiError {
    ApiError::BadRequest(format!("The body is not valid JSON: {error}."))
}

/// serde's messages end with "at line 1 column 42"; the field path already says where.
fn data_error_message(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(position) => text[..position].to_owned(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Order {
        items: Vec<Line>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Line {
        quantity: u32,
    }

    #[test]
    fn syntax_errors_are_bad_requests() {
        let error = parse::<Order>(b"{\"items\": [").expect_err("truncated JSON");
        assert_eq!(error.status(), StatusCode::BAD_REQUEST);
        let error = parse::<Order>(b"{\"items\": []} trailing").expect_err("trailing garbage");
        assert_eq!(error.status(), StatusCode::BAD_REQUEST);
    }

    #[test]
    fn shape_errors_name_the_field() {
        let error = parse::<Order>(br#"{"items":[{"quantity":"two"}]}"#).expect_err("wrong type");
        match error {
            ApiError::Validation(errors) => {
                assert_eq!(errors.as_slice()[0].field, "items[0].quantity");
                assert!(!errors.as_slice()[0].message.contains("line"));
            }
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn a_missing_field_is_a_validation_error() {
        let error = parse::<Order>(b"{}").expect_err("missing items");
        assert_eq!(error.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
}
