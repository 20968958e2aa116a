//! The flags a summary carries: facts about an order that staff may want to act on, computed
//! by code (see [`super::rules`]), never by the model.

use serde::{Deserialize, Serialize};

/// One flag: a code from the documented set and a sentence with the figures behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Flag {
    #[schema(example = "low_stock")]
    pub code: String,
    #[schema(example = "MUG-BLUE: 3 left after this order, threshold 5")]
    pub detail: String,
}

impl Flag {
    pub fn new(code: &str, detail: impl Into<String>) -> Self {
        Self {
            code: code.to_owned(),
            detail: detail.into(),
        }
    }
}
