//! The checks a provider's answer passes before it is stored.
//!
//! The request asks for a JSON answer `{"text", "risk"}` (strict schema). A model that answers
//! plain text anyway still gives a usable summary: that text, with no risk. An answer that
//! starts out as JSON but does not fit the schema, or a 200 whose body is an error, is a
//! provider failure and is retried.

use serde::Deserialize;

/// Why an answer was not usable. The provider answered 200, so these count as provider
/// failures and are retried like a 5xx.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("the answer is not chat-completions JSON: {0}")]
    NotJson(String),
    #[error("the answer is an error object: {0}")]
    ErrorObject(String),
    #[error("the answer has no choices[0].message.content string")]
    NoContent,
    #[error("the answer's content is empty")]
    Empty,
    #[error("the answer's JSON does not fit the summary schema: {0}")]
    Misfit(String),
    #[error("the answer is larger than {0} bytes")]
    TooLarge(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Risk {
    Low,
    Medium,
    High,
}

impl Risk {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
        }
    }
}

/// Tokens and the provider-reported cost of one answer (OpenRouter's `usage`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize)]
pub struct Usage {
    #[serde(default)]
    pub prompt_tokens: i64,
    #[serde(default)]
    pub completion_tokens: i64,
    /// US dollars; 0 when the provider reports none.
    #[serde(default)]
    pub cost: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub text: String,
    /// `None` when the model answered plain text instead of the schema.
    pub risk: Option<Risk>,
    /// The model that answered, as the provider names it (with fallback, not always the first).
    pub model: Option<String>,
    pub usage: Usage,
}

impl Answer {
    /// A plain-text answer with no risk, model or usage (what a bare provider gives).
    pub fn plain(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            risk: None,
            model: None,
            usage: Usage::default(),
        }
    }
}

