//! What checkout costs in statements (each a round trip to Postgres), counted from sqlx's own
//! per-statement events on this test's thread: the session check and `orders.place_order`
//! without an Idempotency-Key; with one, the stored answer and `COMMIT` too (and a `BEGIN`, which
//! sqlx sends without a statement event). `make bench` counts the round trips on the wire.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::http::StatusCode;
use serde_json::json;
use sqlx::PgPool;
use testkit::TestApp;
use tracing_subscriber::Layer;
use tracing_subscriber::layer::{Context, SubscriberExt};

struct CountStatements(Arc<AtomicUsize>);

impl<S: tracing::Subscriber> Layer<S> for CountStatements {
    fn on_event(&self, event: &tracing::Event<'_>, _context: Context<'_, S>) {
        if event.metadata().target() == "sqlx::query" {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn an_order_is_two_statements_without_a_key_and_four_with_one(db: PgPool) {
    let app = TestApp::new(db);
    let (_, admin) = app.admin().await;
    let first = app.product(&admin, "RT-1", 100, 1000).await;
    let second = app.product(&admin, "RT-2", 250, 1000).await;
    let (_, token) = app.customer().await;
    let body = json!({"items": [{"product_id": first, "quantity": 1}, {"product_id": second, "quantity": 2}]});
    let place = |key: Option<&str>| {
        let mut request = app.post("/orders").bearer(&token).json(&body);
        if let Some(key) = key {
            request = request.header("idempotency-key", key);
        }
        request.send()
    };
    // Connections opened and statements prepared first, as on a warm instance.
    place(None).await.expect(StatusCode::CREATED);
    place(Some("warm-up")).await.expect(StatusCode::CREATED);

    let counted = Arc::new(AtomicUsize::new(0));
    let _counting = tracing::subscriber::set_default(
        tracing_subscriber::registry().with(CountStatements(counted.clone())),
    );
    place(None).await.expect(StatusCode::CREATED);
    assert_eq!(
        counted.swap(0, Ordering::SeqCst),
        2,
        "session check + orders.place_order"
    );
    place(Some("counted")).await.expect(StatusCode::CREATED);
    assert_eq!(
        counted.swap(0, Ordering::SeqCst),
        4,
        "session check + orders.place_order + stored answer + COMMIT"
    );
}
