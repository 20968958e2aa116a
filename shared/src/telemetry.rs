//! Logs as JSON lines, the format CloudWatch and Lambda's log controls understand.
//!
//! The Lambda runtime opens a span per invocation carrying `requestId`; printing the span list
//! puts that id on every line logged while serving the request.
//!
//! The level comes from `RUST_LOG`, else `AWS_LAMBDA_LOG_LEVEL` (Lambda's log controls), else
//! `info`, as `target=level` directives (`info`, `shared=debug,sqlx=warn`). They are parsed by
//! `Targets`, not `EnvFilter`: EnvFilter's span and field filters bring a regex engine into
//! every binary, and nothing here filters by span or field.

use std::str::FromStr;

use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

pub fn init() {
    let filter = directives("RUST_LOG")
        .or_else(|| directives("AWS_LAMBDA_LOG_LEVEL"))
        .unwrap_or_else(|| Targets::new().with_default(tracing::Level::INFO));
    let json = tracing_subscriber::fmt::layer()
        .json()
        .with_current_span(false)
        .with_span_list(true)
        .with_target(false);
    // A second call (tests, tools) keeps the first subscriber.
    let _ = tracing_subscriber::registry()
        .with(json)
        .with(filter)
        .try_init();
}

/// The directives in `variable`; `None` when it is unset or does not parse.
fn directives(variable: &str) -> Option<Targets> {
    Targets::from_str(&std::env::var(variable).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tracing::Level;

    #[test]
    fn a_bare_level_and_per_target_levels_parse() {
        let bare = Targets::from_str("WARN").expect("a level");
        assert!(bare.would_enable("anything", &Level::WARN));
        assert!(!bare.would_enable("anything", &Level::INFO));

        let targeted = Targets::from_str("shared=debug,sqlx=warn,info").expect("directives");
        assert!(targeted.would_enable("shared::db", &Level::DEBUG));
        assert!(!targeted.would_enable("sqlx::query", &Level::INFO));
        assert!(targeted.would_enable("hyper", &Level::INFO));
    }
}
