//! The OpenRouter chat-completions client, and what its failures mean for a retry.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::RETRY_AFTER;
use serde_json::json;

use super::answer::{self, Answer, AnswerError};
use super::prompt::Prompt;
use super::settings::{MAX_SUMMARY_CHARS, ProviderSettings};

/// A summary answer is a few hundred bytes; a body past this is not one, and reading it all
/// would only cost the function memory.
pub const MAX_ANSWER_BYTES: usize = 1024 * 1024;

/// Sent as OpenRouter's `X-Title` attribution header.
pub const APP_TITLE: &str = "Shop order summaries";

/// The strict JSON schema an answer must follow, and the token cap that bounds its length.
pub struct AnswerSchema {
    pub name: &'static str,
    pub schema: serde_json::Value,
    pub max_tokens: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    #[error("the provider did not answer within the timeout")]
    Timeout,
    #[error("could not reach the provider: {0}")]
    Unreachable(String),
    #[error("the provider is rate limiting (429)")]
    RateLimited { retry_after: Option<Duration> },
    #[error("the provider failed with {status}")]
    ServerError { status: StatusCode },
    /// A 4xx other than 408 and 429: the request or the credentials are wrong, and sending the
    /// same request again gives the same answer.
    #[error("the provider refused the request with {status}: {detail}")]
    Rejected { status: StatusCode, detail: String },
    #[error("the provider's answer is unusable: {0}")]
    BadAnswer(#[from] AnswerError),
}

impl ProviderError {
    /// Worth another attempt later: the provider may be healthy again by then.
    pub fn is_transient(&self) -> bool {
        !matches!(self, Self::Rejected { .. })
    }

    /// The wait the provider asked for, when it asked.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after } => *retry_after,
            _ => None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct ProviderClient {
    http: reqwest::Client,
    endpoint: String,
    api_key: String,
    /// In order of preference; OpenRouter falls back along the list (`models`).
    models: Vec<String>,
    app_url: String,
    /// `X-Title`: which of the shop's AI features is calling.
    title: &'static str,
}

impl ProviderClient {
    /// `None` when no API key is configured.
    pub fn new(settings: &ProviderSettings) -> anyhow::Result<Option<Self>> {
        let Some(api_key) = settings.api_key.clone() else {
            return Ok(None);
        };
        let http = crate::http_client::builder()
            .connect_timeout(settings.connect_timeout)
            .timeout(settings.request_timeout)
            .build()?;
        Ok(Some(Self {
            http,
            endpoint: format!(
                "{}/chat/completions",
                settings.base_url.trim_end_matches('/')
            ),
            api_key,
            models: settings.models.clone(),
            app_url: settings.app_url.clone(),
            title: APP_TITLE,
        }))
    }

    /// The same client, attributed to another feature of the shop (`X-Title`).
    pub fn titled(mut self, title: &'static str) -> Self {
        self.title = title;
        self
    }

    /// `OPENROUTER_MODEL`'s list, first choice first.
    pub fn models(&self) -> &[String] {
        &self.models
    }

    /// Asks for the summary of one order; the answer is validated and bounded.
    pub async fn summarise(&self, prompt: &Prompt) -> Result<Answer, ProviderError> {
        let body = self.complete(&request_body(&self.models, prompt)).await?;
        let mut answer = answer::parse(&body, MAX_SUMMARY_CHARS)?;
        answer.model = answer.model.or_else(|| self.models.first().cloned());
        Ok(answer)
    }

