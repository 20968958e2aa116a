//! `Idempotency-Key` for `POST /orders`: a repeat with the same key and body gets the first
//! answer back; the same key with another body is refused.

use axum::http::{HeaderMap, StatusCode};
use ring::digest;
use serde::Serialize;
use serde_json::Value;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::error::{ApiError, FieldErrors};

pub const HEADER: &str = "idempotency-key";
const MAX_KEY_CHARS: usize = 255;

/// The key a client sent, if any; 422 when it is empty or too long.
pub fn key_from(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get(HEADER) else {
        return Ok(None);
    };
    let key = value
        .to_str()
        .map_err(|_| FieldErrors::single("Idempotency-Key", "must be printable ASCII"))?;
    if key.is_empty() || key.chars().count() > MAX_KEY_CHARS {
        return Err(FieldErrors::single(
            "Idempotency-Key",
            format!("must be 1 to {MAX_KEY_CHARS} characters"),
        ));
    }
    Ok(Some(key.to_owned()))
}

/// A digest of the request as parsed, so formatting differences do not count as another body.
pub fn fingerprint<T: Serialize>(request: &T) -> String {
    let canonical = serde_json::to_vec(request).unwrap_or_default();
    let hash = digest::digest(&digest::SHA256, &canonical);
    hash.as_ref()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The answer to replay for a key claimed before (by `orders.place_order`, which waits for a
/// concurrent claim of the same key to commit or roll back first): the stored one when the
/// request is the same, 422 when the key came with another body.
pub fn replay(
    request_hash: Option<&str>,
    stored_hash: &str,
    status: Option<i16>,
    body: Option<Value>,
) -> Result<(StatusCode, Value), ApiError> {
    if request_hash != Some(stored_hash) {
        return Err(FieldErrors::single(
            "Idempotency-Key",
            "was already used with a different request body",
        ));
    }
    let (Some(status), Some(body)) = (status, body) else {
        return Err(ApiError::Internal(anyhow::anyhow!(
            "idempotency record committed without an answer"
        )));
    };
    let status = u16::try_from(status)
        .ok()
        .and_then(|code| StatusCode::from_u16(code).ok())
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("stored status {status} is not HTTP")))?;
    Ok((status, body))
}

/// Stores the answer of a fresh claim; it commits with the claim.
pub async fn store(
    tx: &mut PgConnection,
    user: Uuid,
    key: &str,
    status: StatusCode,
    body: &Value,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE orders.idempotency_keys SET status_code = $3, response = $4
         WHERE user_id = $1 AND key = $2",
    )
    .bind(user)
    .bind(key)
    .bind(status.as_u16() as i16)
    .bind(body)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use serde_json::json;

    #[test]
    fn fingerprints_ignore_formatting_but_not_content() {
        let a: Value =
            serde_json::from_str(r#"{"items":[{"product_id":"x","quantity":1}]}"#).unwrap();
        let b: Value =
            serde_json::from_str("{ \"items\" : [ {\"quantity\":1, \"product_id\":\"x\"} ] }")
                .unwrap();
        assert_eq!(fingerprint(&a), fingerprint(&b));
        assert_ne!(
            fingerprint(&a),
            fingerprint(&json!({"items": [{"product_id": "x", "quantity": 2}]}))
        );
    }

    #[test]
    fn keys_are_bounded() {
        let mut headers = HeaderMap::new();
        assert!(key_from(&headers).unwrap().is_none());
        headers.insert(HEADER, HeaderValue::from_static(""));
        assert!(key_from(&headers).is_err());
        headers.insert(HEADER, HeaderValue::from_str(&"k".repeat(256)).unwrap());
        assert!(key_from(&headers).is_err());
        headers.insert(HEADER, HeaderValue::from_str(&"k".repeat(255)).unwrap());
        assert_eq!(key_from(&headers).unwrap().map(|k| k.len()), Some(255));
    }
}
