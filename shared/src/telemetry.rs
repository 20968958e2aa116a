//! Logs as JSON lines, the format CloudWatch and Lambda's log controls understand.
//!
//! The Lambda runtime opens a span per invocation carrying `requestId`; printing the span list
//! puts that id on every line logged while serving the request.

use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = EnvFilter::try_from_env("RUST_LOG")
        .or_else(|_| EnvFilter::try_from_env("AWS_LAMBDA_LOG_LEVEL"))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    // A second call (tests, tools) keeps the first subscriber.
    let _ = tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .with_current_span(false)
        .with_span_list(true)
        .with_target(false)
        .try_init();
}
