//! The checks a provider's answer passes before it is stored.

use serde::Deserialize;

/// Why an answer was not usable. The provider answered 200, so these count as provider
/// failures and are retried like a 5xx.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("the answer is not chat-completions JSON: {0}")]
    NotJson(String),
    #[error("the answer has no choices[0].message.content string")]
    NoContent,
    #[error("the answer's content is empty")]
    Empty,
}

#[derive(Deserialize)]
struct Completion {
    #[serde(default)]
    choices: Vec<Choice>,
}

#[derive(Deserialize)]
struct Choice {
    message: Option<Message>,
}

#[derive(Deserialize)]
struct Message {
    content: Option<serde_json::Value>,
}

/// The summary text in a chat-completions body, cleaned and cut to at most `max_chars`.
pub fn summary_from_body(body: &[u8], max_chars: usize) -> Result<String, AnswerError> {
    let completion: Completion =
        serde_json::from_slice(body).map_err(|error| AnswerError::NotJson(error.to_string()))?;
    let content = completion
        .choices
        .into_iter()
        .next()
        .and_then(|choice| choice.message)
        .and_then(|message| message.content)
        .and_then(|content| match content {
            serde_json::Value::String(text) => Some(text),
            _ => None,
        })
        .ok_or(AnswerError::NoContent)?;
    bound(&content, max_chars)
}

/// Trims, drops control characters (Postgres refuses NUL in text; the others only garble a
/// page), and cuts at a character boundary so the stored text is always valid UTF-8.
pub fn bound(raw: &str, max_chars: usize) -> Result<String, AnswerError> {
    let cleaned: String = raw
        .trim()
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .take(max_chars)
        .collect();
    let cleaned = cleaned.trim_end().to_owned();
    if cleaned.is_empty() {
        Err(AnswerError::Empty)
    } else {
        Ok(cleaned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(content: serde_json::Value) -> Vec<u8> {
        serde_json::json!({"choices": [{"message": {"role": "assistant", "content": content}}]})
            .to_string()
            .into_bytes()
    }

    #[test]
    fn takes_the_first_choice() {
        let text = summary_from_body(&body("  Two mugs.  ".into()), 100).expect("valid");
        assert_eq!(text, "Two mugs.");
    }

    #[test]
    fn rejects_unusable_answers() {
        assert!(matches!(
            summary_from_body(b"<html>", 10),
            Err(AnswerError::NotJson(_))
        ));
        assert_eq!(
            summary_from_body(b"{\"choices\":[]}", 10),
            Err(AnswerError::NoContent)
        );
        assert_eq!(
            summary_from_body(&body(serde_json::Value::Null), 10),
            Err(AnswerError::NoContent)
        );
        assert_eq!(
            summary_from_body(&body(42.into()), 10),
            Err(AnswerError::NoContent)
        );
        assert_eq!(
            summary_from_body(&body(" \n ".into()), 10),
            Err(AnswerError::Empty)
        );
    }

    #[test]
    fn cuts_long_answers_at_a_character_boundary() {
        let long = "é".repeat(3000);
        let text = bound(&long, 2000).expect("valid");
        assert_eq!(text.chars().count(), 2000);
    }

    #[test]
    fn drops_nul_and_other_control_characters() {
        assert_eq!(bound("a\0b\u{7}c\nd", 100).expect("valid"), "abc\nd");
    }
}
