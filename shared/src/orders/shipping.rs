//! Where an order goes and the customer's note: checked before the order transaction, so an
//! invalid address lists every bad field at once and takes no stock.

use serde::{Deserialize, Serialize};

use super::countries::is_country_code;
use crate::error::FieldErrors;

pub const MAX_ADDRESS_FIELD_CHARS: usize = 200;
pub const MAX_NOTE_CHARS: usize = 500;

/// A shipping address as the customer wrote it (trimmed; the country upper-cased).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Shipping {
    #[schema(example = "Ada Lovelace", min_length = 1, max_length = 200)]
    pub name: String,
    #[schema(example = "12 Analytical Row", min_length = 1, max_length = 200)]
    pub line1: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 200)]
    pub line2: Option<String>,
    #[schema(example = "London", min_length = 1, max_length = 200)]
    pub city: String,
    #[schema(example = "N1 9GU", min_length = 1, max_length = 200)]
    pub postal_code: String,
    /// ISO 3166-1 alpha-2 code, e.g. `GB`.
    #[schema(example = "GB", min_length = 2, max_length = 2)]
    pub country: String,
}

/// The stored form of an address: every field trimmed, an empty `line2` dropped, the country
/// in upper case. Problems go into `errors` under `shipping.<field>`.
pub fn normalise_shipping(shipping: &Shipping, errors: &mut FieldErrors) -> Shipping {
    let mut required = |field: &str, value: &str| -> String {
        let value = value.trim();
        let chars = value.chars().count();
        if chars == 0 {
            errors.add(format!("shipping.{field}"), "is required");
        } else if chars > MAX_ADDRESS_FIELD_CHARS {
            errors.add(
                format!("shipping.{field}"),
                format!("must be at most {MAX_ADDRESS_FIELD_CHARS} characters"),
            );
        }
        value.to_owned()
    };
    let name = required("name", &shipping.name);
    let line1 = required("line1", &shipping.line1);
    let city = required("city", &shipping.city);
    let postal_code = required("postal_code", &shipping.postal_code);
    let line2 = shipping
        .line2
        .as_deref()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned);
    if line2
        .as_deref()
        .is_some_and(|line| line.chars().count() > MAX_ADDRESS_FIELD_CHARS)
    {
        errors.add(
            "shipping.line2",
            format!("must be at most {MAX_ADDRESS_FIELD_CHARS} characters"),
        );
    }
    let country = shipping.country.trim().to_ascii_uppercase();
    if !is_country_code(&country) {
        errors.add(
            "shipping.country",
            "must be an ISO 3166-1 alpha-2 country code, such as GB or DE",
        );
    }
    Shipping {
        name,
        line1,
        line2,
        city,
        postal_code,
        country,
    }
}

/// The stored form of a note: trimmed, `None` when blank; too long goes into `errors`.
pub fn normalise_note(note: Option<&str>, errors: &mut FieldErrors) -> Option<String> {
    let note = note.map(str::trim).filter(|note| !note.is_empty())?;
    if note.chars().count() > MAX_NOTE_CHARS {
        errors.add(
            "note",
            format!("must be at most {MAX_NOTE_CHARS} characters"),
        );
    }
    Some(note.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address() -> Shipping {
        Shipping {
            name: " Ada Lovelace ".into(),
            line1: "12 Analytical Row".into(),
            line2: Some("  ".into()),
            city: "London".into(),
            postal_code: "N1 9GU".into(),
            country: "gb".into(),
        }
    }

    #[test]
    fn a_good_address_is_trimmed_and_its_country_upper_cased() {
        let mut errors = FieldErrors::new();
        let stored = normalise_shipping(&address(), &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(stored.name, "Ada Lovelace");
        assert_eq!(stored.line2, None);
        assert_eq!(stored.country, "GB");
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let bad = Shipping {
            name: "".into(),
            line1: "x".repeat(201),
            line2: Some("y".repeat(201)),
            city: " ".into(),
            postal_code: "".into(),
            country: "XX".into(),
        };
        let mut errors = FieldErrors::new();
        normalise_shipping(&bad, &mut errors);
        let fields: Vec<&str> = errors.as_slice().iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "shipping.name",
                "shipping.line1",
                "shipping.city",
                "shipping.postal_code",
                "shipping.line2",
                "shipping.country"
            ]
        );
    }

    #[test]
    fn notes_are_bounded_in_characters_not_bytes() {
        let mut errors = FieldErrors::new();
        assert_eq!(normalise_note(Some("   "), &mut errors), None);
        let five_hundred_umlauts = "ü".repeat(500);
        normalise_note(Some(&five_hundred_umlauts), &mut errors);
        assert!(errors.is_empty());
        normalise_note(Some(&"a".repeat(501)), &mut errors);
        assert_eq!(errors.as_slice().len(), 1);
    }
}
