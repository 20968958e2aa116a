//! The checks a restock note passes before it is stored: the strict schema's shape, priorities
//! that name only suggested products, a bounded text. A model that answers plain text anyway
//! still gives a note (with no priorities), as for the order summary.

use serde::Deserialize;

use super::prompt::MAX_PRIORITIES;
use crate::summary::answer::{self, AnswerError, Usage};

/// Longest note stored, in characters.
pub const MAX_NOTE_CHARS: usize = 1500;

#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub text: String,
    pub priorities: Vec<String>,
    pub model: Option<String>,
    pub usage: Usage,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Structured {
    text: String,
    priorities: Vec<String>,
}

/// The note in a chat-completions body. `skus` are the suggested products' SKUs: a priority
/// outside them is a product the model made up, so the answer does not fit.
pub fn parse(body: &[u8], skus: &[&str]) -> Result<Note, AnswerError> {
    let content = answer::content(body)?;
    let (text, priorities) = match answer::as_json(&content.content) {
        Some(json) => {
            let structured: Structured = serde_json::from_str(json)
                .map_err(|error| AnswerError::Misfit(error.to_string()))?;
            (structured.text, structured.priorities)
        }
        None => (content.content, Vec::new()),
    };
    if priorities.len() > MAX_PRIORITIES {
        return Err(AnswerError::Misfit(format!(
            "{} priorities, at most {MAX_PRIORITIES}",
            priorities.len()
        )));
    }
    if let Some(unknown) = priorities.iter().find(|sku| !skus.contains(&sku.as_str())) {
        return Err(AnswerError::Misfit(format!(
            "priority {:?} is not a suggested sku",
            unknown.chars().take(64).collect::<String>()
        )));
    }
    Ok(Note {
        text: answer::bound(&text, MAX_NOTE_CHARS)?,
        priorities,
        model: content.model,
        usage: content.usage,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(content: &str) -> Vec<u8> {
        json!({
            "model": "vendor/model-b",
            "choices": [{"message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": 500, "completion_tokens": 80, "cost": 0.0003}
        })
        .to_string()
        .into_bytes()
    }

    #[test]
    fn a_schema_answer_gives_text_priorities_model_and_usage() {
        let content = json!({"text": " Order mugs first. ", "priorities": ["MUG"]}).to_string();
        let note = parse(&body(&content), &["MUG", "POT"]).expect("fits");
        assert_eq!(note.text, "Order mugs first.");
        assert_eq!(note.priorities, ["MUG"]);
        assert_eq!(note.model.as_deref(), Some("vendor/model-b"));
        assert_eq!(note.usage.prompt_tokens, 500);
    }

    #[test]
    fn plain_text_is_still_a_note() {
        let note = parse(&body("Order mugs first."), &["MUG"]).expect("plain");
        assert_eq!(note.text, "Order mugs first.");
        assert!(note.priorities.is_empty());
    }

    #[test]
    fn made_up_products_and_other_shapes_do_not_fit() {
        for misfit in [
            json!({"text": "x", "priorities": ["NOT-SUGGESTED"]}),
            json!({"text": "x", "priorities": ["MUG", "MUG", "MUG", "MUG", "MUG", "MUG"]}),
            json!({"text": "x"}),
            json!({"text": "x", "priorities": [], "risk": "low"}),
        ] {
            assert!(
                matches!(
                    parse(&body(&misfit.to_string()), &["MUG"]),
                    Err(AnswerError::Misfit(_))
                ),
                "{misfit}"
            );
        }
        let empty = json!({"text": "  ", "priorities": []}).to_string();
        assert_eq!(parse(&body(&empty), &["MUG"]), Err(AnswerError::Empty));
    }
}