    /// Sends one chat-completions request; the body of a 2xx answer (at most
    /// [`MAX_ANSWER_BYTES`]), or the failure classified for a retry.
    pub async fn complete(&self, request: &serde_json::Value) -> Result<Vec<u8>, ProviderError> {
        let response = self
            .http
            .post(&self.endpoint)
            .bearer_auth(&self.api_key)
            .header("HTTP-Referer", &self.app_url)
            .header("X-Title", self.title)
            .json(request)
            .send()
            .await
            .map_err(classify_transport)?;
        let status = response.status();
        if status == StatusCode::TOO_MANY_REQUESTS {
            return Err(ProviderError::RateLimited {
                retry_after: retry_after(response.headers()),
            });
        }
        if status.is_server_error() || status == StatusCode::REQUEST_TIMEOUT {
            return Err(ProviderError::ServerError { status });
        }
        if !status.is_success() {
            let detail = read_bounded(response).await.unwrap_or_default();
            return Err(ProviderError::Rejected {
                status,
                detail: String::from_utf8_lossy(&detail).chars().take(300).collect(),
            });
        }
        read_bounded(response).await
    }
}

/// The order summary's answer: text for staff and a risk level, nothing else.
pub fn summary_schema() -> AnswerSchema {
    AnswerSchema {
        name: "order_summary",
        schema: json!({
            "type": "object",
            "properties": {
                "text": {"type": "string", "description": "At most four sentences for staff."},
                "risk": {"type": "string", "enum": ["low", "medium", "high"]},
            },
            "required": ["text", "risk"],
            "additionalProperties": false,
        }),
        // A few sentences; the cap keeps cost and latency bounded.
        max_tokens: 400,
    }
}

/// The order summary's chat-completions request.
pub fn request_body(models: &[String], prompt: &Prompt) -> serde_json::Value {
    structured_request(models, prompt, &summary_schema())
}

/// A chat-completions request for a strict JSON-schema answer, only from providers that honour
/// every parameter (`require_parameters`), with the fallback list and the cost in the answer.
pub fn structured_request(
    models: &[String],
    prompt: &Prompt,
    schema: &AnswerSchema,
) -> serde_json::Value {
    let mut request = json!({
        "model": models.first(),
        "messages": [
            {"role": "system", "content": prompt.system},
            {"role": "user", "content": prompt.user},
        ],
        "max_tokens": schema.max_tokens,
        "temperature": 0.2,
        "response_format": {
            "type": "json_schema",
            "json_schema": {
                "name": schema.name,
                "strict": true,
                "schema": schema.schema,
            },
        },
        "provider": {"require_parameters": true},
        "usage": {"include": true},
    });
    if models.len() > 1 {
        request["models"] = json!(models);
    }
    request
}

/// The body, refused as a provider fault once it passes [`MAX_ANSWER_BYTES`] (announced or
/// actual), without reading the rest.
async fn read_bounded(mut response: reqwest::Response) -> Result<Vec<u8>, ProviderError> {
    let too_large = ProviderError::BadAnswer(AnswerError::TooLarge(MAX_ANSWER_BYTES));
    if response
        .content_length()
        .is_some_and(|length| length > MAX_ANSWER_BYTES as u64)
    {
        return Err(too_large);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(classify_transport)? {
        if body.len() + chunk.len() > MAX_ANSWER_BYTES {
            return Err(too_large);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn classify_transport(error: reqwest::Error) -> ProviderError {
    if error.is_timeout() {
        ProviderError::Timeout
    } else {
        // `{:#}`-style chains are not available on reqwest errors; the source holds the cause.
        let mut message = error.to_string();
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            message.push_str(": ");
            message.push_str(&cause.to_string());
            source = cause.source();
        }
        ProviderError::Unreachable(message)
    }
}

/// `Retry-After` in seconds. The HTTP-date form is rare for APIs and is ignored: the normal
/// back-off applies instead.
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let seconds: u64 = headers
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    Some(Duration::from_secs(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue};

    #[test]
    fn retry_after_reads_seconds_only() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("17"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(17)));
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn asks_for_a_strict_schema_with_fallback_and_usage() {
        let prompt = Prompt {
            system: "s".into(),
            user: "u".into(),
        };
        let one = request_body(&["a/one".to_owned()], &prompt);
        assert_eq!(one["model"], "a/one");
        assert!(one.get("models").is_none());
        assert_eq!(one["response_format"]["json_schema"]["strict"], true);
        assert_eq!(one["provider"]["require_parameters"], true);
        assert_eq!(one["usage"]["include"], true);
        let two = request_body(&["a/one".to_owned(), "b/two".to_owned()], &prompt);
        assert_eq!(two["models"], json!(["a/one", "b/two"]));
    }

    #[test]
    fn only_rejections_are_permanent() {
        let rejected = ProviderError::Rejected {
            status: StatusCode::UNAUTHORIZED,
            detail: String::new(),
        };
        assert!(!rejected.is_transient());
        assert!(ProviderError::Timeout.is_transient());
        assert!(ProviderError::BadAnswer(AnswerError::Empty).is_transient());
    }
}