#[derive(Deserialize)]
struct Completion {
    #[serde(default)]
    choices: Vec<Choice>,
    error: Option<serde_json::Value>,
    model: Option<String>,
    usage: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct Choice {
    message: Option<Message>,
    error: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct Message {
    content: Option<serde_json::Value>,
}

/// The schema's shape; anything else in a JSON answer makes it a misfit.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Structured {
    text: String,
    risk: Risk,
}

/// What a chat-completions body holds, before any feature reads its content.
#[derive(Debug, Clone, PartialEq)]
pub struct Content {
    /// `choices[0].message.content`, as the model wrote it.
    pub content: String,
    pub model: Option<String>,
    pub usage: Usage,
}

/// The first choice's content, the model and the usage of a chat-completions body; an error
/// object anywhere in it is a failure.
pub fn content(body: &[u8]) -> Result<Content, AnswerError> {
    let completion: Completion =
        serde_json::from_slice(body).map_err(|error| AnswerError::NotJson(error.to_string()))?;
    let first = completion.choices.into_iter().next();
    if let Some(error) = completion
        .error
        .or_else(|| first.as_ref().and_then(|choice| choice.error.clone()))
    {
        return Err(AnswerError::ErrorObject(
            error.to_string().chars().take(300).collect(),
        ));
    }
    let content = first
        .and_then(|choice| choice.message)
        .and_then(|message| message.content)
        .and_then(|content| match content {
            serde_json::Value::String(text) => Some(text),
            _ => None,
        })
        .ok_or(AnswerError::NoContent)?;
    // Usage is bookkeeping: an odd shape must not cost the answer.
    let usage = completion
        .usage
        .and_then(|usage| serde_json::from_value(usage).ok())
        .unwrap_or_default();
    Ok(Content {
        content,
        model: completion.model.filter(|model| !model.trim().is_empty()),
        usage,
    })
}

/// The summary in a chat-completions body, cleaned and cut to at most `max_chars`.
pub fn parse(body: &[u8], max_chars: usize) -> Result<Answer, AnswerError> {
    let Content {
        content,
        model,
        usage,
    } = content(body)?;
    let (text, risk) = match as_json(&content) {
        Some(json) => {
            let structured: Structured = serde_json::from_str(json)
                .map_err(|error| AnswerError::Misfit(error.to_string()))?;
            (structured.text, Some(structured.risk))
        }
        None => (content, None),
    };
    Ok(Answer {
        text: bound(&text, max_chars)?,
        risk,
        model,
        usage,
    })
}

/// The content as a JSON answer, when it is meant as one: it starts with `{`, possibly inside
/// a ```json fence. Anything else is a plain-text answer.
pub fn as_json(content: &str) -> Option<&str> {
    let trimmed = content.trim();
    let unfenced = trimmed
        .strip_prefix("```json")
        .or_else(|| trimmed.strip_prefix("```"))
        .and_then(|rest| rest.trim_end().strip_suffix("```"))
        .map(str::trim)
        .unwrap_or(trimmed);
    unfenced.starts_with('{').then_some(unfenced)
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
    use serde_json::json;

    fn body(content: serde_json::Value) -> Vec<u8> {
        json!({
            "model": "vendor/model-b",
            "choices": [{"message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": 120, "completion_tokens": 40, "cost": 0.00042}
        })
        .to_string()
        .into_bytes()
    }

    #[test]
    fn a_schema_answer_gives_text_risk_model_and_usage() {
        let content = json!({"text": " Two mugs. ", "risk": "medium"}).to_string();
        let answer = parse(&body(content.into()), 100).expect("valid");
        assert_eq!(answer.text, "Two mugs.");
        assert_eq!(answer.risk, Some(Risk::Medium));
        assert_eq!(answer.model.as_deref(), Some("vendor/model-b"));
        assert_eq!(answer.usage.prompt_tokens, 120);
        assert_eq!(answer.usage.completion_tokens, 40);
        assert!((answer.usage.cost - 0.00042).abs() < 1e-12);
        let fenced = "```json\n{\"text\": \"Fenced.\", \"risk\": \"low\"}\n```";
        assert_eq!(
            parse(&body(fenced.into()), 100).expect("valid").risk,
            Some(Risk::Low)
        );
    }

    #[test]
    fn plain_text_is_still_a_summary_without_risk() {
        let answer = parse(&body("  Two mugs.  ".into()), 100).expect("valid");
        assert_eq!(answer.text, "Two mugs.");
        assert_eq!(answer.risk, None);
    }

    #[test]
    fn json_that_does_not_fit_is_a_failure() {
        for misfit in [
            json!({"text": "x", "risk": "extreme"}),
            json!({"text": "x"}),
            json!({"text": "x", "risk": "low", "flags": [{"code": "made_up"}]}),
            json!({"summary": "x"}),
        ] {
            assert!(
                matches!(
                    parse(&body(misfit.to_string().into()), 100),
                    Err(AnswerError::Misfit(_))
                ),
                "{misfit}"
            );
        }
        assert!(matches!(
            parse(&body("{not json".into()), 100),
            Err(AnswerError::Misfit(_))
        ));
    }

    #[test]
    fn an_error_object_in_a_200_is_a_failure() {
        let top = json!({"error": {"code": 502, "message": "upstream failed"}}).to_string();
        assert!(matches!(
            parse(top.as_bytes(), 100),
            Err(AnswerError::ErrorObject(_))
        ));
        let in_choice =
            json!({"choices": [{"error": {"message": "cut"}, "message": {"content": "x"}}]})
                .to_string();
        assert!(matches!(
            parse(in_choice.as_bytes(), 100),
            Err(AnswerError::ErrorObject(_))
        ));
    }

    #[test]
    fn rejects_unusable_answers() {
        assert!(matches!(parse(b"<html>", 10), Err(AnswerError::NotJson(_))));
        assert_eq!(parse(b"{\"choices\":[]}", 10), Err(AnswerError::NoContent));
        assert_eq!(
            parse(&body(serde_json::Value::Null), 10),
            Err(AnswerError::NoContent)
        );
        assert_eq!(parse(&body(42.into()), 10), Err(AnswerError::NoContent));
        assert_eq!(parse(&body(" \n ".into()), 10), Err(AnswerError::Empty));
        let empty_text = json!({"text": " ", "risk": "low"}).to_string();
        assert_eq!(parse(&body(empty_text.into()), 10), Err(AnswerError::Empty));
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
