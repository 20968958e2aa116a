//! CSV files meant for spreadsheets: a text cell that starts like a formula (`=`, `+`, `-`,
//! `@`, tab, carriage return) would be run by Excel or Sheets when the file is opened, so it is
//! written with a leading apostrophe, which spreadsheets show as text. Reading undoes exactly
//! that, so an exported file imports back unchanged.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether a cell needs the apostrophe: it starts like a formula, or it starts with an
/// apostrophe before something that does (so that one is kept, not eaten, on the way back).
fn needs_guard(cell: &str) -> bool {
    match cell.chars().next() {
        Some(first) if FORMULA_STARTS.contains(&first) => true,
        Some('\'') => needs_guard(&cell[1..]),
        _ => false,
    }
}

/// A text cell as written to a file.
pub fn guard(cell: &str) -> String {
    if needs_guard(cell) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// A text cell as read from a file: the inverse of [`guard`].
pub fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_guard(rest) => rest,
        _ => cell,
    }
}

/// A finished CSV file as a download.
pub fn attachment(bytes: Vec<u8>, file_name: &'static str) -> Response {
    let disposition = format!("attachment; filename=\"{file_name}\"");
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_cells_are_guarded_and_come_back_unchanged() {
        for (cell, written) in [
            (
                "=HYPERLINK(\"http://evil\")",
                "'=HYPERLINK(\"http://evil\")",
            ),
            ("+1", "'+1"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("'=1", "''=1"),
            ("'90s mug", "'90s mug"),
            ("plain", "plain"),
            ("a=b", "a=b"),
            ("", ""),
        ] {
            assert_eq!(guard(cell), written, "{cell:?}");
            assert_eq!(unguard(&guard(cell)), cell, "{cell:?} round trip");
        }
        // A hand-written apostrophe that guards nothing is the cell's own text.
        assert_eq!(unguard("'90s mug"), "'90s mug");
    }
}
