//! Keyset pagination: `?limit=1..100&cursor=<opaque>` in, `{"items", "next_cursor"}` out.
//!
//! A cursor is the sort key of the last item shown, so the next page starts strictly after it:
//! rows inserted meanwhile never shift a page the way an OFFSET would.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::{ApiError, FieldErrors};

pub const DEFAULT_LIMIT: i64 = 20;
pub const MAX_LIMIT: i64 = 100;

/// The raw paging parameters, validated by [`PageRequest::parse`] so that a bad `limit`
/// is a 422 naming the field rather than a generic query error.
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest<K> {
    pub limit: i64,
    pub after: Option<K>,
}

impl<K: DeserializeOwned> PageRequest<K> {
    pub fn parse(query: &PageQuery) -> Result<Self, ApiError> {
        let mut errors = FieldErrors::new();
        let limit = match query.limit.as_deref().map(str::trim) {
            None | Some("") => DEFAULT_LIMIT,
            Some(raw) => match raw.parse::<i64>() {
                Ok(limit) if (1..=MAX_LIMIT).contains(&limit) => limit,
                _ => {
                    errors.add("limit", format!("must be an integer from 1 to {MAX_LIMIT}"));
                    DEFAULT_LIMIT
                }
            },
        };
        let after = match query.cursor.as_deref().filter(|raw| !raw.is_empty()) {
            None => None,
            Some(raw) => match decode_cursor(raw) {
                Some(key) => Some(key),
                None => {
                    errors.add("cursor", "is not a cursor this list handed out");
                    None
                }
            },
        };
        errors.into_result()?;
        Ok(Self { limit, after })
    }

    /// How many rows to fetch: one more than shown tells whether another page exists.
    pub fn fetch_limit(&self) -> i64 {
        self.limit + 1
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// Builds a page from up to `limit + 1` rows, making the cursor from the last row shown.
    pub fn from_rows<K: Serialize>(mut rows: Vec<T>, limit: i64, key_of: impl Fn(&T) -> K) -> Self {
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        let has_more = rows.len() > limit;
        rows.truncate(limit);
        let next_cursor = if has_more {
            rows.last().map(|last| encode_cursor(&key_of(last)))
        } else {
            None
        };
        Self {
            items: rows,
            next_cursor,
        }
    }
}

pub fn encode_cursor<K: Serialize>(key: &K) -> String {
    // Serialising plain keys (strings, numbers, UUIDs, times) cannot fail.
    let json = serde_json::to_vec(key).unwrap_or_default();
    URL_SAFE_NO_PAD.encode(json)
}

pub fn decode_cursor<K: DeserializeOwned>(raw: &str) -> Option<K> {
    let json = URL_SAFE_NO_PAD.decode(raw.trim()).ok()?;
    serde_json::from_slice(&json).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(limit: Option<&str>, cursor: Option<&str>) -> PageQuery {
        PageQuery {
            limit: limit.map(str::to_owned),
            cursor: cursor.map(str::to_owned),
        }
    }

    #[test]
    fn limit_defaults_and_bounds() {
        let page: PageRequest<(String, i64)> =
            PageRequest::parse(&query(None, None)).expect("default");
        assert_eq!(page.limit, DEFAULT_LIMIT);
        for bad in ["0", "101", "-1", "ten"] {
            assert!(
                PageRequest::<i64>::parse(&query(Some(bad), None)).is_err(),
                "{bad}"
            );
        }
        assert_eq!(
            PageRequest::<i64>::parse(&query(Some("100"), None))
                .expect("max")
                .limit,
            100
        );
    }

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let cursor = encode_cursor(&("Widget".to_owned(), 7_i64));
        let page: PageRequest<(String, i64)> =
            PageRequest::parse(&query(None, Some(&cursor))).expect("cursor");
        assert_eq!(page.after, Some(("Widget".to_owned(), 7)));
        assert!(PageRequest::<(String, i64)>::parse(&query(None, Some("%%%"))).is_err());
    }

    #[test]
    fn a_page_has_a_cursor_only_when_more_rows_exist() {
        let full = Page::from_rows(vec![1, 2, 3], 2, |row| *row);
        assert_eq!(full.items, vec![1, 2]);
        assert_eq!(
            decode_cursor::<i32>(full.next_cursor.as_deref().expect("more")),
            Some(2)
        );
        let last = Page::from_rows(vec![1, 2], 2, |row| *row);
        assert!(last.next_cursor.is_none());
    }
}
