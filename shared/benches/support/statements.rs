//! Counts the SQL statements the app sends (each one round trip to Postgres: sqlx keeps its
//! prepared statements per connection), from sqlx's own per-statement `sqlx::query` events.
//! Counting is off unless switched on, so the timed runs pay nothing for it.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use tracing_subscriber::Layer;
use tracing_subscriber::filter::dynamic_filter_fn;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;

static COUNTING: AtomicBool = AtomicBool::new(false);
static STATEMENTS: AtomicU64 = AtomicU64::new(0);

struct CountStatements;

impl<S: tracing::Subscriber> Layer<S> for CountStatements {
    fn on_event(&self, _event: &tracing::Event<'_>, _context: Context<'_, S>) {
        STATEMENTS.fetch_add(1, Ordering::Relaxed);
    }
}

/// Installs the counter as the process's subscriber (once, at the start of a benchmark).
pub fn install() {
    let only_statements = dynamic_filter_fn(|metadata, _| {
        COUNTING.load(Ordering::Relaxed) && metadata.target() == "sqlx::query"
    });
    tracing_subscriber::registry()
        .with(CountStatements.with_filter(only_statements))
        .init();
}

/// The statements sent while `work` runs.
pub async fn count<F: Future<Output = ()>>(work: F) -> u64 {
    let before = STATEMENTS.load(Ordering::Relaxed);
    COUNTING.store(true, Ordering::Relaxed);
    work.await;
    COUNTING.store(false, Ordering::Relaxed);
    STATEMENTS.load(Ordering::Relaxed) - before
}
